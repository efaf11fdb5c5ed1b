// RunRecord: run.json — what ran (Quarry, API and Lua versions, arguments, plugins with their
// hashes and options, the fingerprint `--resume` checks) and, once it ended, its counts, timings and
// report files. Written when the run starts (status running) and again at its end.
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Readers

/// The contents of run.json (schema `quarry.run/1`).
struct RunRecord: Equatable {
    /// Where the run is.
    enum Status: String {
        case running
        /// Every document was done (some may have failed).
        case finished
        /// The run stopped at the first failure (`--fail-fast`).
        case stopped
        /// The process was stopped by a signal (SIGINT, SIGTERM); `--resume` continues the run.
        case interrupted
        /// The run could not go on (its outputs could not be written); `reason` says why.
        case failed
    }

    /// A plugin of the run, as loaded.
    struct Plugin: Equatable {
        var name: String
        var version: String
        var kind: String
        var file: String
        var source: String
        var hash: String
        var folderHash: String
        var options: JSONObject
    }

    /// How many of each there were, at the end.
    struct Counts: Equatable {
        var files: Int
        var documents: Int
        var ok: Int
        var failed: Int
        var skipped: Int
        var reused: Int
        var finishFailures: Int
    }

    /// How long things took, at the end.
    struct Timings: Equatable {
        var totalSeconds: Double
        var finishSeconds: Double
        /// The process's peak resident memory, where the system tells it.
        var peakMemoryBytes: Int?
        /// Seconds per plugin over every document, slowest first.
        var plugins: [Timing]
        /// Seconds per plugin's finish, slowest first.
        var finishPlugins: [Timing]
    }

    struct Timing: Equatable {
        var plugin: String
        var seconds: Double
    }

    static let schema = "quarry.run/1"

    var quarryVersion: String
    var apiVersion: String
    var luaVersion: String
    var status: Status
    var arguments: [String]
    var paths: [String]
    var jobs: Int
    var started: Date
    var finished: Date?
    var plugins: [Plugin]
    var fingerprint: String
    var counts: Counts?
    var timings: Timings?
    /// Report files plugins wrote, relative to the output folder.
    var reports: [String]
    /// The shard this run was (`--shard I/N`), with the corpus options every shard must share.
    var shard: Shard?
    var corpus: CorpusOptions
    /// What a merge or reduce put together.
    var mergedFrom: [String]
    /// Why an interrupted or failed run ended ("SIGINT", "results.jsonl: cannot write: …").
    var reason: String?

    /// The record of a run with `settings`; counts and timings come with a summary (at the end).
    init(
        settings: RunSettings, status: Status, started: Date, finished: Date? = nil, summary: RunSummary? = nil,
        peakMemoryBytes: Int? = nil
    ) {
        quarryVersion = settings.quarryVersion
        apiVersion = QuarryAPI.apiVersion
        luaVersion = LuaVM.luaVersion
        self.status = status
        arguments = settings.arguments
        paths = settings.paths
        jobs = settings.jobs
        self.started = started
        self.finished = finished
        plugins = settings.plugins.map { plugin in
            Plugin(
                name: plugin.name, version: plugin.version, kind: plugin.kind.rawValue, file: plugin.file,
                source: "\(plugin.packagePath) (\(plugin.origin.label))", hash: plugin.hash,
                folderHash: plugin.folderHash,
                options: settings.options[plugin.name] ?? JSONObject())
        }
        fingerprint = settings.fingerprint
        if let summary {
            counts = Counts(
                files: summary.files, documents: summary.documents, ok: summary.ok, failed: summary.failed,
                skipped: summary.skipped, reused: summary.reused, finishFailures: summary.finishFailures.count)
            timings = Timings(
                totalSeconds: summary.seconds, finishSeconds: summary.finishSeconds, peakMemoryBytes: peakMemoryBytes,
                plugins: summary.pluginSeconds.map { Timing(plugin: $0.plugin, seconds: $0.seconds) },
                finishPlugins: summary.finishPluginSeconds.map { Timing(plugin: $0.plugin, seconds: $0.seconds) })
        }
        reports = summary?.outputs ?? []
        shard = settings.shard
        corpus = settings.corpusOptions
        mergedFrom = settings.mergedFrom
    }

    // MARK: - Encoding

    /// run.json as a JSON object, in its documented key order.
    var json: JSONObject {
        let iso = ISO8601DateFormatter()
        var run = JSONObject()
        run["schema"] = .string(Self.schema)
        run["quarry_version"] = .string(quarryVersion)
        run["api_version"] = .string(apiVersion)
        run["lua_version"] = .string(luaVersion)
        run["status"] = .string(status.rawValue)
        if let reason { run["reason"] = .string(reason) }
        run["arguments"] = .array(arguments.map { .string($0) })
        run["paths"] = .array(paths.map { .string($0) })
        run["jobs"] = .int(jobs)
        run["started"] = .string(iso.string(from: started))
        run["finished"] = finished.map { .string(iso.string(from: $0)) } ?? .null
        run["plugins"] = .array(
            plugins.map { plugin in
                var p = JSONObject()
                p["name"] = .string(plugin.name)
                p["version"] = .string(plugin.version)
                p["kind"] = .string(plugin.kind)
                p["file"] = .string(plugin.file)
                p["source"] = .string(plugin.source)
                p["hash"] = .string(plugin.hash)
                p["folder_hash"] = .string(plugin.folderHash)
                p["options"] = .object(plugin.options)
                return .object(p)
            })
        run["fingerprint"] = .string(fingerprint)
        if let counts {
            var c = JSONObject()
            c["files"] = .int(counts.files)
            c["documents"] = .int(counts.documents)
            c["ok"] = .int(counts.ok)
            c["failed"] = .int(counts.failed)
            c["skipped"] = .int(counts.skipped)
            c["reused"] = .int(counts.reused)
            c["finish_failures"] = .int(counts.finishFailures)
            run["counts"] = .object(c)
        }
        if let timings {
            var t = JSONObject()
            t["total_seconds"] = .double(timings.totalSeconds)
            t["finish_seconds"] = .double(timings.finishSeconds)
            if let peak = timings.peakMemoryBytes { t["peak_memory_bytes"] = .int(peak) }
            var plugins = JSONObject()
            for timing in timings.plugins { plugins[timing.plugin] = .double(timing.seconds) }
            t["plugins"] = .object(plugins)
            var finishes = JSONObject()
            for timing in timings.finishPlugins { finishes[timing.plugin] = .double(timing.seconds) }
            t["finish_plugins"] = .object(finishes)
            run["timings"] = .object(t)
        }
        if let shard {
            var s = JSONObject()
            s["index"] = .int(shard.index)
            s["count"] = .int(shard.count)
            s["include"] = .array(corpus.include.map { .string($0) })
            s["exclude"] = .array(corpus.exclude.map { .string($0) })
            s["max_bytes"] = .int(corpus.maxBytes)
            run["shard"] = .object(s)
        }
        if !mergedFrom.isEmpty { run["merged_from"] = .array(mergedFrom.map { .string($0) }) }
        var outputs = JSONObject()
        outputs["results"] = .string(RunFolder.results)
        outputs["errors"] = .string(RunFolder.errors)
        outputs["reports"] = .array(reports.map { .string($0) })
        run["outputs"] = .object(outputs)
        return run
    }

    /// The bytes of run.json: the object indented for people, and a newline.
    var encoded: [UInt8] {
        Array(JSONValue.object(json).prettyDescription().utf8) + [0x0A]
    }

    // MARK: - Reading back

    /// The fingerprint recorded in a run.json (nil when it cannot be read).
    static func fingerprint(in bytes: [UInt8]) -> String? {
        guard case .object(let run)? = try? JSONParser.parse(bytes: bytes) else { return nil }
        return run["fingerprint"]?.stringValue
    }

    /// The report files recorded in a run.json, those inside the folder only.
    static func reports(in bytes: [UInt8]) -> [String] {
        guard case .object(let run)? = try? JSONParser.parse(bytes: bytes),
            case .object(let outputs)? = run["outputs"], case .array(let reports)? = outputs["reports"]
        else { return [] }
        return reports.compactMap { $0.stringValue }.filter { !$0.contains("..") && !$0.hasPrefix("/") }
    }

    // MARK: - Peak memory

    /// This process's peak resident memory in bytes: VmHWM of /proc/self/status (the memory map's
    /// own high-water mark; getrusage would count a parent's memory from before exec). Nil elsewhere.
    static func peakResidentBytes() -> Int? {
        // The corpus reader reads to the end (a /proc file says it is empty).
        guard let bytes = try? CorpusEntry(id: "status", path: "/proc/self/status").bytes(maxBytes: 1 << 20) else {
            return nil
        }
        return peakResidentBytes(status: String(decoding: bytes, as: UTF8.self))
    }

    /// The VmHWM line of a /proc/PID/status text, in bytes.
    static func peakResidentBytes(status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.dropFirst("VmHWM:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let kilobytes = fields.first.flatMap({ Int($0) }) { return kilobytes * 1024 }
        }
        return nil
    }
}
