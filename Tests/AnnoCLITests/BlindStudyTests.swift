import AnnoTestSupport
import Foundation
import Testing

/// Roles and blindness (issue 23) through the binary: an annotator in a blind study sees
/// neither a colleague's labels nor the gold version of a document before finishing it, by
/// any command that shows labels; reviewers and managers see everything; `study.blind: false`
/// and a database without a team hide nothing.
@Suite struct BlindStudyTests {
  static let corpus = """
    {"id": "d1", "text": "Sergei Lavrov met John Kerry in Geneva."}
    {"id": "d2", "text": "Later Sergei Lavrov flew to Geneva."}

    """

  /// A database with the two documents, ann1 and ann2 as annotators and rev as reviewer (when
  /// `team`), and ann1's finished labels on d1.
  func makeStudy(_ folder: TemporaryDirectory, team: Bool = true, study: String? = nil) throws
    -> String
  {
    let db = folder.file("b.sqlite")
    var arguments = ["--db", db]
    if let study {
      let bundled = try String(
        contentsOfFile: AnnoBinary.repositoryRoot + "/Guidelines/schema.yaml", encoding: .utf8)
      arguments += ["--schema", try folder.write("schema.yaml", bundled + "\n" + study)]
    }
    let imported = try AnnoBinary.run(
      arguments + ["import", try folder.write("c.jsonl", Self.corpus)])
    try #require(imported.status == 0, "\(imported.stderr)")
    if team {
      for (name, role) in [("ann1", "annotator"), ("ann2", "annotator"), ("rev", "reviewer")] {
        let added = try AnnoBinary.run(["--db", db, "team", "add", name, "--role", role])
        try #require(added.status == 0, "\(added.stderr)")
      }
    }
    let labelled = try shell(db, "ann1", "open d1; tag PER \"Sergei Lavrov\"; tag LOC Geneva; done")
    try #require(labelled.status == 0, "\(labelled.stderr)")
    return db
  }

  func shell(_ db: String, _ annotator: String, _ script: String) throws -> AnnoBinary.Result {
    try AnnoBinary.run(["--db", db, "--annotator", annotator, "shell", "-c", script])
  }

  /// Every shell command that shows a colleague's labels, each on its own line.
  static let revealing = [
    "show --all", "show 1-1 --all", "compare ann1", "tag PER ann1#1", "export --format anno",
    "export --gold --include-unfinished", "agree", "review",
  ]

  @Test func teamAddListRemoveKeepRolesAndRefuseMistakes() throws {
    let folder = try TemporaryDirectory()
    let db = try makeStudy(folder)
    let changed = try AnnoBinary.run(["--db", db, "team", "add", "ann2", "--role", "manager"])
    #expect(changed.stdout == "ann2: annotator → manager\n")
    let list = try AnnoBinary.run(["--db", db, "team", "list"])
    #expect(
      list.stdout == """
        name  role       done
        ann1  annotator  1
        rev   reviewer   0
        ann2  manager    0
        blind study: annotators see colleagues' labels only on documents they finished

        """)
    let gold = try AnnoBinary.run(["--db", db, "team", "add", "gold", "--role", "reviewer"])
    #expect(gold.status != 0)
    #expect(gold.stderr.contains("'gold' is the adjudicated version"))
    let bad = try AnnoBinary.run(["--db", db, "team", "add", "x", "--role", "boss"])
    #expect(bad.status != 0)
    #expect(bad.stderr.contains("annotator"))
    let missing = try AnnoBinary.run(["--db", db, "team", "remove", "ann9"])
    #expect(missing.status == 1)
    #expect(
      missing.stderr
        == "Error: unknown team member 'ann9'; did you mean 'ann1'? (expected one of ann1, ann2, rev)\n"
    )
    #expect(try AnnoBinary.run(["--db", db, "team", "remove", "rev"]).status == 0)
    let json = try AnnoBinary.run(["--db", db, "team", "list", "--format", "json"])
    #expect(json.stdout.contains(#""name":"ann1","role":"annotator""#))
    #expect(!json.stdout.contains("rev"))
  }

  @Test func anAnnotatorSeesNoColleaguesLabelsBeforeDoneByAnyCommand() throws {
    let folder = try TemporaryDirectory()
    let db = try makeStudy(folder)
    for command in Self.revealing {
      let result = try shell(db, "ann2", "open d1; " + command)
      #expect(result.status == 1, "\(command)")
      #expect(result.stderr.contains("blind study:"), "\(command): \(result.stderr)")
      #expect(!result.stdout.contains("ann1#"), "\(command): \(result.stdout)")
      #expect(!result.stdout.contains("Lavrov]PER"), "\(command): \(result.stdout)")
    }
    let status = try shell(db, "ann2", "open d1; status")
    #expect(
      status.stdout == """
        opened d1
        you: ann2 (annotator)
        blind study: you are an annotator; colleagues' labels and the gold version stay hidden on a document until you finish it; suggestions learn from your own labels and the gold version of other documents
        d1: other annotators' labels stay hidden until you mark it 'done'

        """)
    // Their own labels they may always export.
    let own = try shell(db, "ann2", "export --annotator ann2 --include-unfinished --format anno")
    #expect(!own.stderr.contains("blind study"), "\(own.stderr)")
  }

  @Test func afterDoneTheAnnotatorSeesColleaguesLabels() throws {
    let folder = try TemporaryDirectory()
    let db = try makeStudy(folder)
    let finished = try shell(db, "ann2", "open d1; tag PER \"John Kerry\"; done")
    try #require(finished.status == 0, "\(finished.stderr)")
    let all = try shell(db, "ann2", "open d1; show --all")
    #expect(all.status == 0, "\(all.stderr)")
    #expect(all.stdout.contains("[Sergei Lavrov]PER@ann1#1"))
    let compare = try shell(db, "ann2", "open d1; compare ann1")
    #expect(compare.status == 0, "\(compare.stderr)")
    #expect(compare.stdout.contains("only ann1: span [Sergei Lavrov]PER@ann1#1 0:13"))
    // Still hidden on a document they have not finished.
    let other = try shell(db, "ann2", "open d2; show --all")
    #expect(other.status == 1)
    #expect(other.stderr.contains("only after you finish it"))
    let stillBlind = try shell(db, "ann2", "open d1; agree")
    #expect(stillBlind.status == 1)
    #expect(stillBlind.stderr.contains("blind study:"))
  }

  @Test func reviewersAndManagersSeeEverything() throws {
    let folder = try TemporaryDirectory()
    let db = try makeStudy(folder)
    #expect(
      try AnnoBinary.run(["--db", db, "team", "add", "boss", "--role", "manager"]).status == 0)
    for name in ["rev", "boss"] {
      let all = try shell(db, name, "open d1; show --all; compare ann1; status")
      #expect(all.status == 0, "\(name): \(all.stderr)")
      #expect(all.stdout.contains("[Sergei Lavrov]PER@ann1#1"), "\(name)")
      #expect(all.stdout.contains("only ann1: span [Geneva]LOC@ann1#2"), "\(name)")
      #expect(all.stdout.contains("and see every annotator's labels"), "\(name)")
      let export = try shell(db, name, "export --format anno")
      #expect(export.status == 0, "\(name): \(export.stderr)")
      #expect(export.stdout.contains(#""annotator":"ann1""#), "\(name)")
    }
    let review = try shell(db, "rev", "review")
    #expect(review.status == 0, "\(review.stderr)")
  }

  @Test func anOpenStudyAndADatabaseWithoutATeamHideNothing() throws {
    for (team, study) in [(true, "study:\n  blind: false\n"), (false, nil)] {
      let folder = try TemporaryDirectory()
      let db = try makeStudy(folder, team: team, study: study)
      let all = try shell(db, "ann2", "open d1; show --all; compare ann1")
      #expect(all.status == 0, "\(all.stderr)")
      #expect(all.stdout.contains("[Sergei Lavrov]PER@ann1#1"))
      let status = try shell(db, "ann2", "status")
      #expect(
        status.stdout.contains(team ? "open study (study.blind: false)" : "no team:"),
        "\(status.stdout)")
    }
  }

  @Test func unknownStudyKeysAndValuesAreRefusedWithTheLine() throws {
    let folder = try TemporaryDirectory()
    let bundled = try String(
      contentsOfFile: AnnoBinary.repositoryRoot + "/Guidelines/schema.yaml", encoding: .utf8)
    let schema = try folder.write("s.yaml", bundled + "\nstudy:\n  suggestions: everyone\n")
    let result = try AnnoBinary.run([
      "--db", folder.file("x.sqlite"), "--schema", schema, "import",
      try folder.write("c.jsonl", Self.corpus),
    ])
    #expect(result.status != 0)
    #expect(result.stderr.contains("'suggestions' must be own or shared, not 'everyone'"))
  }

  /// Finding 1 of issue 23: learned suggestions showed another annotator's labels, and the
  /// gold version, of the very document being annotated.
  @Test func learnedSuggestionsNeverCarryColleaguesLabelsOfTheSameDocument() throws {
    let folder = try TemporaryDirectory()
    let db = try makeStudy(folder)
    let suggestions = "show suggestions"
    // ann1's Sergei Lavrov on d1: not suggested to ann2, on d1 nor elsewhere (own labels only).
    for document in ["d1", "d2"] {
      let result = try shell(db, "ann2", "open \(document); \(suggestions)")
      #expect(result.status == 0, "\(result.stderr)")
      #expect(!result.stdout.contains("Sergei Lavrov"), "\(document): \(result.stdout)")
    }
    // The gold version of d1 is learned on other documents only.
    let adjudicated = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "unanimous"])
    try #require(adjudicated.status == 0, "\(adjudicated.stderr)")
    let onD1 = try shell(db, "ann2", "open d1; \(suggestions)")
    #expect(!onD1.stdout.contains("Sergei Lavrov"), "\(onD1.stdout)")
    let onD2 = try shell(db, "ann2", "open d2; \(suggestions)")
    #expect(onD2.stdout.contains(#""Sergei Lavrov"  learned PER 1"#), "\(onD2.stdout)")
  }

  /// From argv, a name the team lists as an annotator works as blind as in the shell, by the
  /// global --annotator or by $ANNO_ANNOTATOR.
  @Test func commandLineCommandsApplyTheSameBlindnessToAnAnnotator() throws {
    let folder = try TemporaryDirectory()
    let db = try makeStudy(folder)
    let asFlag: ([String]) throws -> AnnoBinary.Result = {
      try AnnoBinary.run(["--db", db, "--annotator", "ann2"] + $0)
    }
    let asEnvironment: ([String]) throws -> AnnoBinary.Result = {
      try AnnoBinary.run(["--db", db] + $0, environment: ["ANNO_ANNOTATOR": "ann2"])
    }
    let revealing: [[String]] = [
      ["export", "--gold", "--include-unfinished"], ["export", "--all"],
      ["export", "--format", "prodigy", "--suggestions"], ["agree"],
      ["agree", "--against", "gold"],
      ["adjudicate"], ["adjudicate", "--auto", "majority"], ["report", "study"],
      ["report", "quality"], ["report", "effort"], ["suggest", "eval"],
    ]
    for (how, run) in [("--annotator", asFlag), ("ANNO_ANNOTATOR", asEnvironment)] {
      // (suggest eval takes its annotator from --annotator only)
      let commands =
        how == "ANNO_ANNOTATOR" ? revealing.filter { $0[0] != "suggest" } + [["export"]] : revealing
      for arguments in commands {
        let result = try run(arguments)
        let what = "\(how) \(arguments.joined(separator: " "))"
        #expect(result.status == 1, "\(what)")
        #expect(result.stderr.contains("blind study:"), "\(what): \(result.stderr)")
        #expect(!result.stdout.contains("Lavrov"), "\(what): \(result.stdout)")
        #expect(!result.stdout.contains("ann1"), "\(what): \(result.stdout)")
      }
      // stats counts ann2's labels only (none yet), not ann1's PER and LOC
      let stats = try run(["stats", "--format", "json"])
      #expect(stats.stdout.contains(#""entities_by_label":{}"#), "\(how): \(stats.stdout)")
      #expect(stats.stdout.contains(#""labels_of":"ann2""#), "\(how): \(stats.stdout)")
    }
    // Exporting oneself names nobody else while ann2 has no labels: no did-you-mean
    let own = try asFlag(["export"])
    #expect(own.status == 1)
    #expect(
      own.stderr == "Error: unknown annotator 'ann2': 'ann2' has no labels in this database yet\n")
    let ownInShell = try shell(db, "ann2", "export --annotator ann2")
    #expect(ownInShell.stderr.contains("'ann2' has no labels"), "\(ownInShell.stderr)")
    #expect(!ownInShell.stderr.contains("ann1"), "\(ownInShell.stderr)")
    let unknown = try AnnoBinary.run(["--db", db, "--annotator", "ann9", "export"])
    #expect(unknown.stderr.contains("'ann9' has no labels"), "\(unknown.stderr)")
    #expect(!unknown.stderr.contains("ann1"), "\(unknown.stderr)")
    let labelled = try shell(db, "ann2", "open d2; tag LOC Geneva")
    try #require(labelled.status == 0, "\(labelled.stderr)")
    let mine = try asFlag(["export", "--include-unfinished", "--format", "csv"])
    #expect(mine.status == 0, "\(mine.stderr)")
    #expect(mine.stdout.contains("d2,ann2,") && !mine.stdout.contains("ann1"), "\(mine.stdout)")
    // The shell's stats follow the same rule
    let inShell = try shell(db, "ann2", "stats")
    #expect(
      inShell.stdout.contains("annotations  1 (ann2's only: a blind study shows no one else's)"),
      "\(inShell.stdout)")
    #expect(!inShell.stdout.contains("PER"), "\(inShell.stdout)")
    // A reviewer, and a name the team does not list (whoever runs the study), see everything
    for name in ["rev", "tester"] {
      let all = try AnnoBinary.run(["--db", db, "--annotator", name, "stats", "--format", "json"])
      #expect(
        all.stdout.contains(#""entities_by_label":{"LOC":2,"PER":1}"#), "\(name): \(all.stdout)")
      let export = try AnnoBinary.run(["--db", db, "--annotator", name, "export", "--all"])
      #expect(!export.stderr.contains("blind study"), "\(name): \(export.stderr)")
    }
    // A reviewer is told who has labels
    let named = try AnnoBinary.run(["--db", db, "--annotator", "rev", "suggest", "eval"])
    #expect(named.stderr.contains("ann1, ann2"), "\(named.stderr)")
    let everyone = try AnnoBinary.run(["--db", db, "export", "--format", "csv"])
    #expect(everyone.stdout.contains("d1,ann1,"), "\(everyone.stdout)")
    let reviewer = try AnnoBinary.run(["--db", db, "--annotator", "rev", "agree"])
    #expect(!reviewer.stderr.contains("blind study"), "\(reviewer.stderr)")
  }

  /// `suggestions: shared` learns from the team only on documents the study assigns to one
  /// annotator: the assignment decides, before anyone else has labelled the document.
  @Test func sharedSuggestionsFollowTheAssignment() throws {
    for (annotators, overlap, suggested) in [("ann1,ann2", "1", false), ("ann2", "0", true)] {
      let folder = try TemporaryDirectory()
      let db = try makeStudy(folder, study: "study:\n  suggestions: shared\n")
      let assigned = try AnnoBinary.run([
        "--db", db, "assign", "--annotators", annotators, "--overlap", overlap, "--seed", "1",
      ])
      try #require(assigned.status == 0, "\(assigned.stderr)")
      // Nobody but ann2 has touched d2; with overlap 1 it is assigned to ann1 as well
      let result = try shell(db, "ann2", "open d2; show suggestions")
      #expect(result.status == 0, "\(result.stderr)")
      #expect(
        result.stdout.contains(#""Sergei Lavrov"  learned PER 1"#) == suggested,
        "\(annotators): \(result.stdout)")
    }
  }

  @Test func sharedSuggestionsLearnFromTheTeamExceptOnDoubleCodedDocuments() throws {
    let folder = try TemporaryDirectory()
    let db = try makeStudy(folder, study: "study:\n  suggestions: shared\n")
    let elsewhere = try shell(db, "ann2", "open d2; show suggestions")
    #expect(elsewhere.stdout.contains(#""Sergei Lavrov"  learned PER 1"#), "\(elsewhere.stdout)")
    // d1 is coded by ann1 too: nothing learned from the team there.
    let there = try shell(db, "ann2", "open d1; show suggestions")
    #expect(there.stdout == "opened d1\nno suggestions here\n", "\(there.stdout)")
  }
}

/// The gold version and a team's reviewers and managers are never exported or counted as
/// annotators (issue 23, finding 3).
@Suite struct NotAnAnnotatorTests {
  @Test func exportsWithoutGoldLeaveTheGoldVersionAndReviewersOut() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("g.sqlite")
    let corpus = try folder.write(
      "c.jsonl",
      """
      {"id": "d1", "text": "Sergei Lavrov met John Kerry.", "annotator": "ann1", "status": "done", "sentiment": "neutral"}
      {"id": "d1", "annotator": "ann2", "status": "done", "sentiment": "neutral"}
      {"id": "d1", "annotator": "boss", "status": "done", "sentiment": "negative"}

      """)
    try #require(try AnnoBinary.run(["--db", db, "import", corpus]).status == 0)
    try #require(
      try AnnoBinary.run(["--db", db, "team", "add", "boss", "--role", "manager"]).status == 0)
    try #require(try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "majority"]).status == 0)
    func annotators(_ arguments: [String]) throws -> [String] {
      let result = try AnnoBinary.run(["--db", db, "export", "--format", "csv"] + arguments)
      try #require(result.status == 0, "\(result.stderr)")
      return result.stdout.split(whereSeparator: \.isNewline).dropFirst().map {
        String($0.split(separator: ",")[1])
      }
    }
    #expect(try annotators([]) == ["ann1", "ann2"])
    #expect(try annotators(["--gold"]) == ["gold"])
    #expect(try annotators(["--annotator", "gold"]) == ["gold"])
    #expect(try annotators(["--annotator", "boss"]) == ["boss"])
    let stats = try AnnoBinary.run(["--db", db, "stats", "--format", "json"])
    #expect(stats.stdout.contains(#""annotators":["ann1","ann2"]"#), "\(stats.stdout)")
    let agree = try AnnoBinary.run(["--db", db, "agree", "--format", "json"])
    #expect(agree.status == 0, "\(agree.stderr)")
    #expect(!agree.stdout.contains("boss"))
  }
}
