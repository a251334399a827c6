import AnnoCore
import GRDB

/// A pattern as stored: its JSON line and where it came from.
public struct StoredPattern: Hashable, Sendable {
  /// The pattern's JSON line, as in the file.
  public var json: String
  /// The file it was loaded from.
  public var file: String
  /// Its 1-based line.
  public var line: Int
}

extension Store {
  static func rejectionOp(
    _ kind: String, documentID: DocumentID, annotatorID: Int64, range: Range<Int>, label: String
  ) -> JSONValue {
    .object([
      "op": .string(kind), "document": .int(documentID.rawValue), "annotator": .int(annotatorID),
      "start": .int(Int64(range.lowerBound)), "end": .int(Int64(range.upperBound)),
      "label": .string(label),
    ])
  }

  /// Replaces the stored patterns with those of one file, in one transaction.
  ///
  /// - Parameters:
  ///   - patterns: each pattern's label, optional id, JSON line and line number.
  ///   - file: the file name, for provenance.
  /// - Returns: how many were stored.
  @discardableResult
  public func replacePatterns(
    _ patterns: [(label: String, id: String?, json: String, line: Int)], file: String
  ) throws -> Int {
    try write { db in
      try db.execute(sql: "DELETE FROM entityPattern")
      let statement = try db.makeStatement(
        sql:
          "INSERT INTO entityPattern (label, pattern, patternId, file, line) VALUES (?, ?, ?, ?, ?)"
      )
      for pattern in patterns {
        try statement.execute(arguments: [
          pattern.label, pattern.json, pattern.id, file, pattern.line,
        ])
      }
      try db.execute(
        sql: "INSERT INTO event (action, summary, payload, createdAt) VALUES ('import', ?, ?, ?)",
        arguments: [
          "patterns \(file)",
          JSONWriter.string(
            for: .object(["patterns": .int(Int64(patterns.count)), "file": .string(file)])),
          Store.now(),
        ])
      return patterns.count
    }
  }

  /// The stored patterns, in load order.
  public func patterns() throws -> [StoredPattern] {
    try read { db in
      try Row.fetchAll(db, sql: "SELECT pattern, file, line FROM entityPattern ORDER BY id").map {
        StoredPattern(json: $0[0], file: $0[1], line: $0[2])
      }
    }
  }

  /// How many of the most recent annotation rows the learned gazetteer reads: the labels of
  /// about 4,000 news articles (some 50 rows each, from all their annotators).
  public static let learningWindow = 200_000

  /// The learned gazetteer: every labelled span text with how often it was labelled so.
  ///
  /// Counts span occurrences (a document range with a label), not annotators. When some
  /// spans were agreed by at least two annotators or decided in the gold version, only those
  /// count; otherwise every span does.
  ///
  /// Only the most recent `window` annotation rows are read, so learning costs the same on a
  /// database of ten million labels as on one of two hundred thousand, and suggestions follow
  /// the team's recent decisions.
  ///
  /// - Parameters:
  ///   - excluded: an annotator whose labels must not count (for evaluation).
  ///   - window: how many of the most recent annotation rows (of every kind) to read.
  public func learnedEntries(excluding excluded: String? = nil, window: Int = Store.learningWindow)
    throws
    -> [LearnedLabel]
  {
    try read { db in
      let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM annotation") ?? 0
      // NB: NOT INDEXED keeps SQLite on the rowid range; otherwise it walks a whole index
      // for the GROUP BY order (11 s at 52 million rows instead of 0.15 s).
      let after = newest - Int64(window)
      let goldID =
        try Int64.fetchOne(
          db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [Store.goldAnnotator])
        ?? -1
      let excludedID =
        try excluded.flatMap {
          try Int64.fetchOne(db, sql: "SELECT id FROM annotator WHERE name = ?", arguments: [$0])
        } ?? -2
      let agreed = try Row.fetchAll(
        db,
        sql: """
          SELECT spanText, value, count(*) FROM (
            SELECT spanText, value FROM annotation NOT INDEXED
            WHERE id > ? AND kind = 'entity' AND spanText IS NOT NULL AND annotatorId <> ?
            GROUP BY documentId, start, "end", value
            HAVING count(DISTINCT annotatorId) >= 2 OR sum(annotatorId = ?) > 0)
          GROUP BY spanText, value
          """, arguments: [after, excludedID, goldID])
      let rows =
        agreed.isEmpty
        ? try Row.fetchAll(
          db,
          sql: """
            SELECT spanText, value, count(*) FROM annotation NOT INDEXED
            WHERE id > ? AND kind = 'entity' AND spanText IS NOT NULL AND annotatorId <> ? GROUP BY spanText, value
            """, arguments: [after, excludedID]) : agreed
      return rows.map { LearnedLabel(text: $0[0], label: $0[1], count: $0[2]) }
    }
  }

  /// The gazetteer an annotator in a blind study learns from: their own labels, and the gold
  /// version of every document but `documentID` (the one being annotated).
  ///
  /// Counts span occurrences like `learnedEntries(excluding:window:)`, over the same window.
  public func ownLearnedEntries(
    of annotator: String, hidingGoldOf documentID: DocumentID, window: Int = Store.learningWindow
  ) throws -> [LearnedLabel] {
    try read { db in
      let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM annotation") ?? 0
      let ownID = try Store.existingAnnotatorID(db, annotator) ?? -1
      let goldID = try Store.existingAnnotatorID(db, Store.goldAnnotator) ?? -2
      return try Row.fetchAll(
        db,
        sql: """
          SELECT spanText, value, count(*) FROM (
            SELECT spanText, value FROM annotation NOT INDEXED
            WHERE id > ? AND kind = 'entity' AND spanText IS NOT NULL
              AND (annotatorId = ? OR (annotatorId = ? AND documentId <> ?))
            GROUP BY documentId, start, "end", value)
          GROUP BY spanText, value
          """, arguments: [newest - Int64(window), ownID, goldID, documentID]
      ).map { LearnedLabel(text: $0[0], label: $0[1], count: $0[2]) }
    }
  }

  /// The gazetteer of a study with `suggestions: shared`: every annotator's labels and the gold
  /// version, except what anyone but `annotator` put on `documentID`.
  public func sharedLearnedEntries(
    for annotator: String, hidingOthersOn documentID: DocumentID, window: Int = Store.learningWindow
  ) throws -> [LearnedLabel] {
    try read { db in
      let newest = try Int64.fetchOne(db, sql: "SELECT max(id) FROM annotation") ?? 0
      let ownID = try Store.existingAnnotatorID(db, annotator) ?? -1
      return try Row.fetchAll(
        db,
        sql: """
          SELECT spanText, value, count(*) FROM (
            SELECT spanText, value FROM annotation NOT INDEXED
            WHERE id > ? AND kind = 'entity' AND spanText IS NOT NULL
              AND (documentId <> ? OR annotatorId = ?)
            GROUP BY documentId, start, "end", value)
          GROUP BY spanText, value
          """, arguments: [newest - Int64(window), documentID, ownID]
      ).map { LearnedLabel(text: $0[0], label: $0[1], count: $0[2]) }
    }
  }

  static func existingAnnotatorID(_ db: Database, _ name: String) throws -> Int64? {
    try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT id FROM annotator WHERE name = ?"), arguments: [name])
  }

  /// Suggestions an annotator rejected on a document, as (range, label).
  public func rejectedSuggestions(documentID: DocumentID, annotator: String) throws -> Set<
    EntitySpan
  > {
    try read { db in
      Set(
        try Row.fetchAll(
          db.cachedStatement(
            sql: """
              SELECT r.start, r."end", r.label FROM rejectedSuggestion r JOIN annotator a ON a.id = r.annotatorId
              WHERE r.documentId = ? AND a.name = ?
              """), arguments: [documentID, annotator]
        ).map { EntitySpan(start: $0[0], end: $0[1], label: $0[2]) })
    }
  }

  /// Documents nobody has started (no status row), for pre-annotated exports.
  public func forEachUnannotatedDocument(_ body: (StoredDocument) throws -> Void) throws {
    try read { db in
      let rows = try Row.fetchCursor(
        db,
        sql:
          "SELECT * FROM document d WHERE NOT EXISTS (SELECT 1 FROM documentStatus s WHERE s.documentId = d.id) ORDER BY d.id"
      )
      while let row = try rows.next() { try body(Store.storedDocument(row)) }
    }
  }
}

/// A labelled text and how often it was labelled so: what the learned gazetteer of suggestions
/// is built from.
public struct LearnedLabel: Hashable, Sendable {
  /// The annotated text, matched with exact case.
  public var text: String
  /// The label given.
  public var label: String
  /// How often; entries below 1 are ignored.
  public var count: Int

  /// Creates an entry.
  public init(text: String, label: String, count: Int = 1) {
    self.text = text
    self.label = label
    self.count = count
  }
}
