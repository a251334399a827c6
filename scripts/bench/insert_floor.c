/*
 * SQLite's insert floor: the peer of `anno import` that does no JSON parsing at all.
 *
 * Build and run (scripts/bench/run.py does both):
 *   gcc -O2 -o insert_floor scripts/bench/insert_floor.c -lsqlite3
 *   ./insert_floor DB scripts/bench/peer_schema.sql bench-out/10k/rows.tsv
 *
 * Reads rows already parsed by scripts/bench/gen_corpus.py (rows.tsv: TAB-separated fields,
 * newlines inside text written as 0x1F; "-" means NULL) and inserts them with prepared
 * statements in one transaction into the peers' schema (Anno's tables, indexes and FTS5 index):
 *   D id title sha256 length text     a document
 *   S id annotator status             a (document, annotator) status
 *   A id annotator kind start end target value   an annotation row
 * Rows arrive grouped by document, so the current document's rowid is all the state kept.
 */
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(sqlite3 *db, const char *what) {
  fprintf(stderr, "insert_floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
  exit(1);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *s = malloc(n + 1);
  if (fread(s, 1, n, f) != (size_t)n) { perror(path); exit(1); }
  s[n] = 0;
  fclose(f);
  return s;
}

/* Splits line in place at TABs into at most max fields; returns the count. */
static int split(char *line, char **fields, int max) {
  int n = 0;
  fields[n++] = line;
  for (char *p = line; *p && n < max; p++) {
    if (*p == '\t') { *p = 0; fields[n++] = p + 1; }
  }
  return n;
}

static void bind_text_or_null(sqlite3_stmt *st, int i, const char *s) {
  if (s[0] == '-' && s[1] == 0) sqlite3_bind_null(st, i);
  else sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void bind_int_or_null(sqlite3_stmt *st, int i, const char *s) {
  if (s[0] == '-' && s[1] == 0) sqlite3_bind_null(st, i);
  else sqlite3_bind_int64(st, i, atoll(s));
}

static void step(sqlite3 *db, sqlite3_stmt *st) {
  if (sqlite3_step(st) != SQLITE_DONE) die(db, "insert");
  sqlite3_reset(st);
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: insert_floor DB SCHEMA.sql ROWS.tsv\n"); return 2; }
  /* Keep glibc from returning the heap top to the kernel after every document (FTS5's buffers
   * otherwise cost one brk() pair per document): the floor should be SQLite's work alone. */
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  sqlite3 *db;
  if (sqlite3_open(argv[1], &db) != SQLITE_OK) die(db, "open");
  char *schema = slurp(argv[2]);
  if (sqlite3_exec(db, schema, 0, 0, 0) != SQLITE_OK) die(db, "schema");
  double now = (double)time(NULL);
  if (sqlite3_exec(db, "BEGIN", 0, 0, 0) != SQLITE_OK) die(db, "begin");

  sqlite3_stmt *doc, *ann, *status, *annotator;
  if (sqlite3_prepare_v2(db,
        "INSERT INTO document (externalId, text, title, contentHash, length, importId, importedAt)"
        " VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6)", -1, &doc, 0) != SQLITE_OK) die(db, "prepare");
  if (sqlite3_prepare_v2(db,
        "INSERT INTO annotation (documentId, annotatorId, kind, start, \"end\", target, value, origin, createdAt, updatedAt)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'imported', ?8, ?8)", -1, &ann, 0) != SQLITE_OK) die(db, "prepare");
  if (sqlite3_prepare_v2(db,
        "INSERT INTO documentStatus (documentId, annotatorId, status, annotatedKinds, importId, updatedAt)"
        " VALUES (?1, ?2, ?3, 0, 1, ?4)", -1, &status, 0) != SQLITE_OK) die(db, "prepare");
  if (sqlite3_prepare_v2(db, "INSERT INTO annotator (name, createdAt) VALUES (?1, ?2)", -1, &annotator, 0) != SQLITE_OK)
    die(db, "prepare");

  /* Annotator names -> rowids (a handful: a linear list). */
  char names[16][64];
  sqlite3_int64 ids[16];
  int nnames = 0;

  FILE *in = fopen(argv[3], "rb");
  if (!in) { perror(argv[3]); return 1; }
  char *line = NULL;
  size_t cap = 0;
  ssize_t len;
  sqlite3_int64 document = 0;
  char *fields[8];
  while ((len = getline(&line, &cap, in)) > 0) {
    if (line[len - 1] == '\n') line[--len] = 0;
    int n = split(line, fields, 8);
    if (line[0] == 'D' && n == 6) {
      for (char *p = fields[5]; *p; p++) if (*p == 0x1f) *p = '\n';
      for (char *p = fields[2]; *p; p++) if (*p == 0x1f) *p = '\n';
      sqlite3_bind_text(doc, 1, fields[1], -1, SQLITE_STATIC);
      sqlite3_bind_text(doc, 2, fields[5], -1, SQLITE_STATIC);
      bind_text_or_null(doc, 3, fields[2]);
      sqlite3_bind_text(doc, 4, fields[3], -1, SQLITE_STATIC);
      sqlite3_bind_int64(doc, 5, atoll(fields[4]));
      sqlite3_bind_double(doc, 6, now);
      step(db, doc);
      document = sqlite3_last_insert_rowid(db);
      continue;
    }
    if ((line[0] != 'S' || n != 4) && (line[0] != 'A' || n != 8)) { fprintf(stderr, "insert_floor: bad row\n"); return 1; }
    int a = 0;
    while (a < nnames && strcmp(names[a], fields[2]) != 0) a++;
    if (a == nnames) {
      if (nnames == 16) { fprintf(stderr, "insert_floor: too many annotators\n"); return 1; }
      snprintf(names[a], sizeof names[a], "%s", fields[2]);
      sqlite3_bind_text(annotator, 1, fields[2], -1, SQLITE_STATIC);
      sqlite3_bind_double(annotator, 2, now);
      step(db, annotator);
      ids[a] = sqlite3_last_insert_rowid(db);
      nnames++;
    }
    if (line[0] == 'S') {
      sqlite3_bind_int64(status, 1, document);
      sqlite3_bind_int64(status, 2, ids[a]);
      sqlite3_bind_text(status, 3, fields[3], -1, SQLITE_STATIC);
      sqlite3_bind_double(status, 4, now);
      step(db, status);
    } else {
      sqlite3_bind_int64(ann, 1, document);
      sqlite3_bind_int64(ann, 2, ids[a]);
      sqlite3_bind_text(ann, 3, fields[3], -1, SQLITE_STATIC);
      bind_int_or_null(ann, 4, fields[4]);
      bind_int_or_null(ann, 5, fields[5]);
      bind_text_or_null(ann, 6, fields[6]);
      sqlite3_bind_text(ann, 7, fields[7], -1, SQLITE_STATIC);
      sqlite3_bind_double(ann, 8, now);
      step(db, ann);
    }
  }
  if (sqlite3_exec(db, "COMMIT", 0, 0, 0) != SQLITE_OK) die(db, "commit");
  sqlite3_finalize(doc);
  sqlite3_finalize(ann);
  sqlite3_finalize(status);
  sqlite3_finalize(annotator);
  sqlite3_close(db);
  free(line);
  free(schema);
  return 0;
}
