// MapRun: `quarry map` — documents as JSON Lines on standard input, one line per document out, in input
// order, for engines that move the data themselves (Spark's rdd.pipe, Hadoop Streaming, Beam, Ray).
// The same workers, reorder buffer and encoder as a run; each line out is
// {"seq":N,"doc":K,"run":TAG,"result":<the results line a run writes>}, records for finish included
// or, with a records file, moved there (MapLine), so `quarry reduce` can write a run's outputs from
// any number of map outputs in any order.
import DocumentModel
import Foundation
import PluginHost
import Readers

/// Maps documents from an input stream to result lines on an output stream.
public final class MapRun {
    public let settings: RunSettings
    /// Where plugins' log lines go; called from worker threads.
    public var logSink: @Sendable (String, LogLevel, String) -> Void = { _, _, _ in }

    public init(settings: RunSettings) {
        self.settings = settings
    }

    /// This process's peak resident memory in bytes (VmHWM), for map's summary.
    public static var peakResidentBytes: Int? { RunRecord.peakResidentBytes() }

    /// What every map line carries so that reduce refuses lines of other plugins or options: the first
    /// 16 hex digits of the SHA-256 of the run's fingerprint.
    public static func tag(_ settings: RunSettings) -> String {
        String(SHA256.hex(Array(settings.fingerprint.utf8)).prefix(16))
    }

    /// Reads documents from `input` until it ends and writes their lines to `output`.
    /// - Parameters:
    ///   - records: where the records for finish go, named for messages (nil: in the results lines).
    ///   - allowRead: the folders a document's `path` may be in.
    /// - Throws: `RunError` when a worker cannot start or an output cannot be written.
    public func run(
        input: FileHandle, output: FileHandle, records: (handle: FileHandle, name: String)? = nil, allowRead: [String]
    ) throws(RunError) -> RunSummary {
        let control = RunControl()
        let jobs = max(1, settings.jobs)
        let window = Window(capacity: jobs * 192 + 48)
        let work = Channel<[WorkItem]>(capacity: jobs * 2)
        let results = Channel<WorkerMessage>(capacity: jobs * 8 + 64)
        let reading = Channel<String>(capacity: 1)
        Self.startFeeder(input: input, roots: allowRead, control: control, window: window, work: work, failed: reading)
        for index in 0..<jobs {
            Worker.start(
                index, settings: settings, reuse: ReuseIndex(), control: control, log: logSink, work: work,
                results: results)
        }
        let lines = MapLine.Writer(tag: Self.tag(settings))
        var order = InputOrder()
        var summary = RunSummary()
        var buffer: [UInt8] = []
        var recordsBuffer: [UInt8]? = records == nil ? nil : []
        var workersDone = 0
        var fatal: String?
        var writeError: RunError?
        func flush() {
            guard !buffer.isEmpty, writeError == nil else { return }
            // The records first: a results line that is out has its records out too.
            var target = records?.name ?? "standard output"
            do {
                if let records, let recordsBuffer, !recordsBuffer.isEmpty {
                    try records.handle.write(contentsOf: Data(recordsBuffer))
                }
                target = "standard output"
                try output.write(contentsOf: Data(buffer))
            } catch {
                writeError = RunError(.cannotRun, "cannot write to \(target): \(error.localizedDescription)")
                control.stopEverything()
            }
            buffer.removeAll(keepingCapacity: true)
            recordsBuffer?.removeAll(keepingCapacity: true)
        }
        receiving: while workersDone < jobs {
            switch results.receive(timeout: 0.25) {
            case .timedOut: flush()
            case .closed: break receiving
            case .item(.done): workersDone += 1
            case .item(.profile): break  // (map takes no --profile)
            case .item(.fatal(let message)):
                fatal = fatal ?? message
                control.stopEverything()
            case .item(.parts(let seq, let count)): order.setParts(of: seq, to: count)
            case .item(.entries(let entries)): for entry in entries { order.add(entry) }
            }
            while let step = order.nextStep() {
                guard case .output(let ready) = step else { continue }
                window.release()
                let seq = (ready.corpusPosition ?? ready.position).seq
                for (index, doc) in ready.docs.enumerated() {
                    guard let line = doc.line else { continue }
                    lines.write(seq: seq, doc: index, line: line, results: &buffer, records: &recordsBuffer)
                    summary.documents += doc.skipped ? 0 : 1
                    switch line.status {
                    case .ok: summary.ok += 1
                    case .failed: summary.failed += 1
                    case .skipped: summary.skipped += 1
                    }
                    summary.bytes += doc.bytes
                }
                summary.files += 1
                if buffer.count + (recordsBuffer?.count ?? 0) >= ResultWriter.flushThreshold { flush() }
            }
        }
        flush()
        control.requestStop()
        window.openUp()
        if let writeError { throw writeError }
        if let fatal { throw RunError(.cannotRun, fatal) }
        if case .item(let message) = reading.receive(timeout: 0) { throw RunError(.cannotRun, message) }
        return summary
    }

    /// Reads the input on a thread of its own: each line becomes a work item (a refused line too).
    private static func startFeeder(
        input: FileHandle, roots: [String], control: RunControl, window: Window, work: Channel<[WorkItem]>,
        failed: Channel<String>
    ) {
        let thread = Thread {
            defer { work.close() }
            let reader = LineReader(handle: input)
            var batcher = WorkBatcher()
            var seq = 0
            while !control.isStopped {
                let line: LineReader.Line
                do {
                    guard let next = try reader.next() else { break }
                    line = next
                } catch {
                    _ = failed.send("cannot read standard input: \(error.localizedDescription)")
                    break
                }
                let item: WorkItem
                do throws(MapInput.Refusal) {
                    item = .mapped(seq: seq, try MapInput(line: line.bytes, number: line.number, roots: roots))
                } catch {
                    item = .refused(seq: seq, error)
                }
                seq += 1
                if !window.tryAcquire() {
                    if let batch = batcher.take() { _ = work.send(batch) }
                    window.acquire()
                }
                if batcher.add(item, bytes: line.bytes.count), let batch = batcher.take() { _ = work.send(batch) }
            }
            if let batch = batcher.take() { _ = work.send(batch) }
        }
        thread.name = "quarry-map-reader"
        thread.start()
    }
}
