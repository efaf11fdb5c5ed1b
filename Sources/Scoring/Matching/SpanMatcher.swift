// Pairs gold and system spans one-to-one: by identical offsets (`exact`) or by largest overlap
// (`overlap`), in an order that does not depend on anything but the spans themselves.

/// How a system span must sit on a gold span to count as found.
public enum MatchMode: String, Sendable, CaseIterable {
    /// Same start and same end.
    case exact
    /// Any overlap; each span is paired at most once, largest overlaps first.
    case overlap
}

/// One-to-one matching of two lists of spans.
public enum SpanMatcher {
    /// Pairs `gold` and `system` spans (both in document order).
    ///
    /// `exact` pairs spans with the same start and end, in document order when several are equal.
    /// `overlap` considers every pair that shares at least one code point (or two identical empty
    /// spans) and takes pairs greedily: the largest overlap first, then the smallest difference of the
    /// ends (|Δstart| + |Δend|), then the earlier gold span, then the system span that starts (then ends) first; a span
    /// already taken is skipped. The result is the same whatever the input order of equal spans.
    ///
    /// - Returns: Pairs of indices (gold, system), sorted by the gold index.
    public static func match(gold: [LabeledSpan], system: [LabeledSpan], mode: MatchMode) -> [(gold: Int, system: Int)]
    {
        var pairs: [(gold: Int, system: Int)] = []
        switch mode {
        case .exact:
            var waiting: [SpanKey: [Int]] = [:]
            for (j, s) in system.enumerated() { waiting[SpanKey(start: s.start, end: s.end), default: []].append(j) }
            var next: [SpanKey: Int] = [:]
            for (i, g) in gold.enumerated() {
                let key = SpanKey(start: g.start, end: g.end)
                guard let list = waiting[key] else { continue }
                let k = next[key, default: 0]
                if k < list.count {
                    pairs.append((i, list[k]))
                    next[key] = k + 1
                }
            }
        case .overlap:
            var candidates: [Candidate] = []
            // System spans sorted by start let each gold span stop looking once they start past its end.
            let byStart = system.indices.sorted { (system[$0].start, $0) < (system[$1].start, $1) }
            for (i, g) in gold.enumerated() {
                for j in byStart {
                    let s = system[j]
                    if s.start > g.end || (s.start == g.end && g.start < g.end) { break }
                    let overlap = min(g.end, s.end) - max(g.start, s.start)
                    let identical = g.start == s.start && g.end == s.end
                    guard overlap > 0 || identical else { continue }
                    candidates.append(
                        Candidate(
                            overlap: overlap, distance: abs(g.start - s.start) + abs(g.end - s.end),
                            gold: i, systemStart: s.start, systemEnd: s.end, system: j))
                }
            }
            candidates.sort()
            var goldTaken = Array(repeating: false, count: gold.count)
            var systemTaken = Array(repeating: false, count: system.count)
            for c in candidates where !goldTaken[c.gold] && !systemTaken[c.system] {
                goldTaken[c.gold] = true
                systemTaken[c.system] = true
                pairs.append((c.gold, c.system))
            }
            pairs.sort { $0.gold < $1.gold }
        }
        return pairs
    }

    private struct SpanKey: Hashable {
        var start: Int
        var end: Int
    }

    private struct Candidate: Comparable {
        var overlap: Int
        var distance: Int
        var gold: Int
        var systemStart: Int
        var systemEnd: Int
        var system: Int

        static func < (a: Candidate, b: Candidate) -> Bool {
            if a.overlap != b.overlap { return a.overlap > b.overlap }
            if a.distance != b.distance { return a.distance < b.distance }
            if a.gold != b.gold { return a.gold < b.gold }
            if a.systemStart != b.systemStart { return a.systemStart < b.systemStart }
            if a.systemEnd != b.systemEnd { return a.systemEnd < b.systemEnd }
            return a.system < b.system
        }
    }
}
