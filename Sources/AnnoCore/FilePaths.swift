/// Path arithmetic on plain strings.
///
/// NB: Foundation's `NSString.deletingLastPathComponent` traps on `.` (swift-corelibs), and
/// paths here come from users (`--db .`) and from files (an export's marker).
public enum FilePaths {
  /// A path's folder (`.` for a bare name, `/` at the root) and last component, trailing
  /// slashes ignored.
  public static func split(_ path: String) -> (parent: String, name: String) {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return (".", String(trimmed)) }
    let parent = slash == trimmed.startIndex ? "/" : String(trimmed[..<slash])
    return (parent, String(trimmed[trimmed.index(after: slash)...]))
  }
}
