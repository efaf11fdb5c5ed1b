// Glob patterns for paths and for --include/--exclude: `*` and `?` within one path component,
// `**` as a whole component for any number of folders, `[abc]`/`[!a-z]` classes, `\` to escape.

/// A compiled glob pattern.
public struct Glob: Sendable, Hashable {
    /// The pattern as written.
    public let pattern: String
    private let components: [[Character]]

    /// Compiles `pattern`.
    public init(_ pattern: String) {
        self.pattern = pattern
        self.components = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
    }

    /// Whether a string holds glob wildcards.
    public static func hasWildcards(_ s: String) -> Bool {
        s.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// Whether the pattern names a path (has a `/`) rather than a file name.
    public var matchesPaths: Bool { pattern.contains("/") }

    /// Whether `path` (relative, `/`-separated) matches: the whole path when the pattern has a `/`,
    /// else the last component.
    public func matchesFile(_ path: String) -> Bool {
        if matchesPaths { return matches(path) }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return matches(name)
    }

    /// Whether the whole of `path` matches.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0) }
        let p = components.count, t = parts.count
        // ok[i][j]: pattern components i... match path components j...
        var ok = [[Bool]](repeating: [Bool](repeating: false, count: t + 1), count: p + 1)
        ok[p][t] = true
        var i = p - 1
        while i >= 0 {
            let isDoubleStar = components[i] == ["*", "*"]
            var j = t
            while j >= 0 {
                if isDoubleStar {
                    ok[i][j] = ok[i + 1][j] || (j < t && ok[i][j + 1])
                } else {
                    ok[i][j] = j < t && ok[i + 1][j + 1] && Self.matchComponent(components[i], parts[j])
                }
                j -= 1
            }
            i -= 1
        }
        return ok[0][0]
    }

    /// Matches one component: `*`, `?`, classes and escapes; single-star backtracking is exact here.
    static func matchComponent(_ pat: [Character], _ s: [Character]) -> Bool {
        var p = 0, i = 0, starP = -1, starI = 0
        while i < s.count {
            if p < pat.count {
                let c = pat[p]
                if c == "*" { starP = p; starI = i; p += 1; continue }
                if c == "?" { p += 1; i += 1; continue }
                if c == "[", let (hit, next) = matchClass(pat, p, s[i]) {
                    if hit { p = next; i += 1; continue }
                } else if c == "\\" && p + 1 < pat.count {
                    if pat[p + 1] == s[i] { p += 2; i += 1; continue }
                } else if c == s[i] {
                    p += 1; i += 1; continue
                }
            }
            guard starP >= 0 else { return false }
            starI += 1
            i = starI
            p = starP + 1
        }
        while p < pat.count && pat[p] == "*" { p += 1 }
        return p == pat.count
    }

    /// Matches a `[...]` class at `p` against `ch`: (matched, index after the class); nil when unclosed.
    static func matchClass(_ pat: [Character], _ p: Int, _ ch: Character) -> (Bool, Int)? {
        var q = p + 1
        var negate = false
        if q < pat.count && (pat[q] == "!" || pat[q] == "^") { negate = true; q += 1 }
        var matched = false
        var first = true
        while q < pat.count && (pat[q] != "]" || first) {
            first = false
            if q + 2 < pat.count && pat[q + 1] == "-" && pat[q + 2] != "]" {
                if pat[q] <= ch && ch <= pat[q + 2] { matched = true }
                q += 3
            } else {
                if pat[q] == ch { matched = true }
                q += 1
            }
        }
        guard q < pat.count else { return nil }
        return (matched != negate, q + 1)
    }
}
