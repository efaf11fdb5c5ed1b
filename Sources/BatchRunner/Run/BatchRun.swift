// BatchRun: the batch engine. A feeder thread walks the corpus and hands work items through a
// bounded window to N worker threads (each with its own VM and readers); the calling thread puts
// their outputs back in input order and writes them, reports progress, runs the plugins' finish at
// the end and records the run in run.json.
import DocumentModel
import Foundation
import PluginHost

/// One batch run over a corpus.
public final class BatchRun {
    public let settings: RunSettings
    /// Called on the calling thread a few times a second.
    public var onProgress: ((ProgressSnapshot) -> Void)?
    /// Where plugins' log lines go; called from worker threads.
    public var logSink: @Sendable (String, LogLevel, String) -> Void = { _, _, _ in }

    /// Marks run.json when the process is stopped by a signal (the command line installs the handler).
    public let interruption: RunInterruption

    public init(settings: RunSettings) {
        self.settings = settings
        interruption = RunInterruption(settings: settings)
    }

    /// Runs the batch.
    /// - Throws: `RunError` when the run cannot start or cannot write its outputs.
    public func run() throws(RunError) -> RunSummary {
        let started = ContinuousClock.now
        let startDate = Date()
        let folder = RunFolder(path: settings.outputFolder)
        let resume = try prepare(folder)
        defer { folder.close() }
        try folder.writeRun(RunRecord(settings: settings, status: .running, started: startDate))
        interruption.started(at: startDate)

        var writer = ResultWriter(
            folder: folder, resume: resume, failFast: settings.failFast, writesOrder: settings.shard != nil)
        var summary: RunSummary
        do throws(RunError) {
            try writeDocuments(with: &writer, started: started, reuse: ReuseIndex(resume.kept))
            summary = writer.summary
            // A shard leaves its records in its results lines: `quarry merge` runs finish over all shards.
            if !summary.stoppedEarly, settings.shard == nil, settings.plugins.contains(where: \.hasFinish) {
                profile.add(
                    try FinishStep(settings: settings, log: logSink).run(
                        records: writer.records, into: &summary, folder: folder))
            }
        } catch {
            writeProfile(partial: "the run failed: \(error.description)", measured: [])
            // run.json says the run failed and why (best effort: the disk may be what failed)
            var record = RunRecord(settings: settings, status: .failed, started: startDate, finished: Date())
            record.reason = error.description
            try? folder.writeRun(record)
            interruption.ended()
            throw error
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        summary.pluginSeconds = writer.pluginSeconds.sorted {
            $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key)
        }
        .map { (plugin: $0.key, seconds: $0.value) }
        writeProfile(partial: summary.stoppedEarly ? "the run stopped early" : nil, measured: summary.pluginSeconds)
        let record = RunRecord(
            settings: settings, status: summary.stoppedEarly ? .stopped : .finished, started: startDate,
            finished: Date(), summary: summary, peakMemoryBytes: RunRecord.peakResidentBytes())
        try interruption.end { () throws(RunError) in try folder.writeRun(record) }
        return summary
    }

    /// The samples of `--profile`, from the workers and the finishes.
    private var profile = ProfileReport()

    /// Writes profile.txt and profile.folded with `--profile` (a warning when they cannot be written).
    private func writeProfile(partial: String?, measured: [(plugin: String, seconds: Double)]) {
        guard settings.plugin.profile else { return }
        do {
            try profile.write(to: settings.outputFolder, partial: partial, measured: measured)
        } catch {
            logSink("quarry", .warn, "--profile: could not write profile.txt: \(error.localizedDescription)")
        }
    }

    // MARK: - Steps

    /// Prepares the output folder and reads what an earlier run left to resume; opens the result
    /// files after the kept lines.
    private func prepare(_ folder: RunFolder) throws(RunError) -> ResumePlan {
        try folder.prepare(resume: settings.resume, force: settings.force)
        var kept: [RunFolder.KeptLine] = []
        if settings.resume && folder.holdsRun {
            if let previous = folder.previousFingerprint(), previous != settings.fingerprint {
                // Plugins (any of their files), their versions or options changed: nothing earlier is reused.
                logSink(
                    "quarry", .warn,
                    "\(settings.outputFolder): the plugins, their files or options, or the reading options (--metadata…) changed since the run there; recomputing every document"
                )
            } else {
                kept = try folder.keptLines()
            }
        }
        try folder.openForWriting(
            keepingResultsBytes: kept.last?.end ?? 0,
            keptErrors: kept.flatMap { ResultEncoder.errorLines(of: $0.object) })
        if settings.shard != nil { try folder.openOrder() }
        return ResumePlan(kept: kept)
    }

    /// Starts the feeder and the workers, and writes their outputs in input order until every worker
    /// has ended (or the run stopped).
    private func writeDocuments(with writer: inout ResultWriter, started: ContinuousClock.Instant, reuse: ReuseIndex)
        throws(RunError)
    {
        let control = RunControl()
        let jobs = max(1, settings.jobs)
        let window = Window(capacity: jobs * 192 + 48)  // items in flight: room for several batches per worker
        let work = Channel<[WorkItem]>(capacity: jobs * 2)
        let results = Channel<WorkerMessage>(capacity: jobs * 8 + 64)
        CorpusFeeder(settings: settings).start(control: control, window: window, work: work, results: results)
        for index in 0..<jobs {
            Worker.start(
                index, settings: settings, reuse: reuse, control: control, log: logSink, work: work, results: results)
        }

        var order = InputOrder()
        var workersDone = 0
        var fatal: String?
        var writeError: RunError?
        var lastProgress = ContinuousClock.now - .seconds(1)
        receiving: while workersDone < jobs {
            switch results.receive(timeout: 0.25) {
            case .timedOut:
                do { try writer.flush() } catch { writeError = writeError ?? error }
            case .closed:
                break receiving
            case .item(.done):
                workersDone += 1
            case .item(.profile(let samples)):
                profile.add(samples)
            case .item(.fatal(let message)):
                fatal = fatal ?? message
                control.stopEverything()
            case .item(.parts(let seq, let count)):
                order.setParts(of: seq, to: count)
            case .item(.entries(let entries)):
                for entry in entries { order.add(entry) }
            }
            while let step = order.nextStep() {
                guard case .output(let ready) = step else {
                    writer.entryDone()
                    continue
                }
                window.release()
                guard !writer.summary.stoppedEarly, writeError == nil else { continue }
                do {
                    try writer.write(ready)
                } catch {
                    writeError = error
                    control.stopEverything()
                }
                if writer.summary.stoppedEarly { control.stopEverything() }
            }
            if let onProgress, ContinuousClock.now - lastProgress >= .milliseconds(200) {
                lastProgress = ContinuousClock.now
                onProgress(control.snapshot(summary: writer.summary, started: started))
            }
        }
        if writeError == nil {
            do { try writer.flush() } catch { writeError = error }
        }
        // Let a feeder that is waiting for room see the stop and end.
        control.requestStop()
        window.openUp()
        if let writeError { throw writeError }
        if let fatal { throw RunError(.cannotRun, fatal) }
        try writer.finish()
    }
}
