import AnnoCore
import GRDB

/// One annotator's state on one document on one side of a merge or a hub sync: status and
/// annotation rows, as comparable lines.
///
/// Two versions of one annotator's set (the same annotator on two machines) are settled by
/// ``theirsWin(ours:oursLatest:theirs:theirsLatest:)``: the newer latest change wins; on a tie,
/// the greater canonical form, so the result never depends on the order of exchanges.
struct SetState: Equatable {
  /// `status|annotatedKinds|flagReason`, or `nil` without a status row.
  var status: String?
  /// The annotation rows, as JSON arrays `[kind, start, end, target, value]`, sorted.
  var rows: [String]
  var isEmpty: Bool { status == nil && rows.isEmpty }
  var canonical: String { (status ?? "") + "\n" + rows.joined(separator: "\n") }

  /// The status line of one status row.
  static func statusLine(status: String, kinds: Int, flagReason: String?) -> String {
    "\(status)|\(kinds)|\(flagReason ?? "")"
  }

  /// The comparable line of one annotation row.
  static func rowLine(
    kind: String, start: Int64?, end: Int64?, target: String?, value: String
  ) -> String {
    JSONWriter.string(
      for: .array([
        .string(kind), start.map(JSONValue.int) ?? .null, end.map(JSONValue.int) ?? .null,
        target.map(JSONValue.string) ?? .null, .string(value),
      ]))
  }

  /// Whether their version replaces ours.
  static func theirsWin(
    ours: SetState, oursLatest: Double, theirs: SetState, theirsLatest: Double
  ) -> Bool {
    theirsLatest > oursLatest || (theirsLatest == oursLatest && theirs.canonical > ours.canonical)
  }

  /// The status and annotation rows of one annotator on one document, in `schema` (`main`,
  /// or an attached database).
  static func read(_ db: Database, _ schema: String, document: Int64, annotator: Int64) throws
    -> SetState
  {
    let status = try Row.fetchOne(
      db.cachedStatement(
        sql:
          "SELECT status, annotatedKinds, flagReason FROM \(schema).documentStatus WHERE documentId = ? AND annotatorId = ?"
      ),
      arguments: [document, annotator]
    ).map { row in statusLine(status: row[0], kinds: row[1], flagReason: row[2]) }
    let rows = try Row.fetchAll(
      db.cachedStatement(
        sql: """
          SELECT kind, start, "end", target, value FROM \(schema).annotation WHERE documentId = ? AND annotatorId = ?
          """), arguments: [document, annotator]
    ).map { row in rowLine(kind: row[0], start: row[1], end: row[2], target: row[3], value: row[4])
    }
    .sorted()
    return SetState(status: status, rows: rows)
  }

  /// The time of the latest change to one annotator's set on one document, in `schema`: their
  /// newest event on it, status change or annotation change.
  static func latestChange(_ db: Database, _ schema: String, document: Int64, annotator: Int64)
    throws -> Double
  {
    try Double.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT max(t) FROM (
            SELECT max(createdAt) AS t FROM \(schema).event WHERE annotatorId = ?2 AND documentId = ?1
            UNION ALL SELECT updatedAt FROM \(schema).documentStatus WHERE documentId = ?1 AND annotatorId = ?2
            UNION ALL SELECT max(updatedAt) FROM \(schema).annotation WHERE documentId = ?1 AND annotatorId = ?2)
          """), arguments: [document, annotator]) ?? 0
  }
}
