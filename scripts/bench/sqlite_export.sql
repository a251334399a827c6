-- The sqlite3 shell's export of Anno JSONL, the peer of `anno export --format anno --all`.
-- Run by scripts/bench/run.py as:  sqlite3 DB < this file, with @OUT@ replaced, on the
-- database that scripts/bench/sqlite_import.sql built. One JSON line per document and
-- annotator (status done), built with json_object / json_group_array, keys sorted as Anno
-- writes them; span texts are cut from the text with substr (code points, as Anno's offsets).
.bail on
.mode list
.headers off
.output @OUT@
SELECT json_object(
  'annotator', a.name,
  'entities', json((SELECT json_group_array(json_object('end', x."end", 'label', x.value, 'start', x.start,
      'text', substr(d.text, x.start + 1, x."end" - x.start)))
    FROM annotation x WHERE x.documentId = s.documentId AND x.annotatorId = s.annotatorId AND x.kind = 'entity')),
  'id', d.externalId,
  'labels', json((SELECT json_group_object(x.target,
      CASE WHEN x.target = 'urgency' THEN CAST(x.value AS INTEGER) ELSE x.value END)
    FROM annotation x WHERE x.documentId = s.documentId AND x.annotatorId = s.annotatorId AND x.kind = 'label')),
  'notes', json((SELECT json_group_array(json_object('text', x.value))
    FROM annotation x WHERE x.documentId = s.documentId AND x.annotatorId = s.annotatorId AND x.kind = 'note')),
  'offsets', 'codepoint',
  'sentiment', (SELECT x.value FROM annotation x
    WHERE x.documentId = s.documentId AND x.annotatorId = s.annotatorId AND x.kind = 'sentiment'),
  'span_sentiments', json((SELECT json_group_array(json_object('end', x."end", 'start', x.start,
      'text', substr(d.text, x.start + 1, x."end" - x.start), 'value', x.value))
    FROM annotation x WHERE x.documentId = s.documentId AND x.annotatorId = s.annotatorId AND x.kind = 'span_sentiment')),
  'stances', json((SELECT json_group_array(CASE WHEN x.start IS NULL
        THEN json_object('target', x.target, 'value', x.value)
        ELSE json_object('end', x."end", 'start', x.start, 'target', x.target,
          'text', substr(d.text, x.start + 1, x."end" - x.start), 'value', x.value) END)
    FROM annotation x WHERE x.documentId = s.documentId AND x.annotatorId = s.annotatorId AND x.kind = 'stance')),
  'status', s.status,
  'text', d.text,
  'title', d.title)
FROM documentStatus s JOIN document d ON d.id = s.documentId JOIN annotator a ON a.id = s.annotatorId
WHERE s.status = 'done'
ORDER BY s.documentId, s.annotatorId;
.output stdout
