// CorpusFeeder: walks the corpus in input order and hands the workers work items in small
// batches, through a bounded window; the records of a record file are read here, one item each,
// so that one big JSON Lines file still spreads over every worker.
import Foundation
import Readers

/// Walks the corpus and feeds the workers.
struct CorpusFeeder: Sendable {
    var paths: [String]
    var corpusOptions: CorpusOptions
    var readerOptions: ReaderOptions
    /// Only the documents of this shard (nil: all).
    var shard: Shard?

    init(settings: RunSettings) {
        paths = settings.paths
        corpusOptions = settings.corpusOptions
        readerOptions = settings.readerOptions
        shard = settings.shard
    }

    /// Walks the corpus on the calling thread until it ends or the run stops.
    ///
    /// - Parameters:
    ///   - control: the run's stop flag; `walked` is set to the number of entries at the end.
    ///   - window: room for items in flight; the feeder waits while it is full.
    ///   - send: takes a batch of items (it may block while the workers are busy).
    ///   - parts: told how many records a record file had, once it is read (with a shard: how many of
    ///     them are the shard's; 0 for an entry that is another shard's).
    /// - Returns: how many corpus entries there were.
    @discardableResult
    func feed(
        control: RunControl, window: Window, send: ([WorkItem]) -> Void, parts: (_ seq: Int, _ count: Int) -> Void
    ) -> Int {
        var seq = 0
        let registry = ReaderRegistry(options: readerOptions, maxBytes: corpusOptions.maxBytes)
        var batcher = WorkBatcher()
        func add(_ item: WorkItem, bytes: Int) {
            if !window.tryAcquire() {
                if let batch = batcher.take() { send(batch) }  // never hold items back while waiting for room
                window.acquire()
            }
            if batcher.add(item, bytes: bytes), let batch = batcher.take() { send(batch) }
        }
        let shard = shard
        func mine(_ key: String) -> Bool { shard?.holds(key) ?? true }
        for item in Corpus(paths: paths, options: corpusOptions) {
            if control.isStopped { break }
            switch item {
            case .entry(let entry) where Self.holdsRecords(entry, readerOptions):
                // Read the records here and hand them out, so they spread over the workers.
                var part = 0
                var corpusPart = 0
                registry.read(entry) { result in
                    guard !control.isStopped else { return }
                    defer { corpusPart += 1 }
                    guard mine(result.id) else { return }
                    add(
                        .record(seq: seq, part: part, corpusPart: corpusPart, result),
                        bytes: result.document?.text.utf8.count ?? 0)
                    part += 1
                }
                parts(seq, part)
            case .entry(let entry) where !mine(entry.id): parts(seq, 0)
            case .skipped(let path, _) where !mine(path): parts(seq, 0)
            case .failure(let path, _) where !mine(path): parts(seq, 0)
            case .entry(let entry): add(.entry(seq: seq, entry), bytes: entry.size ?? 0)
            case .skipped(let path, let reason): add(.skipped(seq: seq, path: path, reason: reason), bytes: 0)
            case .failure(let path, let message): add(.failure(seq: seq, path: path, message: message), bytes: 0)
            }
            seq += 1
        }
        if let batch = batcher.take() { send(batch) }
        control.walked.store(seq, ordering: .relaxed)
        return seq
    }

    /// Starts `feed` on a thread of its own; the work channel is closed when it ends.
    func start(control: RunControl, window: Window, work: Channel<[WorkItem]>, results: Channel<WorkerMessage>) {
        let thread = Thread {
            feed(
                control: control, window: window, send: { work.send($0) },
                parts: { seq, count in results.send(.parts(seq: seq, count: count)) })
            work.close()
        }
        thread.name = "quarry-walker"
        thread.start()
    }

    /// Whether an entry is a file of records, read by the feeder and spread over the workers.
    static func holdsRecords(_ entry: CorpusEntry, _ options: ReaderOptions) -> Bool {
        if let format = options.format { return format.holdsRecords }
        return DocumentFormat(fileExtension: entry.fileExtension)?.holdsRecords ?? false
    }
}

/// Gathers work items into batches: fewer wake-ups than one item at a time, while a large item
/// travels alone so that a few heavy documents still spread over the workers.
struct WorkBatcher {
    static let maxItems = 48
    static let maxBytes = 192 << 10

    private var batch: [WorkItem] = []
    private var bytes = 0

    /// Adds an item of `bytes` bytes; true when the batch is full and should be sent now.
    mutating func add(_ item: WorkItem, bytes: Int) -> Bool {
        batch.append(item)
        self.bytes += bytes
        return batch.count >= Self.maxItems || self.bytes >= Self.maxBytes
    }

    /// The items gathered so far (nil when there are none); the batcher starts over.
    mutating func take() -> [WorkItem]? {
        guard !batch.isEmpty else { return nil }
        defer {
            batch = []
            bytes = 0
        }
        return batch
    }
}
