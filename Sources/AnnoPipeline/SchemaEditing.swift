import AnnoCore
import Foundation

/// Edits of a schema's YAML text that keep the rest of it (comments, order, guidelines) as
/// the user wrote it.
public enum SchemaEditing {
  /// A problem with an edit, to show as is.
  public struct Failure: Error, LocalizedError, CustomStringConvertible {
    /// The message.
    public var description: String
    /// The message, for `localizedDescription`.
    public var errorDescription: String? { description }
  }

  /// The schema with entity labels added at the end of its `entities:` list, and its version
  /// one higher.
  public static func addingEntityLabels(_ labels: [String], to yaml: String, source: String) throws
    -> String
  {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let header = lines.firstIndex(where: { $0.hasPrefix("entities:") }),
      lines[header].trimmingCharacters(in: .whitespaces) == "entities:"
    else {
      throw Failure(
        description:
          "--new-labels needs the schema's 'entities:' as a block list ('entities:' on a line of its own); add the labels by hand and run 'anno schema load'"
      )
    }
    // The entries are the indented lines after the header, up to the next top-level key.
    var end = header + 1
    var indent = "  "
    var foundEntry = false
    while end < lines.count {
      let line = lines[end]
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if !line.isEmpty, !line.hasPrefix(" "), !line.hasPrefix("-"), !trimmed.hasPrefix("#") {
        break
      }
      if !foundEntry, trimmed.hasPrefix("- ") {
        indent = String(line.prefix(while: { $0 == " " }))
        foundEntry = true
      }
      end += 1
    }
    while end > header + 1, lines[end - 1].trimmingCharacters(in: .whitespaces).isEmpty {
      end -= 1
    }
    var added: [String] = []
    for label in labels {
      guard LabelSchema.isPlainName(label) else {
        throw Failure(
          description:
            "label '\(label)' cannot be declared: entity labels use only letters, digits, '_' and '-'; rename it with --label-map \(label)=NAME"
        )
      }
      added.append("\(indent)- name: \(label)")
      added.append(
        "\(indent)  description: \"Added by anno import --new-labels (\(source.count > 60 ? "its input" : source)).\""
      )
    }
    lines.insert(contentsOf: added, at: end)
    bumpVersion(&lines)
    return lines.joined(separator: "\n")
  }

  /// The schema with values added to a document field's `values`, and its version one higher
  /// (unless `bumpsVersion` is off, when an earlier edit raised it already).
  public static func addingFieldValues(
    _ values: [String], to field: String, in yaml: String, bumpsVersion: Bool = true
  ) throws -> String {
    var lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    func indent(_ line: String) -> Int { line.prefix(while: { $0 == " " }).count }
    guard let fields = lines.firstIndex(where: { $0.hasPrefix("fields:") }),
      let entry = lines[(fields + 1)...].firstIndex(where: {
        let trimmed = $0.trimmingCharacters(in: .whitespaces)
        return trimmed == "- name: \(field)" || trimmed.hasPrefix("- name: \(field) ")
      })
    else {
      throw Failure(
        description:
          "--new-labels cannot find field '\(field)' as '- name: \(field)' under 'fields:'; add the values by hand and run 'anno schema load'"
      )
    }
    let entryIndent = indent(lines[entry])
    var line = entry + 1
    while line < lines.count, lines[line].isEmpty || indent(lines[line]) > entryIndent {
      let trimmed = lines[line].trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("values:") {
        let quoted = values.map { value in
          LabelSchema.isPlainName(value) ? value : JSONWriter.string(for: .string(value))
        }
        if let close = lines[line].lastIndex(of: "]"), trimmed.contains("[") {
          let before = lines[line][..<close].trimmingCharacters(in: .whitespaces)
          let separator = before.hasSuffix("[") ? "" : ", "
          lines[line] =
            String(lines[line][..<close]) + separator + quoted.joined(separator: ", ")
            + String(lines[line][close...])
        } else {
          // A block list: the items follow, one per line.
          var last = line + 1
          var itemIndent = String(repeating: " ", count: indent(lines[line]) + 2)
          while last < lines.count,
            lines[last].trimmingCharacters(in: .whitespaces).hasPrefix("- ")
          {
            itemIndent = String(lines[last].prefix(while: { $0 == " " }))
            last += 1
          }
          lines.insert(contentsOf: quoted.map { "\(itemIndent)- \($0)" }, at: last)
        }
        if bumpsVersion { bumpVersion(&lines) }
        return lines.joined(separator: "\n")
      }
      line += 1
    }
    throw Failure(description: "--new-labels cannot find the 'values:' of field '\(field)'")
  }

  private static func bumpVersion(_ lines: inout [String]) {
    if let versionLine = lines.firstIndex(where: { $0.hasPrefix("version:") }),
      let version = Int(
        lines[versionLine].dropFirst("version:".count).trimmingCharacters(in: .whitespaces))
    {
      lines[versionLine] = "version: \(version + 1)"
    }
  }
}
