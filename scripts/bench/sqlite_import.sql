-- The sqlite3 shell's import of Anno JSONL, the peer of `anno import`.
-- Run by scripts/bench/run.py as:  sqlite3 DB < this file, with @CORPUS@ and @SCHEMA@ replaced
-- by the corpus and scripts/bench/peer_schema.sql. One transaction: the lines go into a staging
-- table with one TEXT column (.import, RS-separated so a line is one field), each line is
-- parsed once with json_each into one row per record, then split into documents, statuses and
-- annotation rows with json_each over the lists. Span texts are not checked (Anno checks them).
.bail on
.read @SCHEMA@
CREATE TEMP TABLE staging(line TEXT);
BEGIN;
.mode ascii
.separator "\036" "\n"
.import @CORPUS@ staging
CREATE TEMP TABLE rec AS
  SELECT s.rowid AS r,
    max(CASE WHEN j.key = 'id' THEN j.value END) AS externalId,
    max(CASE WHEN j.key = 'text' THEN j.value END) AS text,
    max(CASE WHEN j.key = 'title' THEN j.value END) AS title,
    max(CASE WHEN j.key = 'annotator' THEN j.value END) AS annotator,
    max(CASE WHEN j.key = 'status' THEN j.value END) AS status,
    max(CASE WHEN j.key = 'sentiment' THEN j.value END) AS sentiment,
    max(CASE WHEN j.key = 'entities' THEN j.value END) AS entities,
    max(CASE WHEN j.key = 'span_sentiments' THEN j.value END) AS spanSentiments,
    max(CASE WHEN j.key = 'stances' THEN j.value END) AS stances,
    max(CASE WHEN j.key = 'labels' THEN j.value END) AS labels,
    max(CASE WHEN j.key = 'notes' THEN j.value END) AS notes
  FROM staging s, json_each(s.line) j GROUP BY s.rowid;
INSERT INTO annotator(name, createdAt) SELECT DISTINCT annotator, julianday('now') FROM rec ORDER BY 1;
INSERT INTO document(externalId, text, title, contentHash, length, importId, importedAt)
  SELECT externalId, text, title, lower(hex(sha3(text, 256))), length(text), 1, julianday('now')
  FROM rec WHERE text IS NOT NULL ORDER BY r;
CREATE TEMP TABLE recid AS
  SELECT rec.*, d.id AS documentId, a.id AS annotatorId
  FROM rec JOIN document d ON d.externalId = rec.externalId JOIN annotator a ON a.name = rec.annotator;
INSERT INTO documentStatus(documentId, annotatorId, status, annotatedKinds, importId, updatedAt)
  SELECT documentId, annotatorId, ifnull(status, 'done'), 0, 1, julianday('now') FROM recid ORDER BY r;
INSERT INTO annotation(documentId, annotatorId, kind, start, "end", target, value, origin, createdAt, updatedAt)
  SELECT documentId, annotatorId, kind, start, "end", target, value, 'imported', julianday('now'), julianday('now')
  FROM (
    SELECT r, documentId, annotatorId, 'entity' AS kind, e.value ->> 'start' AS start, e.value ->> 'end' AS "end",
      NULL AS target, e.value ->> 'label' AS value FROM recid, json_each(recid.entities) e
    UNION ALL
    SELECT r, documentId, annotatorId, 'span_sentiment', e.value ->> 'start', e.value ->> 'end', NULL, e.value ->> 'value'
      FROM recid, json_each(recid.spanSentiments) e
    UNION ALL
    SELECT r, documentId, annotatorId, 'sentiment', NULL, NULL, NULL, sentiment FROM recid WHERE sentiment IS NOT NULL
    UNION ALL
    SELECT r, documentId, annotatorId, 'stance', e.value ->> 'start', e.value ->> 'end', e.value ->> 'target', e.value ->> 'value'
      FROM recid, json_each(recid.stances) e
    UNION ALL
    SELECT r, documentId, annotatorId, 'label', NULL, NULL, e.key, e.value FROM recid, json_each(recid.labels) e
    UNION ALL
    SELECT r, documentId, annotatorId, 'note', e.value ->> 'start', e.value ->> 'end', NULL, e.value ->> 'text'
      FROM recid, json_each(recid.notes) e
  ) ORDER BY r;
COMMIT;
