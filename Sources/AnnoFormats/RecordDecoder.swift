import AnnoCore

/// Turns parsed JSON lines into import records, for every JSONL input format.
public struct RecordDecoder: Sendable {
  /// The format of the input; `.auto` decides per record from its keys.
  public var format: InputFormat
  /// The annotator labels are attributed to when a record names none.
  public var defaultAnnotator: String
  /// The schema, which maps doccano's bare class labels to fields.
  public var schema: LabelSchema
  /// Label map, target field, doccano's label file and offset unit.
  public var options = DecodeOptions()

  /// Creates a decoder.
  public init(format: InputFormat, defaultAnnotator: String, schema: LabelSchema) {
    self.format = format
    self.defaultAnnotator = defaultAnnotator
    self.schema = schema
  }

  private static let annoKeys: Set<String> = [
    "annotator", "entities", "entities_partial", "span_sentiments", "sentiment", "stances",
    "labels", "notes", "status", "offsets", "flag_reason",
  ]

  /// The format of one record, when the input's format is `.auto`.
  public func detectFormat(of object: [String: JSONValue]) -> InputFormat {
    if format != .auto && format != .txt { return format }
    if case .object? = object["spans"] { return .spacy }
    if !Self.prodigyMarkers.isDisjoint(with: object.keys) { return .prodigy }
    if object["label"] != nil || object["data"] != nil || object["cats"] != nil
      || object["annotations"] != nil || object["relations"] != nil
    {
      return .doccano
    }
    if case .array? = object["labels"] { return .doccano }
    if case .array(let items)? = object["entities"],
      items.first?["start_offset"] != nil || items.first?.arrayValue != nil
    {
      return .doccano
    }
    if !Self.annoKeys.isDisjoint(with: object.keys) { return .anno }
    return .documents
  }

  /// Keys only Prodigy tasks have.
  static let prodigyMarkers: Set<String> = [
    "spans", "answer", "_input_hash", "_task_hash", "_view_id", "accept", "options",
    "_annotator_id", "_session_id",
  ]

  /// Decodes one parsed line.
  ///
  /// - Throws: `DecodeError` naming the key at fault and, for Prodigy and doccano records,
  ///   the format the record was read as.
  public func decode(_ value: JSONValue) throws(DecodeError) -> DecodedLine {
    guard case .object(let object) = value else {
      throw DecodeError("expected a JSON object, found \(value.typeName)")
    }
    let detected = detectFormat(of: object)
    do {
      switch detected {
      case .anno: return .record(try decodeAnno(object))
      case .prodigy: return try decodeProdigy(object)
      case .doccano: return try decodeDoccano(object)
      case .spacy: return .record(try decodeSpacy(object))
      case .documents, .auto, .txt, .spacyJSON, .hf, .conll, .brat, .csv:
        return .record(try decodeDocument(object, textKey: "text"))
      }
    } catch {
      switch detected {
      case .prodigy:
        throw DecodeError("read as a Prodigy task\(detectedBy(object)): \(error.message)")
      case .doccano:
        throw DecodeError("read as doccano JSONL\(detectedBy(object)): \(error.message)")
      default: throw error
      }
    }
  }

  /// ` (from its key 'spans')` when the format was detected, empty when it was given.
  func detectedBy(_ object: [String: JSONValue]) -> String {
    guard format == .auto else { return "" }
    let markers = Self.prodigyMarkers.union([
      "label", "labels", "data", "cats", "annotations", "relations", "entities",
    ])
    guard let key = object.keys.filter(markers.contains).sorted().first else { return "" }
    return " (from its key '\(key)'; give --format to choose)"
  }

  // MARK: - Plain documents

  func decodeDocument(_ object: [String: JSONValue], textKey: String, textRequired: Bool = true)
    throws(DecodeError) -> ImportRecord
  {
    var text: String?
    switch object[textKey] {
    case .string(let s)?: text = s
    case nil, .null?:
      if textRequired { throw DecodeError("missing key '\(textKey)'") }
    case let other?: throw DecodeError("'\(textKey)' must be a string, not \(other.typeName)")
    }
    let id: String
    var idWasNumber = false
    switch object["id"] {
    case .string(let s)?:
      guard !s.isEmpty else { throw DecodeError("'id' must not be empty") }
      id = s
    case .int(let i)?:
      id = String(i)
      idWasNumber = true
    case nil, .null?:
      if case .string(let metaID)? = object["meta"]?["id"] {
        id = metaID
      } else if let text {
        id = "doc-" + String(SHA256.hexDigest(of: Array(text.utf8)).prefix(16))
      } else {
        throw DecodeError("missing key 'id' (needed when 'text' is left out)")
      }
    case let other?: throw DecodeError("'id' must be a string, not \(other.typeName)")
    }
    var meta: [String: JSONValue]?
    switch object["meta"] {
    case .object(let o)?: meta = o
    case nil, .null?: meta = nil
    case let other?: throw DecodeError("'meta' must be an object, not \(other.typeName)")
    }
    var record = ImportRecord(
      externalID: id, text: text, title: try optionalString(object, "title"),
      source: try optionalString(object, "source"), meta: meta,
      tokenRanges: try tokens(object["tokens"]))
    record.idWasNumber = idWasNumber
    return record
  }

  func optionalString(_ object: [String: JSONValue], _ key: String) throws(DecodeError) -> String? {
    switch object[key] {
    case .string(let s)?: return s
    case nil, .null?: return nil
    case let other?: throw DecodeError("'\(key)' must be a string, not \(other.typeName)")
    }
  }

  func tokens(_ value: JSONValue?) throws(DecodeError) -> [Range<Int>]? {
    guard let value, value != .null else { return nil }
    guard case .array(let items) = value else {
      throw DecodeError("'tokens' must be a list of [start, end] pairs")
    }
    var ranges: [Range<Int>] = []
    ranges.reserveCapacity(items.count)
    for (i, item) in items.enumerated() {
      let start: Int?
      let end: Int?
      switch item {
      case .array(let pair) where pair.count >= 2:
        start = pair[0].intValue
        end = pair[1].intValue
      case .object:
        start = item["start"]?.intValue
        end = item["end"]?.intValue
      default:
        start = nil
        end = nil
      }
      guard let start, let end, start >= 0, end > start else {
        throw DecodeError("tokens[\(i)]: expected [start, end] with 0 ≤ start < end")
      }
      ranges.append(start..<end)
    }
    return ranges
  }

  func range(
    _ object: [String: JSONValue], _ path: String, startKey: String = "start",
    endKey: String = "end", required: Bool
  )
    throws(DecodeError) -> Range<Int>?
  {
    let startValue = object[startKey]
    let endValue = object[endKey]
    if startValue == nil && endValue == nil && !required { return nil }
    guard let startValue else { throw DecodeError("\(path): missing key '\(startKey)'") }
    guard let endValue else { throw DecodeError("\(path): missing key '\(endKey)'") }
    guard let start = startValue.intValue else {
      throw DecodeError("\(path): '\(startKey)' must be a whole number")
    }
    guard let end = endValue.intValue else {
      throw DecodeError("\(path): '\(endKey)' must be a whole number")
    }
    guard start >= 0 else { throw DecodeError("\(path): start \(start) is negative") }
    guard start < end else {
      throw DecodeError("\(path): start \(start) must be less than end \(end)")
    }
    return start..<end
  }

  func requiredString(_ object: [String: JSONValue], _ key: String, _ path: String)
    throws(DecodeError) -> String
  {
    switch object[key] {
    case .string(let s)?: return s
    case nil: throw DecodeError("\(path): missing key '\(key)'")
    case let other?: throw DecodeError("\(path): '\(key)' must be a string, not \(other.typeName)")
    }
  }

  func objects(_ value: JSONValue?, _ key: String) throws(DecodeError) -> [[String: JSONValue]]? {
    guard let value, value != .null else { return nil }
    guard case .array(let items) = value else { throw DecodeError("'\(key)' must be a list") }
    var result: [[String: JSONValue]] = []
    for (i, item) in items.enumerated() {
      guard case .object(let o) = item else {
        throw DecodeError("\(key)[\(i)]: expected an object, found \(item.typeName)")
      }
      result.append(o)
    }
    return result
  }
}
