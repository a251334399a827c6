import AnnoCore
import Foundation
import Testing

/// The one temporary name exports, staged folders and backups write under.
@Suite struct TemporarySiblingTests {
  @Test func aTemporaryNameIsAHiddenSiblingThatCarriesThisProcess() {
    let path = TemporarySibling.path(for: "/data/out/train.jsonl")
    #expect(path.hasPrefix("/data/out/.train.jsonl.anno-tmp-\(getpid())-"))
    let name = String(path.dropFirst("/data/out/".count))
    #expect(TemporarySibling.processID(inName: name) == getpid())
    #expect(TemporarySibling.processID(inName: name + "-wal") == getpid())
    #expect(TemporarySibling.path(for: "/data/out/train.jsonl") != path)
  }

  @Test(arguments: [
    "train.jsonl", ".train.jsonl", "train.jsonl.anno-tmp-12-34", ".x.anno-tmp-0-1",
    ".x.anno-tmp-12", ".x.anno-tmp-abc-1", ".x.anno-tmp-12-x",
  ])
  func otherNamesCarryNoProcess(name: String) {
    #expect(TemporarySibling.processID(inName: name) == nil)
  }
}
