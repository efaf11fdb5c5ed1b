// `quarry map` and `quarry reduce`: the streaming contract for engines that move documents themselves
// (Spark's rdd.pipe, Hadoop Streaming, Beam, Ray). map: JSON Lines documents on standard input, a line
// per document on standard output, in input order; reduce: any number of map outputs, in any order,
// into the outputs `quarry run` (and `quarry merge`) writes.
import ArgumentParser
import BatchRunner
import DocumentModel
import Foundation
import PluginHost

/// The flags run, map and reduce share: which plugins, with which options, workers, reading and limits.
struct PluginChoiceFlags: ParsableArguments {
    @OptionGroup var pick: PluginPickFlags
    var pluginFolders: PluginFolderOptions { pick.pluginFolders }
    var select: String? { pick.select }
    var sets: [String] { pick.sets }

    @Flag(help: "Refuse to run when a selected plugin differs from quarry.lock (or a locked plugin is missing).")
    var locked = false

    @Option(help: "Worker threads (default: the number of cores).")
    var jobs: Int?

    @Option(
        name: .customLong("allow-read"),
        help: ArgumentHelp(
            "A folder plugins may read with ctx:read (and map's documents may name in `path`; repeatable).",
            valueName: "dir"))
    var allowRead: [String] = []

    @OptionGroup var lua: LuaLimitOptions
    @OptionGroup var reading: ReaderFlags

    func validate() throws {
        if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256") }
    }

    /// The settings of the run map or reduce stand for.
    func settings(config: QuarryConfig, out: String, force: Bool = false, mergedFrom: [String] = []) throws
        -> RunSettings
    {
        let configuration = lua.configuration(
            timeout: config.timeout, memory: config.memory,
            unsafeWarning:
                "--unsafe: plugins run with the full Lua standard library (io, os, debug, package); run only plugins you trust"
        )
        let (plugins, options) = try Run.choosePlugins(
            pluginFolders: pluginFolders, select: select, sets: sets, locked: locked, config: config,
            configuration: configuration)
        return RunSettings(
            paths: ["-"], readerOptions: try reading.readerOptions, corpusOptions: reading.corpusOptions,
            plugins: plugins,
            options: options,
            plugin: PluginSet.Settings(configuration: configuration, allowRead: allowRead + config.allowRead),
            jobs: jobs ?? config.jobs ?? ProcessInfo.processInfo.activeProcessorCount, outputFolder: out,
            force: force, mergedFrom: mergedFrom, arguments: Array(CommandLine.arguments.dropFirst()))
    }
}

struct Map: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run plugins over JSON Lines documents on standard input; a line per document on standard output.",
        discussion: """
            Each input line is {"id", "text" | "bytes_base64" | "path", "format", "metadata", "seq"}: one of \
            text, bytes_base64 or path (read only under --allow-read folders); seq is the document's place in \
            the whole input (default: the line number - 1). Each output line is \
            {"seq", "doc", "run", "result"}: the results line `quarry run` writes, with the records for \
            finish. With --records FILE the records go to FILE instead, a line {"seq", "doc", "run", \
            "records"} per document that has them, and the output line says where they were \
            ("records_at"). A broken line becomes a failed document naming its line; the stream goes on. \
            Give the outputs (and records files) to `quarry reduce` with the same plugin flags. Exit codes: \
            0 every document ok, 1 some failed, 2 bad usage, 3 could not run.
            """
    )

    @OptionGroup var choice: PluginChoiceFlags

    @Option(
        help: ArgumentHelp(
            "Write the records for finish to this file (replaced), not into the output lines; give it to reduce too.",
            valueName: "file"))
    var records: String?

    @Flag(help: "No summary on standard error.")
    var quiet = false

    func run() throws {
        let config = try QuarryConfig.load()
        let settings = try choice.settings(config: config, out: "-")
        let recordsFile = try records.map { file in (handle: try Self.create(file), name: file) }
        let map = MapRun(settings: settings)
        map.logSink = { plugin, level, message in
            if level != .debug && !quiet { Terminal.warning("\(plugin): \(message)") }
        }
        let summary = try map.run(
            input: FileHandle.standardInput, output: FileHandle.standardOutput, records: recordsFile,
            allowRead: choice.allowRead + config.allowRead)
        if !quiet {
            FileHandle.standardError.write(
                Data(
                    "map: \(summary.documents) documents: \(summary.ok) ok, \(summary.failed) failed; peak memory \(MapRun.peakResidentBytes.map { "\($0 >> 20) MB" } ?? "unknown")\n"
                        .utf8))
        }
        if summary.failed > 0 { throw CommandFailure.reportedFailures }
    }

    /// Creates (or empties) the records file.
    /// - Throws: a usage failure naming the file when it cannot be written.
    static func create(_ file: String) throws -> FileHandle {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw CommandFailure.usage(
                "--records \(file): cannot write the records file: \(String(cString: strerror(errno)))")
        }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}

struct Reduce: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write one run's outputs from the outputs of `quarry map`, given in any order.",
        discussion: """
            Reads every line of the files (map outputs and the records files of map --records, in any \
            order, any number of files), checks each was made with these plugins and options, that no \
            document is missing or twice, that every moved record has its results line and every results \
            line its records, and that no line is cut off, then writes results.jsonl and errors.jsonl in \
            input order, runs each plugin's finish over all records and writes run.json, as `quarry run` \
            and `quarry merge` do. Give the same plugin flags as to map. Exit codes as for `quarry run`.
            """
    )

    @Argument(help: "The map outputs, and the records files of map --records.")
    var files: [String] = []

    @OptionGroup var choice: PluginChoiceFlags

    @Option(help: ArgumentHelp("The output folder (default quarry-out).", valueName: "dir"))
    var out: String?

    @Flag(help: "Replace the run in --out.")
    var force = false

    @Flag(help: "No summary.")
    var quiet = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give the map outputs to reduce") }
    }

    func run() throws {
        let config = try QuarryConfig.load()
        let outFolder = out ?? config.out ?? "quarry-out"
        for file in files where !FileManager.default.fileExists(atPath: file) {
            throw CommandFailure.usage("\(file): no such file")
        }
        let settings = try choice.settings(config: config, out: outFolder, force: force, mergedFrom: files)
        let reduce = ReduceRun(settings: settings, files: files)
        let log = RunLog(folder: outFolder, echo: !quiet, progress: ProgressLine(enabled: false))
        reduce.logSink = { plugin, level, message in log.write(plugin, level, message) }
        let summary = try reduce.run()
        try GatherSetup.report(summary, quiet: quiet, outFolder: outFolder)
    }
}
