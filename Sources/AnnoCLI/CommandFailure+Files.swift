import AnnoShell

extension CommandFailure {
  /// A file that could not be read: `cannot read 'PATH': no such file, or not readable`.
  static func cannotRead(path: String) -> CommandFailure {
    CommandFailure("cannot read '\(path)': no such file, or not readable")
  }
}
