// Duration in seconds, as a Double: the one conversion for timings in run files and summaries.

extension Duration {
    /// The duration in seconds.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
