// Selection: which plugins run — names, categories and globs combined with and / or / not and
// parentheses (`"default and not slow"`) — and in what order: topological over `requires`,
// stable in discovery order, with errors for cycles and for requirements left out.
import Foundation

/// A parsed `--select` expression.
public indirect enum SelectionExpression: Sendable, Equatable, CustomStringConvertible {
    case term(String)
    /// `NAME+`: what the term matches and every plugin those require, transitively.
    case withRequirements(String)
    case not(SelectionExpression)
    case and(SelectionExpression, SelectionExpression)
    case or(SelectionExpression, SelectionExpression)

    public var description: String {
        switch self {
        case .term(let t): t
        case .withRequirements(let t): t + "+"
        case .not(let e): "not \(e)"
        case .and(let a, let b): "(\(a) and \(b))"
        case .or(let a, let b): "(\(a) or \(b))"
        }
    }

    /// The expression's terms, left to right.
    public var terms: [String] {
        switch self {
        case .term(let t), .withRequirements(let t): [t]
        case .not(let e): e.terms
        case .and(let a, let b), .or(let a, let b): a.terms + b.terms
        }
    }

    /// Whether a plugin is selected: a term matches its name, one of its categories, or (with
    /// `*`, `?` or `[...]`) its name as a glob. (`NAME+` matches as `NAME` here; `resolvingRequirements`
    /// adds what it requires.)
    public func matches(_ plugin: PluginManifest) -> Bool {
        switch self {
        case .term(let t), .withRequirements(let t):
            if t == plugin.name || plugin.categories.contains(t) { return true }
            return t.contains(where: { "*?[".contains($0) }) && fnmatch(t, plugin.name, 0) == 0
        case .not(let e): return !e.matches(plugin)
        case .and(let a, let b): return a.matches(plugin) && b.matches(plugin)
        case .or(let a, let b): return a.matches(plugin) || b.matches(plugin)
        }
    }

    /// The expression with every `NAME+` replaced by the plugins it matches and those they require,
    /// transitively, as found in `plugins` (a requirement in no folder is left for `select` to report).
    public func resolvingRequirements(in plugins: [PluginManifest]) -> SelectionExpression {
        switch self {
        case .term: return self
        case .withRequirements(let t):
            let byName = Dictionary(plugins.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            var names = plugins.filter { SelectionExpression.term(t).matches($0) }.map(\.name)
            var index = 0
            while index < names.count {
                for required in byName[names[index]]?.requires ?? [] where !names.contains(required) {
                    names.append(required)
                }
                index += 1
            }
            guard var result = names.first.map({ SelectionExpression.term($0) }) else { return .term(t) }
            for name in names.dropFirst() { result = .or(result, .term(name)) }
            return result
        case .not(let e): return .not(e.resolvingRequirements(in: plugins))
        case .and(let a, let b): return .and(a.resolvingRequirements(in: plugins), b.resolvingRequirements(in: plugins))
        case .or(let a, let b): return .or(a.resolvingRequirements(in: plugins), b.resolvingRequirements(in: plugins))
        }
    }
}

/// Why a selection expression cannot select plugins to run. The descriptions name no command-line
/// option; `message(option:)` says which option (or `quarry.toml` key) the expression came from.
public enum SelectionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The expression does not parse: what was wrong, at which 0-based offset.
    case syntax(expression: String, offset: Int, message: String)
    /// Nothing matches; `available` are the plugins found.
    case nothingSelected(expression: String, available: [String])
    /// A selected plugin requires one that is in no plugin folder.
    case missingRequirement(plugin: String, requirement: String)
    /// A selected plugin requires one the expression did not select.
    case unselectedRequirement(plugin: String, requirement: String, expression: String)
    /// Plugins that require each other, in order around the cycle (the first again at the end).
    case cycle([String])
    /// A selected plugin requires versions of another that the one found is not.
    case incompatibleRequirement(plugin: String, requirement: String, found: String, file: String)
    /// A term matches no plugin and no category, and is one letter or two from a name or category that
    /// does (a typo: `default and not tnoe` would otherwise run `tone`).
    case unknownTerm(term: String, suggestion: String, expression: String)

    /// The offset of a syntax error (0 otherwise).
    public var offset: Int {
        if case .syntax(_, let offset, _) = self { offset } else { 0 }
    }

    public var description: String { message(option: nil) }

    /// The message, naming `option` (e.g. `--select`) as where the expression came from.
    public func message(option: String?) -> String {
        let prefix = option.map { "\($0): " } ?? ""
        let quoted = { (expression: String) in option.map { "\($0) '\(expression)'" } ?? "'\(expression)'" }
        switch self {
        case .syntax(let expression, let offset, let message):
            return
                "\(prefix)\(message) at position \(offset + 1)\n  \(expression)\n  \(String(repeating: " ", count: offset))^"
        case .nothingSelected(let expression, let available):
            let names = available.joined(separator: ", ")
            return "no plugin matches \(quoted(expression)) (plugins found: \(names.isEmpty ? "none" : names))"
        case .missingRequirement(let plugin, let requirement):
            return "plugin '\(plugin)' requires '\(requirement)', which is not in the plugin folders"
        case .unselectedRequirement(let plugin, let requirement, let expression):
            return "plugin '\(plugin)' requires '\(requirement)', which is not selected; select it too, e.g. "
                + quoted("\(expression) or \(requirement)")
        case .cycle(let names):
            return "plugins require each other in a cycle: " + names.joined(separator: " → ")
        case .incompatibleRequirement(let plugin, let requirement, let found, let file):
            let name = requirement.prefix { !$0.isWhitespace && !"<>=^~".contains($0) }
            return "plugin '\(plugin)' requires '\(requirement)', but \(name) is \(found) (\(file))"
        case .unknownTerm(let term, let suggestion, let expression):
            return "\(prefix)'\(term)' in '\(expression)' is no plugin name or category (did you mean '\(suggestion)'?)"
        }
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
    /// - Throws: `SelectionError` for a bad expression, an empty selection, an unselected requirement,
    ///   a missing plugin or a cycle.
    public static func select(_ catalog: PluginCatalog, expression text: String) throws(SelectionError)
        -> [PluginManifest]
    {
        let expression = try parse(text).resolvingRequirements(in: catalog.plugins)
        for term in unmatchedTerms(expression, in: catalog) {
            let known = Set(catalog.plugins.flatMap { [$0.name] + $0.categories }).sorted()
            if let close = suggestion(for: term, in: known) {
                throw SelectionError.unknownTerm(term: term, suggestion: close, expression: text)
            }
        }
        let chosen = catalog.plugins.filter { expression.matches($0) }
        guard !chosen.isEmpty else {
            throw SelectionError.nothingSelected(expression: text, available: catalog.plugins.map(\.name))
        }
        let selected = Set(chosen.map(\.name))
        for plugin in chosen {
            for requirement in plugin.requires where !selected.contains(requirement) {
                if catalog.plugin(requirement) == nil {
                    throw SelectionError.missingRequirement(plugin: plugin.name, requirement: requirement)
                }
                throw SelectionError.unselectedRequirement(
                    plugin: plugin.name, requirement: requirement, expression: text)
            }
            for requirement in plugin.requirements {
                guard let constraint = requirement.constraint, let required = catalog.plugin(requirement.name) else {
                    continue
                }
                guard let version = VersionConstraint.version(required.version), constraint.allows(version) else {
                    throw SelectionError.incompatibleRequirement(
                        plugin: plugin.name, requirement: requirement.description, found: required.version,
                        file: required.file)
                }
            }
        }
        return try order(chosen)
    }

    /// The terms of `expression` that match no plugin of `catalog` by name, category or glob. `select`
    /// refuses those that look like a typo of a name or category; the others (a category no plugin has
    /// yet, as in `default and not slow`) are for the caller to warn about.
    public static func unmatchedTerms(_ expression: SelectionExpression, in catalog: PluginCatalog) -> [String] {
        var seen = Set<String>()
        return expression.terms.filter { term in
            seen.insert(term).inserted && !catalog.plugins.contains { SelectionExpression.term(term).matches($0) }
        }
    }

    /// Topological order over `requires`, stable in the given order; a cycle is an error naming it.
    public static func order(_ plugins: [PluginManifest]) throws(SelectionError) -> [PluginManifest] {
        var remaining = plugins
        var done = Set<String>()
        var ordered: [PluginManifest] = []
        while !remaining.isEmpty {
            guard let index = remaining.firstIndex(where: { $0.requires.allSatisfy(done.contains) }) else {
                throw SelectionError.cycle(cycle(in: remaining))
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
            return SelectionError.syntax(expression: text, offset: offset, message: message)
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
                let plus = token.count > 1 && token.hasSuffix("+")
                let term = plus ? String(token.dropLast()) : token
                guard term.allSatisfy({ $0.isLetter || $0.isNumber || "-_*?[].!".contains($0) }) else {
                    throw error("'\(token)' is not a plugin name, category or glob")
                }
                index += 1
                return plus ? .withRequirements(term) : .term(term)
            }
        }
    }
}
