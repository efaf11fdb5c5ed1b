// `quarry merge SHARD_DIR ... --out DIR`: the shards of a `quarry run --shard I/N` put together —
// checked to belong together, results and errors in input order, each plugin's finish over every
// record, run.json — the same bytes as one run over the whole input.
import ArgumentParser
import BatchRunner
import DocumentModel
import Foundation
import PluginHost
import Readers

struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge the shard folders of `quarry run --shard I/N` into one run's outputs.",
        discussion: """
            Checks that the shards are one run's (the same Quarry, plugins with the same files and options, \
            reader options and inputs), that every shard is there once and finished, then writes \
            results.jsonl and errors.jsonl in input order, runs each plugin's finish over all records and \
            writes run.json. The plugins are loaded from the search path (--plugins) and must hash as the \
            shards recorded. Exit codes as for `quarry run`.
            """
    )

    @Argument(help: "The shard folders (each written by `quarry run … --shard I/N --out DIR`).")
    var shards: [String] = []

    @OptionGroup var pluginFolders: PluginFolderOptions

    @Option(help: ArgumentHelp("The output folder (default quarry-out).", valueName: "dir"))
    var out: String?

    @Option(help: "Threads for the plugins' finish (default: the number of cores).")
    var jobs: Int?

    @Flag(help: "Replace the run in --out.")
    var force = false

    @Flag(help: "No summary.")
    var quiet = false

    @Option(
        name: .customLong("allow-read"),
        help: ArgumentHelp("A folder plugins may read with ctx:read (repeatable).", valueName: "dir"))
    var allowRead: [String] = []

    @OptionGroup var lua: LuaLimitOptions

    func validate() throws {
        if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256") }
        if shards.isEmpty { throw ValidationError("give the shard folders to merge") }
    }

    func run() throws {
        let config = try QuarryConfig.load()
        let set = try ShardSet(folders: shards)
        let outFolder = out ?? config.out ?? "quarry-out"
        let settings = try GatherSetup.settings(
            recorded: set.reference.plugins, paths: set.reference.paths, readerOptions: set.readerOptions,
            corpusOptions: set.reference.corpus, from: "the shards", pluginFolders: pluginFolders, lua: lua,
            config: config, out: outFolder, jobs: jobs, force: force, allowRead: allowRead, mergedFrom: shards)
        let merge = ShardMerge(settings: settings, shards: set)
        let log = RunLog(folder: outFolder, echo: !quiet, progress: ProgressLine(enabled: false))
        merge.logSink = { plugin, level, message in log.write(plugin, level, message) }
        let summary = try merge.run()
        try GatherSetup.report(summary, quiet: quiet, outFolder: outFolder)
    }
}

/// What `merge` and `reduce` share: the plugins the workers ran, loaded again here and checked against
/// what the workers recorded, the settings of the gathered run, and its summary.
enum GatherSetup {
    static func settings(
        recorded: [RecordedPlugin], paths: [String], readerOptions: ReaderOptions,
        corpusOptions: CorpusOptions, from source: String, pluginFolders: PluginFolderOptions,
        lua: LuaLimitOptions, config: QuarryConfig, out: String, jobs: Int?, force: Bool, allowRead: [String],
        mergedFrom: [String]
    ) throws -> RunSettings {
        let luaConfiguration = lua.configuration(
            timeout: config.timeout, memory: config.memory,
            unsafeWarning:
                "--unsafe: plugins run with the full Lua standard library (io, os, debug, package); run only plugins you trust"
        )
        var plugins: [PluginManifest] = []
        var options: [String: JSONObject] = [:]
        if !recorded.isEmpty {
            let catalog = try pluginFolders.catalog(config: config, configuration: luaConfiguration)
            for plugin in recorded {
                guard let manifest = catalog.plugin(plugin.name) else {
                    throw CommandFailure.usage(
                        "plugin '\(plugin.name)' of \(source) is not on the plugin search path here (give --plugins DIR)"
                    )
                }
                guard manifest.version == plugin.version, manifest.hash == plugin.hash else {
                    throw CommandFailure.usage(
                        "plugin '\(plugin.name)' at \(manifest.packagePath) differs from the one \(source) ran (version \(manifest.version) here, \(plugin.version) there; hash \(manifest.hash.prefix(12)) here, \(plugin.hash.prefix(12)) there)"
                    )
                }
                plugins.append(manifest)
                options[plugin.name] = plugin.options
            }
        }
        return RunSettings(
            paths: paths, readerOptions: readerOptions, corpusOptions: corpusOptions, plugins: plugins,
            options: options,
            plugin: PluginSet.Settings(configuration: luaConfiguration, allowRead: allowRead + config.allowRead),
            jobs: jobs ?? config.jobs ?? ProcessInfo.processInfo.activeProcessorCount, outputFolder: out,
            force: force, mergedFrom: mergedFrom, arguments: Array(CommandLine.arguments.dropFirst()))
    }

    static func report(_ summary: RunSummary, quiet: Bool, outFolder: String) throws {
        if !quiet { Terminal.write(Summary.text(summary, outFolder: outFolder)) }
        if summary.failed > 0 || !summary.finishFailures.isEmpty { throw CommandFailure.reportedFailures }
    }
}
