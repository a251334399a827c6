import AnnoCore
import AnnoFormats
import AnnoStore
import Foundation

/// One input of an import: a text file with its document id, or a JSONL stream.
struct ImportInput {
  enum Kind {
    case text(id: String)
    case jsonLines
  }
  var path: String
  var kind: Kind

  /// Expands paths: a directory yields its `.txt` files (recursively, sorted, id = path
  /// relative to the directory without extension); `-` is standard input as JSONL.
  static func expand(_ paths: [String], format: InputFormat) throws -> [ImportInput] {
    var inputs: [ImportInput] = []
    for path in paths {
      if path == "-" {
        inputs.append(ImportInput(path: path, kind: .jsonLines))
        continue
      }
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw CLIError.cannotRead(path: path)
      }
      if isDirectory.boolValue {
        let base = URL(fileURLWithPath: path).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(atPath: base.path) else { throw CLIError.cannotRead(path: path) }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
          if relative.hasSuffix(".txt") { files.append(relative) }
        }
        for relative in files.sorted() {
          let id = String(relative.dropLast(4))
          inputs.append(ImportInput(path: (path as NSString).appendingPathComponent(relative), kind: .text(id: id)))
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
/// record as `FILE:LINE: message` on standard error as it is found.
struct CorpusImporter {
  var session: Session
  var format: InputFormat
  var annotator: String
  var replace: Bool
  var skipInvalid: Bool
  var showsProgress: Bool

  /// Imports the inputs.
  ///
  /// - Returns: the summary and the number of problems reported.
  /// - Throws: `ImportAborted` (after reporting) when records were invalid and
  ///   `skipInvalid` is off: nothing is written then.
  func run(_ inputs: [ImportInput], source: String) throws -> (ImportSummary, problems: Int) {
    var problems = 0
    let decoder = RecordDecoder(format: format, defaultAnnotator: annotator, schema: session.schema)
    let totalBytes = inputs.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
    var progress = ProgressLine(total: totalBytes, enabled: showsProgress && totalBytes > 8 << 20, label: "importing")
    let summary = try session.store.importRecords(source: source, replace: replace) { transaction in
      func report(_ file: String, _ line: Int, _ message: String) {
        problems += 1
        progress.clear()
        FileHandle.standardError.write(Data("\(file):\(line): \(message)\n".utf8))
      }
      // Records of one document usually follow each other (one per annotator, the first with
      // the text): the last imported document's text and scalars are kept for the next ones.
      var lastDocument: (id: String, text: String, scalars: ScalarText)?
      func handle(_ record: ImportRecord, file: String, line: Int) throws {
        let text: String
        if let given = record.text {
          text = given
        } else if let last = lastDocument, last.id == record.externalID {
          try importValidated(record, text: last.text, scalars: last.scalars, file: file, line: line)
          return
        } else if let stored = try transaction.storedText(of: record.externalID) {
          text = stored.text
        } else {
          report(file, line, "no document with id '\(record.externalID)' in the database or earlier in this input; include its 'text'")
          transaction.countInvalid()
          return
        }
        try importValidated(record, text: text, scalars: ScalarText(text), file: file, line: line)
      }
      func importValidated(_ record: ImportRecord, text: String, scalars: ScalarText, file: String, line: Int) throws {
        let recordProblems = record.problems(in: scalars, schema: session.schema)
        guard recordProblems.isEmpty else {
          for problem in recordProblems { report(file, line, "document '\(record.externalID)': \(problem)") }
          transaction.countInvalid()
          return
        }
        do {
          try transaction.importRecord(
            document: record.text.map { record.document(text: $0, scalars: scalars) }, externalID: record.externalID,
            annotations: record.annotations, text: scalars)
          lastDocument = (record.externalID, text, scalars)
        } catch let rejection as ImportRejection {
          report(file, line, rejection.message)
          transaction.countInvalid()
        }
      }
      for input in inputs {
        switch input.kind {
        case .text(let id):
          guard let data = FileManager.default.contents(atPath: input.path) else {
            report(input.path, 1, "cannot read the file")
            continue
          }
          progress.advance(by: data.count)
          guard let text = String(validating: Array(data), as: UTF8.self) else {
            report(input.path, Self.firstInvalidUTF8Line(Array(data)), "bytes that are not UTF-8; save the file as UTF-8")
            transaction.countInvalid()
            continue
          }
          let title = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: true).first
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty || $0.count > 300 ? nil : $0 }
          try handle(ImportRecord(externalID: id, text: text, title: title, source: input.path), file: input.path, line: 1)
        case .jsonLines:
          let file = input.path == "-" ? "<stdin>" : input.path
          do {
            try FileLineReader(path: input.path).forEachLine { bytes, line in
              progress.advance(by: bytes.count + 1)
              if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
              let value: JSONValue
              do {
                value = try JSONParser.parse(bytes)
              } catch let error as JSONParser.SyntaxError {
                report(file, line, "malformed JSON at column \(error.column): \(error.message)")
                transaction.countInvalid()
                return
              }
              do {
                switch try decoder.decode(value) {
                case .record(let record): try handle(record, file: file, line: line)
                case .skipped: transaction.countSkipped()
                }
              } catch let error as DecodeError {
                report(file, line, error.message)
                transaction.countInvalid()
              }
            }
          } catch let error as FileLineReader.ReadError {
            switch error {
            case .cannotOpen(let path, let reason): report(path, 0, "cannot open: \(reason)")
            case .readFailed(let path, let reason): report(path, 0, "cannot read: \(reason)")
            case .lineTooLong(let line, let limit):
              report(file, line, "line longer than \(limit >> 20) MiB; split the record or shorten the text")
            }
            transaction.countInvalid()
            if !skipInvalid { throw ImportAborted() }
          }
        }
      }
      progress.clear()
      if problems > 0 && !skipInvalid { throw ImportAborted() }
    }
    return (summary, problems)
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
