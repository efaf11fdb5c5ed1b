// `--min SPEC=VALUE`: a floor under one figure, for CI. SPEC is `f1`, `precision` or `recall` (the
// total), `TYPE.METRIC`, or `TYPE.FEATURE.METRIC`.

/// A minimum one figure of a report must reach.
public struct Floor: Sendable, Hashable, CustomStringConvertible {
    /// The spec as written (`PERSON.speaker.f1`).
    public var spec: String
    /// The type, or nil for the total.
    public var type: String?
    /// The feature, or nil for the type's spans.
    public var feature: String?
    public var metric: Metric
    /// The floor, between 0 and 1.
    public var minimum: Double

    /// Parses `SPEC=VALUE`.
    ///
    /// - Throws: `ScoringError` for a missing `=`, an unknown metric, or a value that is not a number
    ///   between 0 and 1.
    public init(parsing text: String) throws {
        guard let eq = text.lastIndex(of: "=") else {
            throw ScoringError("--min takes SPEC=VALUE (e.g. f1=0.8, PERSON.recall=0.9), not '\(text)'")
        }
        spec = String(text[..<eq])
        let valueText = text[text.index(after: eq)...]
        guard let value = Double(valueText), value >= 0, value <= 1 else {
            throw ScoringError("--min \(spec): the floor must be a number between 0 and 1, not '\(valueText)'")
        }
        minimum = value
        var parts = spec.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let names = Metric.allCases.map(\.rawValue).joined(separator: ", ")
        guard let last = parts.popLast(), let metric = Metric(rawValue: last.lowercased()) else {
            throw ScoringError(
                "--min \(spec): unknown figure; SPEC ends with one of \(names) (f1, PERSON.f1, PERSON.speaker.precision)"
            )
        }
        self.metric = metric
        if parts.contains(where: \.isEmpty) { throw ScoringError("--min \(spec): an empty name in the spec") }
        type = parts.first
        feature = parts.count > 1 ? parts.dropFirst().joined(separator: ".") : nil
    }

    public var description: String { "\(spec)=\(minimum)" }

    /// Checks that the report has the type and feature this floor names.
    ///
    /// - Throws: `ScoringError` naming the types (or features) there are.
    public func validate(against report: ScoreReport) throws {
        guard let type else { return }
        guard let figures = report.types.first(where: { $0.type == type }) else {
            throw ScoringError(
                "--min \(spec): no type \(type) is scored (types: \(report.types.map(\.type).joined(separator: ", ")))")
        }
        if let feature, !figures.features.contains(where: { $0.feature == feature }) {
            let features = report.options.features
            throw ScoringError(
                "--min \(spec): feature \(feature) is not compared"
                    + (features.isEmpty
                        ? " (give it with --feature \(feature))" : " (features: \(features.joined(separator: ", ")))"))
        }
    }

    /// The figure in `report`, or nil when it is undefined (nothing to divide by).
    public func value(in report: ScoreReport) -> Double? {
        report.counts(type: type, feature: feature)?.figure(metric)
    }

    /// Whether `report` reaches the floor; an undefined figure does not.
    public func isMet(by report: ScoreReport) -> Bool {
        guard let v = value(in: report) else { return false }
        // Compare at the precision figures are shown with, so that 0.8 passes a floor of 0.8.
        return (v * 1e9).rounded() >= (minimum * 1e9).rounded()
    }
}
