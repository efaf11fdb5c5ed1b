// `quarry run PATH ...`: the main job — the selected plugins over a corpus, on every core, with
// results in input order, per-document isolation, limits, progress, and resume.
import ArgumentParser
import BatchRunner
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import PluginPackages
import Readers
import Synchronization

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run plugins over documents and write results, errors and reports.",
        discussion: """
            Writes results.jsonl (a line per document, in input order), errors.jsonl, run.json and the \
            report files plugins write, into --out (default quarry-out). Plugins are looked for, first match \
            wins: --plugins (replaces the rest), QUARRY_PLUGINS (colon-separated), quarry.toml's `plugins`, \
            ./Plugins, the user's folder, the standard plugins (see `quarry plugins --help`). The default \
            selection is the `default` category. Exit codes: 0 every document ok, 1 some failed, 2 bad \
            usage or configuration, 3 could not run.
            """
    )

    @Argument(help: "Documents: files, folders, globs, or - for standard input.")
    var paths: [String] = []

    /// Plugins, options, workers, reading and limits: the flags run shares with map and reduce.
    @OptionGroup var choice: PluginChoiceFlags
    var pluginFolders: PluginFolderOptions { choice.pluginFolders }
    var select: String? { choice.select }
    var sets: [String] { choice.sets }
    var locked: Bool { choice.locked }
    var jobs: Int? { choice.jobs }
    var allowRead: [String] { choice.allowRead }
    var lua: LuaLimitOptions { choice.lua }
    var reading: ReaderFlags { choice.reading }

    @Option(help: ArgumentHelp("The output folder (default quarry-out).", valueName: "dir"))
    var out: String?

    @Flag(
        help:
            "Continue the run in --out: documents already done (same id and content, same plugins and options) are kept."
    )
    var resume = false

    @Flag(help: "Replace the run in --out.")
    var force = false

    @Flag(name: .customLong("fail-fast"), help: "Stop at the first document that fails.")
    var failFast = false

    @Option(
        help: ArgumentHelp(
            "Take only shard I of N (0 ≤ I < N; a document's shard comes from its id) and leave a shard folder for `quarry merge`.",
            valueName: "I/N"))
    var shard: String?

    @Flag(help: "No progress line and no summary.")
    var quiet = false

    @Flag(
        help:
            "Sample the plugins' running Lua code (about every 4 ms) and write profile.txt (time by plugin and phase, Lua functions by self and total time with file:line) and profile.folded (for flame graphs) to --out."
    )
    var profile = false

    func validate() throws {
        if resume && force { throw ValidationError("give --resume or --force, not both") }
        if paths.isEmpty { throw ValidationError("give the documents to run on (files, folders, globs, or -)") }
        if let shard, Shard(parsing: shard) == nil {
            throw ValidationError("--shard takes I/N with 0 ≤ I < N (for example 0/4), not '\(shard)'")
        }
        if shard != nil && paths.contains("-") {
            throw ValidationError(
                "--shard needs inputs every shard can read again; standard input (-) cannot be sharded")
        }
    }

    func run() throws {
        let config = try QuarryConfig.load()
        let luaConfiguration = lua.configuration(
            timeout: config.timeout, memory: config.memory,
            unsafeWarning:
                "--unsafe: plugins run with the full Lua standard library (io, os, debug, package); run only plugins you trust"
        )
        let (plugins, options) = try Self.choosePlugins(
            pluginFolders: pluginFolders, select: select, sets: sets, locked: locked, config: config,
            configuration: luaConfiguration)
        for path in paths where path != "-" && !Glob.hasWildcards(path) {
            guard FileManager.default.fileExists(atPath: path) else {
                throw CommandFailure.usage("\(path): no such file")
            }
        }
        let outFolder = out ?? config.out ?? "quarry-out"
        var pluginSettings = PluginSet.Settings(
            configuration: luaConfiguration, outputFolder: nil, allowRead: allowRead + config.allowRead)
        pluginSettings.profile = profile
        let settings = RunSettings(
            paths: paths, readerOptions: try reading.readerOptions, corpusOptions: reading.corpusOptions,
            plugins: plugins,
            options: options,
            plugin: pluginSettings,
            jobs: jobs ?? config.jobs ?? ProcessInfo.processInfo.activeProcessorCount, outputFolder: outFolder,
            resume: resume, force: force, failFast: failFast, shard: shard.flatMap(Shard.init(parsing:)),
            arguments: Array(CommandLine.arguments.dropFirst()))
        let batch = BatchRun(settings: settings)
        let signals = InterruptSignals(interruption: batch.interruption, outFolder: outFolder)
        defer { signals.cancel() }
        let progress = ProgressLine(enabled: !quiet && Terminal.stderrIsTerminal)
        let log = RunLog(folder: outFolder, echo: !quiet, progress: progress)
        batch.logSink = { plugin, level, message in log.write(plugin, level, message) }
        batch.onProgress = { snapshot in progress.show(snapshot) }
        let summary: RunSummary
        do {
            summary = try batch.run()
        } catch {
            progress.clear()
            throw error
        }
        progress.clear()
        settings.readerOptions.metadata?.warnUnused()
        if !quiet { Terminal.write(Summary.text(summary, outFolder: outFolder)) }
        if summary.failed > 0 || !summary.finishFailures.isEmpty || summary.stoppedEarly {
            throw CommandFailure.reportedFailures
        }
    }
}

extension Run {
    /// The plugins of a run, map or reduce: the search path's catalog, the selection (--select, then
    /// quarry.toml, then "default"), --locked, and each plugin's options (--set over quarry.toml).
    static func choosePlugins(
        pluginFolders: PluginFolderOptions, select: String?, sets: [String], locked: Bool, config: QuarryConfig,
        configuration: LuaVM.Configuration
    ) throws -> (plugins: [PluginManifest], options: [String: JSONObject]) {
        let catalog = try pluginFolders.catalog(config: config, configuration: configuration)
        if !catalog.problems.isEmpty {
            throw CommandFailure.usage(catalog.problems.map(\.description).joined(separator: "\n"))
        }
        let expression = select ?? config.select ?? "default"
        let plugins: [PluginManifest]
        do {
            plugins = try PluginSelection.select(catalog, expression: expression)
        } catch {
            throw CommandFailure.usage(error.message(option: "--select"))
        }
        if let parsed = try? PluginSelection.parse(expression) {
            for term in PluginSelection.unmatchedTerms(parsed, in: catalog) {
                Terminal.warning("--select: '\(term)' matches no plugin name or category here")
            }
        }
        if locked { try checkLock(plugins: plugins, catalog: catalog) }
        let options = try OptionResolver.resolve(
            plugins: plugins, catalog: catalog, sets: sets, file: config.options,
            fileName: config.path ?? QuarryConfig.fileName)
        return (plugins, options)
    }

    /// `--locked`: every plugin of quarry.lock is found, and the selected ones hash as locked.
    static func checkLock(plugins: [PluginManifest], catalog: PluginCatalog) throws {
        let path = (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(PluginLock.fileName)
        guard let lock = try PluginLock.read(at: path) else {
            throw CommandFailure.usage(
                "--locked: no \(PluginLock.fileName) in \(FileManager.default.currentDirectoryPath)")
        }
        for entry in lock.plugins where catalog.plugin(entry.name) == nil {
            throw CommandFailure.usage(
                "--locked: plugin '\(entry.name)' of \(PluginLock.fileName) is not installed; run `quarry plugins install`"
            )
        }
        for plugin in plugins {
            guard let entry = lock.entry(plugin.name), plugin.folderHash != entry.folderHash else { continue }
            let differences = PluginLock.differences(entry, installedAt: plugin.packagePath, hasher: { SHA256.hex($0) })
            throw CommandFailure.usage(
                "--locked: plugin '\(plugin.name)' at \(plugin.packagePath) differs from \(PluginLock.fileName): \(differences.joined(separator: ", ")) (`quarry plugins verify` lists every difference; `quarry plugins install` restores the lock)"
            )
        }
    }
}

/// The run's log: plugins' `quarry.log` lines, tagged, in <out>/run.log and (unless quiet) on stderr.
final class RunLog: Sendable {
    private let handle: Mutex<FileHandle?>
    private let echo: Bool
    private let progress: ProgressLine

    init(folder: String, echo: Bool, progress: ProgressLine) {
        self.echo = echo
        self.progress = progress
        handle = Mutex(nil)
        let path = (folder as NSString).appendingPathComponent("run.log")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) {
            handle.withLock { $0 = file }
        }
    }

    func write(_ plugin: String, _ level: LogLevel, _ message: String) {
        let line = "[\(level.rawValue)] \(plugin): \(message)\n"
        handle.withLock { file in try? file?.write(contentsOf: Data(line.utf8)) }
        if echo && level != .debug { progress.printAbove(line) }
    }
}

/// The end-of-run summary.
enum Summary {
    static func text(_ s: RunSummary, outFolder: String) -> String {
        var lines: [String] = []
        let rate =
            s.seconds > 0
            ? String(
                format: "%.1f docs/s, %.2f MB/s", Double(s.documents) / s.seconds, Double(s.bytes) / 1e6 / s.seconds)
            : ""
        var counts =
            "\(s.documents) document\(s.documents == 1 ? "" : "s") in \(String(format: "%.2f", s.seconds)) s (\(rate)): \(s.ok) ok, \(s.failed) failed"
        if s.skipped > 0 { counts += ", \(s.skipped) skipped" }
        if s.reused > 0 { counts += ", \(s.reused) kept from the earlier run" }
        lines.append(counts)
        if s.warned > 0 {
            lines.append(
                "\(s.warned) document\(s.warned == 1 ? "" : "s") read with warnings (\"warnings\" in results.jsonl):")
            for (document, message) in s.warnings { lines.append("  \(document): \(message)") }
            if s.warned > s.warnings.count { lines.append("  ...") }
        }
        if s.stoppedEarly { lines.append("stopped at the first failure (--fail-fast)") }
        let slowest = s.pluginSeconds.prefix(5).map { "\($0.plugin) \(String(format: "%.2f", $0.seconds)) s" }
        if !slowest.isEmpty { lines.append("slowest plugins: " + slowest.joined(separator: ", ")) }
        for failure in s.finishFailures {
            lines.append("finish of \(failure.plugin) failed: \(failure.message)")
        }
        var outputs = ["results.jsonl", "errors.jsonl", "run.json", "run.log"] + s.outputs
        if outputs.count > 12 { outputs = Array(outputs.prefix(12)) + ["..."] }
        lines.append("outputs in \(outFolder)/: " + outputs.joined(separator: ", "))
        if s.failed > 0 { lines.append("see \(outFolder)/errors.jsonl for what failed") }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// SIGINT and SIGTERM during a run: run.json is marked "interrupted" with the signal, a line says how to
/// continue, and the process exits with 128 + the signal's number (130 for Ctrl-C).
final class InterruptSignals {
    private let sources: [any DispatchSourceSignal]

    init(interruption: RunInterruption, outFolder: String) {
        var sources: [any DispatchSourceSignal] = []
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let marked = interruption.markInterrupted(name)
                Terminal.write(
                    "\nquarry: interrupted by \(name)"
                        + (marked
                            ? "; \(outFolder)/run.json says so, and `quarry run … --out \(outFolder) --resume` continues the run\n"
                            : "\n"))
                exit(128 + number)
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    /// Puts the default handlers back.
    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
