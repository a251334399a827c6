import AnnoTestSupport
import Foundation
import Testing

/// Suggestions end to end: pattern files, learned labels, the shell, Prodigy export, evaluation.
@Suite struct SuggestionCommandTests {
  static let corpus = """
    {"id": "a", "text": "Sergei Lavrov met NATO envoys in Sochi and Geneva.", "annotator": "ann1", "entities": [{"start": 0, "end": 13, "label": "PER"}, {"start": 43, "end": 49, "label": "LOC"}]}
    {"id": "a", "annotator": "ann2", "entities": [{"start": 0, "end": 13, "label": "PER"}, {"start": 43, "end": 49, "label": "LOC"}]}
    {"id": "b", "text": "In Geneva, Sergei Lavrov criticised NATO."}
    {"id": "c", "text": "Geneva again."}

    """
  static let patterns = """
    {"label": "ORG", "pattern": "NATO"}
    {"label": "PER", "pattern": [{"lower": "sergei"}, {"lower": "lavrov"}], "id": "lavrov"}
    {"label": "LOC", "pattern": "Sochi"}

    """

  func makeDatabase(_ folder: TemporaryDirectory, patterns: Bool = true) throws -> String {
    let db = folder.file("s.sqlite")
    try #require(
      try AnnoBinary.run(["--db", db, "import", try folder.write("c.jsonl", Self.corpus)]).status
        == 0)
    if patterns {
      let loaded = try AnnoBinary.run([
        "--db", db, "patterns", "load", try folder.write("p.jsonl", Self.patterns),
      ])
      try #require(loaded.status == 0, "\(loaded.stderr)")
      #expect(
        loaded.stdout == "loaded 3 patterns from \(folder.file("p.jsonl")): LOC 1, ORG 1, PER 1\n")
    }
    return db
  }

  @Test func badPatternFilesAreRefusedWithEveryLineReported() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder, patterns: false)
    let file = try folder.write(
      "bad.jsonl",
      #"{"label": "PER", "pattern": [{"lowr": "x"}]}"# + "\n" + #"{"lable": "ORG", "pattern": "X"}"#
        + "\n"
        + #"{"label": "PERSON", "pattern": "X"}"# + "\n")
    let result = try AnnoBinary.run(["--db", db, "patterns", "load", file])
    #expect(result.status == 1)
    #expect(
      result.stderr == """
        \(file):1: unknown token attribute 'lowr'; did you mean 'lower'?
        \(file):2: unknown key 'lable'; did you mean 'label'?
        \(file):3: unknown label 'PERSON'; did you mean 'PER'?
        patterns refused: nothing was stored

        """)
    #expect(try AnnoBinary.run(["--db", db, "patterns", "list"]).stdout == "")
  }

  @Test func suggestionsFromPatternsAndLearnedLabelsAreAcceptedRejectedAndUndone() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(
      [
        "--db", db, "--annotator", "ann3", "shell", "-c",
        "open b; show suggestions; accept s2; reject s1; undo; tag MISC NATO; show; show spans",
      ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(
      result.stdout == """
        opened b
        #   label  offsets  text             source
        s1  LOC    3:9      "Geneva"         learned LOC 1
        s2  PER    11:24    "Sergei Lavrov"  pattern lavrov
        s3  ORG    36:40    "NATO"           pattern #1
        accept sN · accept all · accept LABEL · reject sN · reject all
        accepted [Sergei Lavrov]PER#1 11:24
        rejected 1 suggestion
        undone: reject 1 suggestion
        tagged [NATO]MISC#2 36:40
        b
        status: in_progress

        1 │ In [Geneva]?s1LOC, [Sergei Lavrov]PER#1 criticised [NATO]MISC#2.
        #   label  offsets  text             sentiment  stance
        #1  PER    11:24    "Sergei Lavrov"
        #2  MISC   36:40    "NATO"

        """)
    // Accepted and tagged-over suggestions remember where they came from.
    let rows = try sqlite(
      db, "SELECT value, origin, originDetail FROM annotation ORDER BY id DESC LIMIT 2")
    #expect(rows == "MISC|suggested|pattern:#1\nPER|suggested|pattern:lavrov\n")
  }

  @Test func exportsUnstartedDocumentsAsPreannotatedProdigyTasks() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(["--db", db, "export", "--format", "prodigy", "--suggestions"])
    #expect(result.status == 0, "\(result.stderr)")
    let lines = result.stdout.split(separator: "\n")
    #expect(lines.count == 2)
    #expect(lines[0].contains(#""meta":{"annotator":"suggestions","id":"b"}"#))
    #expect(
      lines[0].contains(
        #"{"end":24,"label":"PER","start":11,"text":"Sergei Lavrov","token_end":4,"token_start":3}"#
      ))
    #expect(!lines[0].contains("answer"))
    #expect(
      lines[1].contains(
        #""spans":[{"end":6,"label":"LOC","start":0,"text":"Geneva","token_end":0,"token_start":0}]"#
      ))
    let refused = try AnnoBinary.run(["--db", db, "export", "--format", "spacy", "--suggestions"])
    #expect(refused.status == 64)
  }

  @Test func evaluationMatchesTheHandCount() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    // On document a, ann1 has PER "Sergei Lavrov" and LOC "Geneva". The patterns suggest
    // Sergei Lavrov (right), NATO and Sochi (wrong); the gazetteer learned from ann2 alone
    // (ann1's own labels are left out) suggests Geneva (right).
    let result = try AnnoBinary.run([
      "--db", db, "suggest", "eval", "--annotator", "ann1", "--format", "json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    for expected in [
      #""precision@pattern":0.3333333333333333"#, #""recall@pattern":0.5"#,
      #""precision@learned":1.0"#,
      #""recall@learned":0.5"#, #""precision@all":0.5"#, #""recall@all":1.0"#,
      #""precision@pattern#ORG":0.0"#,
      #""recall@pattern#ORG":null"#, #""documents":1"#,
    ] {
      #expect(result.stdout.contains(expected), "\(expected)")
    }
  }

  @Test func evalInTheShellIsTheSameCommandForTheShellsAnnotator() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let argv = try AnnoBinary.run([
      "--db", db, "suggest", "eval", "--annotator", "ann1", "--format", "json",
    ])
    let shell = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c", "suggest eval --format json",
    ])
    #expect(argv.status == 0 && shell.status == 0, "\(argv.stderr)\(shell.stderr)")
    #expect(shell.stdout.contains(#""precision@all":0.5"#), "\(shell.stdout)")
    #expect(shell.stdout == argv.stdout)
  }

  @Test func theShellsSettingsRefuseOnTheCommandLineAndSaySo() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    for words in [["on"], ["off"], ["on", "--source", "learned"], ["source", "learned"]] {
      let result = try AnnoBinary.run(["--db", db, "--annotator", "ann1", "suggest"] + words)
      #expect(result.status == 1, "\(words)")
      #expect(result.stdout.isEmpty)
      #expect(
        result.stderr.contains("is a shell setting: run it inside 'anno shell'"),
        "\(words): \(result.stderr)")
    }
    // Nothing was kept: the shell still shows suggestions from every source.
    let shell = try AnnoBinary.run(["--db", db, "--annotator", "ann1", "shell", "-c", "suggest"])
    #expect(
      shell.stdout.hasPrefix("suggestions on, from patterns and learned labels"), "\(shell.stdout)")
    let chosen = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c", "suggest source learned; suggest",
    ])
    let lines = chosen.stdout.split(separator: "\n")
    #expect(lines.count == 2, "\(chosen.stdout)")
    #expect(lines.allSatisfy { $0.hasPrefix("suggestions on, from learned") }, "\(chosen.stdout)")
  }

  func sqlite(_ db: String, _ query: String) throws -> String {
    try SQLiteShell.run(db, query).output
  }
}

/// Labels two annotators make in the shell become learned suggestions for a third.
@Suite struct LearnedSuggestionTests {
  @Test func spansTwoAnnotatorsAgreeOnAreSuggestedElsewhere() throws {
    let folder = try TemporaryDirectory()
    let db = folder.file("l.sqlite")
    let corpus = try folder.write(
      "c.jsonl",
      """
      {"id": "a", "text": "Georgia voted. Tbilisi answered."}
      {"id": "b", "text": "In Georgia, Tbilisi and Batumi."}

      """)
    try #require(try AnnoBinary.run(["--db", db, "import", corpus]).status == 0)
    // ann1 and ann2 agree on Georgia (LOC); only ann1 tags Tbilisi.
    for (name, script) in [
      ("ann1", "open a; tag LOC Georgia; tag LOC Tbilisi; done"),
      ("ann2", "open a; tag LOC Georgia; done"),
    ] {
      let result = try AnnoBinary.run(["--db", db, "--annotator", name, "shell", "-c", script])
      try #require(result.status == 0, "\(result.stderr)")
    }
    let third = try AnnoBinary.run([
      "--db", db, "--annotator", "ann3", "shell", "-c", "open b; show suggestions",
    ])
    #expect(third.status == 0, "\(third.stderr)")
    // Agreed spans exist, so only they are learned: Georgia, not Tbilisi.
    #expect(
      third.stdout == """
        opened b
        #   label  offsets  text       source
        s1  LOC    3:10     "Georgia"  learned LOC 1
        accept sN · accept all · accept LABEL · reject sN · reject all

        """)
  }
}
