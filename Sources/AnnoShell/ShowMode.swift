/// What `show` draws.
package enum ShowMode: String, CaseIterable, Sendable {
  case text, tokens, spans, suggestions, raw
}
