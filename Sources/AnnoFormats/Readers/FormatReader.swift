import AnnoCore

/// What a file reader found at one place of its input, in input order.
public enum ReaderEvent: Sendable {
  /// A record to import, with where it starts and the input bytes it covers.
  case record(ImportRecord, file: String, line: Int, bytes: Int)
  /// A record deliberately not imported, with why.
  case skipped(file: String, line: Int, bytes: Int, reason: String)
  /// An invalid record: `message` says what is wrong and the shape expected.
  case invalid(file: String, line: Int, bytes: Int, message: String)
  /// Annotations the format carries that Anno has no place for (`relations`), counted.
  case leftOut(LeftOut)
}

/// Annotations of one kind an import could not take, and why.
public struct LeftOut: Hashable, Sendable {
  /// What was left out, in the singular (`relation`, `brat event`).
  public var what: String
  /// How many.
  public var count: Int
  /// Why (`Anno has no relation layer`).
  public var reason: String

  /// Creates a count of left-out annotations.
  public init(what: String, count: Int, reason: String) {
    self.what = what
    self.count = count
    self.reason = reason
  }

  /// The import note that counts it, as JSONL records' left-out keys are counted.
  public var note: ImportNote { ImportNote(.leftOut, key: what, count: count, reason: reason) }
}

/// The importers of the file formats that are not one JSON record per line: CoNLL columns,
/// brat folders, CSV, spaCy's JSON array and Hugging Face dataset folders.
public enum FormatReaders {
  /// Whether `format` is read by one of these readers (rather than line by line as JSONL).
  public static func reads(_ format: InputFormat) -> Bool {
    switch format {
    case .conll, .brat, .csv, .spacyJSON, .hf: true
    case .auto, .txt, .documents, .anno, .prodigy, .doccano, .spacy: false
    }
  }

  /// The reader format for an input path, when one of these readers reads it: the requested
  /// format, or under `--format auto` the one ``detect(path:isDirectory:)`` finds. Standard
  /// input (`-`) can be CoNLL, CSV or spaCy JSON when asked for.
  public static func format(for path: String, requested: InputFormat) -> InputFormat? {
    if reads(requested) {
      return path == "-" && (requested == .brat || requested == .hf) ? nil : requested
    }
    guard requested == .auto, path != "-" else { return nil }
    return detect(path: path, isDirectory: FileSystem.isDirectory(path))
  }

  /// The JSONL files of a folder (sorted, recursively) when JSONL `format` is asked for by
  /// name (a split export of `anno`, `spacy`, `prodigy` or `doccano`); `nil` otherwise.
  public static func jsonLinesFiles(in path: String, format: InputFormat) -> [String]? {
    guard [.anno, .spacy, .prodigy, .doccano, .documents].contains(format),
      FileSystem.isDirectory(path)
    else { return nil }
    var files: [String] = []
    try? FileSystem.walk(path) { relative in
      if relative.hasSuffix(".jsonl") { files.append(path + "/" + relative) }
      return true
    }
    return files
  }

  /// The reader format for a path under `--format auto`: `.conll`, `.iob`, `.iob2`,
  /// `.bioes` and `.bio` files are CoNLL, `.csv` files CSV, `.json` files that hold an array
  /// spaCy JSON (others are JSON lines); a
  /// folder with `.ann` files or an `annotation.conf` is brat, and one with a `README.md`
  /// and a `data` folder is a Hugging Face dataset. `nil` for everything else.
  public static func detect(path: String, isDirectory: Bool) -> InputFormat? {
    if isDirectory {
      let entries = (try? FileSystem.entries(of: path)) ?? []
      if entries.contains("annotation.conf") { return .brat }
      if entries.contains("README.md") && entries.contains("data")
        && FileSystem.isDirectory(path + "/data")
      {
        return .hf
      }
      var found = false
      try? FileSystem.walk(path) { relative in
        if relative.hasSuffix(".ann") { found = true }
        return !found
      }
      return found ? .brat : nil
    }
    let lower = path.lowercased()
    if [".conll", ".iob", ".iob2", ".bioes", ".bio"].contains(where: { lower.hasSuffix($0) }) {
      return .conll
    }
    if lower.hasSuffix(".csv") { return .csv }
    if lower.hasSuffix(".json") {
      // NB: a `.json` file that does not open an array is JSON lines (older doccano exports).
      let start = FileSystem.prefix(path, count: 4096).drop {
        $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB
          || $0 == 0xBF
      }
      return start.first == UInt8(ascii: "[") ? .spacyJSON : nil
    }
    return nil
  }

  /// Reads one input in `format` and hands `body` what it finds, in order.
  ///
  /// - Throws: what `body` throws, or `FileLineReader.ReadError` when the input cannot be
  ///   read to its end.
  public static func read(
    path: String, format: InputFormat, defaultAnnotator: String, schema: LabelSchema,
    _ body: (ReaderEvent) throws -> Void
  ) throws {
    if path != "-", format == .conll || format == .csv || format == .spacyJSON,
      FileSystem.isDirectory(path)
    {
      // A split export of a single-file format: a folder of such files.
      var files: [String] = []
      try FileSystem.walk(path) { relative in
        if detect(path: path + "/" + relative, isDirectory: false) == format {
          files.append(relative)
        }
        return true
      }
      for file in files {
        try read(
          path: path + "/" + file, format: format, defaultAnnotator: defaultAnnotator,
          schema: schema, body)
      }
      return
    }
    switch format {
    case .conll:
      try CoNLLReader(path: path, annotator: defaultAnnotator).read(body)
    case .brat:
      try BratReader(folder: path, defaultAnnotator: defaultAnnotator, schema: schema).read(body)
    case .csv:
      try CSVLabelReader(path: path, defaultAnnotator: defaultAnnotator, schema: schema).read(body)
    case .spacyJSON:
      try SpacyJSONReader(path: path, defaultAnnotator: defaultAnnotator, schema: schema).read(body)
    case .hf:
      try HuggingFaceReader(folder: path, defaultAnnotator: defaultAnnotator, schema: schema).read(
        body)
    case .auto, .txt, .documents, .anno, .prodigy, .doccano, .spacy:
      preconditionFailure("\(format.rawValue) is read line by line by RecordDecoder")
    }
  }

  /// The id of a document that has none: `doc-` and the first 16 hex digits of its text's
  /// SHA-256, as for JSONL documents without an id.
  static func contentID(of text: String) -> String {
    "doc-" + String(SHA256.hexDigest(of: Array(text.utf8)).prefix(16))
  }

  /// The text of a line, without a trailing CR; `nil` when it is not UTF-8.
  static func lineText(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    var end = bytes.count
    if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
    return String(validating: UnsafeBufferPointer(rebasing: bytes[0..<end]), as: UTF8.self)
  }
}

extension FileLineReader.ReadError {
  /// Where reading stopped and why, for a `FILE:LINE: message` report about `file`.
  public func located(in file: String) -> (path: String, line: Int, message: String) {
    switch self {
    case .cannotOpen(let path, let reason): (path, 0, "cannot open: \(reason)")
    case .readFailed(let path, let reason): (path, 0, "cannot read: \(reason)")
    case .lineTooLong(let number, let limit):
      (file, number, "line longer than \(limit >> 20) MiB; split the record or shorten the text")
    }
  }
}
