// ShardSet: the shard folders given to `quarry merge`, read from their run.json and checked to belong
// together — one run's shards (same Quarry, plugins with their hashes and options, reader and corpus
// options, inputs), each present exactly once, each finished. Every refusal names the difference.
import DocumentModel
import Foundation
import Readers

/// A plugin as a shard's run.json records it.
public struct RecordedPlugin: Sendable, Equatable {
    public var name: String
    public var version: String
    public var hash: String
    public var folderHash: String
    public var options: JSONObject
}

/// One shard folder, as its run.json describes it.
public struct ShardFolder: Sendable {
    public var path: String
    public var shard: Shard
    public var status: String
    public var quarryVersion: String
    public var fingerprint: String
    public var paths: [String]
    public var corpus: CorpusOptions
    public var plugins: [RecordedPlugin]
    /// Corpus entries the shard's walk met (every shard walks the whole input).
    public var files: Int

    var label: String { "shard \(shard) (\(path))" }

    /// Reads a shard folder's run.json.
    /// - Throws: `RunError` when the folder holds no shard's run.
    init(path: String) throws(RunError) {
        self.path = path
        let runPath = URL(fileURLWithPath: path).appendingPathComponent(RunFolder.run).path
        guard let data = FileManager.default.contents(atPath: runPath) else {
            throw RunError(.configuration, "\(path): not a shard folder (no run.json)")
        }
        guard case .object(let run)? = try? JSONParser.parse(bytes: Array(data)) else {
            throw RunError(.configuration, "\(runPath): not valid JSON")
        }
        guard case .object(let shard)? = run["shard"], let index = integer(shard["index"]),
            let count = integer(shard["count"]), count >= 1, index >= 0, index < count
        else {
            throw RunError(.configuration, "\(path): not a shard folder (its run was not made with --shard I/N)")
        }
        self.shard = Shard(index: index, count: count)
        status = run["status"]?.stringValue ?? ""
        quarryVersion = run["quarry_version"]?.stringValue ?? ""
        fingerprint = run["fingerprint"]?.stringValue ?? ""
        paths = Self.strings(run["paths"])
        corpus = CorpusOptions(
            include: Self.strings(shard["include"]), exclude: Self.strings(shard["exclude"]),
            maxBytes: integer(shard["max_bytes"]) ?? 0)
        if case .array(let list)? = run["plugins"] {
            plugins = list.compactMap { value in
                guard case .object(let p) = value else { return nil }
                var options = JSONObject()
                if case .object(let o)? = p["options"] { options = o }
                return RecordedPlugin(
                    name: p["name"]?.stringValue ?? "", version: p["version"]?.stringValue ?? "",
                    hash: p["hash"]?.stringValue ?? "", folderHash: p["folder_hash"]?.stringValue ?? "",
                    options: options)
            }
        } else {
            plugins = []
        }
        if case .object(let counts)? = run["counts"] { files = integer(counts["files"]) ?? 0 } else { files = 0 }
    }

    private static func strings(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }
}

/// The shards of one run, checked to belong together, in shard order.
public struct ShardSet: Sendable {
    public let shards: [ShardFolder]

    /// The first shard: what every shard shares.
    public var reference: ShardFolder { shards[0] }

    /// Reads and checks the shard folders.
    /// - Throws: `RunError` (configuration) naming the first difference, missing or duplicated shard,
    ///   or unfinished shard.
    public init(folders: [String]) throws(RunError) {
        guard !folders.isEmpty else { throw RunError(.configuration, "no shard folders given") }
        var read: [ShardFolder] = []
        for folder in folders { read.append(try ShardFolder(path: folder)) }
        try Self.check(read)
        shards = read.sorted { $0.shard.index < $1.shard.index }
    }

    static func check(_ shards: [ShardFolder]) throws(RunError) {
        let first = shards[0]
        for shard in shards where shard.shard.count != first.shard.count {
            throw RunError(
                .configuration,
                "\(first.label) and \(shard.label) are shards of different partitions (\(first.shard.count) and \(shard.shard.count) shards)"
            )
        }
        var seen: [Int: ShardFolder] = [:]
        for shard in shards {
            if let earlier = seen[shard.shard.index] {
                throw RunError(
                    .configuration, "shard \(shard.shard) is given twice: \(earlier.path) and \(shard.path)")
            }
            seen[shard.shard.index] = shard
        }
        let missing = (0..<first.shard.count).filter { seen[$0] == nil }
        if !missing.isEmpty {
            throw RunError(
                .configuration,
                "missing shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(first.shard.count)" }.joined(separator: ", ")): every shard of the run must be merged"
            )
        }
        for shard in shards where shard.status != "finished" {
            let why =
                shard.status == "stopped"
                ? "stopped at its first failure (--fail-fast)"
                : "did not finish (status \(shard.status.isEmpty ? "unknown" : shard.status): killed half-way?)"
            throw RunError(
                .configuration,
                "\(shard.label) \(why); rerun it with `quarry run … --shard \(shard.shard) --out \(shard.path) --resume`"
            )
        }
        for shard in shards.dropFirst() {
            if let difference = difference(first, shard) {
                throw RunError(
                    .configuration, "\(first.label) and \(shard.label) are not shards of one run: \(difference)")
            }
        }
    }

    /// What differs between two shards' runs, in words (nil when they belong together).
    static func difference(_ a: ShardFolder, _ b: ShardFolder) -> String? {
        if a.quarryVersion != b.quarryVersion {
            return "Quarry \(a.quarryVersion) and \(b.quarryVersion)"
        }
        let namesA = a.plugins.map(\.name), namesB = b.plugins.map(\.name)
        if namesA != namesB {
            return "plugins \(namesA.joined(separator: ", ")) and \(namesB.joined(separator: ", "))"
        }
        for (p, q) in zip(a.plugins, b.plugins) {
            if p.version != q.version { return "plugin '\(p.name)' version \(p.version) and \(q.version)" }
            if p.hash != q.hash || p.folderHash != q.folderHash {
                return "plugin '\(p.name)' has different files (hash \(p.hash.prefix(12)) and \(q.hash.prefix(12)))"
            }
            if p.options != q.options {
                return "plugin '\(p.name)' options \(JSONValue.object(p.options)) and \(JSONValue.object(q.options))"
            }
        }
        if a.paths != b.paths {
            return "inputs \(a.paths.joined(separator: " ")) and \(b.paths.joined(separator: " "))"
        }
        if a.corpus != b.corpus {
            return
                "corpus options (include \(a.corpus.include), exclude \(a.corpus.exclude), max bytes \(a.corpus.maxBytes)) and (include \(b.corpus.include), exclude \(b.corpus.exclude), max bytes \(b.corpus.maxBytes))"
        }
        if a.fingerprint != b.fingerprint {
            return "reader options (fingerprints \(a.fingerprint) and \(b.fingerprint))"
        }
        if a.files != b.files {
            return "their walks met \(a.files) and \(b.files) input entries (did the input change?)"
        }
        return nil
    }

    /// The reader options the shards' runs recorded in their fingerprint.
    public var readerOptions: ReaderOptions {
        guard case .object(let object)? = try? JSONParser.parse(reference.fingerprint),
            case .object(let reader)? = object["reader"]
        else { return ReaderOptions() }
        return ReaderOptions(
            format: reader["format"]?.stringValue.flatMap(DocumentFormat.init(rawValue:)),
            htmlMainContent: reader["html_main"] != .bool(false),
            textField: reader["text_field"]?.stringValue, idField: reader["id_field"]?.stringValue)
    }
}

/// An integer value of run.json (nil when absent or not an integer).
func integer(_ value: JSONValue?) -> Int? {
    if case .int(let number)? = value { number } else { nil }
}
