import AnnoCore
import AnnoTestSupport
import Foundation
import Testing

@Suite struct LabelSchemaTests {
  static let minimal = """
    schema: test
    version: 2
    entities:
      - name: PER
        description: People.
        key: p
        color: cyan
    sentiment:
      values: [negative, neutral, positive]
    stance:
      values: [favor, against, neutral]
      targets:
        - name: Russia
          aliases: [Moscow, Kremlin]
    fields:
      - name: urgency
        level: interval
        values: [1, 2, 3]
    """

  @Test func parsesTheMinimalSchema() throws {
    let schema = try LabelSchema(yaml: Self.minimal)
    #expect(schema.name == "test")
    #expect(schema.version == 2)
    #expect(schema.entityLabels.map(\.name) == ["PER"])
    #expect(schema.stance.allowsAdHocTargets)
    #expect(try schema.storedStanceTarget("the kremlin") == "Russia")
    #expect(try schema.storedStanceTarget("the merger") == "merger")
    #expect(schema.field(named: "urgency")?.canonicalValue("2.0") == "2")
    #expect(schema.allowsSeveralLabelsPerSpan)
  }

  @Test func aSchemaCanGiveARangeOneLabel() throws {
    let schema = try LabelSchema(
      yaml: Self.minimal.replacingOccurrences(
        of: "sentiment:", with: "allow_several_labels_per_span: false\nsentiment:"))
    #expect(!schema.allowsSeveralLabelsPerSpan)
  }

  @Test func theBundledSchemaUsesTheConventionsDatasetsFollow() throws {
    let schema = try LabelSchema(yaml: BundledGuidelines.schemaYAML)
    #expect(schema.entityLabels.map(\.name) == ["PER", "ORG", "LOC", "MISC"])
    #expect(schema.sentiment.values == ["negative", "neutral", "positive"])
    #expect(schema.stance.values == ["favor", "against", "neutral"])
    #expect(
      schema.field(named: "topic")?.values == [
        "diplomacy", "politics", "business", "economy", "sport", "science", "technology", "health",
        "culture", "other",
      ])
    #expect(schema.field(named: "topic")?.level == .nominal)
    #expect(schema.field(named: "urgency")?.level == .ordinal)
    #expect(schema.field(named: "urgency")?.canonicalValue("3.0") == "3")
  }

  @Test func theBundledCopyMatchesGuidelinesFolder() throws {
    // Run scripts/embed-guidelines.sh when this fails.
    let folder = AnnoBinary.repositoryRoot + "/Guidelines"
    let yaml = try String(contentsOfFile: folder + "/schema.yaml", encoding: .utf8)
    #expect(BundledGuidelines.schemaYAML + "\n" == yaml)
    let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter {
      $0.hasSuffix(".md")
    }.sorted()
    #expect(BundledGuidelines.files.keys.sorted() == files)
    for file in files {
      let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
      #expect(BundledGuidelines.files[file].map { $0 + "\n" } == text, "\(file) differs")
    }
  }

  @Test func everyGuidelineReferenceOfTheBundledSchemaPointsToAHeading() throws {
    let schema = try LabelSchema(yaml: BundledGuidelines.schemaYAML)
    let references =
      schema.entityLabels.compactMap(\.guideline) + schema.fields.compactMap(\.guideline)
      + [schema.sentiment.guideline, schema.sentiment.spanGuideline, schema.stance.guideline]
      .compactMap { $0 }
    #expect(references.count == 9)
    for reference in references {
      let section = try #require(
        GuidelineSection.find(reference, in: BundledGuidelines.files), "\(reference)")
      #expect(!section.isEmpty)
    }
  }

  /// A label or field declared twice is refused at the second declaration, whatever the
  /// first one says: two labels of one name would make every span of that name ambiguous.
  @Test(arguments: [
    (
      minimal.replacingOccurrences(
        of: "    color: cyan\n", with: "    color: cyan\n  - name: PER\n    key: q\n"),
      "schema.yaml:8: entity label 'PER' is declared twice"
    ),
    (
      minimal + "\n  - name: urgency\n    level: ordinal\n    values: [low, high]\n",
      "schema.yaml:19: field 'urgency' is declared twice"
    ),
  ])
  func aLabelOrFieldDeclaredTwiceIsRefused(yaml: String, message: String) {
    #expect(throws: SchemaError.self) { _ = try LabelSchema(yaml: yaml) }
    do {
      _ = try LabelSchema(yaml: yaml)
    } catch {
      #expect(error.description == message)
    }
  }

  @Test(arguments: [
    (
      "schema: t\nversion: 1\nentities: []\n",
      "schema.yaml:3: 'entities' must declare at least one label"
    ),
    (
      minimal.replacingOccurrences(of: "color: cyan", with: "colour: cyan"),
      "schema.yaml:7: unknown key 'colour' in an entity label; did you mean 'color'? (allowed: name, description, key, color, guideline)"
    ),
    (
      minimal.replacingOccurrences(of: "color: cyan", with: "color: teal"),
      "schema.yaml:7: unknown colour 'teal'; use one of black, red, green, yellow, blue, magenta, cyan, white, bright-black, bright-red, bright-green, bright-yellow, bright-blue, bright-magenta, bright-cyan, bright-white"
    ),
    (
      minimal.replacingOccurrences(of: "values: [1, 2, 3]", with: "values: [1, two, 3]"),
      "schema.yaml:18: interval field 'urgency' needs numeric values, not 'two'"
    ),
    (
      minimal.replacingOccurrences(of: "level: interval", with: "level: nominative"),
      "schema.yaml:17: unknown level 'nominative'; use nominal, ordinal, interval or ratio"
    ),
    (
      minimal.replacingOccurrences(of: "version: 2", with: "version: two"),
      "schema.yaml:2: 'version' must be a positive whole number, not 'two'"
    ),
    (
      minimal.replacingOccurrences(of: "name: urgency", with: "name: sentiment"),
      "schema.yaml:16: 'sentiment' is reserved; give the field another name"
    ),
    ("schema: [unclosed\n", "schema.yaml:2: invalid YAML: did not find expected ',' or ']'"),
    (
      minimal.replacingOccurrences(
        of: "sentiment:", with: "allow_several_labels_per_span: sometimes\nsentiment:"),
      "schema.yaml:8: 'allow_several_labels_per_span' must be true or false"
    ),
  ])
  func reportsErrorsWithTheirLine(yaml: String, message: String) {
    do {
      _ = try LabelSchema(yaml: yaml)
      Issue.record("expected an error")
    } catch {
      #expect(error.description == message)
    }
  }
}
