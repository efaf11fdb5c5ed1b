// Selection: which plugins run — names, categories and globs combined with and / or / not and
// parentheses (`"default and not slow"`) — and in what order: topological over `requires`,
// stable in discovery order, with errors for cycles and for requirements left out.
import Foundation

/// A parsed `--select` expression.
public indirect enum SelectionExpression: Sendable, Equatable, CustomStringConvertible {
    case term(String)
    case not(SelectionExpression)
    case and(SelectionExpression, SelectionExpression)
    case or(SelectionExpression, SelectionExpression)

    public var description: String {
        switch self {
        case .term(let t): t
        case .not(let e): "not \(e)"
        case .and(let a, let b): "(\(a) and \(b))"
        case .or(let a, let b): "(\(a) or \(b))"
        }
    }

    /// Whether a plugin is selected: a term matches its name, one of its categories, or (with
    /// `*`, `?` or `[...]`) its name as a glob.
    public func matches(_ plugin: PluginManifest) -> Bool {
        switch self {
        case .term(let t):
            if t == plugin.name || plugin.categories.contains(t) { return true }
            return t.contains(where: { "*?[".contains($0) }) && fnmatch(t, plugin.name, 0) == 0
        case .not(let e): return !e.matches(plugin)
        case .and(let a, let b): return a.matches(plugin) && b.matches(plugin)
        case .or(let a, let b): return a.matches(plugin) || b.matches(plugin)
        }
    }
}

/// A `--select` expression that does not parse, with where.
public struct SelectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var expression: String
    public var offset: Int
    public var message: String

    public var description: String {
        "--select: \(message) at position \(offset + 1)\n  \(expression)\n  \(String(repeating: " ", count: offset))^"
    }
}

/// Selection and ordering of plugins.
public enum PluginSelection {
    /// Parses an expression.
    public static func parse(_ text: String) throws(SelectionError) -> SelectionExpression {
        var parser = Parser(text: text)
        parser.tokenize()
        let expression = try parser.or()
        if parser.index < parser.tokens.count {
            throw parser.error("unexpected '\(parser.tokens[parser.index].text)'")
        }
        return expression
    }

    /// The plugins `expression` selects from `catalog`, in run order.
    /// - Throws: a message for an empty selection, an unselected requirement, a missing plugin or a cycle.
    public static func select(_ catalog: PluginCatalog, expression text: String) throws -> [PluginManifest] {
        let expression = try parse(text)
        let chosen = catalog.plugins.filter { expression.matches($0) }
        guard !chosen.isEmpty else {
            let names = catalog.plugins.map(\.name).joined(separator: ", ")
            throw SelectionFailure("no plugin matches --select '\(text)' (plugins found: \(names.isEmpty ? "none" : names))")
        }
        let selected = Set(chosen.map(\.name))
        for plugin in chosen {
            for requirement in plugin.requires where !selected.contains(requirement) {
                if catalog.plugin(requirement) == nil {
                    throw SelectionFailure("plugin '\(plugin.name)' requires '\(requirement)', which is not in the plugin folders")
                }
                throw SelectionFailure(
                    "plugin '\(plugin.name)' requires '\(requirement)', which is not selected; select it too, e.g. --select '\(text) or \(requirement)'")
            }
        }
        return try order(chosen)
    }

    /// Topological order over `requires`, stable in the given order; a cycle is an error naming it.
    public static func order(_ plugins: [PluginManifest]) throws -> [PluginManifest] {
        var remaining = plugins
        var done = Set<String>()
        var ordered: [PluginManifest] = []
        while !remaining.isEmpty {
            guard let index = remaining.firstIndex(where: { $0.requires.allSatisfy(done.contains) }) else {
                throw SelectionFailure("plugins require each other in a cycle: " + cycle(in: remaining).joined(separator: " → "))
            }
            let next = remaining.remove(at: index)
            done.insert(next.name)
            ordered.append(next)
        }
        return ordered
    }

    static func cycle(in plugins: [PluginManifest]) -> [String] {
        let byName = Dictionary(plugins.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var path: [String] = []
        var current = plugins[0].name
        while !path.contains(current) {
            path.append(current)
            guard let next = byName[current]?.requires.first(where: { byName[$0] != nil }) else { break }
            current = next
        }
        if let start = path.firstIndex(of: current) { return Array(path[start...]) + [current] }
        return path
    }

    // MARK: - Parser

    struct Token {
        var text: String
        var offset: Int
    }

    struct Parser {
        let text: String
        var tokens: [Token] = []
        var index = 0

        mutating func tokenize() {
            let chars = Array(text)
            var i = 0
            while i < chars.count {
                let c = chars[i]
                if c.isWhitespace {
                    i += 1
                } else if c == "(" || c == ")" {
                    tokens.append(Token(text: String(c), offset: i))
                    i += 1
                } else {
                    let start = i
                    while i < chars.count, !chars[i].isWhitespace, chars[i] != "(", chars[i] != ")" { i += 1 }
                    tokens.append(Token(text: String(chars[start..<i]), offset: start))
                }
            }
        }

        func error(_ message: String) -> SelectionError {
            let offset = index < tokens.count ? tokens[index].offset : text.count
            return SelectionError(expression: text, offset: offset, message: message)
        }

        var peek: String? { index < tokens.count ? tokens[index].text : nil }

        mutating func or() throws(SelectionError) -> SelectionExpression {
            var left = try and()
            while peek == "or" {
                index += 1
                left = .or(left, try and())
            }
            return left
        }

        mutating func and() throws(SelectionError) -> SelectionExpression {
            var left = try not()
            while peek == "and" {
                index += 1
                left = .and(left, try not())
            }
            return left
        }

        mutating func not() throws(SelectionError) -> SelectionExpression {
            if peek == "not" {
                index += 1
                return .not(try not())
            }
            return try primary()
        }

        mutating func primary() throws(SelectionError) -> SelectionExpression {
            guard let token = peek else { throw error("expected a plugin name, category or glob, found the end") }
            switch token {
            case "(":
                index += 1
                let inner = try or()
                guard peek == ")" else { throw error("expected ')'") }
                index += 1
                return inner
            case ")", "and", "or":
                throw error("expected a plugin name, category or glob, found '\(token)'")
            default:
                guard token.allSatisfy({ $0.isLetter || $0.isNumber || "-_*?[].!".contains($0) }) else {
                    throw error("'\(token)' is not a plugin name, category or glob")
                }
                index += 1
                return .term(token)
            }
        }
    }
}

/// A selection that cannot run, with the reason.
public struct SelectionFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
