// BatchRun: the batch engine. A walker thread feeds corpus entries through a bounded window to
// N worker threads (each with its own VM and readers); the calling thread writes results in
// input order, reports progress, and runs the plugins' finish in one VM at the end.
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Readers
import Synchronization

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
    /// The run stopped at the first failure (`--fail-fast`).
    public var stoppedEarly = false
}

public final class BatchRun {
    public let settings: RunSettings
    /// Called on the calling thread a few times a second.
    public var onProgress: ((ProgressSnapshot) -> Void)?
    /// Where plugins' log lines go; called from worker threads.
    public var logSink: @Sendable (String, LogLevel, String) -> Void = { _, _, _ in }

    public init(settings: RunSettings) {
        self.settings = settings
    }

    // MARK: - Messages between threads

    struct DocOutput: Sendable {
        var id: String
        /// The results line, encoded by the worker (nil when reused from an earlier run).
        var line: EncodedLine?
        var reused: Bool
        var skipped: Bool
        var bytes: Int
        var seconds: [String: Double]
    }

    /// A results line as bytes, with what the writer needs from it: its errors.jsonl lines, its
    /// status and the records for finish. Made on the worker threads.
    struct EncodedLine: Sendable {
        var bytes: [UInt8]
        var errorBytes: [UInt8]
        var status: String
        /// Each plugin's records, kept as compact JSON until finish needs them (a corpus's records
        /// as Swift values would take ten times the memory).
        var records: [(plugin: String, json: [UInt8])]

        init(bytes: [UInt8], errorBytes: [UInt8], status: String, records: [(plugin: String, json: [UInt8])]) {
            self.bytes = bytes
            self.errorBytes = errorBytes
            self.status = status
            self.records = records
        }

        init(_ object: JSONObject) {
            bytes = ResultEncoder.bytes(object)
            errorBytes = ResultEncoder.errorLines(of: object).flatMap(ResultEncoder.bytes)
            status = object["status"]?.stringValue ?? "ok"
            records = []
            if case .object(let emitted)? = object["records"] {
                for (plugin, value) in zip(emitted.keys, emitted.values) {
                    if case .array = value {
                        var writer = JSONWriter()
                        writer.value(value)
                        records.append((plugin, writer.bytes))
                    }
                }
            }
        }
    }

    /// What became of one work item: the documents of an entry (part 0 of 1), or of one record
    /// of a record file (part `part` of however many the walker reports).
    struct EntryOutput: Sendable {
        var seq: Int
        var part: Int
        /// How many parts the entry has, when the worker knows (a whole file: 1).
        var parts: Int?
        var docs: [DocOutput]
    }

    enum WorkItem: Sendable {
        case entry(seq: Int, CorpusEntry)
        case skipped(seq: Int, path: String, reason: String)
        case failure(seq: Int, path: String, message: String)
        /// One record of a record file (JSON Lines, CSV, mbox...), read by the walker so that the
        /// records of one file spread over every worker.
        case record(seq: Int, part: Int, ReadResult)
    }

    enum WorkerMessage: Sendable {
        /// The outputs of one batch of work items.
        case entries([EntryOutput])
        /// The walker read all records of entry `seq`: it has `parts` parts.
        case parts(seq: Int, parts: Int)
        case fatal(String)
        case done
    }

    final class Shared: Sendable {
        let stop = Atomic<Bool>(false)
        let walked = Atomic<Int>(-1)
        let cancellations = Mutex<[LuaCancellation]>([])
        let running = Mutex<[Int: (document: String, plugin: String, since: ContinuousClock.Instant)]>([:])
    }

    // MARK: - Running

    /// Runs the batch.
    /// - Throws: `RunError` when the run cannot start or cannot write its outputs.
    public func run() throws(RunError) -> RunSummary {
        let started = ContinuousClock.now
        let startDate = Date()
        let folder = RunFolder(path: settings.outputFolder)
        try folder.prepare(resume: settings.resume, force: settings.force)
        var kept: [RunFolder.KeptLine] = []
        if settings.resume && folder.holdsRun {
            if let previous = folder.previousFingerprint(), previous != settings.fingerprint {
                throw RunError(.usage, "\(settings.outputFolder): the run there used other plugins, plugin versions or options; use --force to start over")
            }
            kept = try folder.keptLines()
        }
        let keptEnd = kept.last?.end ?? 0
        try folder.openForWriting(keepingResultsBytes: keptEnd, keptErrors: kept.flatMap { ResultEncoder.errorLines(of: $0.object) })
        defer { folder.close() }
        try folder.writeRun(runRecord(status: "running", started: startDate, finished: nil, summary: nil))

        let shared = Shared()
        let jobs = max(1, settings.jobs)
        let windowSize = jobs * 192 + 48  // items in flight: room for several batches per worker
        let window = Window(capacity: windowSize)
        let work = Channel<[WorkItem]>(capacity: jobs * 2)
        let results = Channel<WorkerMessage>(capacity: jobs * 8 + 64)
        var reusable: [String: String] = [:]
        for line in kept { if let sha = line.sha256 { reusable[line.id] = sha } }
        let reusableIDs = reusable

        startWalker(shared: shared, window: window, work: work, results: results)
        for index in 0..<jobs {
            startWorker(index, shared: shared, work: work, results: results, reusable: reusableIDs)
        }

        // Write results in input order.
        var summary = RunSummary()
        var keptByID: [String: RunFolder.KeptLine] = [:]
        for line in kept { keptByID[line.id] = line }
        struct Position: Hashable { var seq: Int, part: Int }
        var pending: [Position: EntryOutput] = [:]
        var partsOf: [Int: Int] = [:]
        var next = 0
        var nextPart = 0
        var workersDone = 0
        var fatal: String?
        var records: [String: [[UInt8]]] = [:]
        var pluginSeconds: [String: Double] = [:]
        var cursor = 0
        var matchingPrefix = !kept.isEmpty
        var lastProgress = ContinuousClock.now - .seconds(1)

        // Lines wait here until there is enough to write at once (whole lines only, so a killed
        // run still never leaves half a line; what was not written yet is redone on --resume).
        var resultBuffer: [UInt8] = []
        var errorBuffer: [UInt8] = []
        func flush() throws(RunError) {
            guard !resultBuffer.isEmpty || !errorBuffer.isEmpty else { return }
            try folder.append(results: resultBuffer, errors: errorBuffer)
            resultBuffer.removeAll(keepingCapacity: true)
            errorBuffer.removeAll(keepingCapacity: true)
        }

        func write(_ entry: EntryOutput) throws(RunError) {
            for doc in entry.docs {
                let line: EncodedLine
                if doc.reused, let old = keptByID[doc.id] {
                    line = EncodedLine(old.object)
                    summary.reused += 1
                } else {
                    line = doc.line ?? EncodedLine(JSONObject())
                }
                if matchingPrefix, cursor < kept.count, kept[cursor].id == doc.id, kept[cursor].bytes == line.bytes {
                    cursor += 1  // already in results.jsonl
                } else {
                    if matchingPrefix {
                        matchingPrefix = false
                        try restartFiles(folder, kept: kept, keeping: cursor)
                    }
                    resultBuffer += line.bytes
                    errorBuffer += line.errorBytes
                }
                for (plugin, json) in line.records { records[plugin, default: []].append(json) }
                summary.documents += doc.skipped ? 0 : 1
                switch line.status {
                case "failed": summary.failed += 1
                case "skipped": summary.skipped += 1
                default: summary.ok += 1
                }
                summary.bytes += doc.bytes
                for (plugin, seconds) in doc.seconds { pluginSeconds[plugin, default: 0] += seconds }
                if line.status == "failed" && settings.failFast { summary.stoppedEarly = true }
            }
            if resultBuffer.count >= 256 << 10 || summary.stoppedEarly { try flush() }
        }

        var writeError: RunError?
        receiving: while workersDone < jobs {
            switch results.receive(timeout: 0.25) {
            case .timedOut:
                do { try flush() } catch { writeError = writeError ?? error }
            case .closed:
                break receiving
            case .item(.done):
                workersDone += 1
            case .item(.fatal(let message)):
                fatal = fatal ?? message
                stopEverything(shared)
            case .item(.parts(let seq, let parts)):
                partsOf[seq] = parts
            case .item(.entries(let entries)):
                for entry in entries {
                    pending[Position(seq: entry.seq, part: entry.part)] = entry
                    if let parts = entry.parts { partsOf[entry.seq] = parts }
                }
            }
            // Write what is next in input order: entry by entry, part by part.
            while true {
                if let parts = partsOf[next], nextPart >= parts {
                    partsOf.removeValue(forKey: next)
                    next += 1
                    nextPart = 0
                    summary.files += 1
                    continue
                }
                guard let ready = pending.removeValue(forKey: Position(seq: next, part: nextPart)) else { break }
                nextPart += 1
                window.release()
                guard !summary.stoppedEarly, writeError == nil else { continue }
                do {
                    try write(ready)
                } catch {
                    writeError = error
                    stopEverything(shared)
                }
                if summary.stoppedEarly { stopEverything(shared) }
            }
            if let onProgress, ContinuousClock.now - lastProgress >= .milliseconds(200) {
                lastProgress = ContinuousClock.now
                onProgress(snapshot(shared, summary: summary, started: started))
            }
        }
        if writeError == nil {
            do { try flush() } catch { writeError = error }
        }
        // Let a walker that is waiting for room see the stop and end.
        shared.stop.store(true, ordering: .relaxed)
        window.openUp()
        if let writeError { throw writeError }
        if let fatal { throw RunError(.cannotRun, fatal) }
        if matchingPrefix { try restartFiles(folder, kept: kept, keeping: cursor) }

        // finish: each plugin in a VM of its own, up to --jobs at once, with every record it
        // emitted in input order; failures and files are reported in run order.
        if !summary.stoppedEarly, settings.plugins.contains(where: \.hasFinish) {
            let finishStarted = ContinuousClock.now
            let outcomes = try runFinishes(records: records, jobs: jobs)
            let d = ContinuousClock.now - finishStarted
            summary.finishSeconds = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
            var errorBytes: [UInt8] = []
            summary.finishPluginSeconds = outcomes.compactMap { outcome in outcome.plugin.map { ($0, outcome.seconds) } }
                .sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
            for outcome in outcomes {
                summary.finishFailures += outcome.failures
                for file in outcome.files where !summary.outputs.contains(file) { summary.outputs.append(file) }
            }
            for failure in summary.finishFailures {
                var line = JSONObject()
                line["document"] = .null
                line["path"] = .null
                if case .object(let error) = ResultEncoder.error(failure) {
                    for (key, value) in zip(error.keys, error.values) { line[key] = value }
                }
                errorBytes += ResultEncoder.bytes(line)
            }
            try folder.append(results: [], errors: errorBytes)
        }
        let elapsed = ContinuousClock.now - started
        summary.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        summary.pluginSeconds = pluginSeconds.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { (plugin: $0.key, seconds: $0.value) }
        try folder.writeRun(runRecord(status: summary.stoppedEarly ? "stopped" : "finished", started: startDate,
                                      finished: Date(), summary: summary))
        return summary
    }

    struct FinishOutcome: Sendable {
        var failures: [PluginFailure] = []
        var files: [String] = []
        var plugin: String?
        var seconds = 0.0
    }

    /// Runs each plugin's finish on a thread of its own (at most `jobs` at once).
    private func runFinishes(records: [String: [[UInt8]]], jobs: Int) throws(RunError) -> [FinishOutcome] {
        let finishing = settings.plugins.filter(\.hasFinish)
        let results = Mutex<[Int: FinishOutcome]>([:])
        let fatal = Mutex<String?>(nil)
        let slots = DispatchSemaphore.counting(max(1, jobs))
        let group = DispatchGroup()
        var pluginSettings = settings.plugin
        pluginSettings.outputFolder = settings.outputFolder
        let options = settings.options
        let logSink = logSink
        // The plugins with the most records (the longest finishes, as a rule) start first, so that
        // the short ones fill the other threads instead of leaving one long finish to run alone.
        let weight = finishing.map { plugin in (records[plugin.name] ?? []).reduce(0) { $0 + $1.count } }
        let order = finishing.indices.sorted { weight[$0] > weight[$1] || (weight[$0] == weight[$1] && $0 < $1) }
        for index in order {
            let plugin = finishing[index]
            let chunks = records[plugin.name] ?? []
            slots.wait()
            group.enter()
            let settings = pluginSettings
            let thread = Thread {
                defer {
                    slots.signal()
                    group.leave()
                }
                do {
                    let started = ContinuousClock.now
                    let set = try PluginSet(plugins: [plugin], options: [plugin.name: options[plugin.name] ?? JSONObject()],
                                            settings: settings)
                    set.logHandler = logSink
                    let failures = set.finish(recordChunks: [plugin.name: chunks])
                    let d = ContinuousClock.now - started
                    let outcome = FinishOutcome(failures: failures, files: set.writtenFiles, plugin: plugin.name,
                                                seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
                    results.withLock { $0[index] = outcome }
                } catch {
                    fatal.withLock { $0 = $0 ?? "could not start Lua for finish: \(error)" }
                }
            }
            thread.name = "quarry-finish-\(plugin.name)"
            thread.stackSize = 16 << 20
            thread.start()
        }
        group.wait()
        if let message = fatal.withLock({ $0 }) { throw RunError(.cannotRun, message) }
        let collected = results.withLock { $0 }
        return finishing.indices.map { collected[$0] ?? FinishOutcome() }
    }

    private func restartFiles(_ folder: RunFolder, kept: [RunFolder.KeptLine], keeping count: Int) throws(RunError) {
        let size = count == 0 ? 0 : kept[count - 1].end
        try folder.truncateResults(to: size)
        try folder.openForWriting(keepingResultsBytes: size, keptErrors: kept.prefix(count).flatMap { ResultEncoder.errorLines(of: $0.object) })
    }

    private func stopEverything(_ shared: Shared) {
        shared.stop.store(true, ordering: .relaxed)
        for token in shared.cancellations.withLock({ $0 }) { token.cancel() }
    }

    private func snapshot(_ shared: Shared, summary: RunSummary, started: ContinuousClock.Instant) -> ProgressSnapshot {
        let now = ContinuousClock.now
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let walked = shared.walked.load(ordering: .relaxed)
        let running = shared.running.withLock { $0 }.values.map { (document: $0.document, plugin: $0.plugin, seconds: seconds(now - $0.since)) }
            .sorted { $0.seconds > $1.seconds }
        return ProgressSnapshot(filesDone: summary.files, filesTotal: walked >= 0 ? walked : nil, documents: summary.documents,
                                failed: summary.failed, bytes: summary.bytes, elapsed: seconds(now - started), running: running)
    }

    // MARK: - Threads

    private func startWalker(
        shared: Shared, window: Window, work: Channel<[WorkItem]>, results: Channel<WorkerMessage>
    ) {
        let paths = settings.paths
        let options = settings.corpusOptions
        let readerOptions = settings.readerOptions
        let thread = Thread {
            var seq = 0
            let registry = ReaderRegistry(options: readerOptions, maxBytes: options.maxBytes)
            // Items travel in small batches (fewer wake-ups); a large item travels alone, so that
            // a few heavy documents still spread over the workers.
            var batch: [WorkItem] = []
            var batchBytes = 0
            func send() {
                guard !batch.isEmpty else { return }
                work.send(batch)
                batch = []
                batchBytes = 0
            }
            func add(_ item: WorkItem, bytes: Int) {
                if !window.tryAcquire() {
                    send()  // never hold items back while waiting for room
                    window.acquire()
                }
                batch.append(item)
                batchBytes += bytes
                if batch.count >= 48 || batchBytes >= 192 << 10 { send() }
            }
            for item in Corpus(paths: paths, options: options) {
                if shared.stop.load(ordering: .relaxed) { break }
                if case .entry(let entry) = item, BatchRun.holdsRecords(entry, readerOptions) {
                    // Read the records here and hand them out, so they spread over the workers.
                    var part = 0
                    registry.read(entry) { result in
                        guard !shared.stop.load(ordering: .relaxed) else { return }
                        add(.record(seq: seq, part: part, result), bytes: result.document?.text.utf8.count ?? 0)
                        part += 1
                    }
                    results.send(.parts(seq: seq, parts: part))
                    seq += 1
                    continue
                }
                switch item {
                case .entry(let entry): add(.entry(seq: seq, entry), bytes: entry.size ?? 0)
                case .skipped(let path, let reason): add(.skipped(seq: seq, path: path, reason: reason), bytes: 0)
                case .failure(let path, let message): add(.failure(seq: seq, path: path, message: message), bytes: 0)
                }
                seq += 1
            }
            send()
            shared.walked.store(seq, ordering: .relaxed)
            work.close()
        }
        thread.name = "quarry-walker"
        thread.start()
    }

    private func startWorker(
        _ index: Int, shared: Shared, work: Channel<[WorkItem]>, results: Channel<WorkerMessage>, reusable: [String: String]
    ) {
        let settings = settings
        let logSink = logSink
        let thread = Thread {
            defer { results.send(.done) }
            let set: PluginSet
            do {
                set = try PluginSet(plugins: settings.plugins, options: settings.options, settings: settings.plugin)
            } catch {
                results.send(.fatal("could not start Lua in a worker: \(error)"))
                return
            }
            set.logHandler = logSink
            shared.cancellations.withLock { $0.append(set.cancellation) }
            let registry = ReaderRegistry(options: settings.readerOptions, maxBytes: settings.corpusOptions.maxBytes)
            var currentDocument = ""
            set.onPluginStart = { plugin in
                shared.running.withLock { $0[index] = (currentDocument, plugin, ContinuousClock.now) }
            }
            /// Reads (or takes) and processes one work item.
            func output(for item: WorkItem) -> EntryOutput {
                let (seq, part) = BatchRun.position(of: item)
                let parts: Int? = if case .record = item { nil } else { 1 }
                if shared.stop.load(ordering: .relaxed) {
                    // Drain: the writer discards what comes after a stop.
                    return EntryOutput(seq: seq, part: part, parts: parts, docs: [])
                }
                var docs: [DocOutput] = []
                func handle(_ result: ReadResult) {
                    switch result {
                    case .failure(let failure) where failure.skipReason != nil:
                        docs.append(DocOutput(id: failure.path, line: EncodedLine(ResultEncoder.skipped(id: failure.path, path: failure.path,
                                                                                                      reason: failure.skipReason ?? "")),
                                              reused: false, skipped: true, bytes: 0, seconds: [:]))
                    case .failure(let failure):
                        docs.append(DocOutput(id: failure.id, line: EncodedLine(ResultEncoder.line(for: failure)), reused: false,
                                              skipped: false, bytes: 0, seconds: [:]))
                    case .document(let document):
                        let size = document.text.utf8.count
                        if let sha = document.metadata.sha256, reusable[document.id] == sha {
                            docs.append(DocOutput(id: document.id, line: nil, reused: true, skipped: false,
                                                  bytes: size, seconds: [:]))
                            return
                        }
                        currentDocument = document.id
                        let outcome = set.process(document)
                        shared.running.withLock { _ = $0.removeValue(forKey: index) }
                        docs.append(DocOutput(id: document.id, line: ResultEncoder.encoded(outcome), reused: false,
                                              skipped: false, bytes: size,
                                              seconds: outcome.seconds))
                    }
                }
                switch item {
                case .skipped(_, let path, let reason):
                    docs.append(DocOutput(id: path, line: EncodedLine(ResultEncoder.skipped(id: path, path: path, reason: reason)),
                                          reused: false, skipped: true, bytes: 0, seconds: [:]))
                case .failure(_, let path, let message):
                    let failure = ReadFailure(id: path, path: path, message: message)
                    docs.append(DocOutput(id: path, line: EncodedLine(ResultEncoder.line(for: failure)), reused: false, skipped: false, bytes: 0, seconds: [:]))
                case .entry(_, let entry):
                    registry.read(entry, each: handle)
                case .record(_, _, let result):
                    handle(result)
                }
                return EntryOutput(seq: seq, part: part, parts: parts, docs: docs)
            }
            while case .item(let items) = work.receive() {
                results.send(.entries(items.map(output)))
            }
        }
        thread.name = "quarry-worker-\(index)"
        thread.stackSize = 16 << 20
        thread.start()
    }

    static func position(of item: WorkItem) -> (seq: Int, part: Int) {
        switch item {
        case .entry(let seq, _), .skipped(let seq, _, _), .failure(let seq, _, _): (seq, 0)
        case .record(let seq, let part, _): (seq, part)
        }
    }

    /// Whether an entry is a file of records, read by the walker and spread over the workers.
    static func holdsRecords(_ entry: CorpusEntry, _ options: ReaderOptions) -> Bool {
        if let format = options.format { return format.holdsRecords }
        return DocumentFormat(fileExtension: entry.fileExtension)?.holdsRecords ?? false
    }

    // MARK: - run.json

    /// This process's peak resident memory in bytes: VmHWM of /proc/self/status (the memory map's
    /// own high-water mark; getrusage would count a parent's memory from before exec). Nil elsewhere.
    static func peakResidentBytes() -> Int? {
        // The corpus reader reads to the end (a /proc file says it is empty).
        guard let bytes = try? CorpusEntry(id: "status", path: "/proc/self/status").bytes(maxBytes: 1 << 20) else { return nil }
        let status = String(decoding: bytes, as: UTF8.self)
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let kilobytes = fields.first.flatMap({ Int($0) }) { return kilobytes * 1024 }
        }
        return nil
    }

    func runRecord(status: String, started: Date, finished: Date?, summary: RunSummary?) -> JSONObject {
        let iso = ISO8601DateFormatter()
        var run = JSONObject()
        run["schema"] = .string("quarry.run/1")
        run["quarry_version"] = .string(settings.quarryVersion)
        run["api_version"] = .string(QuarryAPI.apiVersion)
        run["lua_version"] = .string(LuaVM.luaVersion)
        run["status"] = .string(status)
        run["arguments"] = .array(settings.arguments.map { .string($0) })
        run["paths"] = .array(settings.paths.map { .string($0) })
        run["jobs"] = .int(settings.jobs)
        run["started"] = .string(iso.string(from: started))
        run["finished"] = finished.map { .string(iso.string(from: $0)) } ?? .null
        run["plugins"] = .array(settings.plugins.map { plugin in
            var p = JSONObject()
            p["name"] = .string(plugin.name)
            p["version"] = .string(plugin.version)
            p["kind"] = .string(plugin.kind.rawValue)
            p["file"] = .string(plugin.file)
            p["hash"] = .string(plugin.hash)
            p["options"] = .object(settings.options[plugin.name] ?? JSONObject())
            return .object(p)
        })
        run["fingerprint"] = .string(settings.fingerprint)
        if let summary {
            var counts = JSONObject()
            counts["files"] = .int(summary.files)
            counts["documents"] = .int(summary.documents)
            counts["ok"] = .int(summary.ok)
            counts["failed"] = .int(summary.failed)
            counts["skipped"] = .int(summary.skipped)
            counts["reused"] = .int(summary.reused)
            counts["finish_failures"] = .int(summary.finishFailures.count)
            run["counts"] = .object(counts)
            var timings = JSONObject()
            timings["total_seconds"] = .double(summary.seconds)
            timings["finish_seconds"] = .double(summary.finishSeconds)
            if let peak = BatchRun.peakResidentBytes() { timings["peak_memory_bytes"] = .int(peak) }
            var plugins = JSONObject()
            for (plugin, seconds) in summary.pluginSeconds { plugins[plugin] = .double(seconds) }
            timings["plugins"] = .object(plugins)
            var finishes = JSONObject()
            for (plugin, seconds) in summary.finishPluginSeconds { finishes[plugin] = .double(seconds) }
            timings["finish_plugins"] = .object(finishes)
            run["timings"] = .object(timings)
        }
        var outputs = JSONObject()
        outputs["results"] = .string(RunFolder.results)
        outputs["errors"] = .string(RunFolder.errors)
        outputs["reports"] = .array((summary?.outputs ?? []).map { .string($0) })
        run["outputs"] = .object(outputs)
        return run
    }
}
