import AnnoCore
import AnnoFormats
import AnnoPipeline
import AnnoStore
import ArgumentParser
import Foundation

extension Anno {
  /// `anno gold-items`: documents with a known answer, mixed into queues as gold questions.
  struct GoldItems: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "gold-items",
      abstract: "Mark documents with a known answer as gold questions.",
      subcommands: [Add.self])

    @ParentCommand var anno: Anno

    /// `anno gold-items add --from FILE | --docs GLOB`.
    struct Add: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "add",
        abstract:
          "Add gold questions from a file of labelled records or from finished gold versions.",
        discussion: """
          --from reads any format 'anno import' reads (Anno, Prodigy, doccano JSONL); each \
          record's labels are the document's known answer, and new documents are imported. \
          --docs takes the finished gold versions (adjudicated) of the matching documents. A \
          document assigned as regular work cannot become a gold question. Under a study \
          ('anno assign --gold-rate R'), gold questions enter every queue at that rate, spread \
          through the documents not yet finished, now and as documents are assigned later.
          """)
      @ParentCommand var parent: GoldItems

      @Option(help: ArgumentHelp("A file of labelled records.", valueName: "path"))
      var from: String?

      @Option(
        name: .customLong("docs"),
        help: ArgumentHelp(
          "Documents whose finished gold version is the answer (glob, * for all).",
          valueName: "pattern"))
      var documentPattern: String?

      @Option(help: "The input format of --from: auto, anno, prodigy or doccano.")
      var format: InputFormat = .auto

      func validate() throws {
        if (from == nil) == (documentPattern == nil) {
          throw ValidationError("give either --from FILE or --docs PATTERN")
        }
      }

      func run() throws {
        let session = try Session(options: parent.anno.global)
        let rule = try session.store.assignmentRule()
        var placed: [String: Int] = [:]
        if let documentPattern {
          let added = try session.store.addGoldItemsFromGoldVersion(
            matching: documentPattern == "*" ? nil : DocumentGlob(documentPattern))
          placed = added.placed
          StandardStreams.print(
            "\(added.added) gold question\(added.added == 1 ? "" : "s") from gold versions")
        } else if let from {
          let inputs = try ImportInput.expand([from], format: format)
          var importer = CorpusImporter(
            store: session.store, schema: session.schema, format: format,
            annotator: session.annotator, replace: false, skipInvalid: false,
            showsProgress: false, writeError: StandardStreams.writeError)
          importer.asGoldItems = true
          do {
            let (summary, _) = try importer.run(inputs, source: "gold-items \(from)")
            placed = summary.assignment?.placements ?? [:]
            StandardStreams.print(
              "\(try session.store.goldItemCount()) gold questions in all; \(summary.documentsAdded) new document\(summary.documentsAdded == 1 ? "" : "s") from \(from)"
            )
          } catch is ImportAborted {
            StandardStreams.writeError("gold questions refused: nothing was written\n")
            throw ExitCode.failure
          }
        }
        if let rule {
          StandardStreams.print(Self.describePlacement(placed, rule: rule))
        }
      }

      /// What entering the study's queues did, e.g. `entered the queues at gold rate 0.1:
      /// ann1 1, ann2 1`.
      static func describePlacement(_ placed: [String: Int], rule: AssignmentRule) -> String {
        guard rule.goldRate > 0 else {
          return
            "note: the study was assigned without --gold-rate, so gold questions enter no queue"
        }
        let entries = rule.annotators.compactMap { name in
          placed[name].map { "\(name) \($0)" }
        }
        return entries.isEmpty
          ? "every queue already holds its share at gold rate \(rule.goldRate)"
          : "entered the queues at gold rate \(rule.goldRate): \(entries.joined(separator: ", "))"
      }
    }
  }
}
