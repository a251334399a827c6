import Foundation

/// Anno's in-process benchmarks, run on the release build and never by `swift test`:
///
///     swift run -c release anno-benchmarks [alpha|suggestions|agreement [DOCUMENTS]]...
///
/// Each prints its figures; a benchmark whose result is wrong (an undefined α, no suggestions,
/// a report over the wrong number of documents) exits with status 1. With no argument it runs
/// `alpha` and `suggestions`; `agreement` builds a 100,000-document store in memory (about a
/// minute) and runs only when named. `scripts/bench.sh` measures the whole commands.
let usage = "usage: anno-benchmarks [alpha|suggestions|agreement [DOCUMENTS]]..."
var arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty { arguments = ["alpha", "suggestions"] }
var failures: [String] = []
while let name = arguments.first {
  arguments.removeFirst()
  do {
    switch name {
    case "alpha":
      try AlphaBenchmark.run()
    case "suggestions":
      try SuggestionBenchmark.run()
    case "agreement":
      var documents = 100_000
      if let count = arguments.first.flatMap(Int.init) {
        documents = count
        arguments.removeFirst()
      }
      try AgreementBenchmark.run(documents: documents)
    case "-h", "--help":
      print(usage)
    default:
      FileHandle.standardError.write(
        Data("anno-benchmarks: no benchmark '\(name)'\n\(usage)\n".utf8))
      exit(2)
    }
  } catch {
    failures.append("\(name): \(error)")
  }
}
for failure in failures {
  FileHandle.standardError.write(Data("anno-benchmarks: \(failure)\n".utf8))
}
exit(failures.isEmpty ? 0 : 1)
