import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// End-to-end adjudication: automatic strategies, a scripted review, gold export.
@Suite struct AdjudicationCommandTests {
  static let fixture = """
    {"id": "k", "text": "John Kerry met Sergei Lavrov in Sochi on Tuesday.", "annotator": "ann1", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 28, "label": "PER"}, {"start": 32, "end": 37, "label": "LOC"}], "sentiment": "neutral", "labels": {"topic": "diplomacy"}}
    {"id": "k", "annotator": "ann2", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 15, "end": 28, "label": "PER"}], "sentiment": "negative", "labels": {"topic": "diplomacy"}}
    {"id": "k", "annotator": "ann3", "entities": [{"start": 0, "end": 10, "label": "PER"}, {"start": 32, "end": 37, "label": "ORG"}], "sentiment": "positive", "labels": {"topic": "politics"}}
    {"id": "m", "text": "Moscow answered.", "annotator": "ann1", "entities": [{"start": 0, "end": 6, "label": "LOC"}], "sentiment": "neutral"}
    {"id": "m", "annotator": "ann2", "entities": [{"start": 0, "end": 6, "label": "LOC"}], "sentiment": "neutral"}
    {"id": "n", "text": "Nobody finished this.", "annotator": "ann1", "status": "in_progress", "entities": []}

    """

  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    let db = folder.file("g.sqlite")
    try #require(
      try AnnoBinary.run(["--db", db, "import", try folder.write("in.jsonl", Self.fixture)]).status
        == 0)
    return db
  }

  @Test func automaticStrategiesSettleWhatTheyCanAndRerunsChangeNothing() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let unanimous = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "unanimous"])
    #expect(
      unanimous.stdout == """
        adjudicated 2 documents (unanimous): 3 decided, 0 reopened, 0 reviewer decisions kept, 4 still open
        gold: 2 documents with finished annotations, 1 done; open: 4 disagreements in 1 document; decided: 3 automatically, 0 by a reviewer

        """)
    let majority = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "majority"])
    #expect(
      majority.stdout.hasPrefix(
        "adjudicated 2 documents (majority): 2 decided, 0 reopened, 0 reviewer decisions kept, 2 still open\n"
      ))
    let again = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "majority"])
    #expect(
      again.stdout.hasPrefix(
        "adjudicated 2 documents (majority): 0 decided, 0 reopened, 0 reviewer decisions kept, 2 still open\n"
      ))
    let bad = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "most"])
    #expect(bad.status == 64)
  }

  /// Items every finished annotator agrees on are not disagreements. By hand, on the fixture:
  /// k has 5 items, PER 0:10 agreed by all three, and 4 disputed (15:28 PER/PER/none, 32:37
  /// LOC/none/ORG, sentiment, topic); m's 2 items (LOC 0:6, sentiment) are agreed by both.
  @Test func progressCountsAgreedItemsApartFromDisagreements() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let fresh = try AnnoBinary.run(["--db", db, "adjudicate"])
    #expect(
      fresh.stdout
        == "gold: 2 documents with finished annotations, 0 done; open: 4 disagreements in 1 document, and 3 agreed items not yet in the gold version; decided: 0 automatically, 0 by a reviewer\n"
    )
    // Review opens k (the only document with disagreements) and settles its agreed item there
    let review = try AnnoBinary.run(["--db", db, "--annotator", "rev", "shell", "-c", "review"])
    #expect(
      review.stdout.hasPrefix(
        "review mode: gold: 2 documents with finished annotations, 0 done; open: 4 disagreements in 1 document, and 3 agreed items"
      ), "\(review.stdout)")
    #expect(review.stdout.contains("opened k"), "\(review.stdout)")
    let after = try AnnoBinary.run(["--db", db, "adjudicate"])
    #expect(
      after.stdout
        == "gold: 2 documents with finished annotations, 0 done; open: 4 disagreements in 1 document, and 2 agreed items not yet in the gold version; decided: 1 automatically, 0 by a reviewer\n"
    )
  }

  /// `gold-items add --docs` makes finished gold versions gold questions; a document without
  /// one is no answer.
  @Test func finishedGoldVersionsBecomeGoldQuestions() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let none = try AnnoBinary.run(["--db", db, "gold-items", "add", "--docs", "*"])
    #expect(none.status == 1)
    #expect(none.stderr.contains("no document has a gold version yet"), "\(none.stderr)")
    try AnnoBinary.prepare(
      ["--db", db, "--annotator", "rev", "shell"], stdin: "review\naccept ann2\ndone\n")
    let added = try AnnoBinary.prepare(["--db", db, "gold-items", "add", "--docs", "k*"])
    #expect(added.stdout == "1 gold question from gold versions\n", "\(added.stdout)")
    let missing = try AnnoBinary.run(["--db", db, "gold-items", "add", "--docs", "m*"])
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no finished gold version matches --docs"), "\(missing.stderr)")
    // Everyone who finished k is scored against it
    let quality = try AnnoBinary.prepare(["--db", db, "report", "quality", "--format", "json"])
    let report = try JSONParser.parse(quality.stdout)
    let names = (report["annotators"]?.arrayValue ?? []).compactMap { $0["annotator"]?.stringValue }
    #expect(names == ["ann1", "ann2", "ann3"], "\(quality.stdout)")
  }

  @Test func reviewNamesEachAnnotatorsSpanByItsIDAndAcceptsOneByIt() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let review = try AnnoBinary.run(
      ["--db", db, "--annotator", "rev", "shell"],
      stdin: "review\nshow\naccept ann3#2\nuntag ann1#3\nshow spans\n")
    // Imports number each set's spans in text order: ann1's Sochi is #3, ann3's is #2.
    // A range is one item whose versions are the labels and none (issue 23).
    #expect(
      review.stdout.contains(
        """
        1   PER "Sergei Lavrov" 15:28   ann1#2, ann2#2
        2   none "Sergei Lavrov" 15:28  ann3
        3   LOC "Sochi" 32:37           ann1#3
        4   ORG "Sochi" 32:37           ann3#2
        5   none "Sochi" 32:37          ann2
        """), "\(review.stdout)")
    #expect(review.stdout.contains("accepted ann3#2: ORG \"Sochi\" 32:37\n"))
    #expect(
      review.stderr
        == "line 4: ann1#3 is ann1's span, which you can read but not change; in review you edit the gold version (#N), or 'accept ann1#3'\n"
    )
    // The gold version's own spans are #N in review.
    #expect(review.stdout.contains("#1  PER    0:10     \"John Kerry\""), "\(review.stdout)")
    #expect(review.stdout.contains("ORG    32:37    \"Sochi\""))
  }

  @Test func aScriptedReviewWritesTheGoldVersionWithUndoAndExportsIt() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    #expect(try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "majority"]).status == 0)
    let script = """
      review
      accept 6
      undo
      accept ann2
      tag MISC Tuesday
      done
      quit

      """
    let review = try AnnoBinary.run(["--db", db, "--annotator", "rev", "shell"], stdin: script)
    #expect(review.status == 0, "\(review.stderr)")
    #expect(
      review.stdout == """
        review mode: gold: 2 documents with finished annotations, 1 done; open: 2 disagreements in 1 document; decided: 5 automatically, 0 by a reviewer
        opened k
        accepted: sentiment positive
        undone: accept sentiment positive
        accepted ann2's version of 2 items
        tagged [Tuesday]MISC#3 41:48
        done: k
        no disagreements are open — the gold version is settled. 'anno adjudicate' shows progress.

        """)
    let gold = try AnnoBinary.run(["--db", db, "export", "--gold"])
    #expect(
      gold.stdout == """
        {"annotator":"gold","entities":[{"end":10,"label":"PER","start":0,"text":"John Kerry"},{"end":28,"label":"PER","start":15,"text":"Sergei Lavrov"},{"end":48,"label":"MISC","start":41,"text":"Tuesday"}],"id":"k","labels":{"topic":"diplomacy"},"notes":[],"offsets":"codepoint","sentiment":"negative","span_sentiments":[],"stances":[],"status":"done","text":"John Kerry met Sergei Lavrov in Sochi on Tuesday."}
        {"annotator":"gold","entities":[{"end":6,"label":"LOC","start":0,"text":"Moscow"}],"id":"m","labels":{},"notes":[],"offsets":"codepoint","sentiment":"neutral","span_sentiments":[],"stances":[],"status":"done","text":"Moscow answered."}

        """)
    let conll = try AnnoBinary.run(["--db", db, "export", "--gold", "--format", "conll"])
    #expect(
      conll.stdout.hasPrefix(
        "-DOCSTART- -X- O O\n\nJohn -X- _ B-PER\nKerry -X- _ I-PER\nmet -X- _ O\nSergei -X- _ B-PER\n"
      ))
    #expect(conll.stdout.contains("Tuesday -X- _ B-MISC\n"))
    // Later automatic runs, even with a stricter strategy, leave a reviewed gold version alone.
    let rerun = try AnnoBinary.run(["--db", db, "adjudicate", "--auto", "unanimous"])
    #expect(
      rerun.stdout.hasPrefix(
        "adjudicated 2 documents (unanimous): 0 decided, 0 reopened, 2 reviewer decisions kept, 0 still open\n"
      ))
    #expect(try AnnoBinary.run(["--db", db, "export", "--gold"]).stdout == gold.stdout)
  }

  @Test func refusesSelfReviewAndDocumentsNobodyFinished() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c", "review; open n; accept 1",
    ])
    #expect(result.status == 1)
    #expect(
      result.stderr == """
        line 1: you annotated 'k' yourself; ask another reviewer, or start with 'review --allow-self-review'
        line 2: nobody has finished 'n'; there is nothing to adjudicate
        line 3: nothing is open on this document

        """)
    let allowed = try AnnoBinary.run([
      "--db", db, "--annotator", "ann1", "shell", "-c", "review --allow-self-review; accept 1",
    ])
    #expect(allowed.status == 0, "\(allowed.stderr)")
  }

  @Test func goldExportWithoutAdjudicationSaysWhatToDo() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(["--db", db, "export", "--gold"])
    #expect(result.status == 1)
    #expect(
      result.stderr
        == "Error: no document has a finished gold version yet; run 'anno adjudicate --auto STRATEGY' and 'review' in the shell\n"
    )
  }
}
