import AnnoCore
import GRDB

extension Store {
  /// The database's migrations. Append only: never edit one after it has shipped.
  static let migrator: DatabaseMigrator = {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1 documents, annotations, statuses, events, schema") { db in
      try db.execute(
        sql: """
          CREATE TABLE document (
            id INTEGER PRIMARY KEY,
            externalId TEXT NOT NULL UNIQUE CHECK (length(externalId) > 0),
            text TEXT NOT NULL,
            title TEXT,
            source TEXT,
            meta TEXT CHECK (meta IS NULL OR json_valid(meta)),
            contentHash TEXT NOT NULL,
            length INTEGER NOT NULL CHECK (length >= 0),
            tokens TEXT CHECK (tokens IS NULL OR json_valid(tokens)),
            importId INTEGER,
            importedAt REAL NOT NULL
          );
          CREATE VIRTUAL TABLE documentSearch USING fts5(
            title, text, content = 'document', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2');
          CREATE TRIGGER documentSearchInsert AFTER INSERT ON document BEGIN
            INSERT INTO documentSearch(rowid, title, text) VALUES (new.id, new.title, new.text);
          END;
          CREATE TRIGGER documentSearchDelete AFTER DELETE ON document BEGIN
            INSERT INTO documentSearch(documentSearch, rowid, title, text)
              VALUES ('delete', old.id, old.title, old.text);
          END;
          CREATE TRIGGER documentSearchUpdate AFTER UPDATE OF title, text ON document BEGIN
            INSERT INTO documentSearch(documentSearch, rowid, title, text)
              VALUES ('delete', old.id, old.title, old.text);
            INSERT INTO documentSearch(rowid, title, text) VALUES (new.id, new.title, new.text);
          END;

          CREATE TABLE annotator (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE CHECK (length(name) > 0),
            role TEXT NOT NULL DEFAULT 'annotator' CHECK (role IN ('annotator', 'reviewer')),
            createdAt REAL NOT NULL
          );

          CREATE TABLE annotation (
            id INTEGER PRIMARY KEY,
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            kind TEXT NOT NULL
              CHECK (kind IN ('entity', 'span_sentiment', 'sentiment', 'stance', 'label', 'note')),
            start INTEGER,
            "end" INTEGER,
            target TEXT,
            value TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'imported', 'suggested')),
            originDetail TEXT,
            createdAt REAL NOT NULL,
            updatedAt REAL NOT NULL,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND "end" > start)),
            CHECK (kind NOT IN ('entity', 'span_sentiment') OR start IS NOT NULL),
            CHECK (kind NOT IN ('sentiment', 'label') OR start IS NULL),
            CHECK ((kind IN ('stance', 'label')) = (target IS NOT NULL))
          );
          CREATE UNIQUE INDEX annotationUnique ON annotation(
            documentId, annotatorId, kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value);
          CREATE UNIQUE INDEX annotationOneSentiment ON annotation(documentId, annotatorId)
            WHERE kind = 'sentiment';
          CREATE UNIQUE INDEX annotationOneDocumentStance ON annotation(documentId, annotatorId, target)
            WHERE kind = 'stance' AND start IS NULL;
          CREATE UNIQUE INDEX annotationOneLabel ON annotation(documentId, annotatorId, target)
            WHERE kind = 'label';
          CREATE INDEX annotationByAnnotator ON annotation(annotatorId, kind, value);

          CREATE TABLE documentStatus (
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            status TEXT NOT NULL
              CHECK (status IN ('todo', 'in_progress', 'done', 'skipped', 'flagged')),
            annotatedKinds INTEGER NOT NULL DEFAULT 0,
            flagReason TEXT,
            importId INTEGER,
            updatedAt REAL NOT NULL,
            PRIMARY KEY (documentId, annotatorId)
          ) WITHOUT ROWID;
          CREATE INDEX documentStatusByAnnotator ON documentStatus(annotatorId, status, documentId);

          CREATE TABLE event (
            id INTEGER PRIMARY KEY,
            annotatorId INTEGER REFERENCES annotator(id),
            documentId INTEGER,
            action TEXT NOT NULL CHECK (action IN ('change', 'undo', 'redo', 'import', 'schema')),
            reverts INTEGER REFERENCES event(id),
            summary TEXT NOT NULL,
            payload TEXT NOT NULL CHECK (json_valid(payload)),
            createdAt REAL NOT NULL
          );
          CREATE INDEX eventByAnnotator ON event(annotatorId, id);
          CREATE INDEX eventByReverted ON event(reverts);
          CREATE TRIGGER eventNoUpdate BEFORE UPDATE ON event BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only');
          END;
          CREATE TRIGGER eventNoDelete BEFORE DELETE ON event BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only');
          END;

          CREATE TABLE labelSchema (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            yaml TEXT NOT NULL,
            sourcePath TEXT,
            loadedAt REAL NOT NULL
          );
          CREATE TABLE guideline (
            file TEXT PRIMARY KEY,
            markdown TEXT NOT NULL
          ) WITHOUT ROWID;
          """)
    }
    migrator.registerMigration("v2 adjudication: gold decisions and progress") { db in
      try db.execute(
        sql: """
          CREATE TABLE goldDecision (
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            item TEXT NOT NULL,
            value TEXT,
            decidedBy TEXT NOT NULL CHECK (decidedBy LIKE 'auto:%' OR decidedBy LIKE 'reviewer:%'),
            decidedAt REAL NOT NULL,
            PRIMARY KEY (documentId, item)
          ) WITHOUT ROWID;
          CREATE TABLE goldProgress (
            documentId INTEGER PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
            annotators INTEGER NOT NULL CHECK (annotators >= 0),
            openItems INTEGER NOT NULL CHECK (openItems >= 0),
            autoItems INTEGER NOT NULL CHECK (autoItems >= 0),
            reviewedItems INTEGER NOT NULL CHECK (reviewedItems >= 0)
          );
          CREATE INDEX goldProgressByOpen ON goldProgress(openItems DESC, documentId);
          """)
    }
    migrator.registerMigration("v3 suggestions: patterns, rejections, span texts") { db in
      try db.execute(
        sql: """
          CREATE TABLE entityPattern (
            id INTEGER PRIMARY KEY,
            label TEXT NOT NULL,
            pattern TEXT NOT NULL CHECK (json_valid(pattern)),
            patternId TEXT,
            file TEXT NOT NULL,
            line INTEGER NOT NULL CHECK (line > 0)
          );
          CREATE TABLE rejectedSuggestion (
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL CHECK ("end" > start),
            label TEXT NOT NULL,
            PRIMARY KEY (documentId, annotatorId, start, "end", label)
          ) WITHOUT ROWID;
          ALTER TABLE annotation ADD COLUMN spanText TEXT;
          UPDATE annotation SET spanText = substr((SELECT text FROM document d WHERE d.id = annotation.documentId), start + 1, "end" - start)
            WHERE kind = 'entity';
          """)
    }
    // NB: SQLite evaluates `x IN ('a', 'b', ...)` in a CHECK constraint by building a
    // temporary index on every row written (a page allocated and zeroed each time), which
    // made writing annotations three times slower; the same rules as OR chains cost nothing.
    // The tables are rebuilt with the rules restated (SQLite cannot alter a CHECK).
    migrator.registerMigration("v4 CHECK constraints without IN lists") { db in
      try db.execute(
        sql: """
          CREATE TABLE annotationNew (
            id INTEGER PRIMARY KEY,
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            kind TEXT NOT NULL CHECK (
              kind = 'entity' OR kind = 'span_sentiment' OR kind = 'sentiment' OR kind = 'stance' OR kind = 'label'
              OR kind = 'note'),
            start INTEGER,
            "end" INTEGER,
            target TEXT,
            value TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin = 'manual' OR origin = 'imported' OR origin = 'suggested'),
            originDetail TEXT,
            createdAt REAL NOT NULL,
            updatedAt REAL NOT NULL,
            spanText TEXT,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND "end" > start)),
            CHECK ((kind <> 'entity' AND kind <> 'span_sentiment') OR start IS NOT NULL),
            CHECK ((kind <> 'sentiment' AND kind <> 'label') OR start IS NULL),
            CHECK ((kind = 'stance' OR kind = 'label') = (target IS NOT NULL))
          );
          INSERT INTO annotationNew SELECT id, documentId, annotatorId, kind, start, "end", target, value, origin,
            originDetail, createdAt, updatedAt, spanText FROM annotation;
          DROP TABLE annotation;
          ALTER TABLE annotationNew RENAME TO annotation;
          CREATE UNIQUE INDEX annotationUnique ON annotation(
            documentId, annotatorId, kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value);
          CREATE UNIQUE INDEX annotationOneSentiment ON annotation(documentId, annotatorId)
            WHERE kind = 'sentiment';
          CREATE UNIQUE INDEX annotationOneDocumentStance ON annotation(documentId, annotatorId, target)
            WHERE kind = 'stance' AND start IS NULL;
          CREATE UNIQUE INDEX annotationOneLabel ON annotation(documentId, annotatorId, target)
            WHERE kind = 'label';

          CREATE TABLE documentStatusNew (
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            status TEXT NOT NULL CHECK (
              status = 'todo' OR status = 'in_progress' OR status = 'done' OR status = 'skipped' OR status = 'flagged'),
            annotatedKinds INTEGER NOT NULL DEFAULT 0,
            flagReason TEXT,
            importId INTEGER,
            updatedAt REAL NOT NULL,
            PRIMARY KEY (documentId, annotatorId)
          ) WITHOUT ROWID;
          INSERT INTO documentStatusNew SELECT documentId, annotatorId, status, annotatedKinds, flagReason, importId,
            updatedAt FROM documentStatus;
          DROP TABLE documentStatus;
          ALTER TABLE documentStatusNew RENAME TO documentStatus;
          CREATE INDEX documentStatusByAnnotator ON documentStatus(annotatorId, status, documentId);

          DROP TRIGGER eventNoUpdate;
          DROP TRIGGER eventNoDelete;
          CREATE TABLE eventNew (
            id INTEGER PRIMARY KEY,
            annotatorId INTEGER REFERENCES annotator(id),
            documentId INTEGER,
            action TEXT NOT NULL CHECK (
              action = 'change' OR action = 'undo' OR action = 'redo' OR action = 'import' OR action = 'schema'),
            reverts INTEGER REFERENCES event(id),
            summary TEXT NOT NULL,
            payload TEXT NOT NULL CHECK (json_valid(payload)),
            createdAt REAL NOT NULL
          );
          INSERT INTO eventNew SELECT id, annotatorId, documentId, action, reverts, summary, payload, createdAt FROM event;
          DROP TABLE event;
          ALTER TABLE eventNew RENAME TO event;
          CREATE INDEX eventByAnnotator ON event(annotatorId, id);
          CREATE INDEX eventByReverted ON event(reverts);
          CREATE TRIGGER eventNoUpdate BEFORE UPDATE ON event BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only');
          END;
          CREATE TRIGGER eventNoDelete BEFORE DELETE ON event BEGIN
            SELECT RAISE(ABORT, 'the event log is append-only');
          END;
          """)
    }
    // Annotation ids are never reused. Without AUTOINCREMENT SQLite gives a new row the largest
    // id + 1, so when one annotator undid their newest label and another then tagged, the new
    // row took the undone label's id, and redoing it was refused. The sequence starts above
    // every id the table or the event log has held.
    migrator.registerMigration("v5 annotation ids are never reused") { db in
      try db.execute(
        sql: """
          CREATE TABLE annotationNew (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            kind TEXT NOT NULL CHECK (
              kind = 'entity' OR kind = 'span_sentiment' OR kind = 'sentiment' OR kind = 'stance' OR kind = 'label'
              OR kind = 'note'),
            start INTEGER,
            "end" INTEGER,
            target TEXT,
            value TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin = 'manual' OR origin = 'imported' OR origin = 'suggested'),
            originDetail TEXT,
            createdAt REAL NOT NULL,
            updatedAt REAL NOT NULL,
            spanText TEXT,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND "end" > start)),
            CHECK ((kind <> 'entity' AND kind <> 'span_sentiment') OR start IS NOT NULL),
            CHECK ((kind <> 'sentiment' AND kind <> 'label') OR start IS NULL),
            CHECK ((kind = 'stance' OR kind = 'label') = (target IS NOT NULL))
          );
          INSERT INTO annotationNew SELECT id, documentId, annotatorId, kind, start, "end", target, value, origin,
            originDetail, createdAt, updatedAt, spanText FROM annotation;
          DROP TABLE annotation;
          ALTER TABLE annotationNew RENAME TO annotation;
          CREATE UNIQUE INDEX annotationUnique ON annotation(
            documentId, annotatorId, kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value);
          CREATE UNIQUE INDEX annotationOneSentiment ON annotation(documentId, annotatorId)
            WHERE kind = 'sentiment';
          CREATE UNIQUE INDEX annotationOneDocumentStance ON annotation(documentId, annotatorId, target)
            WHERE kind = 'stance' AND start IS NULL;
          CREATE UNIQUE INDEX annotationOneLabel ON annotation(documentId, annotatorId, target)
            WHERE kind = 'label';
          DELETE FROM sqlite_sequence WHERE name = 'annotation';
          INSERT INTO sqlite_sequence (name, seq) SELECT 'annotation', max(
            (SELECT ifnull(max(id), 0) FROM annotation),
            (SELECT ifnull(max(json_extract(o.value, '$.row.id')), 0) FROM event e, json_each(e.payload, '$.ops') o
              WHERE e.action <> 'import'));
          """)
    }
    // The review prompt and `anno adjudicate` show corpus-wide adjudication counts; summing
    // goldProgress for them read every finished document on every prompt. Triggers keep the
    // sums of the rows with a finished annotator (what the sum selected) in one row.
    migrator.registerMigration("v6 adjudication counts kept in one row") { db in
      try db.execute(
        sql: """
          CREATE TABLE goldSummary (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            documents INTEGER NOT NULL,
            openDocuments INTEGER NOT NULL,
            openItems INTEGER NOT NULL,
            autoItems INTEGER NOT NULL,
            reviewedItems INTEGER NOT NULL
          );
          INSERT INTO goldSummary
            SELECT 1, count(*), ifnull(sum(openItems > 0), 0), ifnull(sum(openItems), 0), ifnull(sum(autoItems), 0),
              ifnull(sum(reviewedItems), 0)
            FROM goldProgress WHERE annotators > 0;
          CREATE TRIGGER goldSummaryAfterInsert AFTER INSERT ON goldProgress WHEN NEW.annotators > 0 BEGIN
            UPDATE goldSummary SET documents = documents + 1, openDocuments = openDocuments + (NEW.openItems > 0),
              openItems = openItems + NEW.openItems, autoItems = autoItems + NEW.autoItems,
              reviewedItems = reviewedItems + NEW.reviewedItems;
          END;
          CREATE TRIGGER goldSummaryAfterDelete AFTER DELETE ON goldProgress WHEN OLD.annotators > 0 BEGIN
            UPDATE goldSummary SET documents = documents - 1, openDocuments = openDocuments - (OLD.openItems > 0),
              openItems = openItems - OLD.openItems, autoItems = autoItems - OLD.autoItems,
              reviewedItems = reviewedItems - OLD.reviewedItems;
          END;
          CREATE TRIGGER goldSummaryAfterUpdate AFTER UPDATE ON goldProgress BEGIN
            UPDATE goldSummary SET
              documents = documents - (OLD.annotators > 0) + (NEW.annotators > 0),
              openDocuments = openDocuments - (OLD.annotators > 0 AND OLD.openItems > 0)
                + (NEW.annotators > 0 AND NEW.openItems > 0),
              openItems = openItems - (OLD.annotators > 0) * OLD.openItems + (NEW.annotators > 0) * NEW.openItems,
              autoItems = autoItems - (OLD.annotators > 0) * OLD.autoItems + (NEW.annotators > 0) * NEW.autoItems,
              reviewedItems = reviewedItems - (OLD.annotators > 0) * OLD.reviewedItems
                + (NEW.annotators > 0) * NEW.reviewedItems;
          END;
          """)
    }
    // Spans and notes get a short id per document and annotator (`#7`, `n2`), given when they
    // are created and never reused: the shell names them by it. Existing rows are numbered in
    // the order the shell listed them (start, longest first, label), so the numbers an
    // annotator saw before this migration still name the same spans. `localIdSequence` keeps
    // the highest id ever given, once ids have been taken away, so none is given twice.
    migrator.registerMigration("v7 short ids for spans and notes") { db in
      try db.execute(
        sql: """
          ALTER TABLE annotation ADD COLUMN localId INTEGER;
          CREATE TEMP TABLE newLocalIds (id INTEGER PRIMARY KEY, localId INTEGER NOT NULL);
          INSERT INTO temp.newLocalIds SELECT id, row_number() OVER (
              PARTITION BY documentId, annotatorId, kind ORDER BY start, "end" DESC, value, id)
            FROM annotation WHERE kind = 'entity' OR kind = 'note';
          UPDATE annotation SET localId = (SELECT n.localId FROM temp.newLocalIds n WHERE n.id = annotation.id)
            WHERE kind = 'entity' OR kind = 'note';
          DROP TABLE temp.newLocalIds;
          CREATE TABLE localIdSequence (
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            kind TEXT NOT NULL CHECK (kind = 'entity' OR kind = 'note'),
            last INTEGER NOT NULL CHECK (last >= 0),
            PRIMARY KEY (documentId, annotatorId, kind)
          ) WITHOUT ROWID;
          """)
    }
    migrator.registerMigration("v8 annotator settings") { db in
      try db.execute(
        sql: """
          CREATE TABLE annotatorSetting (
            annotator TEXT NOT NULL,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (annotator, name)
          ) WITHOUT ROWID;
          """)
    }
    // `anno team add NAME --role R`: who is an annotator (counted, blind) and who reviews or
    // manages (sees everything, never counted). A name with no row has no role.
    migrator.registerMigration("v9 team roles") { db in
      try db.execute(
        sql: """
          CREATE TABLE teamMember (
            name TEXT PRIMARY KEY CHECK (length(name) > 0 AND name <> 'gold'),
            role TEXT NOT NULL CHECK (role = 'annotator' OR role = 'reviewer' OR role = 'manager'),
            addedAt REAL NOT NULL
          ) WITHOUT ROWID;
          """)
    }
    // A range of text is one adjudication item whose versions are labels (`entity|15:28`,
    // PER or ORG or none), no longer one present-or-absent item per label: decisions on the
    // old items of a range become one decision, the labels decided present, by the latest
    // decider.
    // The review queue: documents with open disagreements (items annotators gave different
    // versions of, undecided), most first, then in natural id order (140 before 1045), read
    // from one index. Every change to a document's annotations keeps its row current, so the
    // rows of documents finished before this migration are computed now, once.
    migrator.registerMigration("v10 review: one item per range, disputed items, natural order") {
      db in
      var merged:
        [String: (documentID: DocumentID, item: String, labels: [String], by: String, at: Double)] =
          [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT documentId, item, value, decidedBy, decidedAt FROM goldDecision
          WHERE item LIKE 'entity|%|%' ORDER BY documentId, item
          """)
      {
        let item: String = row[1]
        let parts = item.split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 3 else { continue }
        let documentID: DocumentID = row[0]
        let key = "entity|\(parts[1])"
        let value: String? = row[2]
        let (by, at): (String, Double) = (row[3], row[4])
        var entry = merged["\(documentID) \(key)"] ?? (documentID, key, [], by, at)
        if value != nil { entry.labels.append(String(parts[2])) }
        if at >= entry.at { (entry.by, entry.at) = (by, at) }
        merged["\(documentID) \(key)"] = entry
      }
      try db.execute(sql: "DELETE FROM goldDecision WHERE item LIKE 'entity|%|%'")
      for entry in merged.values {
        try db.execute(
          sql: """
            INSERT INTO goldDecision (documentId, item, value, decidedBy, decidedAt) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (documentId, item) DO UPDATE SET value = excluded.value,
              decidedBy = excluded.decidedBy, decidedAt = excluded.decidedAt
            """,
          arguments: [
            entry.documentID, entry.item,
            entry.labels.isEmpty ? nil : AdjudicationItems.entityValue(entry.labels), entry.by,
            entry.at,
          ])
      }
      try db.execute(
        sql: """
          ALTER TABLE goldProgress ADD COLUMN disputedItems INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE goldProgress ADD COLUMN sortKey TEXT NOT NULL DEFAULT '';
          CREATE INDEX goldProgressQueue ON goldProgress(disputedItems DESC, sortKey, documentId)
            WHERE disputedItems > 0;
          """)
      let documents = try DocumentID.fetchAll(
        db,
        sql: """
          SELECT DISTINCT s.documentId FROM documentStatus s WHERE s.status = 'done'
          UNION SELECT documentId FROM goldProgress ORDER BY 1
          """)
      for documentID in documents { try Store.refreshGoldProgress(db, documentID: documentID) }
    }
    // A document's explicit tokens are a BLOB of little-endian Int32 (start, end) pairs
    // (PackedTokens), read without parsing; the JSON lists stored until now are converted, with
    // the pairs the JSON reader left out (not two integers, or empty) left out here too.
    migrator.registerMigration("v11 document tokens packed") { db in
      try db.execute(
        sql: """
          ALTER TABLE document ADD COLUMN packedTokens BLOB
            CHECK (packedTokens IS NULL OR (typeof(packedTokens) = 'blob' AND length(packedTokens) % 8 = 0))
          """)
      let rows = try Row.fetchAll(
        db, sql: "SELECT id, tokens FROM document WHERE tokens IS NOT NULL")
      for row in rows {
        let id: Int64 = row["id"]
        // JSON that is not a list read as no tokens, and stays NULL.
        guard let ranges = PackedTokens.ranges(json: row["tokens"]) else { continue }
        let tokens = ranges.map { Token(start: $0.lowerBound, end: $0.upperBound) }
        try db.execute(
          sql: "UPDATE document SET packedTokens = ? WHERE id = ?",
          arguments: [PackedTokens.pack(tokens), id])
      }
      try db.execute(
        sql: """
          ALTER TABLE document DROP COLUMN tokens;
          ALTER TABLE document RENAME COLUMN packedTokens TO tokens;
          """)
    }
    // Set-valued fields (`multiple: true` in the schema) store one `choice` row per value,
    // whose target is the field: annotationUnique keeps each value once per set, while
    // annotationOneLabel keeps a single-valued field (`label` rows) to one value. The table is
    // rebuilt to admit the kind (SQLite cannot alter a CHECK); the id sequence carries over.
    migrator.registerMigration("v12 set-valued fields: choice rows") { db in
      try db.execute(
        sql: """
          CREATE TABLE annotationNew (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            kind TEXT NOT NULL CHECK (
              kind = 'entity' OR kind = 'span_sentiment' OR kind = 'sentiment' OR kind = 'stance' OR kind = 'label'
              OR kind = 'choice' OR kind = 'note'),
            start INTEGER,
            "end" INTEGER,
            target TEXT,
            value TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin = 'manual' OR origin = 'imported' OR origin = 'suggested'),
            originDetail TEXT,
            createdAt REAL NOT NULL,
            updatedAt REAL NOT NULL,
            spanText TEXT,
            localId INTEGER,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND "end" > start)),
            CHECK ((kind <> 'entity' AND kind <> 'span_sentiment') OR start IS NOT NULL),
            CHECK ((kind <> 'sentiment' AND kind <> 'label' AND kind <> 'choice') OR start IS NULL),
            CHECK ((kind = 'stance' OR kind = 'label' OR kind = 'choice') = (target IS NOT NULL))
          );
          INSERT INTO annotationNew SELECT id, documentId, annotatorId, kind, start, "end", target, value, origin,
            originDetail, createdAt, updatedAt, spanText, localId FROM annotation;
          DELETE FROM sqlite_sequence WHERE name = 'annotationNew';
          INSERT INTO sqlite_sequence (name, seq)
            SELECT 'annotationNew', seq FROM sqlite_sequence WHERE name = 'annotation';
          DROP TABLE annotation;
          ALTER TABLE annotationNew RENAME TO annotation;
          CREATE UNIQUE INDEX annotationUnique ON annotation(
            documentId, annotatorId, kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value);
          CREATE UNIQUE INDEX annotationOneSentiment ON annotation(documentId, annotatorId)
            WHERE kind = 'sentiment';
          CREATE UNIQUE INDEX annotationOneDocumentStance ON annotation(documentId, annotatorId, target)
            WHERE kind = 'stance' AND start IS NULL;
          CREATE UNIQUE INDEX annotationOneLabel ON annotation(documentId, annotatorId, target)
            WHERE kind = 'label';
          """)
    }
    // A study: the assignment rule (with the state later imports continue from), each
    // annotator's queue, and gold questions with their known answers (in annotation's shape).
    migrator.registerMigration("v13 studies: assignment rule, queues, gold questions") { db in
      try db.execute(
        sql: """
          CREATE TABLE assignmentRule (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            annotators TEXT NOT NULL CHECK (json_valid(annotators)),
            perDocument INTEGER NOT NULL CHECK (perDocument >= 1),
            overlap REAL NOT NULL CHECK (overlap >= 0 AND overlap <= 1),
            perOverlapDocument INTEGER NOT NULL CHECK (perOverlapDocument >= 1),
            seed INTEGER NOT NULL,
            documentPattern TEXT,
            goldRate REAL NOT NULL CHECK (goldRate >= 0 AND goldRate < 1),
            documents INTEGER NOT NULL CHECK (documents >= 0),
            overlapDocuments INTEGER NOT NULL CHECK (overlapDocuments >= 0),
            generatorState INTEGER NOT NULL,
            createdAt REAL NOT NULL
          );
          CREATE TABLE assignment (
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            position INTEGER NOT NULL CHECK (position >= 0),
            kind TEXT NOT NULL CHECK (kind = 'single' OR kind = 'overlap' OR kind = 'gold'),
            PRIMARY KEY (documentId, annotatorId)
          ) WITHOUT ROWID;
          CREATE UNIQUE INDEX assignmentQueue ON assignment(annotatorId, position);
          CREATE TABLE goldItem (
            documentId INTEGER PRIMARY KEY REFERENCES document(id) ON DELETE CASCADE,
            position INTEGER NOT NULL UNIQUE CHECK (position >= 0),
            source TEXT NOT NULL,
            addedAt REAL NOT NULL
          );
          CREATE TABLE goldAnswer (
            id INTEGER PRIMARY KEY,
            documentId INTEGER NOT NULL REFERENCES goldItem(documentId) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (
              kind = 'entity' OR kind = 'span_sentiment' OR kind = 'sentiment' OR kind = 'stance' OR kind = 'label'
              OR kind = 'choice' OR kind = 'note'),
            start INTEGER,
            "end" INTEGER,
            target TEXT,
            value TEXT NOT NULL,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND "end" > start))
          );
          CREATE INDEX goldAnswerByDocument ON goldAnswer(documentId);
          """)
    }
    // A team hub (PostgreSQL) that this database syncs with. `hubSync` is one row: the
    // database's origin (a random UUID, made once: with an event's id it makes the event's
    // global id), the hub's URL (never with a password), the member this database syncs as,
    // and the cursors of the last sync. Events pulled from the hub keep their global id
    // (`origin`, `sequence`, unique) and their author's name; events made here have neither.
    // `hubSet` holds the version of each annotation set last exchanged with the hub.
    migrator.registerMigration("v14 hub sync") { db in
      try db.execute(
        sql: """
          CREATE TABLE hubSync (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            origin TEXT NOT NULL CHECK (length(origin) = 36),
            hubURL TEXT CHECK (hubURL IS NULL OR instr(hubURL, '@') = 0 OR hubURL NOT GLOB '*://*:*@*'),
            member TEXT,
            pushedEvent INTEGER NOT NULL DEFAULT 0 CHECK (pushedEvent >= 0),
            pushedDecisionAt REAL NOT NULL DEFAULT 0,
            pulledDocument INTEGER NOT NULL DEFAULT 0 CHECK (pulledDocument >= 0),
            pulledRevision INTEGER NOT NULL DEFAULT 0 CHECK (pulledRevision >= 0),
            lastSync REAL
          );
          INSERT INTO hubSync (id, origin) SELECT 1, lower(
            hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
            || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-'
            || hex(randomblob(6)));
          ALTER TABLE event ADD COLUMN origin TEXT CHECK (origin IS NULL OR length(origin) = 36);
          ALTER TABLE event ADD COLUMN sequence INTEGER CHECK ((origin IS NULL) = (sequence IS NULL));
          ALTER TABLE event ADD COLUMN author TEXT;
          CREATE UNIQUE INDEX eventGlobalId ON event(origin, sequence) WHERE origin IS NOT NULL;
          CREATE TABLE hubSet (
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            canonical TEXT NOT NULL,
            latestChange REAL NOT NULL,
            PRIMARY KEY (documentId, annotatorId)
          ) WITHOUT ROWID;
          """)
    }
    // A single-valued field annotated with no value (the annotator looked and chose none) is a
    // `no_value` row whose target is the field and whose value is empty. annotationOneLabel
    // now covers both kinds, so a field holds one answer: a value or no value. The tables are
    // rebuilt to admit the kind (SQLite cannot alter a CHECK); the id sequence carries over.
    migrator.registerMigration("v15 fields annotated with no value") { db in
      try db.execute(
        sql: """
          CREATE TABLE annotationNew (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
            annotatorId INTEGER NOT NULL REFERENCES annotator(id),
            kind TEXT NOT NULL CHECK (
              kind = 'entity' OR kind = 'span_sentiment' OR kind = 'sentiment' OR kind = 'stance' OR kind = 'label'
              OR kind = 'choice' OR kind = 'no_value' OR kind = 'note'),
            start INTEGER,
            "end" INTEGER,
            target TEXT,
            value TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin = 'manual' OR origin = 'imported' OR origin = 'suggested'),
            originDetail TEXT,
            createdAt REAL NOT NULL,
            updatedAt REAL NOT NULL,
            spanText TEXT,
            localId INTEGER,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND "end" > start)),
            CHECK ((kind <> 'entity' AND kind <> 'span_sentiment') OR start IS NOT NULL),
            CHECK ((kind <> 'sentiment' AND kind <> 'label' AND kind <> 'choice' AND kind <> 'no_value') OR start IS NULL),
            CHECK ((kind = 'stance' OR kind = 'label' OR kind = 'choice' OR kind = 'no_value') = (target IS NOT NULL)),
            CHECK (kind <> 'no_value' OR value = '')
          );
          INSERT INTO annotationNew SELECT id, documentId, annotatorId, kind, start, "end", target, value, origin,
            originDetail, createdAt, updatedAt, spanText, localId FROM annotation;
          DELETE FROM sqlite_sequence WHERE name = 'annotationNew';
          INSERT INTO sqlite_sequence (name, seq)
            SELECT 'annotationNew', seq FROM sqlite_sequence WHERE name = 'annotation';
          DROP TABLE annotation;
          ALTER TABLE annotationNew RENAME TO annotation;
          CREATE UNIQUE INDEX annotationUnique ON annotation(
            documentId, annotatorId, kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value);
          CREATE UNIQUE INDEX annotationOneSentiment ON annotation(documentId, annotatorId)
            WHERE kind = 'sentiment';
          CREATE UNIQUE INDEX annotationOneDocumentStance ON annotation(documentId, annotatorId, target)
            WHERE kind = 'stance' AND start IS NULL;
          CREATE UNIQUE INDEX annotationOneLabel ON annotation(documentId, annotatorId, target)
            WHERE kind = 'label' OR kind = 'no_value';

          CREATE TABLE goldAnswerNew (
            id INTEGER PRIMARY KEY,
            documentId INTEGER NOT NULL REFERENCES goldItem(documentId) ON DELETE CASCADE,
            kind TEXT NOT NULL CHECK (
              kind = 'entity' OR kind = 'span_sentiment' OR kind = 'sentiment' OR kind = 'stance' OR kind = 'label'
              OR kind = 'choice' OR kind = 'no_value' OR kind = 'note'),
            start INTEGER,
            "end" INTEGER,
            target TEXT,
            value TEXT NOT NULL,
            CHECK ((start IS NULL) = ("end" IS NULL)),
            CHECK (start IS NULL OR (start >= 0 AND "end" > start))
          );
          INSERT INTO goldAnswerNew SELECT id, documentId, kind, start, "end", target, value FROM goldAnswer;
          DROP TABLE goldAnswer;
          ALTER TABLE goldAnswerNew RENAME TO goldAnswer;
          CREATE INDEX goldAnswerByDocument ON goldAnswer(documentId);
          """)
    }

    // An annotator's stance targets (`stanceTargetsInUse`: the shell, an import and `anno
    // check` resolve names against them) are read from this index rather than by a scan of
    // every annotation. It holds stance rows only: an index on every row led by annotatorId
    // would cost each import more and draw queries such as the hub's `annotatorId IN (…) AND
    // documentId > ?` away from annotationUnique.
    migrator.registerMigration("v16 stance targets by annotator") { db in
      try db.execute(
        sql: """
          CREATE INDEX annotationStanceTargets ON annotation(annotatorId, kind, target)
            WHERE kind = 'stance';
          """)
    }
    return migrator
  }()
}
