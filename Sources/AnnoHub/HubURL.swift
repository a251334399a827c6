import Foundation

/// Where a hub lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`.
///
/// The password is kept apart from the address: `description` never shows it, so a URL can
/// be printed, logged and remembered in a SQLite file without leaking it.
public struct HubURL: Hashable, Sendable, CustomStringConvertible {
  /// The PostgreSQL role to log in as.
  public var user: String
  /// The password given in the URL itself, if any (the other sources are in `HubCredentials`).
  public var password: String?
  /// The server's host name or address.
  public var host: String
  /// The server's port (5432 unless the URL says otherwise).
  public var port: Int
  /// The hub's database.
  public var database: String

  /// A URL from its parts.
  public init(
    user: String, password: String? = nil, host: String, port: Int = 5432, database: String
  ) {
    self.user = user
    self.password = password
    self.host = host
    self.port = port
    self.database = database
  }

  /// Parses `postgres://` or `postgresql://` URLs; user, host and database are required.
  /// Percent-escapes in the user, password and database are decoded.
  public init(parsing text: String) throws(HubError) {
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    guard let schemeEnd = trimmed.range(of: "://"),
      ["postgres", "postgresql"].contains(trimmed[..<schemeEnd.lowerBound].lowercased())
    else {
      throw .badURL(
        Self.redacted(trimmed), reason: "it does not start with postgres:// or postgresql://")
    }
    var rest = trimmed[schemeEnd.upperBound...]
    if let query = rest.firstIndex(of: "?") {
      throw .badURL(
        Self.redacted(trimmed),
        reason: "query parameters ('\(rest[query...])') are not supported")
    }
    // The credentials end at the last '@' (a password may contain '@' only escaped, but be lenient).
    guard let at = rest.lastIndex(of: "@") else {
      throw .badURL(Self.redacted(trimmed), reason: "it names no user (postgres://USER@HOST/DB)")
    }
    let credentials = rest[..<at]
    rest = rest[rest.index(after: at)...]
    let userPart: Substring
    var passwordPart: Substring?
    if let colon = credentials.firstIndex(of: ":") {
      userPart = credentials[..<colon]
      passwordPart = credentials[credentials.index(after: colon)...]
    } else {
      userPart = credentials
    }
    guard let slash = rest.firstIndex(of: "/") else {
      throw .badURL(
        Self.redacted(trimmed), reason: "it names no database (postgres://USER@HOST/DB)")
    }
    let hostPort = rest[..<slash]
    let databasePart = rest[rest.index(after: slash)...]
    var hostPart = hostPort
    var port = 5432
    if hostPort.hasPrefix("[") {
      // An IPv6 literal: [::1]:5432.
      guard let close = hostPort.firstIndex(of: "]") else {
        throw .badURL(Self.redacted(trimmed), reason: "an IPv6 address misses its ']'")
      }
      hostPart = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
      let after = hostPort[hostPort.index(after: close)...]
      if !after.isEmpty {
        guard after.hasPrefix(":"), let value = Int(after.dropFirst()) else {
          throw .badURL(Self.redacted(trimmed), reason: "the port '\(after)' is not a number")
        }
        port = value
      }
    } else if let colon = hostPort.lastIndex(of: ":") {
      hostPart = hostPort[..<colon]
      let portText = hostPort[hostPort.index(after: colon)...]
      guard let value = Int(portText) else {
        throw .badURL(Self.redacted(trimmed), reason: "the port '\(portText)' is not a number")
      }
      port = value
    }
    guard (1...65535).contains(port) else {
      throw .badURL(Self.redacted(trimmed), reason: "the port \(port) is out of range")
    }
    guard let user = userPart.removingPercentEncoding, !user.isEmpty else {
      throw .badURL(Self.redacted(trimmed), reason: "it names no user (postgres://USER@HOST/DB)")
    }
    guard !hostPart.isEmpty else {
      throw .badURL(Self.redacted(trimmed), reason: "it names no host")
    }
    guard let database = databasePart.removingPercentEncoding, !database.isEmpty,
      !database.contains("/")
    else {
      throw .badURL(
        Self.redacted(trimmed), reason: "it names no database (postgres://USER@HOST/DB)")
    }
    self.user = user
    self.host = String(hostPart)
    self.port = port
    self.database = database
    if let passwordPart {
      guard let password = passwordPart.removingPercentEncoding else {
        throw .badURL(Self.redacted(trimmed), reason: "the password has a broken %-escape")
      }
      self.password = password
    }
  }

  /// The URL without its password: safe to print, log and store.
  public var description: String {
    let hostText = host.contains(":") ? "[\(host)]" : host
    return "postgres://\(Self.escape(user))@\(hostText):\(port)/\(Self.escape(database))"
  }

  /// The same hub reached as another role (e.g. a member logging in).
  public func loggingIn(as user: String, password: String? = nil) -> HubURL {
    var url = self
    url.user = user
    url.password = password
    return url
  }

  /// The same server, another database.
  public func database(_ name: String) -> HubURL {
    var url = self
    url.database = name
    return url
  }

  /// Whether the host is this machine (certificates are not verified on loopback).
  public var isLoopback: Bool {
    ["localhost", "127.0.0.1", "::1"].contains(host.lowercased()) || host.hasPrefix("127.")
  }

  private static func escape(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  /// `text` with whatever sits between the user and the '@' replaced, for error messages.
  static func redacted(_ text: String) -> String {
    guard let schemeEnd = text.range(of: "://"),
      let at = text[schemeEnd.upperBound...].lastIndex(of: "@")
    else { return text }
    let credentials = text[schemeEnd.upperBound..<at]
    guard let colon = credentials.firstIndex(of: ":") else { return text }
    return String(text[..<colon]) + ":***" + String(text[at...])
  }
}

/// Where a member's password comes from: the URL, then `$PGPASSWORD`, then `~/.pgpass`.
///
/// Nothing here writes a password anywhere; callers keep `HubURL.description` (which has
/// none) and look the password up again on every connection.
public struct HubCredentials: Sendable {
  /// The process environment to read `PGPASSWORD`, `PGPASSFILE` and `HOME` from.
  public var environment: [String: String]

  /// Credentials read from `environment` (the process's by default).
  public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
    self.environment = environment
  }

  /// The password file: `$PGPASSFILE`, else `~/.pgpass`.
  public var passwordFile: String? {
    if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
    guard let home = environment["HOME"], !home.isEmpty else { return nil }
    return (home as NSString).appendingPathComponent(".pgpass")
  }

  /// The password for `url`: its own, else `$PGPASSWORD`, else the first matching line of the
  /// password file; `nil` when none has one (the server may not ask).
  public func password(for url: HubURL) throws(HubError) -> String? {
    if let password = url.password { return password }
    if let password = environment["PGPASSWORD"] { return password }
    guard let file = passwordFile, FileManager.default.fileExists(atPath: file) else {
      return nil
    }
    let text: String
    do {
      text = try String(contentsOfFile: file, encoding: .utf8)
    } catch {
      throw .credentials("cannot read the password file '\(file)': \(error.localizedDescription)")
    }
    return Self.password(inPassFile: text, for: url)
  }

  /// The first line of a `.pgpass` text (`host:port:database:user:password`, `*` matching
  /// anything, `\:` and `\\` escaped) that matches `url`.
  public static func password(inPassFile text: String, for url: HubURL) -> String? {
    for line in text.split(whereSeparator: \.isNewline) {
      if line.hasPrefix("#") { continue }
      let fields = splitFields(line)
      guard fields.count == 5 else { continue }
      let wanted = [url.host, String(url.port), url.database, url.user]
      let matches = zip(fields, wanted).allSatisfy { field, value in
        field == "*" || field == value
      }
      if matches { return fields[4] }
    }
    return nil
  }

  private static func splitFields(_ line: Substring) -> [String] {
    var fields: [String] = []
    var current = ""
    var escaped = false
    for character in line {
      if escaped {
        current.append(character)
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == ":" && fields.count < 4 {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    fields.append(current)
    return fields
  }
}
