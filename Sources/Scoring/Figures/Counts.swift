// Counts and the figures made from them: precision, recall and F1, defined once for types, features
// and the total.

/// What was found, missed and wrongly found, and the figures made from them.
///
/// precision = correct / system, recall = correct / gold, F1 = 2·correct / (gold + system) (the
/// harmonic mean of the two, and 0 rather than undefined when one side is empty and the other is not).
/// A figure with nothing to divide by is `nil` (shown as `-`).
public struct Counts: Sendable, Hashable {
    /// Gold items.
    public var gold: Int
    /// System items.
    public var system: Int
    /// Items the system got right (true positives).
    public var correct: Int

    public init(gold: Int = 0, system: Int = 0, correct: Int = 0) {
        self.gold = gold
        self.system = system
        self.correct = correct
    }

    /// False positives: system items not in the gold.
    public var falsePositives: Int { system - correct }
    /// False negatives: gold items the system did not find.
    public var falseNegatives: Int { gold - correct }

    /// correct / system, or nil without system items.
    public var precision: Double? { system > 0 ? Double(correct) / Double(system) : nil }
    /// correct / gold, or nil without gold items.
    public var recall: Double? { gold > 0 ? Double(correct) / Double(gold) : nil }
    /// 2·correct / (gold + system), or nil when both are empty.
    public var f1: Double? { gold + system > 0 ? 2 * Double(correct) / Double(gold + system) : nil }

    /// A figure by name.
    public func figure(_ metric: Metric) -> Double? {
        switch metric {
        case .precision: precision
        case .recall: recall
        case .f1: f1
        }
    }

    static func += (a: inout Counts, b: Counts) {
        a.gold += b.gold
        a.system += b.system
        a.correct += b.correct
    }
}

/// The figures a floor can name.
public enum Metric: String, Sendable, CaseIterable {
    case precision, recall, f1
}
