// RecordSpool: each plugin's records for finish, kept in input order as they are written — in memory
// while they are few, then spilled to files of chunks (a JSON array a line) in a temporary folder, so a
// run's memory does not grow with the number of documents. Finish reads them back as a stream.
import Foundation
import PluginHost

/// Keeps the records of a run's plugins for finish.
final class RecordSpool {
    /// Records stay in memory up to this many bytes (all plugins together), then go to disk.
    static let defaultMemoryLimit = 16 << 20
    /// What one chunk held in memory costs besides its bytes (the array's header and the allocator's
    /// rounding): many small records weigh more than their JSON.
    static let chunkOverhead = 64
    /// Bytes gathered per plugin before one append to its file.
    static let writeChunk = 1 << 20

    private let memoryLimit: Int
    private var memory: [String: [[UInt8]]] = [:]
    private var memoryBytes = 0
    private var folder: URL?
    private var files: [String: (url: URL, handle: FileHandle)] = [:]
    private var pending: [String: [UInt8]] = [:]
    private(set) var bytes: [String: Int] = [:]
    /// Plugins in the order their first record came (files are named by it).
    private var order: [String] = []
    private var failure: String?

    init(memoryLimit: Int = RecordSpool.defaultMemoryLimit) {
        self.memoryLimit = memoryLimit
    }

    deinit { removeFiles() }

    /// Whether the records went to disk.
    var spilled: Bool { folder != nil }

    /// Adds one document's records of `plugin` (a JSON array).
    func add(_ plugin: String, _ json: [UInt8]) throws(RunError) {
        if bytes[plugin] == nil { order.append(plugin) }
        bytes[plugin, default: 0] += json.count
        if folder == nil {
            memory[plugin, default: []].append(json)
            // What the chunk holds, not what its JSON needs: a chunk written by a JSONWriter keeps its
            // capacity (256 bytes and up) however few bytes it holds.
            memoryBytes += json.capacity + Self.chunkOverhead
            if memoryBytes > memoryLimit { try spill() }
            return
        }
        pending[plugin, default: []] += json
        pending[plugin]!.append(0x0A)
        if pending[plugin]!.count >= Self.writeChunk { try write(plugin) }
    }

    /// Each plugin's records, readable from the start as often as finish asks.
    func sources() throws(RunError) -> [String: RecordSource] {
        guard folder != nil else { return memory.mapValues { RecordSource.chunks($0) } }
        for plugin in order { try write(plugin) }
        var out: [String: RecordSource] = [:]
        for (plugin, file) in files {
            let path = file.url.path
            out[plugin] = RecordSource(bytes: bytes[plugin] ?? 0) {
                let reader = try LineReader(path: path)
                return { try reader.next().map { Array($0.bytes) } }
            }
        }
        return out
    }

    /// Each plugin's records in memory (tests; a spool that did not spill).
    var inMemory: [String: [[UInt8]]] { memory }

    func removeFiles() {
        for file in files.values { try? file.handle.close() }
        files = [:]
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func spill() throws(RunError) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quarry-records-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw RunError(
                .cannotRun, "\(url.path): cannot create a folder for finish's records: \(error.localizedDescription)")
        }
        folder = url
        for plugin in order {
            var joined: [UInt8] = []
            for chunk in memory[plugin] ?? [] {
                joined += chunk
                joined.append(0x0A)
            }
            pending[plugin] = joined
            try write(plugin)
        }
        memory = [:]
        memoryBytes = 0
    }

    private func write(_ plugin: String) throws(RunError) {
        guard let folder, let data = pending[plugin], !data.isEmpty || files[plugin] == nil else { return }
        do {
            if files[plugin] == nil {
                let url = folder.appendingPathComponent("\(files.count).jsonl")
                _ = FileManager.default.createFile(atPath: url.path, contents: nil)
                files[plugin] = (url, try FileHandle(forWritingTo: url))
            }
            try files[plugin]!.handle.write(contentsOf: Data(data))
        } catch {
            throw RunError(
                .cannotRun,
                "cannot spill finish's records to \(folder.path) (disk full?): \(error.localizedDescription)")
        }
        pending[plugin] = []
    }
}
