// FinishRunner: the plugins' `finish` after the last document — each plugin in a VM of its own,
// up to --jobs at once, with every record it emitted in input order; failures and written files
// come back in run order.
import DocumentModel
import Foundation
import PluginHost
import Synchronization

/// Runs the finishes of a run's plugins.
struct FinishRunner {
    /// What one plugin's finish did.
    struct Outcome: Sendable {
        var failures: [PluginFailure] = []
        var files: [String] = []
        var plugin: String?
        var seconds = 0.0
        /// The finish's profile samples (`--profile`).
        var samples: [UInt8] = []
    }

    var plugins: [PluginManifest]
    var options: [String: JSONObject]
    /// The plugin settings, with the output folder `ctx:write` writes to.
    var settings: PluginSet.Settings
    var jobs: Int
    var log: @Sendable (String, LogLevel, String) -> Void

    init(settings: RunSettings, log: @escaping @Sendable (String, LogLevel, String) -> Void) {
        plugins = settings.plugins.filter(\.hasFinish)
        options = settings.options
        self.settings = settings.plugin
        self.settings.outputFolder = settings.outputFolder
        jobs = max(1, settings.jobs)
        self.log = log
    }

    /// The order finishes start in: the plugins with the most records (the longest finishes, as a
    /// rule) first, so that the short ones fill the other threads instead of leaving one long finish
    /// to run alone. Indexes into `plugins`.
    func startOrder(records: [String: RecordSource]) -> [Int] {
        let weight = plugins.map { plugin in records[plugin.name]?.bytes ?? 0 }
        return plugins.indices.sorted { weight[$0] > weight[$1] || (weight[$0] == weight[$1] && $0 < $1) }
    }

    /// Runs each plugin's finish on a thread of its own (at most `jobs` at once).
    /// - Returns: one outcome per plugin with a finish, in run order.
    /// - Throws: `RunError` when Lua cannot start for a finish.
    func run(records: [String: RecordSource]) throws(RunError) -> [Outcome] {
        let results = Mutex<[Int: Outcome]>([:])
        let fatal = Mutex<String?>(nil)
        let slots = DispatchSemaphore.counting(jobs)
        let group = DispatchGroup()
        for index in startOrder(records: records) {
            let plugin = plugins[index]
            let source = records[plugin.name] ?? .chunks([])
            let options = [plugin.name: options[plugin.name] ?? JSONObject()]
            let settings = settings
            let log = log
            slots.wait()
            group.enter()
            let thread = Thread {
                defer {
                    slots.signal()
                    group.leave()
                }
                do {
                    let started = ContinuousClock.now
                    let set = try PluginSet(plugins: [plugin], options: options, settings: settings)
                    set.logHandler = log
                    let failures = set.finish(sources: [plugin.name: source])
                    let outcome = Outcome(
                        failures: failures, files: set.writtenFiles, plugin: plugin.name,
                        seconds: (ContinuousClock.now - started).seconds,
                        samples: settings.profile ? set.takeProfileSamples() : [])
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
        return plugins.indices.map { collected[$0] ?? Outcome() }
    }

    /// The errors.jsonl lines of failed finishes (no document, no path).
    static func errorLines(_ failures: [PluginFailure]) -> [UInt8] {
        var bytes: [UInt8] = []
        for failure in failures {
            var line = JSONObject()
            line["document"] = .null
            line["path"] = .null
            if case .object(let error) = ResultEncoder.error(failure) {
                for (key, value) in zip(error.keys, error.values) { line[key] = value }
            }
            bytes += ResultEncoder.bytes(line)
        }
        return bytes
    }
}
