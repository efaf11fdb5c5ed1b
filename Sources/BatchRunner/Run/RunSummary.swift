// RunSummary and ProgressSnapshot: what a run tells its caller — while it runs (a few times a
// second) and once it has finished.
import PluginHost

/// A snapshot of a running batch, for progress displays.
public struct ProgressSnapshot: Sendable {
    /// Corpus entries (files) finished, and how many there are once the walk is complete.
    public var filesDone: Int
    public var filesTotal: Int?
    public var documents: Int
    public var failed: Int
    public var bytes: Int
    public var elapsed: Double
    /// What each busy worker is on: document, plugin, and for how long.
    public var running: [(document: String, plugin: String, seconds: Double)]
}

/// What a finished run did.
public struct RunSummary: Sendable {
    public var documents = 0
    public var ok = 0
    public var failed = 0
    public var skipped = 0
    /// Documents taken from the earlier run (`--resume`).
    public var reused = 0
    public var files = 0
    public var bytes = 0
    public var seconds = 0.0
    /// Seconds per plugin, slowest first.
    public var pluginSeconds: [(plugin: String, seconds: Double)] = []
    /// Seconds the plugins' `finish` took, after the last document.
    public var finishSeconds = 0.0
    /// Seconds each plugin's `finish` took (loading its records included), slowest first.
    public var finishPluginSeconds: [(plugin: String, seconds: Double)] = []
    public var finishFailures: [PluginFailure] = []
    /// Files written, relative to the output folder.
    public var outputs: [String] = []
    /// Documents read with warnings (each line of results.jsonl has them under "warnings").
    public var warned = 0
    /// The first few of them, for the summary.
    public var warnings: [(document: String, message: String)] = []
    public static let warningsShown = 5
    /// The run stopped at the first failure (`--fail-fast`).
    public var stoppedEarly = false

    public init() {}
}
