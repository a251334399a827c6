import Foundation

/// Errors the hub reports to users; each names the hub (without its password) or the input.
public enum HubError: Error, Equatable, Sendable, LocalizedError {
  /// A URL that does not parse.
  case badURL(String, reason: String)
  /// The password could not be looked up.
  case credentials(String)
  /// The server could not be reached or refused the login.
  case cannotConnect(hub: String, reason: String)
  /// A query did not finish within its deadline (the connection is closed).
  case timedOut(hub: String, seconds: Double, what: String)
  /// The connection was closed before or while a query ran.
  case connectionClosed(hub: String)
  /// The server refused or failed a statement.
  case server(hub: String, message: String)
  /// The hub database holds a newer schema than this Anno knows.
  case newerHub(hub: String, version: Int)
  /// The hub has not been initialised (`anno hub init`).
  case notInitialised(hub: String)
  /// Bad input to a hub command.
  case invalid(String)

  public var errorDescription: String? {
    switch self {
    case .badURL(let url, let reason): "bad hub URL '\(url)': \(reason)"
    case .credentials(let message): message
    case .cannotConnect(let hub, let reason): "cannot connect to hub \(hub): \(reason)"
    case .timedOut(let hub, let seconds, let what):
      "hub \(hub) did not answer within \(Self.seconds(seconds)) (\(what)); the connection was closed"
    case .connectionClosed(let hub): "the connection to hub \(hub) is closed"
    case .server(let hub, let message): "hub \(hub): \(message)"
    case .newerHub(let hub, let version):
      "hub \(hub) has schema version \(version), newer than this anno knows; upgrade anno"
    case .notInitialised(let hub):
      "hub \(hub) has no Anno schema; run 'anno hub init \(hub)' first"
    case .invalid(let message): message
    }
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
  }
}
