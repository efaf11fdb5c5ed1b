// FinishStep: the end of a run, merge or reduce — every plugin's finish over the records in input
// order, its timings, files and failures into the summary, and its failures appended to errors.jsonl.
import DocumentModel
import PluginHost

/// Runs the finishes of a run's plugins and records what they did.
struct FinishStep {
    var settings: RunSettings
    var log: @Sendable (String, LogLevel, String) -> Void

    /// Runs the plugins' finish; adds their failures, timings and files to the summary and their
    /// failures to errors.jsonl.
    /// - Returns: the finishes' profile samples (`--profile`).
    @discardableResult
    func run(records: RecordSpool, into summary: inout RunSummary, folder: RunFolder) throws(RunError) -> [UInt8] {
        let finishStarted = ContinuousClock.now
        defer { records.removeFiles() }
        let outcomes = try FinishRunner(settings: settings, log: log).run(records: try records.sources())
        summary.finishSeconds = (ContinuousClock.now - finishStarted).seconds
        summary.finishPluginSeconds = outcomes.compactMap { outcome in outcome.plugin.map { ($0, outcome.seconds) } }
            .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        var listed = Set(summary.outputs)
        for outcome in outcomes {
            summary.finishFailures += outcome.failures
            for file in outcome.files where listed.insert(file).inserted { summary.outputs.append(file) }
        }
        try folder.append(results: [], errors: FinishRunner.errorLines(summary.finishFailures))
        return outcomes.flatMap(\.samples)
    }
}
