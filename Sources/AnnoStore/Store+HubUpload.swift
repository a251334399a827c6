import AnnoCore
import Foundation
import GRDB

/// A local document as `anno hub init` uploads it: the stored columns, unchanged.
public struct UploadedDocument: Hashable, Sendable {
  /// The local id (the upload's cursor).
  public var localID: Int64
  /// The external id.
  public var externalID: String
  /// The text.
  public var text: String
  /// The title.
  public var title: String?
  /// The source.
  public var source: String?
  /// The metadata, JSON text.
  public var meta: String?
  /// The content hash.
  public var contentHash: String
  /// The explicit tokens, packed (`PackedTokens`), if any.
  public var tokens: [UInt8]?
}

/// A queue entry as `anno hub init` uploads it.
public struct UploadedAssignment: Hashable, Sendable {
  /// The document's external id.
  public var externalID: String
  /// The annotator it is assigned to.
  public var annotator: String
  /// Its place in the annotator's queue.
  public var position: Int
  /// `single`, `overlap` or `gold`.
  public var kind: String
}

extension Store {
  /// Up to `limit` documents with a local id above `after`, in id order.
  public func documentsToUpload(after: Int64, limit: Int) throws -> [UploadedDocument] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, externalId, text, title, source, meta, contentHash, tokens FROM document
          WHERE id > ? ORDER BY id LIMIT ?
          """, arguments: [after, limit]
      ).map { row in
        let tokens: [UInt8]? =
          (row["tokens"] as DatabaseValue).isNull
          ? nil : [UInt8](row["tokens"] as Data)
        return UploadedDocument(
          localID: row["id"], externalID: row["externalId"], text: row["text"],
          title: row["title"], source: row["source"], meta: row["meta"],
          contentHash: row["contentHash"], tokens: tokens)
      }
    }
  }

  /// Every queue entry, by annotator and position.
  public func assignmentsToUpload() throws -> [UploadedAssignment] {
    try read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.externalId, n.name, a.position, a.kind FROM assignment a
          JOIN document d ON d.id = a.documentId JOIN annotator n ON n.id = a.annotatorId
          ORDER BY n.name, a.position
          """
      ).map {
        UploadedAssignment(externalID: $0[0], annotator: $0[1], position: $0[2], kind: $0[3])
      }
    }
  }
}
