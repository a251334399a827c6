import AnnoCore
import AnnoFormats
import AnnoStore
import Foundation

/// A path given to an import that cannot be read.
public enum ImportInputError: Error, LocalizedError, Equatable {
  case cannotRead(path: String)

  public var errorDescription: String? {
    switch self {
    case .cannotRead(let path): "cannot read '\(path)': no such file, or not readable"
    }
  }
}

/// One input of an import: a text file with its document id, or a JSONL stream.
public struct ImportInput: Sendable {
  public enum Kind: Sendable {
    case text(id: String)
    case jsonLines
    /// A file or folder one of `FormatReaders` reads.
    case formatted(InputFormat)
  }
  public var path: String
  public var kind: Kind

  /// Expands paths: a directory yields its `.txt` files (recursively, sorted, id = path
  /// relative to the directory without extension); `-` is standard input as JSONL.
  public static func expand(_ paths: [String], format: InputFormat) throws -> [ImportInput] {
    var inputs: [ImportInput] = []
    for path in paths {
      if let readerFormat = FormatReaders.format(for: path, requested: format) {
        inputs.append(ImportInput(path: path, kind: .formatted(readerFormat)))
        continue
      }
      if let files = FormatReaders.jsonLinesFiles(in: path, format: format) {
        inputs += files.map { ImportInput(path: $0, kind: .jsonLines) }
        continue
      }
      if path == "-" {
        inputs.append(ImportInput(path: path, kind: .jsonLines))
        continue
      }
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw ImportInputError.cannotRead(path: path)
      }
      if isDirectory.boolValue {
        let base = URL(fileURLWithPath: path).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else {
          throw ImportInputError.cannotRead(path: path)
        }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
          if relative.hasSuffix(".txt") { files.append(relative) }
        }
        for relative in files.sorted() {
          let id = String(relative.dropLast(4))
          inputs.append(
            ImportInput(
              path: (path as NSString).appendingPathComponent(relative), kind: .text(id: id)))
        }
      } else if format == .txt || (format == .auto && path.hasSuffix(".txt")) {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        inputs.append(ImportInput(path: path, kind: .text(id: name)))
      } else {
        inputs.append(ImportInput(path: path, kind: .jsonLines))
      }
    }
    return inputs
  }
}

/// Reads import inputs and feeds them to one store transaction, reporting every invalid
/// record as `FILE:LINE: message` through `writeError` (standard error) as it is found.
///
/// Reading, parsing and checking records runs on a second thread (`ImportReader`) while the
/// calling thread writes the records before them: an import uses two cores.
public struct CorpusImporter {
  public var store: Store
  public var schema: LabelSchema
  public var format: InputFormat
  public var annotator: String
  public var replace: Bool
  public var skipInvalid: Bool
  public var showsProgress: Bool
  /// Whether the records are gold questions: each record's labels are stored as the known
  /// answer of its document (imported too when new), not as an annotator's set.
  public var asGoldItems = false
  /// Where problems, notes and the progress line go (standard error).
  public var writeError: (String) -> Void
  /// Label map, target field, doccano label file and offset unit.
  public var decodeOptions = DecodeOptions()
  /// How contradictory records of one input by one annotator are settled.
  public var onConflict: ConflictPolicy = .error
  /// Whether anything left out refuses the import (`StrictRefusal`).
  public var strict = false
  /// The schema to adopt in the import's transaction (`--new-labels`), with the entity
  /// labels it adds; `schema` must be that schema.
  public var adoptedSchema: (yaml: String, addedLabels: [String])?

  /// What an import did, with what it left out or skipped.
  public struct Outcome {
    /// What the store did.
    public var summary: ImportSummary
    /// Problems reported.
    public var problems: Int
    /// What the input carried that was left out or skipped.
    public var notes: NoteTally
  }

  /// Creates an import into `store` under `schema`.
  public init(
    store: Store, schema: LabelSchema, format: InputFormat, annotator: String, replace: Bool,
    skipInvalid: Bool, showsProgress: Bool, writeError: @escaping (String) -> Void
  ) {
    self.store = store
    self.schema = schema
    self.format = format
    self.annotator = annotator
    self.replace = replace
    self.skipInvalid = skipInvalid
    self.showsProgress = showsProgress
    self.writeError = writeError
  }

  /// Imports the inputs.
  ///
  /// - Returns: the summary and the number of problems reported.
  /// - Throws: `ImportAborted` (after reporting) when records were invalid and
  ///   `skipInvalid` is off: nothing is written then.
  public func run(_ inputs: [ImportInput], source: String) throws -> (
    ImportSummary, problems: Int
  ) {
    let outcome = try runReporting(inputs, source: source)
    return (outcome.summary, outcome.problems)
  }

  /// Imports the inputs, tallying what was left out or skipped.
  ///
  /// - Throws: `ImportAborted` (after reporting) when records were invalid and
  ///   `skipInvalid` is off; `StrictRefusal` (after listing what would be left out) under
  ///   `strict`. Nothing is written then.
  public func runReporting(_ inputs: [ImportInput], source: String) throws -> Outcome {
    var problems = 0
    var notes = NoteTally()
    var decoder = RecordDecoder(format: format, defaultAnnotator: annotator, schema: schema)
    decoder.options = decodeOptions
    let reader = ImportReader(
      decoder: decoder,
      schema: schema,
      stanceTargets: StanceTargets(
        schema: schema, inUse: try store.stanceTargetsInUse().map(\.target)),
      stopsAtUnreadableFile: !skipInvalid)
    let totalBytes = inputs.reduce(0) {
      $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0)
    }
    var progress = ProgressLine(
      total: totalBytes, enabled: showsProgress && totalBytes > 8 << 20, label: "importing",
      write: writeError)
    // Lines of the records merged per document and annotator, for contradiction messages.
    var mergedLines: [String: [Int]] = [:]
    let summary = try store.importRecords(source: source, replace: replace) { transaction in
      if let adoptedSchema {
        try transaction.adoptSchema(
          yaml: adoptedSchema.yaml, addedLabels: adoptedSchema.addedLabels)
      }
      func report(_ file: String, _ line: Int, _ message: String) {
        problems += 1
        progress.clear()
        writeError("\(file):\(line): \(message)\n")
      }
      // The text and scalars of the last document a record was imported against, for the
      // records after it that carry no text; `source` numbers the record whose text it is
      // (nil when the text was read from the store), so a check the reader made against that
      // same text can be trusted.
      var lastDocument: (id: String, source: Int?, text: String, scalars: ScalarText)?
      func importChecked(
        _ record: ImportRecord, against check: ImportReader.Check, file: String, line: Int
      ) throws {
        guard check.problems.isEmpty else {
          for problem in check.problems {
            report(file, line, "document '\(record.externalID)': \(problem)")
          }
          transaction.countInvalid()
          return
        }
        let mergeKey =
          record.mergesWithSameInput
          ? record.externalID + "\u{0}"
            + (record.annotations?.annotator ?? record.rejectionsAnnotator ?? "") : nil
        do {
          if asGoldItems {
            guard let answer = record.annotations, !answer.isEmpty else {
              report(
                file, line,
                "document '\(record.externalID)': the record carries no labels; a gold question needs its answer"
              )
              transaction.countInvalid()
              return
            }
            try transaction.importRecord(
              document: check.document, externalID: ExternalID(record.externalID), annotations: nil,
              text: check.scalars, contentHash: check.contentHash, file: file)
            try transaction.addGoldItem(
              externalID: ExternalID(record.externalID), answer: answer, source: "file:\(file)")
            lastDocument = (record.externalID, check.source, check.text, check.scalars)
            return
          }
          try transaction.importRecord(
            document: check.document, externalID: ExternalID(record.externalID),
            annotations: record.annotations, text: check.scalars,
            contentHash: check.contentHash, file: file,
            rejections: record.rejectionsAnnotator.map { ($0, record.rejectedSpans) },
            merging: record.mergesWithSameInput ? onConflict : nil)
          lastDocument = (record.externalID, check.source, check.text, check.scalars)
          for note in record.notes { notes.add(note) }
          if let mergeKey, mergedLines[mergeKey, default: []].count < 5 {
            mergedLines[mergeKey, default: []].append(line)
          }
        } catch let rejection as ImportRejection {
          let earlier = mergeKey.flatMap { mergedLines[$0] } ?? []
          report(
            file, line,
            earlier.isEmpty
              ? rejection.message
              : rejection.message
                + " (the earlier record: line\(earlier.count == 1 ? "" : "s") \(earlier.map(String.init).joined(separator: ", ")))"
          )
          transaction.countInvalid()
        }
      }
      var filesWithNumericIDs: Set<String> = []
      func importRecord(_ read: ImportReader.ReadRecord) throws {
        let record = read.record
        if record.idWasNumber, filesWithNumericIDs.insert(read.file).inserted {
          progress.clear()
          writeError(
            "\(read.file):\(read.line): note: the id \(record.externalID) is a number; it is stored as the text \"\(record.externalID)\", as are the other numeric ids in this file\n"
          )
        }
        if let check = read.check,
          record.text != nil || (check.source != nil && lastDocument?.source == check.source)
        {
          try importChecked(record, against: check, file: read.file, line: read.line)
        } else if let last = lastDocument, last.id == record.externalID {
          try importChecked(
            record,
            against: reader.check(
              record, text: last.text, scalars: last.scalars, source: last.source), file: read.file,
            line: read.line)
        } else if let stored = try transaction.storedText(of: ExternalID(record.externalID)) {
          try importChecked(
            record,
            against: reader.check(
              record, text: stored.text, scalars: ScalarText(stored.text), source: nil),
            file: read.file, line: read.line)
        } else {
          report(
            read.file, read.line,
            "no document with id '\(record.externalID)' in the database or earlier in this input; include its 'text'"
          )
          transaction.countInvalid()
        }
      }
      // NB: a record in flight holds its text about five times over (the scalars take four
      // bytes each), so the reader runs at most about 1 MiB of input ahead per batch.
      try OrderedHandoff<ImportReader.Step>.run(
        weightLimit: 1 << 20, weight: { $0.bytes },
        produce: { yield, _ in try reader.read(inputs, yield) },
        consume: { step in
          progress.advance(by: step.bytes)
          switch step.finding {
          case .nothing: break
          case .skipped(let reason):
            transaction.countSkipped()
            notes.add(ImportNote(.skipped, key: "answer", reason: reason))
          case .invalid(let file, let line, let message):
            report(file, line, message)
            transaction.countInvalid()
          case .unreadableFile(let path, let message): report(path, 1, message)
          case .unreadable(let file, let line, let message):
            report(file, line, message)
            transaction.countInvalid()
            if !skipInvalid { throw ImportAborted() }
          case .record(let read): try importRecord(read)
          case .leftOut(let item): notes.add(item.note)
          }
        })
      progress.clear()
      if problems > 0 && !skipInvalid { throw ImportAborted() }
      if strict, notes.hasLeftOut {
        for line in notes.lines(kind: .leftOut) { writeError(line + "\n") }
        throw StrictRefusal()
      }
    }
    return Outcome(summary: summary, problems: problems, notes: notes)
  }

  /// The 1-based line holding the first byte that breaks UTF-8.
  static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int {
    var line = 1
    var lineStart = 0
    for (i, byte) in bytes.enumerated() where byte == 0x0A {
      if String(validating: bytes[lineStart..<i], as: UTF8.self) == nil { return line }
      line += 1
      lineStart = i + 1
    }
    return line
  }
}

/// The reading half of an import: reads the inputs, parses and decodes each record, and checks
/// it against its text when that text is at hand (its own, or the previous record's for the
/// same document), hashing new texts too, so the writing thread only has to store them.
struct ImportReader: Sendable {
  /// A record with where it was read and, when the reader could make it, its check.
  struct ReadRecord: Sendable {
    var record: ImportRecord
    var file: String
    var line: Int
    var check: Check?
  }

  /// A record checked against a text.
  struct Check: Sendable {
    /// Which record's text this is, numbered in input order; nil for a text from the store.
    var source: Int?
    var text: String
    var scalars: ScalarText
    /// What is wrong with the record against the text and schema; empty when valid.
    var problems: [String]
    /// The document the record describes, when it carries the text.
    var document: Document?
    /// That document's content hash, when it is valid.
    var contentHash: String?
  }

  /// What was found at one place of the input, in input order.
  enum Finding: Sendable {
    /// A blank line.
    case nothing
    /// A record deliberately not imported, with why.
    case skipped(String)
    /// An invalid line or file, with the message to report.
    case invalid(file: String, line: Int, message: String)
    /// A JSONL input that could not be read to its end (counted as an invalid record).
    case unreadable(file: String, line: Int, message: String)
    /// A text file that could not be read (reported; there was no record to count).
    case unreadableFile(path: String, message: String)
    /// A record.
    case record(ReadRecord)
    /// Annotations the input carries that Anno has no place for.
    case leftOut(LeftOut)
  }

  /// One finding and the input bytes it covers (for the progress line).
  struct Step: Sendable {
    var bytes: Int
    var finding: Finding
  }

  var decoder: RecordDecoder
  var schema: LabelSchema
  /// The stance targets stored before the import (everyone's): a target a record names in
  /// another case or with an article is stored under the spelling already in use.
  var stanceTargets: StanceTargets
  /// Whether reading stops at the first file that cannot be read to its end.
  var stopsAtUnreadableFile: Bool

  /// Checks a record against a text.
  func check(_ record: ImportRecord, text: String, scalars: ScalarText, source: Int?) -> Check {
    let problems = record.problems(in: scalars, schema: schema)
    // NB: a record with problems is never imported; its document is not even built.
    let document =
      problems.isEmpty ? record.text.flatMap { record.document(text: $0, scalars: scalars) } : nil
    return Check(
      source: source, text: text, scalars: scalars, problems: problems, document: document,
      contentHash: problems.isEmpty ? document?.contentHash : nil)
  }

  /// Reads every input and yields what it finds, in order.
  func read(_ inputs: [ImportInput], _ yield: (Step) throws -> Void) throws {
    var lastText: (id: String, source: Int, text: String, scalars: ScalarText)?
    var textsRead = 0
    var targets = stanceTargets
    var resolvedTargets: [String: String] = [:]
    func yieldRecord(_ record: ImportRecord, bytes: Int, file: String, line: Int) throws {
      var record = record
      if let stances = record.annotations?.stances, !stances.isEmpty {
        record.annotations?.stances = stances.map { stance in
          var stance = stance
          if let known = resolvedTargets[stance.target] {
            stance.target = known
          } else if let resolved = try? targets.resolve(stance.target, creating: true) {
            if resolved.source == .created { targets.adopt(resolved.name) }
            resolvedTargets[stance.target] = resolved.name
            stance.target = resolved.name
          }
          return stance
        }
      }
      var check: Check?
      if let text = record.text {
        textsRead += 1
        let scalars = ScalarText(text)
        lastText = (record.externalID, textsRead, text, scalars)
        check = self.check(record, text: text, scalars: scalars, source: textsRead)
      } else if let last = lastText, last.id == record.externalID {
        check = self.check(record, text: last.text, scalars: last.scalars, source: last.source)
      }
      try yield(
        Step(
          bytes: bytes,
          finding: .record(ReadRecord(record: record, file: file, line: line, check: check))))
    }
    for input in inputs {
      switch input.kind {
      case .formatted(let format):
        do {
          try FormatReaders.read(
            path: input.path, format: format, defaultAnnotator: decoder.defaultAnnotator,
            schema: schema
          ) { event in
            switch event {
            case .record(let record, let file, let line, let bytes):
              try yieldRecord(record, bytes: bytes, file: file, line: line)
            case .skipped(_, _, let bytes, let reason):
              try yield(Step(bytes: bytes, finding: .skipped(reason)))
            case .invalid(let file, let line, let bytes, let message):
              try yield(
                Step(bytes: bytes, finding: .invalid(file: file, line: line, message: message)))
            case .leftOut(let item): try yield(Step(bytes: 0, finding: .leftOut(item)))
            }
          }
        } catch let error as FileLineReader.ReadError {
          let (path, line, message) = error.located(in: input.path == "-" ? "<stdin>" : input.path)
          try yield(Step(bytes: 0, finding: .unreadable(file: path, line: line, message: message)))
          if stopsAtUnreadableFile { return }
        }
      case .text(let id):
        guard let data = FileManager.default.contents(atPath: input.path) else {
          try yield(
            Step(
              bytes: 0, finding: .unreadableFile(path: input.path, message: "cannot read the file"))
          )
          continue
        }
        guard let text = String(validating: Array(data), as: UTF8.self) else {
          try yield(
            Step(
              bytes: data.count,
              finding: .invalid(
                file: input.path, line: CorpusImporter.firstInvalidUTF8Line(Array(data)),
                message: "bytes that are not UTF-8; save the file as UTF-8")))
          continue
        }
        let title = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first
          .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
          .flatMap { $0.isEmpty || $0.count > 300 ? nil : $0 }
        try yieldRecord(
          ImportRecord(externalID: id, text: text, title: title, source: input.path),
          bytes: data.count, file: input.path,
          line: 1)
      case .jsonLines:
        let file = input.path == "-" ? "<stdin>" : input.path
        do {
          try FileLineReader(path: input.path).forEachLine { bytes, line in
            let size = bytes.count + 1
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
              try yield(Step(bytes: size, finding: .nothing))
              return
            }
            let value: JSONValue
            do {
              value = try JSONParser.parse(bytes)
            } catch let error as JSONParser.SyntaxError {
              try yield(
                Step(
                  bytes: size,
                  finding: .invalid(
                    file: file, line: line,
                    message: "malformed JSON at column \(error.column): \(error.message)")))
              return
            }
            let decoded: DecodedLine
            do {
              decoded = try decoder.decode(value)
            } catch let error as DecodeError {
              try yield(
                Step(bytes: size, finding: .invalid(file: file, line: line, message: error.message))
              )
              return
            }
            switch decoded {
            case .record(let record): try yieldRecord(record, bytes: size, file: file, line: line)
            case .records(let records):
              for (i, record) in records.enumerated() {
                try yieldRecord(record, bytes: i == 0 ? size : 0, file: file, line: line)
              }
            case .skipped(let reason): try yield(Step(bytes: size, finding: .skipped(reason)))
            }
          }
        } catch let error as FileLineReader.ReadError {
          let (path, line, message): (String, Int, String) =
            switch error {
            case .cannotOpen(let path, let reason): (path, 0, "cannot open: \(reason)")
            case .readFailed(let path, let reason): (path, 0, "cannot read: \(reason)")
            case .lineTooLong(let number, let limit):
              (
                file, number,
                "line longer than \(limit >> 20) MiB; split the record or shorten the text"
              )
            }
          try yield(Step(bytes: 0, finding: .unreadable(file: path, line: line, message: message)))
          if stopsAtUnreadableFile { return }
        }
      }
    }
  }
}

/// Thrown when `strict` refuses an import that would leave annotation out.
public struct StrictRefusal: Error {
  /// Creates the signal.
  public init() {}
}

/// What an import left out or skipped, counted by key and reason, in the order first met.
public struct NoteTally: Sendable {
  private var order: [ImportNote] = []
  private var counts: [ImportNote: Int] = [:]

  /// An empty tally.
  public init() {}

  /// Counts a note.
  public mutating func add(_ note: ImportNote) {
    var key = note
    key.count = 0
    if counts[key] == nil { order.append(key) }
    counts[key, default: 0] += note.count
  }

  /// Whether any annotation was left out.
  public var hasLeftOut: Bool { order.contains { $0.kind == .leftOut } }

  /// One line per key and reason, as ``ImportNote/line`` renders it:
  /// `left out: 466 × relations (Anno has no relation layer)`.
  public func lines(kind: ImportNote.Kind) -> [String] {
    order.filter { $0.kind == kind }.map { note in
      var total = note
      total.count = counts[note] ?? 0
      return total.line
    }
  }

  /// Every line: what was skipped, then what was left out.
  public var lines: [String] { lines(kind: .skipped) + lines(kind: .leftOut) }
}
