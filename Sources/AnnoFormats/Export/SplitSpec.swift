/// A named part of a split and its share of the documents.
public struct SplitPart: Hashable, Sendable {
  /// The part's name (`train`), used in file names.
  public var name: String
  /// The share of documents, in (0, 1].
  public var fraction: Double

  /// Creates a part.
  public init(name: String, fraction: Double) {
    self.name = name
    self.fraction = fraction
  }
}

/// A split of the documents into named parts, such as `train=0.8,dev=0.1,test=0.1`.
public struct SplitSpec: Hashable, Sendable {
  /// The parts, in the order given.
  public var parts: [SplitPart]

  /// Creates a split from parts that are already valid.
  public init(parts: [SplitPart]) {
    self.parts = parts
  }

  /// Parses `name=fraction,name=fraction,...`.
  ///
  /// Names are letters, digits, `_` and `-`, unique; fractions are positive and sum to 1
  /// within 1e-9.
  ///
  /// - Throws: `ExportError.invalidSplit` saying what is wrong and what to write instead.
  public init(parsing spec: String) throws(ExportError) {
    var parts: [SplitPart] = []
    let items = spec.split(separator: ",", omittingEmptySubsequences: false)
    for rawItem in items {
      let item = rawItem.trimmingSpaces
      let pieces = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard pieces.count == 2 else {
        throw .invalidSplit("'\(item)' is not NAME=FRACTION; write e.g. train=0.8,dev=0.1,test=0.1")
      }
      let name = pieces[0].trimmingSpaces
      let number = pieces[1].trimmingSpaces
      guard !name.isEmpty,
        name.unicodeScalars.allSatisfy({ $0.isASCIIAlphanumeric || $0 == "_" || $0 == "-" })
      else {
        throw .invalidSplit("part name '\(name)' must be letters, digits, '_' or '-'")
      }
      guard let fraction = Double(number), fraction.isFinite else {
        throw .invalidSplit("fraction '\(number)' of part '\(name)' is not a number")
      }
      guard fraction > 0 else {
        throw .invalidSplit("fraction of part '\(name)' must be positive, not \(number)")
      }
      if parts.contains(where: { $0.name == name }) {
        throw .invalidSplit("part name '\(name)' is given twice; names must be unique")
      }
      parts.append(SplitPart(name: name, fraction: fraction))
    }
    let sum = parts.reduce(0) { $0 + $1.fraction }
    guard abs(sum - 1) <= 1e-9 else {
      throw .invalidSplit("fractions must sum to 1, but '\(spec)' sums to \(sum)")
    }
    self.parts = parts
  }

  /// The part names, in order.
  public var names: [String] { parts.map(\.name) }
}

extension Substring {
  fileprivate var trimmingSpaces: String {
    String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
  }
}

extension Unicode.Scalar {
  var isASCIIAlphanumeric: Bool {
    ("a"..."z").contains(self) || ("A"..."Z").contains(self) || ("0"..."9").contains(self)
  }
}
