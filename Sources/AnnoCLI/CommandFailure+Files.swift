import Foundation

/// Errors of the command layer, rendered by ArgumentParser as `Error: message`.
enum CLIError: Error, LocalizedError {
  case cannotRead(path: String)
  case message(String)

  var errorDescription: String? {
    switch self {
    case .cannotRead(let path): "cannot read '\(path)': no such file, or not readable"
    case .message(let text): text
    }
  }
}
