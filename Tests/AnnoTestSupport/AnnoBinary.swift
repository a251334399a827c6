import Foundation

/// Runs the built `anno` executable, for end-to-end tests.
public enum AnnoBinary {
  /// What a run printed and how it exited.
  public struct Result: Sendable {
    /// Standard output.
    public var stdout: String
    /// Standard error.
    public var stderr: String
    /// The exit status.
    public var status: Int32
  }

  /// The repository root, found from this file's location.
  public static let repositoryRoot: String = {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
      .path
  }()

  /// The path of the built `anno` binary, next to the test bundle.
  public static var path: String {
    let candidates = [
      URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("anno").path,
      Bundle.main.bundleURL.appendingPathComponent("anno").path,
      Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("anno").path,
      repositoryRoot + "/.build/debug/anno",
    ]
    return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
      ?? candidates[candidates.count - 1]
  }

  /// A preparation step that exited non-zero, with what it printed.
  public struct PreparationFailed: Error, CustomStringConvertible {
    /// The arguments of the run.
    public var arguments: [String]
    /// Its result.
    public var result: Result

    /// The arguments, the exit status and standard error.
    public var description: String {
      "anno \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)"
    }
  }

  /// Runs `anno` as `run` does, for a step that prepares what a test then checks: a non-zero
  /// exit status throws `PreparationFailed`, so a failed step cannot pass for a done one.
  @discardableResult
  public static func prepare(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    in directory: String? = nil
  ) throws -> Result {
    let result = try run(arguments, stdin: stdin, environment: environment, in: directory)
    guard result.status == 0 else {
      throw PreparationFailed(arguments: arguments, result: result)
    }
    return result
  }

  /// Runs `anno` with arguments, optional standard input, environment additions and working
  /// directory. `ANNO_ANNOTATOR` defaults to `tester` and `NO_COLOR` is set, so output does
  /// not depend on who runs the tests.
  ///
  /// - Parameters:
  ///   - launcher: a command that runs `anno` (`["setpriv", "--reuid=65534", ...]`), if any.
  ///   - standardOutput: a file standard output goes to instead of being captured
  ///     (`/dev/full`); `stdout` is empty then.
  public static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    in directory: String? = nil, launcher: [String] = [], standardOutput: String? = nil
  ) throws -> Result {
    let process = Process()
    if let program = launcher.first {
      process.executableURL = URL(fileURLWithPath: program)
      process.arguments = Array(launcher.dropFirst()) + [path] + arguments
    } else {
      process.executableURL = URL(fileURLWithPath: path)
      process.arguments = arguments
    }
    var env = ProcessInfo.processInfo.environment
    env["ANNO_ANNOTATOR"] = "tester"
    env["NO_COLOR"] = "1"
    env.removeValue(forKey: "ANNO_DB")
    for (key, value) in environment { env[key] = value }
    process.environment = env
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    // Output goes to files, so a full pipe can never block the child.
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "anno-run-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: scratch.path + ".out", contents: nil)
    _ = FileManager.default.createFile(atPath: scratch.path + ".err", contents: nil)
    defer {
      try? FileManager.default.removeItem(atPath: scratch.path + ".out")
      try? FileManager.default.removeItem(atPath: scratch.path + ".err")
    }
    let out = try FileHandle(
      forWritingTo: URL(fileURLWithPath: standardOutput ?? (scratch.path + ".out")))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch.path + ".err"))
    let input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    process.waitUntilExit()
    try out.close()
    try err.close()
    let outData =
      standardOutput == nil
      ? FileManager.default.contents(atPath: scratch.path + ".out") ?? Data() : Data()
    let errData = FileManager.default.contents(atPath: scratch.path + ".err") ?? Data()
    return Result(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self),
      status: process.terminationStatus)
  }
}
