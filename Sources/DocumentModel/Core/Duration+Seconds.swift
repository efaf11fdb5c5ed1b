// Duration+Seconds: a Duration as a Double number of seconds, for timings in run files, summaries and
// progress lines (the one place that adds a duration's seconds and attoseconds).

extension Duration {
    /// The duration in seconds, fractions included.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
