// Worker: one worker thread's share of a run — its own VM with the plugins and its own readers.
// It turns work items into encoded results lines; the writer puts them in input order.
import DocumentModel
import Foundation
import PluginHost
import Readers

/// What the workers and the feeder tell the writer.
enum WorkerMessage: Sendable {
    /// The outputs of one batch of work items.
    case entries([EntryOutput])
    /// The feeder read all records of entry `seq`: it has `count` parts.
    case parts(seq: Int, count: Int)
    /// A worker could not start: the run cannot go on.
    case fatal(String)
    /// A worker's profile samples (`--profile`), sent before `.done`.
    case profile([UInt8])
    /// A worker has ended.
    case done
}

/// The documents an earlier run already did (`--resume`): id → SHA-256 of the content.
struct ReuseIndex: Sendable {
    private var hashes: [String: String] = [:]

    init(_ kept: [RunFolder.KeptLine] = []) {
        for line in kept { if let sha = line.sha256 { hashes[line.id] = sha } }
    }

    /// Whether the earlier run's line for this document still holds: same id, same content.
    func canReuse(_ document: Document) -> Bool {
        guard let sha = document.metadata.sha256 else { return false }
        return hashes[document.id] == sha
    }
}

/// Reads and processes work items with one plugin set.
final class Worker {
    let index: Int
    let plugins: PluginSet
    private let registry: ReaderRegistry
    private let reuse: ReuseIndex
    private let control: RunControl
    private var currentDocument = ""

    /// Loads the plugins into a VM of the worker's own.
    /// - Throws: when Lua or a plugin's setup cannot start.
    init(
        index: Int, settings: RunSettings, reuse: ReuseIndex, control: RunControl,
        log: @escaping @Sendable (String, LogLevel, String) -> Void
    ) throws {
        self.index = index
        self.reuse = reuse
        self.control = control
        plugins = try PluginSet(plugins: settings.plugins, options: settings.options, settings: settings.plugin)
        registry = ReaderRegistry(options: settings.readerOptions, maxBytes: settings.corpusOptions.maxBytes)
        plugins.logHandler = log
        control.register(plugins.cancellation)
        plugins.onPluginStart = { [unowned self] plugin in
            control.started(worker: index, document: currentDocument, plugin: plugin)
        }
    }

    /// Reads (or takes) and processes one work item.
    func output(for item: WorkItem) -> EntryOutput {
        var entry = EntryOutput(
            position: item.position, parts: item.knownParts, docs: [], corpusPosition: item.corpusPosition)
        // After a stop, drain: the writer discards what comes after it.
        guard !control.isStopped else { return entry }
        switch item {
        case .skipped(_, let path, let reason):
            entry.docs.append(Self.skipped(id: path, path: path, reason: reason))
        case .failure(_, let path, let message):
            entry.docs.append(Self.unreadable(ReadFailure(id: path, path: path, message: message)))
        case .entry(_, let corpusEntry):
            registry.read(corpusEntry) { entry.docs.append(output(for: $0)) }
        case .record(_, _, _, let result):
            entry.docs.append(output(for: result))
        case .mapped(_, let input):
            for result in input.read(options: registry.options, maxBytes: registry.maxBytes) {
                entry.docs.append(output(for: result))
            }
        case .refused(_, let refusal):
            entry.docs.append(Self.unreadable(ReadFailure(id: refusal.id, path: "-", message: refusal.message)))
        }
        return entry
    }

    private func output(for result: ReadResult) -> DocOutput {
        switch result {
        case .failure(let failure):
            if let reason = failure.skipReason {
                return Self.skipped(id: failure.path, path: failure.path, reason: reason)
            }
            return Self.unreadable(failure)
        case .document(let document):
            let size = document.text.utf8.count
            if reuse.canReuse(document) { return DocOutput(id: document.id, line: nil, reused: true, bytes: size) }
            currentDocument = document.id
            let outcome = plugins.process(document)
            control.idle(worker: index)
            return DocOutput(
                id: document.id, line: ResultEncoder.encoded(outcome), bytes: size, seconds: outcome.seconds)
        }
    }

    private static func skipped(id: String, path: String, reason: String) -> DocOutput {
        DocOutput(id: id, line: EncodedLine(ResultEncoder.skipped(id: id, path: path, reason: reason)), skipped: true)
    }

    private static func unreadable(_ failure: ReadFailure) -> DocOutput {
        DocOutput(id: failure.id, line: EncodedLine(ResultEncoder.line(for: failure)))
    }

    /// Starts worker `index` on a thread of its own: it takes batches from `work` until the channel
    /// closes, and sends `.done` when it ends (`.fatal` first when it cannot start).
    static func start(
        _ index: Int, settings: RunSettings, reuse: ReuseIndex, control: RunControl,
        log: @escaping @Sendable (String, LogLevel, String) -> Void,
        work: Channel<[WorkItem]>, results: Channel<WorkerMessage>
    ) {
        let thread = Thread {
            defer { results.send(.done) }
            let worker: Worker
            do {
                worker = try Worker(index: index, settings: settings, reuse: reuse, control: control, log: log)
            } catch {
                results.send(.fatal("could not start Lua in a worker: \(error)"))
                return
            }
            while case .item(let items) = work.receive() {
                results.send(.entries(items.map(worker.output(for:))))
            }
            if settings.plugin.profile { results.send(.profile(worker.plugins.takeProfileSamples())) }
        }
        thread.name = "quarry-worker-\(index)"
        thread.stackSize = 16 << 20
        thread.start()
    }
}
