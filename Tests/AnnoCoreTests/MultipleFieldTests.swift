import AnnoCore
import AnnoTestSupport
import Testing

@Suite struct MultipleFieldTests {
  @Test func multipleTrueMakesAFieldSetValued() throws {
    let schema = try MultiLabelSchema.schema()
    #expect(schema.field(named: "topic")?.isMultiple == true)
    #expect(schema.field(named: "urgency")?.isMultiple == false)
    #expect(
      try LabelSchema(yaml: BundledGuidelines.schemaYAML).field(named: "topic")?.isMultiple
        == false)
  }

  @Test func aMultipleFieldMustBeNominal() throws {
    let yaml = BundledGuidelines.schemaYAML.replacingOccurrences(
      of: "    level: ordinal\n", with: "    level: ordinal\n    multiple: true\n")
    let line = yaml.split(separator: "\n", omittingEmptySubsequences: false)
      .firstIndex(of: "    multiple: true").map { $0 + 1 }
    #expect(throws: SchemaError.self) { try LabelSchema(yaml: yaml) }
    do {
      _ = try LabelSchema(yaml: yaml)
    } catch {
      #expect(error.line == line)
      #expect(
        error.message
          == "field 'urgency' is multiple, so its values are compared as sets of names: give it level: nominal, not ordinal"
      )
    }
  }

  @Test func multipleMustBeTrueOrFalse() throws {
    let yaml = MultiLabelSchema.yaml.replacingOccurrences(
      of: "multiple: true", with: "multiple: several")
    #expect(throws: SchemaError.self) { try LabelSchema(yaml: yaml) }
  }

  @Test func declaredOrderListsDeclaredValuesFirstEachOnce() throws {
    let topic = try #require(try MultiLabelSchema.schema().field(named: "topic"))
    #expect(
      topic.declaredOrder(["sport", "economy", "sport", "zzz"]) == ["economy", "sport", "zzz"])
  }

  @Test func validationChecksEveryValueOfASetAndRefusesDuplicates() throws {
    let schema = try MultiLabelSchema.schema()
    let text = ScalarText("Markets and football.")
    let valid = AnnotationSet(annotator: "a", labelSets: ["topic": ["economy", "sport"]])
    #expect(valid.problems(in: text, schema: schema).isEmpty)
    let wrong = AnnotationSet(
      annotator: "a",
      labelSets: ["topic": ["economy", "sprot", "economy"], "urgency": ["1", "2"]])
    #expect(
      wrong.problems(in: text, schema: schema) == [
        "labels.topic: unknown value 'sprot'; did you mean 'sport'? (expected one of diplomacy, politics, business, economy, sport, science, technology, health, culture, other)",
        "labels.topic: 'economy' is given twice; give each value once",
        "labels.urgency: field 'urgency' is not multiple; give one value, not a list of 2",
      ])
    let single = AnnotationSet(annotator: "a", labels: ["topic": "economy"])
    #expect(
      single.problems(in: text, schema: schema) == [
        "labels.topic: field 'topic' is multiple (a set of values); give its values as a list"
      ])
  }

  @Test func normalizingSortsEachSetAndKeepsEachValueOnce() {
    let set = AnnotationSet(annotator: "a", labelSets: ["topic": ["sport", "economy", "sport"]])
    #expect(set.normalized().labelSets == ["topic": ["economy", "sport"]])
    #expect(!set.isEmpty)
  }

  @Test func eachValueOfASetIsItsOwnAdjudicationItem() {
    let items = AdjudicationItems.items(from: [
      AnnotationSet(annotator: "a", labelSets: ["topic": ["economy", "sport"]]),
      AnnotationSet(annotator: "b", labelSets: ["topic": ["economy"]]),
    ])
    #expect(items.map(\.key) == ["choice|topic|economy", "choice|topic|sport"])
    #expect(
      AdjudicationItems.annotation(for: "choice|topic|a|b", value: "present")
        == .choice(field: "topic", value: "a|b"))
    #expect(AdjudicationItems.annotation(for: "choice|topic|sport", value: nil) == nil)
  }
}
