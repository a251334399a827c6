/// A stance target as written by an annotator or a file, resolved to the name that is stored.
public struct ResolvedStanceTarget: Hashable, Sendable {
  /// Where the name came from.
  public enum Source: Hashable, Sendable {
    /// A target the schema declares, given by its name or an alias.
    case declared
    /// An ad-hoc target the schema admits (`stance.ad_hoc_targets`).
    case admitted
    /// An ad-hoc target already in use.
    case inUse
    /// A new ad-hoc target, created because the caller asked for one.
    case created
  }

  /// The name to store: the declared or admitted name, the spelling already in use, or the
  /// new target's name without a leading article and with single spaces.
  public var name: String
  /// Where `name` came from.
  public var source: Source
  /// For a new target: the known name it is closest to, when that is close enough to be a
  /// slip (`Rusia` created while `Russia` exists).
  public var resembles: String?

  /// Creates a resolution.
  public init(name: String, source: Source, resembles: String? = nil) {
    self.name = name
    self.source = source
    self.resembles = resembles
  }
}

/// Why a stance target was refused, as a message that says what to type instead.
public struct StanceTargetError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The message.
  public var message: String

  /// Creates an error.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}

/// The stance targets a name can resolve to: the schema's declared and admitted targets and
/// the ad-hoc targets in use. `resolve` is the one place where a target typed in the shell,
/// read from a file or named in an agreement option becomes the name that is stored and
/// compared.
public struct StanceTargets: Sendable {
  /// The schema in force.
  public let schema: LabelSchema
  /// Ad-hoc targets in use, in the order they were added.
  public private(set) var inUse: [String] = []
  private var inUseByKey: [String: String] = [:]

  /// Targets for `schema`, with the ad-hoc targets in `inUse` (the caller decides whose:
  /// the shell passes the annotator's own, an import everyone's).
  public init(schema: LabelSchema, inUse: some Sequence<String> = [String]()) {
    self.schema = schema
    for name in inUse { adopt(name) }
  }

  /// The form in which targets and aliases are compared: no surrounding or repeated white
  /// space, lower case, and no leading article (`The  Kremlin` → `kremlin`).
  public static func key(_ name: String) -> String {
    let words = name.lowercased().split(whereSeparator: \.isWhitespace)
    return withoutArticle(words).joined(separator: " ")
  }

  /// Resolves a target as written.
  ///
  /// Names compare by `key`: case, spacing and a leading article do not matter. A name
  /// resolves, in this order, to a declared target (by its name or an alias), an ad-hoc
  /// target the schema admits, or an ad-hoc target in use. Anything else becomes a new
  /// ad-hoc target when `creating` is set and the schema allows ad-hoc targets, and is an
  /// error with a did-you-mean otherwise: a typo never becomes a target by accident.
  ///
  /// - Parameters:
  ///   - written: the target as given.
  ///   - creating: whether an unknown name may become a new target (the shell's `+Name` and
  ///     `--new-target`; imported records, which state their targets explicitly).
  /// - Throws: `StanceTargetError` for an empty name, U+0000, an unknown name without
  ///   `creating`, or a new name the schema does not allow.
  public func resolve(_ written: String, creating: Bool) throws(StanceTargetError)
    -> ResolvedStanceTarget
  {
    guard !written.unicodeScalars.contains("\u{0}") else {
      throw StanceTargetError("the target contains U+0000 (NUL), which cannot be stored")
    }
    let key = Self.key(written)
    guard !key.isEmpty else { throw StanceTargetError("the stance target is empty") }
    if let known = schema.stance.index[key] {
      return ResolvedStanceTarget(
        name: known.name, source: known.isAdmitted ? .admitted : .declared)
    }
    if let used = inUseByKey[key] {
      return ResolvedStanceTarget(name: used, source: .inUse)
    }
    let spellings = self.spellings
    let close = Suggestion.closest(to: key, in: spellings.map { Self.key($0.written) }).flatMap {
      closeKey in spellings.first { Self.key($0.written) == closeKey }
    }
    guard creating else {
      var message = "unknown stance target '\(written)'"
      if let close {
        message += "; did you mean '\(close.written)'"
        if close.written != close.name { message += " (\(close.name))" }
        message += "?"
      }
      let declared = schema.stance.targets.map(\.name)
      let adHoc = schema.stance.admittedTargets.count + inUse.count
      if !declared.isEmpty || adHoc > 0 {
        let more = adHoc == 0 ? [] : ["\(adHoc) ad-hoc"]
        message += " (targets: \((declared + more).joined(separator: ", ")))"
      }
      message +=
        schema.stance.allowsAdHocTargets
        ? "; '+\(Self.newName(written))' creates a new target"
        : "; this schema admits no other targets"
      throw StanceTargetError(message)
    }
    guard schema.stance.allowsAdHocTargets else {
      let names = schema.stance.targets.map(\.name) + schema.stance.admittedTargets
      throw StanceTargetError(
        "this schema admits no new stance targets: '\(written)' is not one of "
          + names.joined(separator: ", ")
          + " (a study admits more in the schema's stance.ad_hoc_targets)")
    }
    return ResolvedStanceTarget(
      name: Self.newName(written), source: .created, resembles: close?.name)
  }

  /// Counts `name` as in use from now on (a target just created), unless it resolves already.
  public mutating func adopt(_ name: String) {
    let key = Self.key(name)
    guard !key.isEmpty, schema.stance.index[key] == nil, inUseByKey[key] == nil else { return }
    inUseByKey[key] = name
    inUse.append(name)
  }

  /// Every name a target can be given by, with the name it stands for: declared names and
  /// aliases, admitted targets, and the ad-hoc targets in use.
  private var spellings: [(written: String, name: String)] {
    var spellings: [(written: String, name: String)] = []
    for target in schema.stance.targets {
      spellings.append((target.name, target.name))
      for alias in target.aliases { spellings.append((alias, target.name)) }
    }
    for name in schema.stance.admittedTargets + inUse { spellings.append((name, name)) }
    return spellings
  }

  /// A new target's stored name: single spaces, no leading article, the rest as written.
  static func newName(_ written: String) -> String {
    withoutArticle(written.split(whereSeparator: \.isWhitespace)).joined(separator: " ")
  }

  private static func withoutArticle(_ words: [Substring]) -> ArraySlice<Substring> {
    words.count > 1 && ["the", "a", "an"].contains(words[0].lowercased())
      ? words.dropFirst() : words[...]
  }
}

extension LabelSchema {
  /// `name` resolved against this schema alone (no ad-hoc targets in use), accepting a new
  /// ad-hoc target where the schema allows them: the stored form of a target read from a file.
  public func storedStanceTarget(_ name: String) throws(StanceTargetError) -> String {
    try StanceTargets(schema: self).resolve(name, creating: true).name
  }

  /// The form in which stance targets compare (see `StanceTargets.key`).
  public static func stanceTargetKey(_ name: String) -> String { StanceTargets.key(name) }
}
