import Foundation

/// A one-line progress bar on standard error, for long imports and exports on a terminal.
public struct ProgressLine {
  let total: Int
  let enabled: Bool
  let label: String
  /// Writes to standard error.
  let write: (String) -> Void
  private var done = 0
  private var lastDrawn = Date.distantPast
  private var isShown = false

  /// A bar for `total` units of work, drawn through `write` when `enabled`.
  public init(total: Int, enabled: Bool, label: String, write: @escaping (String) -> Void) {
    self.total = max(total, 1)
    self.enabled = enabled
    self.label = label
    self.write = write
  }

  /// Records progress and redraws at most five times a second.
  public mutating func advance(by amount: Int) {
    guard enabled else { return }
    done += amount
    let now = Date()
    guard now.timeIntervalSince(lastDrawn) > 0.2 else { return }
    lastDrawn = now
    let fraction = min(1, Double(done) / Double(total))
    let width = 30
    let filled = Int(fraction * Double(width))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    write("\r\(label) \(bar) \(Int(fraction * 100))%")
    isShown = true
  }

  /// Erases the bar, before other output or at the end.
  public mutating func clear() {
    guard isShown else { return }
    write("\r\u{1B}[2K")
    isShown = false
  }
}
