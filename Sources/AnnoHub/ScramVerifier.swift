import AnnoCore
import Foundation

/// A SCRAM-SHA-256 password verifier in PostgreSQL's stored form
/// (`SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey`, RFC 5802 and 7677).
///
/// `anno hub add-member` sends the verifier, never the password, so the password appears in
/// no statement the server logs or keeps.
public enum ScramVerifier {
  /// The verifier for `password`, with a random 16-byte salt unless one is given.
  public static func make(password: String, salt: [UInt8]? = nil, iterations: Int = 4096)
    -> String
  {
    let salt = salt ?? (0..<16).map { _ in UInt8.random(in: 0...255) }
    let salted = pbkdf2(password: Array(password.utf8), salt: salt, iterations: iterations)
    let clientKey = hmac(key: salted, message: Array("Client Key".utf8))
    let storedKey = SHA256.digest(of: clientKey)
    let serverKey = hmac(key: salted, message: Array("Server Key".utf8))
    return "SCRAM-SHA-256$\(iterations):\(Data(salt).base64EncodedString())$"
      + "\(Data(storedKey).base64EncodedString()):\(Data(serverKey).base64EncodedString())"
  }

  /// HMAC-SHA-256 (RFC 2104).
  static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var key = key.count > 64 ? SHA256.digest(of: key) : key
    key += [UInt8](repeating: 0, count: 64 - key.count)
    let inner = SHA256.digest(of: key.map { $0 ^ 0x36 } + message)
    return SHA256.digest(of: key.map { $0 ^ 0x5c } + inner)
  }

  /// PBKDF2-HMAC-SHA-256 with one 32-byte block: PostgreSQL's SaltedPassword.
  static func pbkdf2(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
    var block = hmac(key: password, message: salt + [0, 0, 0, 1])
    var result = block
    for _ in 1..<max(iterations, 1) {
      block = hmac(key: password, message: block)
      for index in result.indices { result[index] ^= block[index] }
    }
    return result
  }
}
