import AnnoCore
import AnnoShell
import AnnoStore
import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoCLI

/// Drives the shell's command evaluator with scripted lines and compares what it prints.
@Suite struct ShellTranscriptTests {
  final class Transcript {
    var text = ""
  }

  static let article = "John Kerry met Sergei Lavrov in Sochi. Lavrov said: “No deal.” Lavrov left."

  func makeShell(annotator: String = "ann1", folder: TemporaryDirectory) throws -> (
    ShellContext, Transcript
  ) {
    let options = try GlobalOptions.parse([
      "--db", folder.file("t.sqlite"), "--annotator", annotator,
    ])
    let session = try Session(options: options)
    if try session.store.documentCount() == 0 {
      _ = try session.store.importRecords(source: "test", replace: false) { t in
        try t.importRecord(
          document: Document(externalID: "kerry", text: Self.article, title: "Talks"),
          externalID: "kerry", annotations: nil)
        try t.importRecord(
          document: Document(externalID: "second", text: "Second text about Moscow."),
          externalID: "second", annotations: nil)
      }
    }
    let transcript = Transcript()
    let context = try ShellContext(
      session: session, palette: Palette(isEnabled: false), isInteractive: false, width: 80,
      write: { transcript.text += $0 })
    return (context, transcript)
  }

  /// Runs lines, recording output and `error: ` lines in one transcript.
  func run(_ lines: [String], in context: ShellContext, _ transcript: Transcript) -> String {
    transcript.text = ""
    for line in lines {
      transcript.text += "> \(line)\n"
      switch ShellCommands.evaluate(line, in: context) {
      case .failure(let failure): transcript.text += failure.rendered(at: .prompt) + "\n"
      case .quit: transcript.text += "(quit)\n"
      case .success: break
      }
    }
    return transcript.text
  }

  @Test func tagsInEveryWayAndShowsTheResult() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    let output = run(
      [
        "open kerry", #"tag PER "John Kerry""#, "tag PER Lavrov #2", "tag LOC 32:37",
        "tag MISC t0-t1 --also", "tag ORG /Lav\\w+/ --also", #"tag per "Serg" --chars"#,
        "show spans",
      ], in: shell, transcript)
    #expect(
      output == """
        > open kerry
        opened kerry
        > tag PER "John Kerry"
        tagged [John Kerry]PER#1 0:10
        > tag PER Lavrov #2
        tagged [Lavrov]PER#2 39:45
        > tag LOC 32:37
        tagged [Sochi]LOC#3 32:37
        > tag MISC t0-t1 --also
        tagged [John Kerry]MISC#4 0:10
        > tag ORG /Lav\\w+/ --also
        tagged [Lavrov]ORG#5 22:28
        tagged [Lavrov]ORG#6 39:45
        tagged [Lavrov]ORG#7 63:69
        > tag per "Serg" --chars
        tagged [Serg]PER#8 15:19
        > show spans
        #   label  offsets  text          sentiment  stance
        #4  MISC   0:10     "John Kerry"
        #1  PER    0:10     "John Kerry"
        #8  PER    15:19    "Serg"
        #5  ORG    22:28    "Lavrov"
        #3  LOC    32:37    "Sochi"
        #6  ORG    39:45    "Lavrov"
        #2  PER    39:45    "Lavrov"
        #7  ORG    63:69    "Lavrov"

        """)
  }

  @Test func refusesToCutTokensUnlessToldToSnapOrKeepCharacters() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    let output = run(
      [
        "open kerry", #"tag PER "Serg""#, "tag PER 16:28", #"tag PER "Serg" --snap"#,
        "tag PER 16:28 --snap", "tag PER Lavrov all",
      ],
      in: shell, transcript)
    #expect(
      output == """
        > open kerry
        opened kerry
        > tag PER "Serg"
        error: "Serg" occurs only inside other words here: "Sergei" (1×); tag those words, or give --snap (whole words) or --chars (these characters)
        > tag PER 16:28
        error: 16:28 cuts the token "Sergei" 15:21; --snap tags 15:28 "Sergei Lavrov", --chars keeps 16:28 "ergei Lavrov"
        > tag PER "Serg" --snap
        tagged [Sergei]PER#1 15:21 (snapped from 15:19 "Serg" to whole tokens)
        > tag PER 16:28 --snap
        error: "Sergei Lavrov" 15:28 overlaps [Sergei]PER#1 15:21; spans of one label do not overlap ('extend #1 right' widens it, 'untag #1' removes it)
        > tag PER Lavrov all
        tagged [Lavrov]PER#2 22:28
        tagged [Lavrov]PER#3 39:45
        tagged [Lavrov]PER#4 63:69

        """)
  }

  @Test func labelsSentimentStanceFieldsAndNotes() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    _ = run(["open kerry", #"tag PER "Sergei Lavrov""#], in: shell, transcript)
    let output = run(
      [
        "sentiment negative", "sentiment positive", "sentiment neutral #1",
        "stance kremlin against", "stance Russia favor 1", "label topic diplomacy",
        "label urgency 4",
        #"note "check the quote""#,
        #"flag "unsure about the quote""#, "show",
      ], in: shell, transcript)
    #expect(
      output == """
        > sentiment negative
        document sentiment: negative
        > sentiment positive
        document sentiment: positive
        > sentiment neutral #1
        span #1 "Sergei Lavrov": sentiment neutral
        > stance kremlin against
        stance toward Russia: against
        > stance Russia favor 1
        stance toward Russia: favor on "Sergei Lavrov" 15:28
        > label topic diplomacy
        topic: diplomacy
        > label urgency 4
        urgency: 4
        > note "check the quote"
        noted n1
        > flag "unsure about the quote"
        flagged: unsure about the quote
        > show
        kerry — Talks
        status: flagged (unsure about the quote) · sentiment: positive · stance: Russia=against · topic: diplomacy · urgency: 4 · notes: 1 ('notes' lists them)
        stance: Russia=favor, evidence "Sergei Lavrov" 15:28

        1 │ John Kerry met [Sergei Lavrov]PER#1 in Sochi. Lavrov said: “No deal.” Lavrov
          │ left.

        """)
  }

  @Test func errorsSayWhatToTypeInstead() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    let output = run(
      [
        #"tag PER "Kerry""#, "open kery", "tga PER Kerry", "open kerry", "tag PERSON Kerry",
        #"tag PER "Putin""#,
        "sentiment happy", "stance Russia pro", "label topik sport", "label topic sports",
        "untag 9", "tag PER 70:99", #"tag PER "unclosed"#, "relabel", "extend #1 up",
      ], in: shell, transcript)
    #expect(
      output == """
        > tag PER "Kerry"
        error: no document is open; use 'next', 'open ID' or 'list'
        > open kery
        error: no document with id 'kery'; did you mean 'kerry'?
        > tga PER Kerry
        error: unknown command 'tga'; did you mean 'tag'? (type 'help' for the list)
        > open kerry
        opened kerry
        > tag PERSON Kerry
        error: unknown label 'PERSON'; did you mean 'PER'? (expected one of PER, ORG, LOC, MISC)
        > tag PER "Putin"
        error: "Putin" does not occur in this document
        > sentiment happy
        error: unknown sentiment 'happy' (expected one of negative, neutral, positive)
        > stance Russia pro
        error: unknown stance value 'pro' (expected one of favor, against, neutral)
        > label topik sport
        error: unknown field 'topik'; did you mean 'topic'? (expected one of topic, urgency)
        > label topic sports
        error: unknown value of topic 'sports'; did you mean 'sport'? (expected one of diplomacy, politics, business, economy, sport, science, technology, health, culture, other)
        > untag 9
        error: there are no spans on this document yet; tag one with 'tag LABEL "text"'
        > tag PER 70:99
        error: offsets 70:99 go past the end of the text (75 code points)
        > tag PER "unclosed
        error: unterminated quote "; close it with "
        > relabel
        error: Missing expected argument '<arguments> ...'
          usage: relabel <arguments> ...
        > extend #1 up
        error: there are no spans on this document yet; tag one with 'tag LABEL "text"'

        """)
  }

  @Test func undoAndRedoWorkAcrossDocumentsAndSessions() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    _ = run(
      ["open kerry", "tag PER Lavrov", "open second", "tag LOC Moscow"], in: shell, transcript)
    // A new session on the same database undoes the last change of the earlier one.
    let (later, laterTranscript) = try makeShell(folder: folder)
    let output = run(
      ["open second", "undo", "undo", "redo", "show spans", "undo", "undo", "undo"], in: later,
      laterTranscript)
    #expect(
      output == """
        > open second
        opened second
        > undo
        undone: tag LOC #1 "Moscow" 18:24
        > undo
        undone: tag PER #1 "Lavrov" 22:28 (on kerry; 'open kerry' to see it)
        > redo
        redone: tag PER #1 "Lavrov" 22:28 (on kerry; 'open kerry' to see it)
        > show spans
        no spans yet; tag one with 'tag LABEL "text"'
        > undo
        undone: tag PER #1 "Lavrov" 22:28 (on kerry; 'open kerry' to see it)
        > undo
        nothing to undo
        > undo
        nothing to undo

        """)
    // Undone back to before the first change: ann1 never touched the document.
    #expect(try later.store.annotations(of: "kerry", by: "ann1") == nil)
  }

  @Test func refusesUnknownTargetsWhenTheSchemaAllowsNoAdHocTargets() throws {
    let folder = try TemporaryDirectory()
    let strict = BundledGuidelines.schemaYAML.replacingOccurrences(
      of: "allow_ad_hoc_targets: true", with: "allow_ad_hoc_targets: false")
    let schema = try folder.write("schema.yaml", strict)
    let options = try GlobalOptions.parse([
      "--db", folder.file("s.sqlite"), "--schema", schema, "--annotator", "a",
    ])
    let session = try Session(options: options)
    _ = try session.store.importRecords(source: "t", replace: false) {
      try $0.importRecord(
        document: Document(externalID: "d", text: "Text."), externalID: "d", annotations: nil)
    }
    let transcript = Transcript()
    let shell = try ShellContext(
      session: session, palette: Palette(isEnabled: false), isInteractive: false, width: 80,
      write: { transcript.text += $0 })
    let output = run(
      [
        "open d", "stance Atlantis favor", "stance Rusia favor", "stance +Atlantis favor",
        "stance EU favor", "stance 'the hamilton CITY budget' against",
      ], in: shell, transcript)
    #expect(
      output == """
        > open d
        opened d
        > stance Atlantis favor
        error: unknown stance target 'Atlantis' (targets: European Union, Russia, United States, 10 ad-hoc); this schema admits no other targets
        > stance Rusia favor
        error: unknown stance target 'Rusia'; did you mean 'Russia'? (targets: European Union, Russia, United States, 10 ad-hoc); this schema admits no other targets
        > stance +Atlantis favor
        error: this schema admits no new stance targets: 'Atlantis' is not one of European Union, Russia, United States, Lindenhof-Rheinfels merger, Hyllie stadium plan, Hamilton city budget, measles catch-up campaign, Scottish Cup replay ruling, EU-Mercosur trade agreement, Dresden chip plant, Golden Bear award, Black Sea grain deal, trilateral missile-warning link (a study admits more in the schema's stance.ad_hoc_targets)
        > stance EU favor
        stance toward European Union: favor
        > stance 'the hamilton CITY budget' against
        stance toward Hamilton city budget: against

        """)
  }

  @Test func doneMovesToTheNextUnfinishedDocument() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    let output = run(["next", "done", "done", "next", "list all"], in: shell, transcript)
    #expect(
      output == """
        > next
        opened kerry
        > done
        done: kerry
        opened second
        > done
        done: second
        every document is done or skipped — well done. 'list all' shows them.
        > next
        every document is done or skipped — well done. 'list all' shows them.
        > list all
           id      status  title
           kerry   done    Talks
        ▶  second  done

        """)
    #expect(shell.prompt() == "ann1 · second [2/2] > ")
  }

  @Test func compareAndShowAllOverlayOtherAnnotators() throws {
    let folder = try TemporaryDirectory()
    let (first, firstTranscript) = try makeShell(annotator: "ann1", folder: folder)
    _ = run(
      ["open kerry", #"tag PER "John Kerry""#, "tag PER Lavrov #1", "sentiment negative"],
      in: first, firstTranscript)
    let (second, transcript) = try makeShell(annotator: "ann2", folder: folder)
    let output = run(
      ["open kerry", #"tag PER "John Kerry""#, "tag LOC Sochi", "compare ann1", "show --all"],
      in: second, transcript)
    #expect(
      output == """
        > open kerry
        opened kerry
        > tag PER "John Kerry"
        tagged [John Kerry]PER#1 0:10
        > tag LOC Sochi
        tagged [Sochi]LOC#2 32:37
        > compare ann1
        - only you:  span [Sochi]LOC#2 32:37
        + only ann1: sentiment negative
        + only ann1: span [Lavrov]PER@ann1#2 22:28
        > show --all
        kerry — Talks
        status: in_progress

        1 │ [[John Kerry]PER@ann1#1]PER#1 met Sergei [Lavrov]PER@ann1#2 in [Sochi]LOC#2.
          │ Lavrov said: “No deal.” Lavrov left.

        """)
  }

  @Test func findHighlightsAndOpensHits() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    let output = run(["find moscow", "open 1", "find nothing-like-this"], in: shell, transcript)
    #expect(
      output == """
        > find moscow
        1  second  Second text about «Moscow».
        > open 1
        opened second
        > find nothing-like-this
        nothing found for "nothing-like-this"

        """)
  }

  @Test func guideAndHelpExplain() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    let guide = run(["guide PER"], in: shell, transcript)
    #expect(guide.hasPrefix("> guide PER\n## PER\n"))
    let help = run(["help"], in: shell, transcript)
    for command in [
      "tag", "untag", "relabel", "extend", "sentiment", "stance", "label", "undo", "redo", "find",
      "guide",
    ] {
      #expect(help.contains("\n\(command) "), "help lists \(command)")
    }
    #expect(run(["help tag"], in: shell, transcript).contains("tag PER t14-t16"))
  }

  @Test func guideShowsALabelsWorkedDecisionsAndSearchFindsThem() throws {
    let folder = try TemporaryDirectory()
    let (shell, transcript) = try makeShell(folder: folder)
    let per = run(["guide per"], in: shell, transcript)
    #expect(per.hasPrefix("> guide per\n## PER\n"))
    #expect(per.contains("\nWorked decisions (6) · 'guide --search WORD' finds more\n"))
    #expect(
      per.contains(
        """

        E02  sport/hockey-world-final · entities
            text    “Czech Prime Minister Marek Holub”
            not     Czech Prime Minister [Marek Holub]PER
            but     [Czech]MISC Prime Minister [Marek Holub]PER
            why     A demonym is MISC wherever it stands, also in front of a title.
            rule    entities.md#titles-and-roles

        """))
    #expect(!per.contains("```"))
    // A stance target shows the targets and the decisions about it.
    let russia = run(["guide 'the Kremlin'"], in: shell, transcript)
    #expect(russia.contains("## Targets\n"))
    #expect(russia.contains("\nT04  brussels-sanctions-package · stance\n"))
    #expect(!russia.contains("T03  "))
    // Search: every word, any case, with or without accents, in decisions and sections.
    let search = run(["guide --search Kremlin spokesman"], in: shell, transcript)
    #expect(search.contains("2 worked decisions mention 'Kremlin spokesman'\n"))
    #expect(search.contains("\nE19  brussels-sanctions-package · entities\n"))
    #expect(search.contains("\nT04  brussels-sanctions-package · stance\n"))
    #expect(search.contains("Sections: entities.md#metonymy, stance.md#holders-and-targets\n"))
    #expect(
      run(["guide --search ZÜRICH bordering"], in: shell, transcript).contains(
        "1 worked decision mentions 'ZÜRICH bordering'\n\nS15  zurich-bank-merger · span sentiment\n"
      ))
    #expect(
      run(["guide --search xyzzy"], in: shell, transcript)
        == "> guide --search xyzzy\nnothing in the guidelines mentions 'xyzzy'\n")
    #expect(
      run(["guide PER ORG"], in: shell, transcript)
        == "> guide PER ORG\nerror: 'guide' takes one label; to find words, 'guide --search PER ORG'\n"
    )
    let overview = run(["guide"], in: shell, transcript)
    #expect(overview.contains("schema anno-news v2 · guidelines "))
    #expect(overview.contains(" worked decisions\n"))
  }
}

/// Two reviewers adjudicating the same document at once.
@Suite struct ConcurrentReviewTests {
  @Test func theLaterOfTwoReviewersWinsAndIsToldSo() throws {
    let folder = try TemporaryDirectory()
    let path = folder.file("r.sqlite")
    func shell(_ name: String) throws -> (ShellContext, ShellTranscriptTests.Transcript) {
      let session = try Session(
        options: try GlobalOptions.parse(["--db", path, "--annotator", name]))
      let transcript = ShellTranscriptTests.Transcript()
      let context = try ShellContext(
        session: session, palette: Palette(isEnabled: false), isInteractive: false, width: 80,
        write: { transcript.text += $0 })
      return (context, transcript)
    }
    let (first, firstTranscript) = try shell("rev1")
    _ = try first.store.importRecords(source: "t", replace: false) { t in
      try t.importRecord(
        document: Document(externalID: "d", text: "Kerry spoke."), externalID: "d",
        annotations: AnnotationSet(annotator: "a", entities: [], sentiment: "negative"))
      try t.importRecord(
        document: nil, externalID: "d",
        annotations: AnnotationSet(annotator: "b", entities: [], sentiment: "positive"))
    }
    let (second, secondTranscript) = try shell("rev2")
    let runner = ShellTranscriptTests()
    // Both reviewers see the same two versions; rev1 takes the first, then rev2 the second.
    _ = runner.run(["review"], in: first, firstTranscript)
    _ = runner.run(["review"], in: second, secondTranscript)
    #expect(
      runner.run(["accept 1"], in: first, firstTranscript)
        == "> accept 1\naccepted: sentiment negative\n")
    #expect(
      runner.run(["accept 2"], in: second, secondTranscript)
        == "> accept 2\nnote: rev1 had decided sentiment as negative; your decision replaces it (both are in the log)\naccepted: sentiment positive\n"
    )
    let history =
      try first.store.history(of: "rev1", limit: 5).map(\.summary)
      + (try second.store.history(of: "rev2", limit: 5).map(\.summary))
    #expect(
      history.contains("accept sentiment negative") && history.contains("accept sentiment positive")
    )
    #expect(try first.store.annotations(of: "d", by: "gold")?.sentiment == "positive")
  }
}
