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
        abstract:
          "Add gold questions from a file of labelled records or from finished gold versions.",
        discussion: """
          --from reads any format 'anno import' reads (Anno, Prodigy, doccano JSONL); each \
          record's labels are the document's known answer, and new documents are imported. \
          --docs takes the finished gold versions (adjudicated) of the matching documents. A \
          document assigned as regular work cannot become a gold question. Gold questions enter \
          queues as documents are assigned: add them before 'anno assign'.
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
        let hadStudy = try session.store.assignmentRule() != nil
        if let documentPattern {
          let added = try session.store.addGoldItemsFromGoldVersion(
            matching: documentPattern == "*" ? nil : DocumentGlob(documentPattern))
          StandardStreams.print("\(added) gold question\(added == 1 ? "" : "s") from gold versions")
        } else if let from {
          let inputs = try ImportInput.expand([from], format: format)
          var importer = CorpusImporter(
            store: session.store, schema: session.schema, format: format,
            annotator: session.annotator, replace: false, skipInvalid: false,
            showsProgress: false, writeError: StandardStreams.writeError)
          importer.asGoldItems = true
          do {
            let (summary, _) = try importer.run(inputs, source: "gold-items \(from)")
            StandardStreams.print(
              "\(try session.store.goldItemCount()) gold questions in all; \(summary.documentsAdded) new document\(summary.documentsAdded == 1 ? "" : "s") from \(from)"
            )
          } catch is ImportAborted {
            StandardStreams.writeError("gold questions refused: nothing was written\n")
            throw ExitCode.failure
          }
        }
        if hadStudy {
          StandardStreams.print(
            "note: queues already assigned keep their gold questions; these enter queues with documents assigned from now on"
          )
        }
      }
    }
  }
}
