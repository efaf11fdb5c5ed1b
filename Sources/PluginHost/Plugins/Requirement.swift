// Requirement: one item of a manifest's `requires` — a plugin's name and, optionally, the versions it
// accepts ("entities >= 1.2, < 2", "quotes ^1.0", "dates ~1.2.0"), parsed and compared with mxcl/Version.
// Selection checks the required plugin's version against it (SelectionError.incompatibleRequirement).
import Foundation
import Version

/// Which versions a requirement accepts: comma-separated terms, all of which must hold.
public struct VersionConstraint: Sendable, Equatable, CustomStringConvertible {
    /// One comparison with a version.
    public struct Term: Sendable, Equatable {
        public enum Operator: String, Sendable, CaseIterable {
            case atLeast = ">="
            case atMost = "<="
            case above = ">"
            case below = "<"
            case exactly = "="
            /// Compatible: the same left-most non-zero component (`^1.2` is `>= 1.2.0, < 2.0.0`).
            case caret = "^"
            /// The same minor version (`~1.2.3` is `>= 1.2.3, < 1.3.0`).
            case tilde = "~"
        }

        public var op: Operator
        public var version: Version

        func allows(_ v: Version) -> Bool {
            switch op {
            case .atLeast: return v >= version
            case .atMost: return v <= version
            case .above: return v > version
            case .below: return v < version
            case .exactly: return v == version
            case .caret:
                let upper =
                    version.major > 0
                    ? Version(version.major + 1, 0, 0)
                    : version.minor > 0 ? Version(0, version.minor + 1, 0) : Version(0, 0, version.patch + 1)
                return v >= version && v < upper
            case .tilde: return v >= version && v < Version(version.major, version.minor + 1, 0)
            }
        }
    }

    public var terms: [Term]
    /// The text it was parsed from, trimmed.
    public var text: String

    public var description: String { text }

    /// Parses `>= 1.2, < 2` (operators `>= > <= < = == ^ ~`; a bare version means `=`); nil when malformed.
    public static func parse(_ text: String) -> VersionConstraint? {
        var terms: [Term] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            var rest = part.trimmingCharacters(in: .whitespaces)
            var op = Term.Operator.exactly
            if rest.hasPrefix("==") {
                rest.removeFirst(2)
            } else if let found = Term.Operator.allCases.first(where: { rest.hasPrefix($0.rawValue) }) {
                op = found
                rest.removeFirst(found.rawValue.count)
            }
            guard let version = version(rest.trimmingCharacters(in: .whitespaces)) else { return nil }
            terms.append(Term(op: op, version: version))
        }
        return terms.isEmpty ? nil : VersionConstraint(terms: terms, text: text.trimmingCharacters(in: .whitespaces))
    }

    /// Whether `version` satisfies every term.
    public func allows(_ version: Version) -> Bool { terms.allSatisfy { $0.allows(version) } }

    /// A semantic version from `1`, `1.2`, `1.2.3`, `1.2.3-beta.1` (missing components are 0).
    public static func version(_ text: String) -> Version? {
        let end = text.firstIndex(where: { $0 == "-" || $0 == "+" }) ?? text.endIndex
        let core = text[..<end].split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(core.count),
            core.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil })
        else { return nil }
        let padded = (core.map(String.init) + ["0", "0"]).prefix(3).joined(separator: ".")
        return Version(padded + text[end...])
    }
}

/// One item of `requires`: a plugin and the versions of it that will do.
public struct Requirement: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var constraint: VersionConstraint?

    public var description: String { constraint.map { "\(name) \($0.text)" } ?? name }

    /// Parses `NAME [CONSTRAINT]`; the error says what is wrong, for the manifest reader to place.
    public static func parse(_ text: String) -> Result<Requirement, RequirementSyntaxError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let name = String(trimmed.prefix { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") })
        guard let first = name.first, first != "-", first != "_" else {
            return .failure(RequirementSyntaxError(message: "'\(text)' does not start with a plugin name"))
        }
        let rest = trimmed.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        if rest.isEmpty { return .success(Requirement(name: name, constraint: nil)) }
        guard let constraint = VersionConstraint.parse(rest) else {
            return .failure(
                RequirementSyntaxError(
                    message: "'\(rest)' in '\(text)' is not a version constraint such as \">= 1.2, < 2\" or \"^1.2\""))
        }
        return .success(Requirement(name: name, constraint: constraint))
    }
}

/// A `requires` item that does not parse.
public struct RequirementSyntaxError: Error, Sendable, Equatable {
    public var message: String
}
