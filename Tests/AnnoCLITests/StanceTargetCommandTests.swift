import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

/// The stance target rules through the `anno` binary: a typo is refused with its suggestion,
/// `+Name` creates one target, case and article variants land on it, an import resolves the
/// same way, and `anno check` finds targets stored in two spellings.
@Suite struct StanceTargetCommandTests {
  func makeDatabase(_ folder: TemporaryDirectory) throws -> String {
    let db = folder.file("t.sqlite")
    let input = try folder.write(
      "docs.jsonl",
      """
      {"id": "a", "text": "Beijing condemned the deal. Moscow said nothing."}
      {"id": "b", "text": "China answered within hours."}

      """)
    let result = try AnnoBinary.run(["--db", db, "import", input])
    try #require(result.status == 0, "\(result.stderr)")
    return db
  }

  /// The document-level stances of `annotator`, by document id, from an Anno export.
  func stances(_ db: String, _ annotator: String) throws -> [String: [String]] {
    let export = try AnnoBinary.run([
      "--db", db, "export", "--annotator", annotator, "--include-unfinished",
    ])
    try #require(export.status == 0, "\(export.stderr)")
    var found: [String: [String]] = [:]
    for line in export.stdout.split(separator: "\n") {
      let record = try JSONParser.parse(Array(line.utf8))
      guard case .string(let id)? = record["id"] else { continue }
      found[id] = (record["stances"]?.arrayValue ?? []).compactMap { stance in
        guard case .string(let target)? = stance["target"],
          case .string(let value)? = stance["value"]
        else { return nil }
        return "\(target)=\(value)"
      }
    }
    return found
  }

  @Test func aTypoIsRefusedAndPlusNameCreatesOneTargetThatVariantsLandOn() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    let result = try AnnoBinary.run(
      ["--db", db, "--annotator", "ann1", "shell"],
      stdin: """
        open a
        stance Rusia against
        stance +China against
        stance the kremlin against
        stance 'the kremlin' against
        open b
        stance 'THE china' favor
        stance chnia neutral
        stance '+the Elbe water permit' neutral
        stance 'elbe  WATER permit' against

        """)
    #expect(result.status == 1)
    #expect(
      result.stderr == """
        line 2: unknown stance target 'Rusia'; did you mean 'Russia'? (targets: European Union, Russia, United States, 10 ad-hoc); '+Rusia' creates a new target
        line 4: 'the' is an article: leave it out or quote the whole target (stance "the kremlin" …)
        line 8: unknown stance target 'chnia'; did you mean 'China'? (targets: European Union, Russia, United States, 11 ad-hoc); '+chnia' creates a new target

        """)
    #expect(
      result.stdout == """
        opened a
        stance toward China (new target): against
        stance toward Russia: against
        opened b
        stance toward China: favor
        stance toward Elbe water permit (new target): neutral
        stance toward Elbe water permit: against

        """)
    #expect(
      try stances(db, "ann1") == [
        "a": ["China=against", "Russia=against"],
        "b": ["China=favor", "Elbe water permit=against"],
      ])
    let check = try AnnoBinary.run(["--db", db, "check"])
    #expect(check.status == 0, "\(check.stdout)")
    #expect(check.stdout.contains("ok       stance targets: 3 stance targets in use"))
  }

  @Test func checkFindsTargetsStoredInTwoSpellingsAndAnImportLandsOnTheOneInUse() throws {
    let folder = try TemporaryDirectory()
    let db = try makeDatabase(folder)
    // Annotators resolve against their own targets only (they work blind), so two of them
    // can each create the same target in another case.
    for (annotator, script) in [
      ("ann1", "open a; stance +China against"),
      ("ann2", "open a; stance +china against; open b; stance china favor"),
    ] {
      let result = try AnnoBinary.run(["--db", db, "--annotator", annotator, "shell", "-c", script])
      #expect(result.status == 0, "\(result.stderr)")
    }
    let check = try AnnoBinary.run(["--db", db, "check"])
    #expect(check.status == 1)
    #expect(
      check.stdout.contains(
        """
        problem  stance targets: 1 problem
                 stance targets 'China' (1 annotation), 'china' (2 annotations) differ only in case or a leading article (agreement counts them as one target, exports as 2)

        """), "\(check.stdout)")
    // An import resolves against everyone's targets, so a third spelling adds none.
    let input = try folder.write(
      "ann3.jsonl",
      #"{"id": "b", "annotator": "ann3", "stances": [{"target": "the CHINA", "value": "against"}, {"target": "the Kremlin", "value": "against"}]}"#
        + "\n")
    let imported = try AnnoBinary.run(["--db", db, "import", input])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(try stances(db, "ann3") == ["b": ["China=against", "Russia=against"]])
  }
}
