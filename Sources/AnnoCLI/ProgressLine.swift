import Foundation

/// A one-line progress bar on standard error, for long imports and exports on a terminal.
struct ProgressLine {
  let total: Int
  let enabled: Bool
  let label: String
  private var done = 0
  private var lastDrawn = Date.distantPast
  private var isShown = false

  init(total: Int, enabled: Bool, label: String) {
    self.total = max(total, 1)
    self.enabled = enabled
    self.label = label
  }

  /// Records progress and redraws at most five times a second.
  mutating func advance(by amount: Int) {
    guard enabled else { return }
    done += amount
    let now = Date()
    guard now.timeIntervalSince(lastDrawn) > 0.2 else { return }
    lastDrawn = now
    let fraction = min(1, Double(done) / Double(total))
    let width = 30
    let filled = Int(fraction * Double(width))
    let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    StandardStreams.writeError("\r\(label) \(bar) \(Int(fraction * 100))%")
    isShown = true
  }

  /// Erases the bar, before other output or at the end.
  mutating func clear() {
    guard isShown else { return }
    StandardStreams.writeError("\r\u{1B}[2K")
    isShown = false
  }
}
