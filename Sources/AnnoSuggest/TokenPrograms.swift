import AnnoCore

/// Token patterns compiled against a vocabulary into flat arrays of plain values: strings
/// become identifiers, `+` becomes "one, then any number", and each pattern runs as an NFA
/// whose state set is a 64-bit mask.
///
/// NB: flat arrays of trivial values, not nested arrays and enums with sets: matching runs
/// thousands of programs per document, and copying a nested value retains and releases.
struct TokenPrograms: Sendable {
  /// One compiled constraint.
  struct Check: Sendable {
    enum Attribute: UInt8 { case text, lower, shape, length, flags }
    enum Test: UInt8 { case equals, isIn, isNotIn, compare }
    var attribute: Attribute
    var test: Test
    var comparison = IntegerComparison.equal
    /// The identifier or integer to compare with, the flag mask, or where a list starts in
    /// `pool`.
    var value: Int32
    /// The wanted flags, or where a list ends in `pool`.
    var extra: Int32 = 0
  }

  /// One step of a program: a token description with a simple quantifier.
  struct Step: Sendable {
    var checkStart: Int32
    var checkEnd: Int32
    /// `!`: the token must fail the checks.
    var isNegated = false
    /// `?` or `*`: the step may be skipped.
    var isSkippable = false
    /// `*`: the step may repeat.
    var repeats = false
  }

  /// One compiled token pattern.
  struct Program: Sendable {
    var stepStart: Int32
    var stepEnd: Int32
    /// Bits of the steps that may be skipped.
    var skippable: UInt64
    /// The bit of the accepting state (one past the last step).
    var accepting: UInt64
  }

  private(set) var programs: [Program] = []
  private var steps: [Step] = []
  private var checks: [Check] = []
  /// Sorted lists of identifiers or integers for `IN` and `NOT_IN`.
  private var pool: [Int32] = []

  /// Compiles `specs`, interning their strings into `vocabulary`; returns the program number.
  mutating func append(_ specs: [TokenSpec], vocabulary: inout Vocabulary) -> Int32 {
    let stepStart = Int32(steps.count)
    for spec in specs {
      let checkStart = Int32(checks.count)
      compile(spec.constraints, vocabulary: &vocabulary)
      let step = Step(checkStart: checkStart, checkEnd: Int32(checks.count))
      switch spec.quantifier {
      case .one: steps.append(step)
      case .not: steps.append(with(step) { $0.isNegated = true })
      case .zeroOrOne: steps.append(with(step) { $0.isSkippable = true })
      case .zeroOrMore:
        steps.append(
          with(step) {
            $0.isSkippable = true
            $0.repeats = true
          })
      case .oneOrMore:
        steps.append(step)
        steps.append(
          with(step) {
            $0.isSkippable = true
            $0.repeats = true
          })
      }
    }
    let count = steps.count - Int(stepStart)
    precondition(count <= EntityPattern.maximumTokenCount, "token pattern too long")
    var skippable: UInt64 = 0
    for index in 0..<count where steps[Int(stepStart) + index].isSkippable {
      skippable |= 1 << UInt64(index)
    }
    programs.append(
      Program(
        stepStart: stepStart, stepEnd: Int32(steps.count), skippable: skippable,
        accepting: 1 << UInt64(count)))
    return Int32(programs.count - 1)
  }

  private func with(_ step: Step, _ change: (inout Step) -> Void) -> Step {
    var copy = step
    change(&copy)
    return copy
  }

  private mutating func compile(_ constraints: [TokenConstraint], vocabulary: inout Vocabulary) {
    var mask: UInt32 = 0
    var wanted: UInt32 = 0
    var rest: [Check] = []
    func list(_ values: [Int32]) -> (Int32, Int32) {
      let start = Int32(pool.count)
      pool += Set(values).sorted()
      return (start, Int32(pool.count))
    }
    func strings(_ attribute: Check.Attribute, _ test: StringTest) -> Check {
      switch test {
      case .equals(let string):
        return Check(attribute: attribute, test: .equals, value: vocabulary.intern(string))
      case .isIn(let strings), .isNotIn(let strings):
        let (start, end) = list(strings.map { vocabulary.intern($0) })
        let kind: Check.Test = if case .isIn = test { .isIn } else { .isNotIn }
        return Check(attribute: attribute, test: kind, value: start, extra: end)
      }
    }
    for constraint in constraints {
      switch constraint {
      case .text(let test): rest.append(strings(.text, test))
      case .lower(let test): rest.append(strings(.lower, test))
      case .shape(let test): rest.append(strings(.shape, test))
      case .length(.compare(let comparison, let bound)):
        let clamped = Int32(clamping: bound)
        rest.append(
          Check(attribute: .length, test: .compare, comparison: comparison, value: clamped))
      case .length(.isIn(let values)), .length(.isNotIn(let values)):
        let (start, end) = list(values.map { Int32(clamping: $0) })
        let kind: Check.Test = if case .length(.isIn) = constraint { .isIn } else { .isNotIn }
        rest.append(Check(attribute: .length, test: kind, value: start, extra: end))
      case .flag(let flag, let value):
        // NB: a key cannot repeat in a JSON object, so a flag is given once per token.
        mask |= flag.bit
        if value { wanted |= flag.bit } else { wanted &= ~flag.bit }
      }
    }
    // Flag tests first: they are cheapest and reject most tokens.
    if mask != 0 {
      checks.append(
        Check(
          attribute: .flags, test: .equals, value: Int32(bitPattern: mask),
          extra: Int32(bitPattern: wanted)))
    }
    checks += rest
  }

  // MARK: - Matching

  @inline(__always)
  private func holds(_ check: Check, _ position: Int, _ features: TokenFeatures) -> Bool {
    let value: Int32
    switch check.attribute {
    case .flags:
      return features.flags[position] & UInt32(bitPattern: check.value)
        == UInt32(bitPattern: check.extra)
    case .text: value = features.textIDs[position]
    case .lower: value = features.lowerIDs[position]
    case .shape: value = features.shapeIDs[position]
    case .length: value = features.lengths[position]
    }
    switch check.test {
    case .equals: return value == check.value
    case .compare: return check.comparison.holds(Int(value), Int(check.value))
    case .isIn: return contains(value, Int(check.value)..<Int(check.extra))
    case .isNotIn: return !contains(value, Int(check.value)..<Int(check.extra))
    }
  }

  @inline(__always)
  private func contains(_ value: Int32, _ range: Range<Int>) -> Bool {
    if range.count <= 8 { return pool[range].contains(value) }
    var low = range.lowerBound
    var high = range.upperBound
    while low < high {
      let middle = (low + high) / 2
      if pool[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low < range.upperBound && pool[low] == value
  }

  @inline(__always)
  private func accepts(_ step: Step, _ position: Int, _ features: TokenFeatures) -> Bool {
    var index = Int(step.checkStart)
    while index < Int(step.checkEnd) {
      if !holds(checks[index], position, features) { return step.isNegated }
      index += 1
    }
    return !step.isNegated
  }

  /// The states reachable from `mask` without consuming a token.
  @inline(__always)
  private func closure(_ mask: UInt64, _ skippable: UInt64) -> UInt64 {
    var mask = mask
    var candidates = mask & skippable
    while candidates != 0 {
      let index = UInt64(candidates.trailingZeroBitCount)
      mask |= 1 << (index + 1)
      candidates = mask & skippable & ~((2 << index) - 1)
    }
    return mask
  }

  /// Calls `body(end)` for every match of program `number` starting at `start`, shortest first.
  func forEachMatch(
    _ number: Int32, from start: Int, in features: TokenFeatures, _ body: (Int) -> Void
  ) {
    let program = programs[Int(number)]
    let base = Int(program.stepStart)
    var mask = closure(1, program.skippable)
    var position = start
    while mask & ~program.accepting != 0, position < features.count {
      var next: UInt64 = 0
      var live = mask & ~program.accepting
      while live != 0 {
        let index = live.trailingZeroBitCount
        live &= live - 1
        let step = steps[base + index]
        guard accepts(step, position, features) else { continue }
        next |= 1 << UInt64(index + 1)
        if step.repeats { next |= 1 << UInt64(index) }
      }
      mask = closure(next, program.skippable)
      position += 1
      if mask & program.accepting != 0 { body(position) }
    }
  }

  /// Whether some step of program `number` accepts the token at `position`.
  func anyStepAccepts(_ number: Int32, at position: Int, in features: TokenFeatures) -> Bool {
    let program = programs[Int(number)]
    for index in Int(program.stepStart)..<Int(program.stepEnd)
    where accepts(steps[index], position, features) {
      return true
    }
    return false
  }
}
