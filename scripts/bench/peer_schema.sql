-- The peers' schema: Anno's v1 tables for documents and annotations (Sources/AnnoStore/
-- Store+Migrations.swift), with the same constraints, indexes, FTS5 index and triggers, so that
-- the sqlite3 shell, the Python importer and the C insert floor do the same storage work as
-- `anno import`. Read by scripts/bench/sqlite_import.sql, py_import.py and insert_floor.c.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
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
  INSERT INTO documentSearch(documentSearch, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
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
  kind TEXT NOT NULL CHECK (kind IN ('entity', 'span_sentiment', 'sentiment', 'stance', 'label', 'note')),
  start INTEGER,
  "end" INTEGER,
  target TEXT,
  value TEXT NOT NULL,
  origin TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'imported', 'suggested')),
  originDetail TEXT,
  createdAt REAL NOT NULL,
  updatedAt REAL NOT NULL,
  CHECK ((start IS NULL) = ("end" IS NULL)),
  CHECK (start IS NULL OR (start >= 0 AND "end" > start))
);
CREATE UNIQUE INDEX annotationUnique ON annotation(
  documentId, annotatorId, kind, ifnull(start, -1), ifnull("end", -1), ifnull(target, ''), value);
CREATE UNIQUE INDEX annotationOneSentiment ON annotation(documentId, annotatorId) WHERE kind = 'sentiment';
CREATE UNIQUE INDEX annotationOneDocumentStance ON annotation(documentId, annotatorId, target)
  WHERE kind = 'stance' AND start IS NULL;
CREATE UNIQUE INDEX annotationOneLabel ON annotation(documentId, annotatorId, target) WHERE kind = 'label';
CREATE INDEX annotationByAnnotator ON annotation(annotatorId, kind, value);
CREATE TABLE documentStatus (
  documentId INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
  annotatorId INTEGER NOT NULL REFERENCES annotator(id),
  status TEXT NOT NULL CHECK (status IN ('todo', 'in_progress', 'done', 'skipped', 'flagged')),
  annotatedKinds INTEGER NOT NULL DEFAULT 0,
  flagReason TEXT,
  importId INTEGER,
  updatedAt REAL NOT NULL,
  PRIMARY KEY (documentId, annotatorId)
) WITHOUT ROWID;
CREATE INDEX documentStatusByAnnotator ON documentStatus(annotatorId, status, documentId);
