import AnnoCore
import Testing

@Suite struct StanceTargetResolutionTests {
  /// A schema whose `stance:` block has these lines (two-space indented under `stance:`).
  static func yaml(stance lines: String) -> String {
    """
    schema: t
    version: 1
    entities:
      - name: PER
    sentiment:
      values: [negative, neutral, positive]
    stance:
      values: [favor, against, neutral]

    """ + lines
  }

  static let schema = try! LabelSchema(
    yaml: yaml(
      stance: """
          ad_hoc_targets: [Hyllie stadium plan]
          targets:
            - name: Russia
              aliases: [Moscow, Kremlin]
            - name: United States
              aliases: [U.S., America]
        """))

  @Test func namesAndAliasesCompareWithoutCaseSpacingOrArticle() throws {
    let targets = StanceTargets(schema: Self.schema)
    for written in ["Russia", "russia", "the Kremlin", "The  KREMLIN", " Moscow ", "an moscow"] {
      let resolved = try targets.resolve(written, creating: false)
      #expect(resolved == ResolvedStanceTarget(name: "Russia", source: .declared), "\(written)")
    }
    #expect(try targets.resolve("the hyllie stadium plan", creating: false).source == .admitted)
    #expect(
      try targets.resolve("the hyllie stadium plan", creating: false).name == "Hyllie stadium plan")
  }

  @Test func anUnknownNameIsRefusedWithADidYouMeanOverNamesAndAliases() {
    let targets = StanceTargets(schema: Self.schema, inUse: ["Lindenhof-Rheinfels merger"])
    #expect(throws: StanceTargetError.self) { try targets.resolve("Rusia", creating: false) }
    do {
      _ = try targets.resolve("Kremln", creating: false)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.message
          == "unknown stance target 'Kremln'; did you mean 'Kremlin' (Russia)? (targets: Russia, United States, 2 ad-hoc); '+Kremln' creates a new target"
      )
    }
    do {
      _ = try targets.resolve("Lindenhof Rheinfels merger", creating: false)
      Issue.record("expected an error")
    } catch {
      #expect(error.message.contains("did you mean 'Lindenhof-Rheinfels merger'?"))
    }
  }

  @Test func creatingMakesOneTargetAndVariantsLandOnIt() throws {
    var targets = StanceTargets(schema: Self.schema)
    let created = try targets.resolve("the Dresden chip plant", creating: true)
    #expect(created == ResolvedStanceTarget(name: "Dresden chip plant", source: .created))
    targets.adopt(created.name)
    for written in ["dresden chip plant", "The Dresden Chip Plant"] {
      #expect(
        try targets.resolve(written, creating: false)
          == ResolvedStanceTarget(name: "Dresden chip plant", source: .inUse))
    }
    // Creating a name that is already known lands on the known target.
    #expect(try targets.resolve("kremlin", creating: true).name == "Russia")
    // A new name close to a known one is created, and the resemblance reported.
    #expect(try targets.resolve("Rusia", creating: true).resembles == "Russia")
  }

  @Test func aSchemaWithoutAdHocTargetsRefusesNewOnes() throws {
    let strict = try LabelSchema(
      yaml: Self.yaml(
        stance: """
            allow_ad_hoc_targets: false
            ad_hoc_targets: [China]
            targets:
              - name: Russia
          """))
    let targets = StanceTargets(schema: strict)
    #expect(try targets.resolve("china", creating: false).name == "China")
    do {
      _ = try targets.resolve("Japan", creating: true)
      Issue.record("expected an error")
    } catch {
      #expect(
        error.message
          == "this schema admits no new stance targets: 'Japan' is not one of Russia, China (a study admits more in the schema's stance.ad_hoc_targets)"
      )
    }
  }

  @Test func emptyAndNULNamesAreRefused() {
    let targets = StanceTargets(schema: Self.schema)
    #expect(throws: StanceTargetError("the stance target is empty")) {
      try targets.resolve("  ", creating: true)
    }
    #expect(
      throws: StanceTargetError("the target contains U+0000 (NUL), which cannot be stored")
    ) { try targets.resolve("a\u{0}b", creating: true) }
  }

  @Test(arguments: [
    (
      "  ad_hoc_targets: [the Kremlin]\n",
      "schema.yaml:9: ad-hoc target 'the Kremlin' is already a target, an alias or another ad-hoc target (names compare without case or a leading article)"
    ),
    (
      "  ad_hoc_targets: [China, china]\n",
      "schema.yaml:9: ad-hoc target 'china' is already a target, an alias or another ad-hoc target (names compare without case or a leading article)"
    ),
  ])
  func theSchemaRefusesTargetsThatWouldCompareEqual(line: String, message: String) {
    let yaml =
      Self.yaml(stance: line) + """
          targets:
            - name: Russia
              aliases: [Kremlin]
        """
    do {
      _ = try LabelSchema(yaml: yaml)
      Issue.record("expected an error")
    } catch {
      #expect(error.description == message)
    }
  }
}
