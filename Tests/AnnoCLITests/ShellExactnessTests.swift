import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// Every shell command acts on the span the annotator meant: the binary, scripts on
/// standard input, one test per finding of issue 19 (1–8).
@Suite struct ShellExactnessTests {
  static let text =
    "Russia and the West. Russian ships left the Black Sea. Western leaders met. Putin’s aide said “No deal.” Sergei Lavrov and Lavrov spoke; Lavrov left."

  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    let db = folder.file("x.sqlite")
    let line = try #require(
      String(
        data: try JSONSerialization.data(withJSONObject: ["id": "sea", "text": Self.text]),
        encoding: .utf8))
    let result = try AnnoBinary.run([
      "--db", db, "import", try folder.write("d.jsonl", line + "\n"),
    ])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  /// Runs a script in the shell as `annotator`.
  func shell(_ db: String, _ annotator: String, _ lines: [String]) throws -> AnnoBinary.Result {
    try AnnoBinary.run(
      ["--db", db, "--annotator", annotator, "shell"],
      stdin: (["open sea"] + lines).joined(separator: "\n") + "\n")
  }

  /// The annotator's exported record (Anno JSONL).
  func record(_ db: String, _ annotator: String) throws -> [String: Any] {
    let export = try AnnoBinary.run([
      "--db", db, "export", "--annotator", annotator, "--include-unfinished",
    ])
    try #require(export.status == 0, "\(export.stderr)")
    let line = try #require(export.stdout.split(separator: "\n").first)
    return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
  }

  /// `LABEL start:end` of each exported entity.
  func entities(_ db: String, _ annotator: String) throws -> [String] {
    let list = try record(db, annotator)["entities"] as? [[String: Any]] ?? []
    return list.map { "\($0["label"]!) \($0["start"]!):\($0["end"]!)" }
  }

  /// Issue 19, finding 1: `show --all` names each span the way `untag` takes it (`untag 94`
  /// removes the span shown as 94), and other annotators' spans are read-only.
  @Test func showAllNamesSpansAsUntagTakesThemAndOthersAreReadOnly() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    _ = try shell(db, "ann2", [#"tag LOC "Black Sea""#, "tag LOC Russia #1"])
    _ = try shell(db, "ann1", [#"tag PER "Sergei Lavrov""#, "tag LOC Russia #1"])
    let result = try shell(db, "ann1", ["show --all", "untag #2", "untag ann2#1"])
    // Others' spans are drawn with their owner; untag #2 removes what show drew as #2.
    #expect(
      result.stdout.contains("[[Russia]LOC@ann2#2]LOC#2 and the West."),
      "\(result.stdout)")
    #expect(result.stdout.contains("[Black Sea]LOC@ann2#1."))
    #expect(result.stdout.contains("removed [Russia]LOC#2 0:6"))
    #expect(
      result.stderr
        == "line 4: ann2#1 is ann2's span, which you can read but not change; your own spans are #N ('tag LABEL ann2#1' tags its text as yours)\n"
    )
    #expect(try entities(db, "ann1") == ["PER 105:118"])
    #expect(try entities(db, "ann2") == ["LOC 0:6", "LOC 44:53"])
  }

  /// Issue 19, finding 2: a span's number is its id, which no later tag changes, and `tag` and
  /// `show` draw it alike (`[X]¹PER`).
  @Test func idsNeverChangeAndEveryCommandDrawsThemAlike() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try shell(
      db, "ann1",
      [
        "tag PER Lavrov #3", #"tag PER "Sergei Lavrov""#, "tag LOC Russia #1", "show",
        "show spans", "untag #2", "undo", "relabel #1 ORG", "extend #1 right",
        "sentiment negative #1",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        opened sea
        tagged [Lavrov]PER#1 137:143
        tagged [Sergei Lavrov]PER#2 105:118
        tagged [Russia]LOC#3 0:6
        sea
        status: in_progress

        1 │ [Russia]LOC#3 and the West. Russian ships left the Black Sea. Western leaders met. Putin’s aide
          │ said “No deal.” [Sergei Lavrov]PER#2 and Lavrov spoke; [Lavrov]PER#1 left.
        #   label  offsets  text             sentiment  stance
        #3  LOC    0:6      "Russia"
        #2  PER    105:118  "Sergei Lavrov"
        #1  PER    137:143  "Lavrov"
        removed [Sergei Lavrov]PER#2 105:118
        undone: untag #2 "Sergei Lavrov" 105:118
        relabelled [Lavrov]ORG#1 137:143 (was PER)
        now [Lavrov left]ORG#1 137:148
        span #1 "Lavrov left": sentiment negative

        """)
  }

  /// Issue 19, finding 3: a phrase matches whole tokens only: `tag LOC Russia all` leaves
  /// "Russian" alone and `tag LOC West` leaves "Western".
  @Test func phrasesMatchWholeTokensExactlyWithTypographicQuotesAndADidYouMean() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try shell(
      db, "ann1",
      [
        "tag LOC Russia all", "tag LOC West", "tag LOC west", "tag PER Lavorv", "tag LOC 23:28",
        #"tag PER "Putin's""#, "tag MISC -i western", "tag MISC Black --snap",
      ])
    #expect(result.status == 1)
    #expect(
      result.stdout == """
        opened sea
        tagged [Russia]LOC#1 0:6
        left out 1 match inside other words ("Russian" 21:27); --snap or --chars includes them
        tagged [West]LOC#2 15:19
        tagged [Putin’s]PER#3 76:83
        tagged [Western]MISC#4 55:62
        tagged [Black]MISC#5 44:49

        """)
    #expect(
      result.stderr == """
        line 4: "west" does not occur as typed (case matters); did you mean "West"? (-i ignores case)
        line 5: "Lavorv" does not occur in this document; did you mean "Lavrov"?
        line 6: 23:28 cuts the token "Russian" 21:28; --snap tags 21:28 "Russian", --chars keeps 23:28 "ssian"

        """)
    #expect(
      try entities(db, "ann1") == [
        "LOC 0:6", "LOC 15:19", "MISC 44:49", "MISC 55:62", "PER 76:83",
      ])
  }

  /// Issue 19, finding 4: `all` and `#N` never nest a label inside a span of the same label,
  /// and a second label on the same range is refused with a message.
  @Test func noSilentDuplicates() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try shell(
      db, "ann1",
      [
        #"tag PER "Sergei Lavrov""#, "tag PER Lavrov all", "tag PER Lavrov #1",
        "tag PER Lavrov #2", #"tag ORG "Sergei Lavrov""#, #"tag ORG "Sergei Lavrov" --also"#,
        "tag PER Lavrov",
      ])
    #expect(
      result.stdout == """
        opened sea
        tagged [Sergei Lavrov]PER#1 105:118
        tagged [Lavrov]PER#2 123:129
        tagged [Lavrov]PER#3 137:143
        skipped 1 overlapping PER spans by you: "Lavrov" 112:118 (#1)
        already tagged: [Lavrov]PER#2 123:129
        tagged [Sergei Lavrov]ORG#4 105:118
        skipped 2 already tagged PER by you: "Lavrov" 123:129 (#2), "Lavrov" 137:143 (#3); skipped 1 overlapping PER spans by you: "Lavrov" 112:118 (#1)

        """)
    #expect(
      result.stderr == """
        line 4: "Lavrov" 112:118 overlaps [Sergei Lavrov]PER#1 105:118; spans of one label do not overlap ('untag #1' removes it)
        line 6: [Sergei Lavrov]PER#1 105:118 is already there; 'relabel #1 ORG' changes its label, or --also gives the range ORG as well

        """)
    #expect(
      try entities(db, "ann1") == [
        "ORG 105:118", "PER 105:118", "PER 123:129", "PER 137:143",
      ])
    // A schema can forbid two labels on one range, --also or not.
    let strict = try folder.write(
      "schema.yaml",
      "allow_several_labels_per_span: false\n" + BundledGuidelines.schemaYAML)
    let other = folder.file("strict.sqlite")
    #expect(try AnnoBinary.run(["--db", other, "--schema", strict, "stats"]).status == 0)
    try AnnoBinary.prepare([
      "--db", other, "import",
      try folder.write("e.jsonl", #"{"id": "sea", "text": "Lavrov left."}"#),
    ])
    let refused = try AnnoBinary.run(
      ["--db", other, "shell"], stdin: "open sea\ntag PER Lavrov\ntag ORG Lavrov --also\n")
    #expect(
      refused.stderr
        == "line 3: [Lavrov]PER#1 0:6 is already there, and this schema gives a range one label (allow_several_labels_per_span: false); 'relabel #1 ORG' changes it\n"
    )
  }

  /// Issue 19, finding 5: `tag LOC /Black Sea/` unquoted is a regex, and escapes behave as in
  /// Python's `re`.
  @Test func regexesWorkUnquotedWithSpacesAndPythonEscapes() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try shell(
      db, "ann1",
      [
        "tag LOC /Black Sea/", #"tag PER "/\bLav\w+\b/""#, #"tag MISC '/\bWest\w*/'"#,
        #"tag ORG /(?i)RUSSIA\b/"#, #"tag ORG /\d+/"#,
      ])
    #expect(
      result.stdout == """
        opened sea
        tagged [Black Sea]LOC#1 44:53
        tagged [Lavrov]PER#2 112:118
        tagged [Lavrov]PER#3 123:129
        tagged [Lavrov]PER#4 137:143
        tagged [West]MISC#5 15:19
        tagged [Western]MISC#6 55:62
        tagged [Russia]ORG#7 0:6

        """)
    #expect(result.stderr == "line 6: /\\d+/ matches nothing in this document\n")
  }

  /// Issue 19, finding 6: `untag #5 #6` and `relabel 5 6 ORG` take several selectors, as the
  /// usage says, in one undo step.
  @Test func manySelectorsAtOnceAreOneUndoStep() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try shell(
      db, "ann1",
      [
        #"tag PER "Sergei Lavrov" "Putin" Lavrov #2 Lavrov #3"#, "relabel #2-#4 ORG",
        "untag 1 #3", "undo", "relabel 1 2 MISC", "undo", "undo",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        opened sea
        tagged [Sergei Lavrov]PER#1 105:118
        tagged [Putin]PER#2 76:81
        tagged [Lavrov]PER#3 123:129
        tagged [Lavrov]PER#4 137:143
        relabelled [Putin]ORG#2 76:81 (was PER)
        relabelled [Lavrov]ORG#3 123:129 (was PER)
        relabelled [Lavrov]ORG#4 137:143 (was PER)
        removed [Sergei Lavrov]PER#1 105:118
        removed [Lavrov]ORG#3 123:129
        undone: untag #1 "Sergei Lavrov" 105:118, #3 "Lavrov" 123:129
        relabelled [Sergei Lavrov]MISC#1 105:118 (was PER)
        relabelled [Putin]MISC#2 76:81 (was ORG)
        undone: relabel #1 "Sergei Lavrov" 105:118, #2 "Putin" 76:81 → MISC (was ORG, PER)
        undone: relabel #2 "Putin" 76:81, #3 "Lavrov" 123:129, #4 "Lavrov" 137:143 → ORG (was PER)

        """)
    #expect(try entities(db, "ann1") == ["PER 76:81", "PER 105:118", "PER 123:129", "PER 137:143"])
  }

  /// Issue 19, finding 7: a stance is anchored to the quote that expresses it, not only to an
  /// existing span.
  @Test func aStanceIsAnchoredToTheQuoteThatExpressesIt() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try shell(
      db, "ann1",
      [
        #"stance Russia against "No deal.""#, "stance Russia favor Lavrov",
        "stance Russia favor Lavrov #3", "stance Kremlin neutral", "show",
      ])
    #expect(
      result.stdout.hasPrefix(
        """
        opened sea
        stance toward Russia: against on "No deal." 95:103
        stance toward Russia: favor on "Lavrov" 137:143
        stance toward Russia: neutral
        sea
        status: in_progress · stance: Russia=neutral
        stance: Russia=against, evidence "No deal." 95:103
        stance: Russia=favor, evidence "Lavrov" 137:143

        """), "\(result.stdout)")
    #expect(
      result.stderr
        == "line 3: \"Lavrov\" occurs 3 times; add #1–#3 to say which is the evidence\n")
    let stances = try record(db, "ann1")["stances"] as? [[String: Any]] ?? []
    #expect(
      stances.map {
        "\($0["value"]!) \($0["start"] ?? "-"):\($0["end"] ?? "-") \($0["text"] ?? "")"
      }
      .sorted() == ["against 95:103 No deal.", "favor 137:143 Lavrov", "neutral -:- "])
  }

  /// Issue 19, finding 8: notes are listed, deleted and exported, not only written.
  @Test func notesAreListedDeletedAndExported() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try shell(
      db, "ann1",
      [
        #"tag PER "Sergei Lavrov""#, #"note "check the quote""#, #"note "is he the minister?" #1"#,
        #"note "delete""#, "notes", "note delete n1 n3", "notes", "note delete n1",
      ])
    #expect(
      result.stdout == """
        opened sea
        tagged [Sergei Lavrov]PER#1 105:118
        noted n1
        noted n2 on "Sergei Lavrov"
        noted n3
        id  on                       note
        n1  document                 check the quote
        n2  "Sergei Lavrov" 105:118  is he the minister?
        n3  document                 delete
        deleted note n1 "check the quote"
        deleted note n3 "delete"
        id  on                       note
        n2  "Sergei Lavrov" 105:118  is he the minister?

        """)
    #expect(result.stderr == "line 9: no note 'n1' here; yours are n2\n")
    let notes = try record(db, "ann1")["notes"] as? [[String: Any]] ?? []
    #expect(notes.count == 1)
    #expect(notes.first?["text"] as? String == "is he the minister?")
    #expect(notes.first?["start"] as? Int == 105 && notes.first?["end"] as? Int == 118)
  }
}
