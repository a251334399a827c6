import AnnoTestSupport
import Foundation
import Testing

@testable import AnnoCore

/// Which output paths `ProtectedFiles` refuses: the same file by identity, whatever the path.
@Suite struct ProtectedFilesTests {
  @Test func aFileIsTheSameWhateverThePathThatLeadsToIt() throws {
    let folder = try TemporaryDirectory()
    let db = try folder.write("data/a.sqlite", "x")
    let holder = NSObject()
    ProtectedFiles.register(database: db, heldBy: holder)
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("link"), withDestinationPath: "data/a.sqlite")
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("chain"), withDestinationPath: folder.file("link"))
    try FileManager.default.linkItem(atPath: db, toPath: folder.file("hard"))
    for path in [
      db, folder.file("data/../data/a.sqlite"), folder.file("link"), folder.file("chain"),
      folder.file("hard"),
    ] {
      #expect(ProtectedFiles.refusal(toWrite: path)?.contains("is the database") == true, "\(path)")
    }
    // Files SQLite has not made yet are compared by their real folder and name.
    try FileManager.default.createSymbolicLink(
      atPath: folder.file("to-data"), withDestinationPath: folder.file("data"))
    #expect(
      ProtectedFiles.refusal(toWrite: folder.file("to-data/a.sqlite-journal"))
        == "cannot write '\(folder.file("to-data/a.sqlite-journal"))': it is the rollback journal of the database '\(db)'; nothing was written, choose another path"
    )
    #expect(ProtectedFiles.refusal(toWrite: folder.file("data/a.sqlite.jsonl")) == nil)
    #expect(ProtectedFiles.refusal(toWrite: folder.file("data/b.sqlite")) == nil)
    withExtendedLifetime(holder) {}
  }

  @Test func aFolderThatHoldsAProtectedFileIsRefusedWhole() throws {
    let folder = try TemporaryDirectory()
    let db = try folder.write("outer/inner/a.sqlite", "x")
    let holder = NSObject()
    ProtectedFiles.register(database: db, heldBy: holder)
    for path in [folder.path, folder.file("outer"), folder.file("outer/inner/"), "/"] {
      #expect(
        ProtectedFiles.refusal(toReplaceFolder: path)?.contains("it holds the database") == true,
        "\(path)")
    }
    try FileManager.default.createDirectory(
      atPath: folder.file("outer/other"), withIntermediateDirectories: true)
    #expect(ProtectedFiles.refusal(toReplaceFolder: folder.file("outer/other")) == nil)
    #expect(ProtectedFiles.refusal(toReplaceFolder: folder.file("missing")) == nil)
    withExtendedLifetime(holder) {}
  }

  @Test func aFileIsProtectedOnlyWhileItsHolderLives() throws {
    let folder = try TemporaryDirectory()
    let script = try folder.write("session.anno", "show\n")
    do {
      let holder = NSObject()
      ProtectedFiles.register(script, as: "the script being run", heldBy: holder)
      #expect(ProtectedFiles.refusal(toWrite: script)?.contains("the script being run") == true)
      withExtendedLifetime(holder) {}
    }
    #expect(ProtectedFiles.refusal(toWrite: script) == nil)
  }

  @Test func pathsSplitWithoutFoundation() {
    #expect(FilePaths.split(".") == (".", "."))
    #expect(FilePaths.split("a.sqlite") == (".", "a.sqlite"))
    #expect(FilePaths.split("/a.sqlite") == ("/", "a.sqlite"))
    #expect(FilePaths.split("x/y/") == ("x", "y"))
    #expect(FilePaths.split("/") == ("/", ""))
  }
}
