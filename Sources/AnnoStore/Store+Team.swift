import AnnoCore
import GRDB

/// A member of the team and their role.
public struct TeamMember: Hashable, Sendable {
  /// The annotator name they work under.
  public var name: String
  /// What they do.
  public var role: TeamRole
  /// Documents they marked done (the gold version excluded).
  public var documentsDone: Int

  /// Creates a member.
  public init(name: String, role: TeamRole, documentsDone: Int = 0) {
    self.name = name
    self.role = role
    self.documentsDone = documentsDone
  }
}

extension Store {
  /// Adds a member, or changes the role of one already there.
  ///
  /// - Returns: the role they had before, if any.
  @discardableResult
  public func addTeamMember(_ name: String, role: TeamRole) throws -> TeamRole? {
    try write { db in
      let before = try String.fetchOne(
        db, sql: "SELECT role FROM teamMember WHERE name = ?", arguments: [name]
      ).flatMap(TeamRole.init(rawValue:))
      try db.execute(
        sql: """
          INSERT INTO teamMember (name, role, addedAt) VALUES (?, ?, ?)
          ON CONFLICT (name) DO UPDATE SET role = excluded.role
          """, arguments: [name, role.rawValue, Store.now()])
      return before
    }
  }

  /// Removes a member (their labels stay); `false` when there was no such member.
  public func removeTeamMember(_ name: String) throws -> Bool {
    try write { db in
      try db.execute(sql: "DELETE FROM teamMember WHERE name = ?", arguments: [name])
      return db.changesCount > 0
    }
  }

  /// The team, by role then name, with what each has finished.
  public func teamMembers() throws -> [TeamMember] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT t.name, t.role, (SELECT count(*) FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
            WHERE a.name = t.name AND s.status = 'done') FROM teamMember t
          """
      ).compactMap { row in
        TeamRole(rawValue: row[1]).map {
          TeamMember(name: row[0], role: $0, documentsDone: row[2])
        }
      }.sorted { ($0.role, $0.name) < ($1.role, $1.name) }
    }
  }

  /// A name's role, or `nil` when they are not in the team.
  public func teamRole(of name: String) throws -> TeamRole? {
    try read { db in try Store.teamRole(db, of: name) }
  }

  static func teamRole(_ db: Database, of name: String) throws -> TeamRole? {
    try String.fetchOne(
      db.cachedStatement(sql: "SELECT role FROM teamMember WHERE name = ?"), arguments: [name]
    ).flatMap(TeamRole.init(rawValue:))
  }

  /// Whether a team has been set up at all (without one, nobody has a role).
  public func hasTeam() throws -> Bool {
    try read { db in try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM teamMember)") ?? false
    }
  }

  /// The names the team counts as reviewers or managers: never counted as annotators.
  public func nonAnnotatorMembers() throws -> Set<String> {
    try read { db in
      Set(try String.fetchAll(db, sql: "SELECT name FROM teamMember WHERE role <> 'annotator'"))
    }
  }

  /// The fields some set answers with no value (`no_value` rows), by any annotator.
  public func fieldsAnsweredWithNoValue() throws -> Set<String> {
    try read { db in
      // NB: the first condition is annotationOneLabel's, so SQLite reads that index only.
      Set(
        try String.fetchAll(
          db,
          sql: """
            SELECT DISTINCT target FROM annotation
            WHERE (kind = 'label' OR kind = 'no_value') AND kind = 'no_value'
            """))
    }
  }

  /// The names counted as annotators: everyone with labels of their own except the gold
  /// version and the team's reviewers and managers, sorted.
  public func countedAnnotators() throws -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT name FROM annotator a
          WHERE name <> ? AND NOT EXISTS (SELECT 1 FROM teamMember t WHERE t.name = a.name AND t.role <> 'annotator')
            AND EXISTS (SELECT 1 FROM documentStatus s WHERE s.annotatorId = a.id) ORDER BY name
          """, arguments: [Store.goldAnnotator])
    }
  }

  /// Whether `name` marked the document done.
  public func hasFinished(documentID: DocumentID, annotator name: String) throws -> Bool {
    try read { db in
      try Bool.fetchOne(
        db,
        sql: """
          SELECT EXISTS (SELECT 1 FROM documentStatus s JOIN annotator a ON a.id = s.annotatorId
            WHERE s.documentId = ? AND a.name = ? AND s.status = 'done')
          """, arguments: [documentID, name]) ?? false
    }
  }

  /// Annotators other than `name` (and the gold version) the study assigns the document to
  /// (as work or as a gold question), or who have labels or a status on it: whether it is
  /// coded by more than one annotator.
  public func otherAnnotators(on documentID: DocumentID, than name: String) throws -> [String] {
    try read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT a.name FROM annotator a WHERE a.name <> ? AND a.name <> ? AND (
            EXISTS (SELECT 1 FROM assignment g WHERE g.documentId = ? AND g.annotatorId = a.id)
            OR EXISTS (SELECT 1 FROM documentStatus s WHERE s.documentId = ? AND s.annotatorId = a.id)
            OR EXISTS (SELECT 1 FROM annotation n WHERE n.documentId = ? AND n.annotatorId = a.id))
          ORDER BY a.name
          """, arguments: [name, Store.goldAnnotator, documentID, documentID, documentID])
    }
  }
}
