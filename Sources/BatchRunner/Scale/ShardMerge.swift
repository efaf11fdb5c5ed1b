// ShardMerge: `quarry merge` — the shards' results lines put back in input order (each shard's
// order.jsonl tells every line's place in the whole input), written with finish and run.json as one
// run over the whole input would have written them.
import DocumentModel
import Foundation
import PluginHost

/// Merges the shards of one run into one run folder.
public final class ShardMerge {
    public let settings: RunSettings
    public let shards: ShardSet
    /// Where plugins' log lines go (their finish).
    public var logSink: @Sendable (String, LogLevel, String) -> Void = { _, _, _ in }

    /// - Parameter settings: the merged run: the shards' plugins (loaded here, with the hashes the
    ///   shards recorded), options, inputs, and the output folder.
    public init(settings: RunSettings, shards: ShardSet) {
        self.settings = settings
        self.shards = shards
    }

    /// Merges the shards.
    /// - Throws: `RunError` when a shard is incomplete or damaged, or the outputs cannot be written.
    public func run() throws(RunError) -> RunSummary {
        var cursors: [ShardCursor] = []
        for shard in shards.shards { cursors.append(try ShardCursor(shard)) }
        var last: (key: OrderKey, shard: String)?
        return try ResultGathering(settings: settings, log: logSink).run(files: shards.reference.files) {
            () throws(RunError) -> ReadBackLine? in
            var best: Int?
            for i in cursors.indices {
                guard let key = cursors[i].key else { continue }
                if let b = best, cursors[b].key! <= key { continue }
                best = i
            }
            guard let b = best, let key = cursors[b].key, let line = cursors[b].line else { return nil }
            if let last, last.key == key {
                throw RunError(
                    .configuration,
                    "\(last.shard) and \(cursors[b].shard.path) both hold the document at input place \(key): the shards overlap"
                )
            }
            last = (key, cursors[b].shard.path)
            try cursors[b].advance()
            return line
        }
    }
}

/// A results line's place in the whole input: corpus entry, record of the entry, document of the record.
struct OrderKey: Comparable, CustomStringConvertible {
    var seq: Int
    var part: Int
    var index: Int

    static func < (a: OrderKey, b: OrderKey) -> Bool { (a.seq, a.part, a.index) < (b.seq, b.part, b.index) }
    var description: String { "[\(seq),\(part),\(index)]" }
}

/// Reads one shard's results.jsonl and order.jsonl side by side.
struct ShardCursor {
    let shard: ShardFolder
    private let results: LineReader
    private let order: LineReader
    private(set) var key: OrderKey?
    private(set) var line: ReadBackLine?
    private var previous: OrderKey?

    init(_ shard: ShardFolder) throws(RunError) {
        self.shard = shard
        let folder = RunFolder(path: shard.path)
        do {
            results = try LineReader(path: folder.resultsURL.path)
            order = try LineReader(path: folder.orderURL.path)
        } catch {
            throw RunError(
                .configuration,
                "\(shard.path): cannot read the shard's results and order.jsonl: \(error.localizedDescription)")
        }
        try advance()
    }

    /// Moves to the shard's next line (key and line nil at the end).
    mutating func advance() throws(RunError) {
        let resultsPath = RunFolder(path: shard.path).resultsURL.path
        let orderPath = RunFolder(path: shard.path).orderURL.path
        let nextResult: LineReader.Line?
        let nextOrder: LineReader.Line?
        do {
            nextResult = try results.next()
            nextOrder = try order.next()
        } catch {
            throw RunError(.cannotRun, "\(shard.path): cannot read: \(error.localizedDescription)")
        }
        switch (nextResult, nextOrder) {
        case (nil, nil):
            key = nil
            line = nil
            return
        case (let r?, nil):
            throw RunError(
                .configuration,
                "\(resultsPath):\(r.number): the shard has more results lines than order.jsonl lines: it is incomplete; rerun it with --resume"
            )
        case (nil, let o?):
            throw RunError(
                .configuration,
                "\(orderPath):\(o.number): the shard has fewer results lines than order.jsonl lines: it is incomplete; rerun it with --resume"
            )
        case (let r?, let o?):
            guard r.terminated, let read = ReadBackLine(bytes: r.bytes) else {
                throw RunError(
                    .configuration,
                    "\(resultsPath):\(r.number): not a whole results line (torn or damaged): rerun the shard with --resume"
                )
            }
            guard case .array(let items)? = try? JSONParser.parse(bytes: Array(o.bytes)), items.count == 3,
                let seq = integer(items[0]), let part = integer(items[1]), let index = integer(items[2])
            else {
                throw RunError(.configuration, "\(orderPath):\(o.number): not an [entry, part, document] line")
            }
            let next = OrderKey(seq: seq, part: part, index: index)
            if let previous, next <= previous {
                throw RunError(.configuration, "\(orderPath):\(o.number): \(next) does not come after \(previous)")
            }
            previous = next
            key = next
            line = read
        }
    }
}
