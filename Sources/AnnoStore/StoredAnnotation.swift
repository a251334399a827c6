import AnnoCore
import GRDB

/// One stored annotation with its row id, as the shell lists and edits them.
public struct StoredAnnotation: Hashable, Sendable {
  /// The row id.
  public var id: Int64
  /// The kind.
  public var kind: AnnotationKind
  /// The range, for spans, span sentiments, anchored stances and notes.
  public var range: Range<Int>?
  /// The stance target or the field name.
  public var target: String?
  /// The label, value, or note text.
  public var value: String
  /// `manual`, `imported` or `suggested`.
  public var origin: String
  /// Where a suggested annotation came from (a pattern id, `learned`), if known.
  public var originDetail: String?
  /// The short id of a span or note within its document and annotator (`#7`, `n2`): given
  /// when it is created, never changed and never given again; `nil` for other kinds.
  public var localID: LocalID?

  /// Creates a stored annotation.
  public init(
    id: Int64, kind: AnnotationKind, range: Range<Int>?, target: String?, value: String,
    origin: String = "manual",
    originDetail: String? = nil, localID: LocalID? = nil
  ) {
    self.id = id
    self.kind = kind
    self.range = range
    self.target = target
    self.value = value
    self.origin = origin
    self.originDetail = originDetail
    self.localID = localID
  }

  init?(row: Row) {
    guard let kind = AnnotationKind(rawValue: row["kind"]) else { return nil }
    let start: Int? = row["start"]
    let end: Int? = row["end"]
    self.init(
      id: row["id"], kind: kind, range: start.flatMap { s in end.map { s..<$0 } },
      target: row["target"],
      value: row["value"], origin: row["origin"], originDetail: row["originDetail"],
      localID: row["localId"])
  }

  /// The payload of this row in the event log.
  func json(documentID: DocumentID, annotatorID: Int64) -> JSONValue {
    var object: [String: JSONValue] = [
      "id": .int(id), "document": .int(documentID.rawValue), "annotator": .int(annotatorID),
      "kind": .string(kind.rawValue),
      "value": .string(value), "origin": .string(origin),
    ]
    if let range {
      object["start"] = .int(Int64(range.lowerBound))
      object["end"] = .int(Int64(range.upperBound))
    }
    if let target { object["target"] = .string(target) }
    if let originDetail { object["origin_detail"] = .string(originDetail) }
    if let localID { object["local_id"] = .int(Int64(localID.rawValue)) }
    return .object(object)
  }

  /// Reads a row back from an event payload.
  static func from(json: JSONValue) -> (StoredAnnotation, documentID: DocumentID)? {
    guard let (row, document, _) = fromLogged(json) else { return nil }
    return (row, document)
  }

  /// Reads a row and its owner (when logged) back from an event payload.
  static func fromLogged(_ json: JSONValue) -> (
    StoredAnnotation, documentID: DocumentID, annotatorID: Int64?
  )? {
    guard let id = json["id"]?.intValue, let document = json["document"]?.intValue,
      let kind = json["kind"]?.stringValue.flatMap(AnnotationKind.init(rawValue:)),
      let value = json["value"]?.stringValue
    else { return nil }
    let range: Range<Int>? = json["start"]?.intValue.flatMap { s in
      json["end"]?.intValue.map { s..<$0 }
    }
    return (
      StoredAnnotation(
        id: Int64(id), kind: kind, range: range, target: json["target"]?.stringValue, value: value,
        origin: json["origin"]?.stringValue ?? "manual",
        originDetail: json["origin_detail"]?.stringValue,
        localID: json["local_id"]?.intValue.map { LocalID($0) }),
      DocumentID(Int64(document)), json["annotator"]?.intValue.map(Int64.init)
    )
  }
}

/// One change the shell asks for; a command's changes are applied together.
public enum Edit: Hashable, Sendable {
  /// Adds an annotation.
  case add(
    kind: AnnotationKind, range: Range<Int>?, target: String?, value: String, origin: String,
    originDetail: String?)
  /// Removes the annotation with this row id.
  case remove(id: Int64)
  /// Changes an annotation's range and value, keeping its id.
  case update(id: Int64, range: Range<Int>?, value: String)
  /// Sets the annotator's status on the document (marking every kind annotated when done).
  case setStatus(DocumentStatus, flagReason: String?)
  /// Records an adjudication decision on an item (`value` nil: decided "none").
  case decide(item: String, value: String?, decidedBy: String)
  /// Removes the decision on an item, leaving it open.
  case reopen(item: String)
  /// Records that a suggested span was rejected, so it is not suggested again.
  case rejectSuggestion(range: Range<Int>, label: String)

  /// An annotation added by hand.
  public static func add(
    _ kind: AnnotationKind, range: Range<Int>? = nil, target: String? = nil, value: String
  ) -> Edit {
    .add(
      kind: kind, range: range, target: target, value: value, origin: "manual", originDetail: nil)
  }
}

/// An entry of the event log, for `history`.
public struct HistoryEntry: Hashable, Sendable {
  /// The event id.
  public var id: Int64
  /// `change`, `undo`, `redo`, `import` or `schema`.
  public var action: String
  /// What happened, in words.
  public var summary: String
  /// The document's external id, when the event concerns one.
  public var documentExternalID: ExternalID?
  /// When (seconds since 1970).
  public var time: Double
}
