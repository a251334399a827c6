// swift-tools-version:6.1
import PackageDescription

let package = Package(
  name: "Anno",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "anno", targets: ["anno"]),
    .executable(name: "anno-benchmarks", targets: ["AnnoBenchmarks"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
  ],
  targets: [
    // Documents, spans, the label schema, the tokenizer, JSON values, terminal text layout,
    // adjudication items and study assignment. It imports no module of this package.
    .target(
      name: "AnnoCore", dependencies: [.product(name: "Yams", package: "Yams")],
      // spaCy's tokenizer exceptions, compiled in as bytes (PackageResources).
      resources: [.embedInCode("Resources/tokenizer-exceptions.tsv")]),
    // The SQLite store, through GRDB against the system libsqlite3.
    .target(
      name: "AnnoStore",
      dependencies: [
        "AnnoCore", .product(name: "GRDB", package: "GRDB.swift"),
        // SQLite's C API, for the statements an import runs millions of times (RawStatement).
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ]),
    // Span suggestions: pattern files, the learned gazetteer, the engine that matches both
    // against a document, and the provider that builds it from the store.
    .target(name: "AnnoSuggest", dependencies: ["AnnoCore", "AnnoStore"]),
    // Import and export: JSONL readers, wire records, the training-data formats.
    .target(name: "AnnoFormats", dependencies: ["AnnoCore"]),
    // Agreement statistics. Standard library only: it imports nothing.
    .target(name: "AnnoAgreement"),
    // GNU readline, for the interactive shell.
    .systemLibrary(
      name: "CReadline",
      providers: [.apt(["libreadline-dev"])]),
    // The agreement and gold reports: collected, built, rendered.
    .target(
      name: "AnnoReport", dependencies: ["AnnoCore", "AnnoStore", "AnnoFormats", "AnnoAgreement"]),
    // The jobs over one document stream: import (files → validate → store), export (store →
    // records → writer) and agreement (store → report → writer); the ordered handoff between
    // a reader thread and its consumer, the progress line, allocator tuning for long passes.
    .target(
      name: "AnnoPipeline",
      dependencies: [
        "AnnoCore", "AnnoStore", "AnnoFormats", "AnnoAgreement", "AnnoReport", "AnnoSuggest",
      ]),
    // The REPL: line editing, rendering, the shell's state and completion, the error renderer.
    .target(
      name: "AnnoShell",
      dependencies: [
        "AnnoCore", "AnnoStore", "AnnoFormats", "AnnoPipeline", "AnnoSuggest", "CReadline",
      ]),
    // The commands, shared by argv and the shell.
    .target(
      name: "AnnoCLI",
      dependencies: [
        "AnnoCore", "AnnoStore", "AnnoFormats", "AnnoAgreement", "AnnoPipeline", "AnnoReport",
        "AnnoShell", "AnnoSuggest", "AnnoHub",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]),
    .executableTarget(name: "anno", dependencies: ["AnnoCLI"]),
    // The team hub: a PostgreSQL database (through PostgresNIO) that members sync with.
    .target(
      name: "AnnoHub",
      dependencies: [
        "AnnoCore", "AnnoStore", .product(name: "PostgresNIO", package: "postgres-nio"),
      ]),
    // In-process benchmarks of the release build (`swift run -c release anno-benchmarks`),
    // outside `swift test`.
    .executableTarget(
      name: "AnnoBenchmarks",
      dependencies: [
        "AnnoCore", "AnnoStore", "AnnoAgreement", "AnnoReport", "AnnoPipeline", "AnnoSuggest",
      ],
      path: "Benchmarks"),

    .target(
      name: "AnnoTestSupport", dependencies: ["AnnoCore"],
      path: "Tests/AnnoTestSupport"),
    // A throwaway PostgreSQL cluster for the hub tests.
    .target(
      name: "AnnoHubTestSupport",
      dependencies: [
        "AnnoHub", "AnnoTestSupport", .product(name: "PostgresNIO", package: "postgres-nio"),
      ],
      path: "Tests/AnnoHubTestSupport"),
    .testTarget(name: "AnnoCoreTests", dependencies: ["AnnoCore", "AnnoTestSupport"]),
    .testTarget(name: "AnnoStoreTests", dependencies: ["AnnoStore", "AnnoTestSupport"]),
    .testTarget(
      name: "AnnoFormatsTests", dependencies: ["AnnoFormats", "AnnoTestSupport"],
      exclude: ["Snapshots", "FuzzCorpus"]),
    .testTarget(name: "AnnoAgreementTests", dependencies: ["AnnoAgreement", "AnnoCore"]),
    .testTarget(name: "AnnoPipelineTests", dependencies: ["AnnoPipeline"]),
    .testTarget(
      name: "AnnoSuggestTests", dependencies: ["AnnoSuggest", "AnnoCore", "AnnoTestSupport"]),
    .testTarget(
      name: "AnnoReportTests",
      dependencies: [
        "AnnoReport", "AnnoPipeline", "AnnoTestSupport", "AnnoStore", "AnnoAgreement", "AnnoCore",
      ],
      exclude: ["Snapshots"]),
    .testTarget(name: "AnnoShellTests", dependencies: ["AnnoShell", "AnnoTestSupport"]),
    .testTarget(
      name: "AnnoHubTests",
      dependencies: [
        "AnnoHub", "AnnoHubTestSupport", "AnnoTestSupport", "AnnoStore", "AnnoCore",
        "AnnoFormats", "AnnoPipeline", .product(name: "PostgresNIO", package: "postgres-nio"),
      ]),
    .testTarget(
      name: "AnnoCLITests",
      dependencies: [
        "AnnoCLI", "AnnoTestSupport", "AnnoStore", "AnnoAgreement", "AnnoCore", "AnnoHub",
        "AnnoHubTestSupport",
      ],
      exclude: ["Scripts"]),
  ]
)

for target in package.targets where target.type != .system {
  var settings = target.swiftSettings ?? []
  settings.append(.enableUpcomingFeature("ExistentialAny"))
  target.swiftSettings = settings
}
