import AnnoCore
import GRDB

/// The kinds of annotation rows, as stored in `annotation.kind`.
public enum AnnotationKind: String, Sendable, Hashable, CaseIterable {
  case entity
  case spanSentiment = "span_sentiment"
  case sentiment
  case stance
  case label
  /// One value of a set-valued field (`multiple: true`); the target is the field.
  case choice
  /// A single-valued field annotated with no value (the annotator chose none); the target is
  /// the field, the value empty. annotationOneLabel keeps it apart from a `label` of the field.
  case noValue = "no_value"
  case note
}

extension AnnotationKind {
  /// The kind whose raw value is spelled by these UTF-8 bytes, if any.
  init?(utf8 bytes: UnsafeBufferPointer<UInt8>) {
    // NB: the raw values differ in length or first byte; the full comparison confirms.
    let candidate: AnnotationKind
    switch (bytes.count, bytes.first) {
    case (6, UInt8(ascii: "e")): candidate = .entity
    case (14, _): candidate = .spanSentiment
    case (9, _): candidate = .sentiment
    case (6, UInt8(ascii: "s")): candidate = .stance
    case (6, UInt8(ascii: "c")): candidate = .choice
    case (8, _): candidate = .noValue
    case (5, _): candidate = .label
    case (4, _): candidate = .note
    default: return nil
    }
    let spelling = candidate.storedName
    let expected = UnsafeBufferPointer(start: spelling.utf8Start, count: spelling.utf8CodeUnitCount)
    for i in 0..<bytes.count where bytes[i] != expected[i] { return nil }
    self = candidate
  }
}

/// Bits of `documentStatus.annotatedKinds`: which list kinds an annotator has annotated, so
/// that "annotated, none" (an empty list) survives a round trip.
struct AnnotatedKinds: OptionSet {
  let rawValue: Int
  static let entities = AnnotatedKinds(rawValue: 1)
  static let spanSentiments = AnnotatedKinds(rawValue: 2)
  static let stances = AnnotatedKinds(rawValue: 4)
  static let notes = AnnotatedKinds(rawValue: 8)
  static let labels = AnnotatedKinds(rawValue: 16)
  static let labelSets = AnnotatedKinds(rawValue: 32)
  /// The entity layer is partial (`AnnotationSet.partialEntities`); only with `entities`.
  static let partialEntities = AnnotatedKinds(rawValue: 64)
  static let all: AnnotatedKinds = [
    .entities, .spanSentiments, .stances, .notes, .labels, .labelSets,
  ]

  init(rawValue: Int) { self.rawValue = rawValue }

  /// The kinds a set states, present even when empty.
  init(of set: AnnotationSet) {
    var kinds: AnnotatedKinds = []
    if set.entities != nil { kinds.insert(.entities) }
    if set.entities != nil && set.partialEntities { kinds.insert(.partialEntities) }
    if set.spanSentiments != nil { kinds.insert(.spanSentiments) }
    if set.stances != nil { kinds.insert(.stances) }
    if set.notes != nil { kinds.insert(.notes) }
    if set.labels != nil || !set.noValueFields.isEmpty { kinds.insert(.labels) }
    if set.labelSets != nil { kinds.insert(.labelSets) }
    self = kinds
  }
}

/// One stored annotation row, flattened from the Core annotation kinds.
struct AnnotationRow: Hashable {
  var kind: AnnotationKind
  var start: Int?
  var end: Int?
  var target: String?
  var value: String

  init(
    kind: AnnotationKind, start: Int? = nil, end: Int? = nil, target: String? = nil, value: String
  ) {
    self.kind = kind
    self.start = start
    self.end = end
    self.target = target
    self.value = value
  }

  /// The columns a row is read from, in annotationUnique's order: the index's own
  /// expressions, where a NULL start, end or target is -1, -1 or ''.
  ///
  /// NB: SQLite 3.40 reads these from the index and never seeks the table row; asked for the
  /// bare `start`, `"end"` and `target`, it looked up every row in the table as well (a large
  /// part of an export's reading thread). The table's checks make the mapping lossless: a
  /// start is never negative, an end is above its start, and only stances and labels have a
  /// target.
  static let indexedColumns =
    #"kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value"#

  /// A row read as `indexedColumns` (the first five columns) through SQLite's C API.
  ///
  /// Targets and values repeat from row to row (labels, sentiments, stance targets): those
  /// seen lately are taken from `recent` instead of being decoded again.
  init?(row: RawRow, recent: inout RecentTexts) {
    guard let kind = row.withUTF8(0, AnnotationKind.init(utf8:)) else { return nil }
    let start = row.int64(1)
    let end = row.int64(2)
    self.init(
      kind: kind, start: start < 0 ? nil : Int(start), end: end < 0 ? nil : Int(end),
      target: kind.hasTarget ? row.text(3, recent: &recent) : nil,
      value: row.text(4, recent: &recent) ?? "")
  }

  /// The rows of an annotation set.
  static func rows(of set: AnnotationSet) -> [AnnotationRow] {
    var rows: [AnnotationRow] = []
    for span in set.entities ?? [] {
      rows.append(AnnotationRow(kind: .entity, start: span.start, end: span.end, value: span.label))
    }
    for span in set.spanSentiments ?? [] {
      rows.append(
        AnnotationRow(kind: .spanSentiment, start: span.start, end: span.end, value: span.value))
    }
    if let sentiment = set.sentiment {
      rows.append(AnnotationRow(kind: .sentiment, value: sentiment))
    }
    for stance in set.stances ?? [] {
      rows.append(
        AnnotationRow(
          kind: .stance, start: stance.range?.lowerBound, end: stance.range?.upperBound,
          target: stance.target,
          value: stance.value))
    }
    for (field, value) in (set.labels ?? [:]).sorted(by: { $0.key < $1.key }) {
      rows.append(AnnotationRow(kind: .label, target: field, value: value))
    }
    for field in set.noValueFields.sorted() where set.labels?[field] == nil {
      rows.append(AnnotationRow(kind: .noValue, target: field, value: ""))
    }
    for (field, values) in (set.labelSets ?? [:]).sorted(by: { $0.key < $1.key }) {
      for value in Set(values).sorted() {
        rows.append(AnnotationRow(kind: .choice, target: field, value: value))
      }
    }
    for note in set.notes ?? [] {
      rows.append(
        AnnotationRow(
          kind: .note, start: note.range?.lowerBound, end: note.range?.upperBound, value: note.text)
      )
    }
    return rows
  }

  /// Adds this row's annotation to a set being rebuilt from storage.
  func add(to set: inout AnnotationSet) {
    let range: Range<Int>? = start.flatMap { s in end.map { s..<$0 } }
    switch kind {
    case .entity:
      if let range {
        set.entities = set.entities ?? []
        set.entities?.append(
          EntitySpan(start: range.lowerBound, end: range.upperBound, label: value))
      }
    case .spanSentiment:
      if let range {
        set.spanSentiments = set.spanSentiments ?? []
        set.spanSentiments?.append(
          SpanSentiment(start: range.lowerBound, end: range.upperBound, value: value))
      }
    case .sentiment:
      set.sentiment = value
    case .stance:
      set.stances = set.stances ?? []
      set.stances?.append(Stance(target: target ?? "", value: value, range: range))
    case .label:
      var labels = set.labels ?? [:]
      labels[target ?? ""] = value
      set.labels = labels
    case .noValue:
      if set.labels == nil { set.labels = [:] }
      set.noValueFields.insert(target ?? "")
    case .choice:
      var sets = set.labelSets ?? [:]
      sets[target ?? "", default: []].append(value)
      set.labelSets = sets
    case .note:
      set.notes = set.notes ?? []
      set.notes?.append(Note(text: value, range: range))
    }
  }
}

extension Store {
  /// The annotation set of one annotator on one document, or `nil` when the annotator has
  /// no status row there (never touched it).
  static func annotationSet(
    _ db: Database, documentID: DocumentID, annotatorID: Int64, annotatorName: String
  ) throws -> AnnotationSet? {
    guard
      let status = try Row.fetchOne(
        db.cachedStatement(
          sql:
            "SELECT status, annotatedKinds, flagReason FROM documentStatus WHERE documentId = ? AND annotatorId = ?"
        ),
        arguments: [documentID, annotatorID])
    else { return nil }
    // NB: annotationUnique's order, so SQLite walks the index instead of sorting the rows.
    let statement = RawStatement(try db.cachedStatement(sql: setRowsSQL))
    try statement.bind(1, documentID.rawValue)
    try statement.bind(2, annotatorID)
    var rows: [AnnotationRow] = []
    var recent = RecentTexts()
    try statement.forEachRow(db) { row in
      if let annotation = AnnotationRow(row: row, recent: &recent) { rows.append(annotation) }
    }
    return makeSet(
      annotator: annotatorName, status: status["status"], kinds: status["annotatedKinds"],
      flagReason: status["flagReason"],
      rows: rows)
  }

  /// One annotator's annotation rows on one document (`documentId`, `annotatorId`).
  static let setRowsSQL = """
    SELECT \(AnnotationRow.indexedColumns) FROM annotation WHERE documentId = ? AND annotatorId = ?
    ORDER BY \(AnnotationRow.indexedColumns)
    """

  /// Every annotator's annotation rows on one document (`documentId`), each followed by its
  /// annotator id, in annotator id order.
  static let documentRowsSQL = """
    SELECT \(AnnotationRow.indexedColumns), annotatorId FROM annotation WHERE documentId = ?
    ORDER BY annotatorId, \(AnnotationRow.indexedColumns)
    """

  /// An annotation set from its status row's values and its annotation rows.
  static func makeSet(
    annotator: String, status: String, kinds: Int, flagReason: String?,
    rows: some Sequence<AnnotationRow>
  ) -> AnnotationSet {
    let kinds = AnnotatedKinds(rawValue: kinds)
    var set = AnnotationSet(
      annotator: annotator, status: DocumentStatus(rawValue: status) ?? .todo,
      entities: kinds.contains(.entities) ? [] : nil,
      spanSentiments: kinds.contains(.spanSentiments) ? [] : nil,
      stances: kinds.contains(.stances) ? [] : nil,
      labels: kinds.contains(.labels) ? [:] : nil,
      labelSets: kinds.contains(.labelSets) ? [:] : nil,
      notes: kinds.contains(.notes) ? [] : nil,
      flagReason: flagReason, partialEntities: kinds.contains(.partialEntities))
    var entityCount = 0
    var spanSentimentCount = 0
    for row in rows {
      if row.kind == .entity {
        entityCount += 1
      } else if row.kind == .spanSentiment {
        spanSentimentCount += 1
      }
    }
    set.entities?.reserveCapacity(entityCount)
    set.spanSentiments?.reserveCapacity(spanSentimentCount)
    for row in rows { row.add(to: &set) }
    return set.normalized()
  }

  /// Sets the span text of a document's entity rows that lack it.
  static func fillSpanTexts(_ db: Database, documentID: DocumentID) throws {
    try db.cachedStatement(
      sql: """
        UPDATE annotation SET spanText = substr((SELECT text FROM document d WHERE d.id = annotation.documentId), start + 1, "end" - start)
        WHERE documentId = ? AND kind = 'entity' AND spanText IS NULL
        """
    ).execute(arguments: [documentID])
  }

  /// The id of the annotator with this name, created when new.
  static func annotatorID(_ db: Database, name: String, now: Double) throws -> Int64 {
    if let id = try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT id FROM annotator WHERE name = ?"), arguments: [name])
    {
      return id
    }
    try db.cachedStatement(sql: "INSERT INTO annotator (name, createdAt) VALUES (?, ?)").execute(
      arguments: [name, now])
    return db.lastInsertedRowID
  }
}

extension AnnotationKind {
  /// Whether rows of this kind have a target (stances, labels, no-value answers and choices;
  /// the table checks it).
  var hasTarget: Bool {
    self == .stance || self == .label || self == .choice || self == .noValue
  }

  /// The kind's name as stored (its raw value), as constant text SQLite can bind in place.
  var storedName: StaticString {
    switch self {
    case .entity: "entity"
    case .spanSentiment: "span_sentiment"
    case .sentiment: "sentiment"
    case .stance: "stance"
    case .label: "label"
    case .choice: "choice"
    case .noValue: "no_value"
    case .note: "note"
    }
  }
}

/// Inserts annotation rows with statements prepared once per row count and kept for the
/// length of a write: an import runs one or two of them per annotation set, tens of thousands
/// of times, and looking a statement up by its SQL (about 2 KB for 64 rows) cost more than
/// running it.
final class AnnotationRowWriter {
  private let db: Database
  private let origin: StaticString
  private let now: Double
  private var statements: [Statement?] = Array(
    repeating: nil, count: AnnotationRowWriter.rowsPerStatement + 1)
  private var statusStatement: Statement?

  /// Up to this many rows go in one statement (a set of labels is usually one): fewer
  /// statement runs, and one update of the id sequence per statement instead of per row.
  static let rowsPerStatement = 64

  /// Creates a writer of rows with this origin and time, on `db`.
  init(_ db: Database, origin: StaticString, now: Double) {
    self.db = db
    self.origin = origin
    self.now = now
  }

  private func statement(rows count: Int) throws -> RawStatement {
    if let statement = statements[count] { return RawStatement(statement) }
    let columns =
      "(documentId, annotatorId, kind, start, \"end\", target, value, origin, createdAt, updatedAt, spanText, localId)"
    let placeholders = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    let statement = try db.makeStatement(
      sql: "INSERT INTO annotation \(columns) VALUES "
        + Array(repeating: placeholders, count: count).joined(separator: ", "))
    statements[count] = statement
    return RawStatement(statement)
  }

  /// Inserts annotation rows for an annotator on a document. Entity rows keep their span's
  /// text (from `text` when given, else sliced by SQLite, whose `substr` counts code points),
  /// which the learned gazetteer of suggestions reads.
  ///
  /// - Parameter localIDs: each row's short id (spans and notes), in the rows' order.
  func insert(
    _ rows: [AnnotationRow], localIDs: [Int?], documentID: DocumentID, annotatorID: Int64,
    text: ScalarText?
  ) throws {
    var missingTexts = false
    var index = 0
    while index < rows.count {
      let count = min(Self.rowsPerStatement, rows.count - index)
      let statement = try statement(rows: count)
      for (k, row) in rows[index..<(index + count)].enumerated() {
        var spanText: String?
        if row.kind == .entity, let start = row.start, let end = row.end {
          spanText = text?.slice(start..<end)
          missingTexts = missingTexts || spanText == nil
        }
        let base = Int32(k * 12)
        try statement.bind(base + 1, documentID.rawValue)
        try statement.bind(base + 2, annotatorID)
        try statement.bind(base + 3, row.kind.storedName)
        try statement.bind(base + 4, row.start)
        try statement.bind(base + 5, row.end)
        try statement.bind(base + 6, row.target)
        try statement.bind(base + 7, row.value)
        try statement.bind(base + 8, origin)
        try statement.bind(base + 9, now)
        try statement.bind(base + 10, now)
        try statement.bind(base + 11, spanText)
        try statement.bind(base + 12, localIDs[index + k])
      }
      try statement.execute(db)
      index += count
    }
    if missingTexts { try Store.fillSpanTexts(db, documentID: documentID) }
  }

  /// Writes an annotator's status row on a document, replacing the one there.
  func writeStatus(
    documentID: DocumentID, annotatorID: Int64, status: DocumentStatus, kinds: AnnotatedKinds,
    flagReason: String?, importID: Int64
  ) throws {
    let statement: Statement
    if let prepared = statusStatement {
      statement = prepared
    } else {
      statement = try db.makeStatement(
        sql: """
          INSERT INTO documentStatus (documentId, annotatorId, status, annotatedKinds, flagReason, importId, updatedAt)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (documentId, annotatorId) DO UPDATE SET
            status = excluded.status, annotatedKinds = excluded.annotatedKinds, flagReason = excluded.flagReason,
            importId = excluded.importId, updatedAt = excluded.updatedAt
          """)
      statusStatement = statement
    }
    let raw = RawStatement(statement)
    try raw.bind(1, documentID.rawValue)
    try raw.bind(2, annotatorID)
    try raw.bind(3, status.rawValue)
    try raw.bind(4, Int64(kinds.rawValue))
    try raw.bind(5, flagReason)
    try raw.bind(6, importID)
    try raw.bind(7, now)
    try raw.execute(db)
  }
}
