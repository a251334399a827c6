// swift-tools-version:6.1
// The fuzz driver for Anno's parsers: a separate package, never part of the main build.
// Its library targets are the main package's own sources, through the symlinks in Mirror/.
import PackageDescription

let package = Package(
  name: "AnnoFuzz",
  dependencies: [
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
  ],
  targets: [
    .target(name: "AnnoAgreement", path: "Mirror/AnnoAgreement"),
    .target(
      name: "AnnoCore",
      dependencies: [.product(name: "Yams", package: "Yams")],
      path: "Mirror/AnnoCore",
      resources: [.embedInCode("Resources/tokenizer-exceptions.tsv")]),
    .target(name: "AnnoFormats", dependencies: ["AnnoCore"], path: "Mirror/AnnoFormats"),
    .target(
      name: "AnnoStore",
      dependencies: [
        "AnnoCore", .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ],
      path: "Mirror/AnnoStore"),
    .target(
      name: "AnnoSuggest", dependencies: ["AnnoCore", "AnnoStore"], path: "Mirror/AnnoSuggest"),
    .target(
      name: "AnnoReport",
      dependencies: ["AnnoCore", "AnnoStore", "AnnoFormats", "AnnoAgreement"],
      path: "Mirror/AnnoReport"),
    .target(
      name: "AnnoPipeline",
      dependencies: [
        "AnnoCore", "AnnoStore", "AnnoFormats", "AnnoAgreement", "AnnoReport", "AnnoSuggest",
      ],
      path: "Mirror/AnnoPipeline"),
    .systemLibrary(name: "CReadline", path: "Mirror/CReadline"),
    .target(
      name: "AnnoShell",
      dependencies: [
        "AnnoCore", "AnnoStore", "AnnoFormats", "AnnoPipeline", "AnnoSuggest", "CReadline",
      ],
      path: "Mirror/AnnoShell"),
    .executableTarget(
      name: "anno-fuzz", dependencies: ["AnnoCore", "AnnoFormats", "AnnoShell"],
      path: "Sources/anno-fuzz",
      // A fuzz driver keeps its state in globals (current input, signal handlers).
      swiftSettings: [.swiftLanguageMode(.v5)]),
  ]
)
