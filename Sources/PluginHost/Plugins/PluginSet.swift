// PluginSet: the selected plugins loaded into one VM (one per worker thread), each in its own
// environment with its `ctx`; runs setup once, then process per document in dependency order,
// and finish at the end. Failures are isolated per plugin and per document.
import DocumentModel
import Foundation
import LuaBridge

/// The plugins of a run, loaded in one VM.
public final class PluginSet {
    /// Where plugins may write and read, and how their calls are limited.
    public struct Settings: Sendable {
        public var configuration: LuaVM.Configuration
        /// The run's output folder: `ctx:write` writes only there (and only in `finish`).
        public var outputFolder: String?
        /// Folders `ctx:read` may read besides the plugin's own (`--allow-read`).
        public var allowRead: [String]
        /// The most records (bytes of JSON) `finish` may load as a table; past it, finish reads them with
        /// `for r in records do`, which holds one chunk at a time.
        public var recordsTableLimit = 512 << 20
        /// Sample the running Lua stacks (`quarry run --profile`): see `takeProfileSamples`.
        public var profile = false

        public init(
            configuration: LuaVM.Configuration = LuaVM.Configuration(), outputFolder: String? = nil,
            allowRead: [String] = []
        ) {
            self.configuration = configuration
            self.outputFolder = outputFolder
            self.allowRead = allowRead
        }
    }

    /// What one plugin's `ctx` keeps between calls.
    final class State {
        /// This document's records so far: the items of a JSON array, comma-separated.
        var records = JSONWriter(capacity: 0)
        var recordCount = 0
        /// Bytes of `records` counted against the VM's memory limit (let go when the document is done).
        var recordsCharged = 0
        /// `ctx:write` works only while `finish` runs.
        var inFinish = false
    }

    struct Loaded {
        let manifest: PluginManifest
        let environment: LuaEnvironment
        let applies: LuaRef?
        let process: LuaRef?
        let finish: LuaRef?
        let context: LuaRef
        let state: State
    }

    public let plugins: [PluginManifest]
    public let options: [String: JSONObject]
    public let settings: Settings
    /// Stops the running call from another thread (fail-fast, shutdown).
    public let cancellation = LuaCancellation()
    /// Called before each plugin runs on a document (for "which plugin is stuck").
    public var onPluginStart: ((String) -> Void)?
    /// Where `quarry.log` lines go.
    public var logHandler: (String, LogLevel, String) -> Void = { _, _, _ in } {
        didSet { runtime.logHandler = logHandler }
    }
    /// Files written by `ctx:write`, relative to the output folder, in the order written.
    public var writtenFiles: [String] { outputFiles.written }
    /// `ctx:write`'s confinement to the output folder, shared by the set's plugins.
    private(set) lazy var outputFiles = OutputFiles(folder: settings.outputFolder)

    private(set) var vm: LuaVM
    /// Values left on the VM's stack: 0 between calls (asserted after every process and finish in
    /// debug builds, and by the tests).
    var stackTop: Int32 { vm.stackTop }
    private(set) var runtime: QuarryRuntime
    private var loaded: [String: Loaded] = [:]
    private var setupFailures: [String: PluginFailure] = [:]

    /// Loads the plugins and runs each `setup(ctx)`. A plugin whose file or setup fails is
    /// recorded and fails every document it meets, so runs stay deterministic.
    /// - Throws: `LuaError` when the VM itself can't start.
    public init(plugins: [PluginManifest], options: [String: JSONObject], settings: Settings) throws {
        self.plugins = plugins
        self.options = options
        self.settings = settings
        vm = try LuaVM(settings.configuration)
        runtime = try QuarryRuntime(vm: vm)
        if settings.profile {
            vm.startProfiling()
            vm.profileLabel("quarry/load")
        }
        try loadAll()
    }

    /// The profile samples taken so far (folded stacks under "plugin/phase"), forgotten once taken; samples of
    /// a VM replaced after a fatal error included.
    public func takeProfileSamples() -> [UInt8] {
        let samples = earlierSamples + vm.takeProfileSamples()
        earlierSamples = []
        return samples
    }

    /// Samples of VMs replaced after a fatal error (see replaceIfUnusable).
    private var earlierSamples: [UInt8] = []

    private func loadAll() throws {
        vm.printHandler = { [unowned self] environment, text in
            self.logHandler(environment ?? "lua", .info, text)
        }
        runtime.logHandler = logHandler
        loaded = [:]
        setupFailures = [:]
        for manifest in plugins {
            do {
                let item = try load(manifest)
                loaded[manifest.name] = item
                if manifest.hasSetup, let setup = try vm.field(try reference(of: item), "setup") {
                    runtime.currentPlugin = manifest.name
                    if settings.profile { vm.profileLabel("\(manifest.name)/setup") }
                    _ = try vm.call(setup, arguments: [.ref(item.context)], limits: limits, lenient: true)
                }
            } catch {
                setupFailures[manifest.name] = PluginFailure(
                    plugin: manifest.name, phase: loaded[manifest.name] == nil ? .load : .setup, error: error)
            }
        }
    }

    private var tables: [String: LuaRef] = [:]

    private func reference(of item: Loaded) throws -> LuaRef {
        guard let table = tables[item.manifest.name] else {
            throw LuaError(kind: .runtime, message: "plugin not loaded")
        }
        return table
    }

    private var limits: LuaVM.CallLimits {
        LuaVM.CallLimits(
            instructionLimit: settings.configuration.instructionLimit, timeout: settings.configuration.timeout,
            cancellation: cancellation)
    }

    private func load(_ manifest: PluginManifest) throws -> Loaded {
        let context = PluginScope(name: manifest.name, folder: manifest.folder, readRoots: settings.allowRead)
        let environment = try vm.makeEnvironment(name: manifest.name, requireRoots: manifest.requireRoots)
        try runtime.install(in: environment, plugin: context)
        let chunk = try vm.load(bytes: manifest.source, chunkName: manifest.file, environment: environment)
        runtime.currentPlugin = manifest.name
        if settings.profile { vm.profileLabel("\(manifest.name)/load") }
        guard let table = try vm.callReturningReferences(chunk, limits: limits).first, table.typeName == "table" else {
            throw LuaError(kind: .runtime, message: "\(manifest.file): the plugin no longer returns a table")
        }
        tables[manifest.name] = table
        let state = State()
        let ctx = try makeContext(manifest, state: state)
        return Loaded(
            manifest: manifest, environment: environment, applies: try vm.field(table, "applies"),
            process: try vm.field(table, "process"), finish: try vm.field(table, "finish"), context: ctx, state: state)
    }

    // MARK: - Running

    /// Tells Lua's collector about the Swift memory of finished documents.
    private var collector = CollectorPacing()

    /// Runs every plugin on a document, in order.
    /// The document's part of `math.random`'s seed: its id and content hash, so that a plugin draws the
    /// same numbers for the same document on every run, whatever `--jobs` (the plugin's name is the other
    /// part: plugins don't share a sequence).
    static func randomSeed(of document: Document) -> Int64 {
        let id = StableHash.fnv1a(document.id.utf8)
        return Int64(bitPattern: StableHash.fnv1a((document.metadata.sha256 ?? "").utf8, seed: id))
    }

    public func process(_ document: Document) -> ProcessOutcome {
        var outcome = ProcessOutcome(
            document: document, statuses: [], failures: [], encodedRecords: [:],
            seconds: Dictionary(minimumCapacity: plugins.count))
        outcome.statuses.reserveCapacity(plugins.count)
        let box = DocumentHandle(document)
        let object: LuaRef
        do {
            object = try runtime.makeDocument(box)
        } catch {
            for plugin in plugins {
                outcome.statuses.append((plugin.name, .failed))
                outcome.failures.append(PluginFailure(plugin: plugin.name, phase: .process, error: error))
            }
            return outcome
        }
        var statusOf = [String: PluginStatus](minimumCapacity: plugins.count)
        var needsHealthCheck = false
        let seed = Self.randomSeed(of: document)
        for manifest in plugins {
            let name = manifest.name
            if let failure = setupFailures[name] {
                statusOf[name] = .failed
                outcome.statuses.append((name, .failed))
                outcome.failures.append(failure)
                continue
            }
            if manifest.requires.contains(where: { statusOf[$0] == .failed || statusOf[$0] == .skipped }) {
                statusOf[name] = .skipped
                outcome.statuses.append((name, .skipped))
                continue
            }
            guard let item = loaded[name] else { continue }
            onPluginStart?(name)
            runtime.currentPlugin = name
            if settings.profile { vm.profileLabel("\(name)/process") }
            item.state.records.bytes.removeAll(keepingCapacity: true)
            item.state.recordCount = 0
            vm.releaseHostMemory(item.state.recordsCharged)
            item.state.recordsCharged = 0
            let started = ContinuousClock.now
            var status = PluginStatus.ok
            var phase = PluginFailure.Phase.applies
            vm.seedRandom(seed, Int64(bitPattern: StableHash.fnv1a(name.utf8)))
            do {
                if let applies = item.applies {
                    let answer = try vm.call(
                        applies, arguments: [.ref(object), .ref(item.context)], limits: limits, lenient: true)
                    if answer.first == .nil || answer.first == .bool(false) || answer.isEmpty {
                        status = .notApplicable
                    }
                }
                phase = .process
                if status == .ok, let process = item.process {
                    _ = try vm.call(
                        process, arguments: [.ref(object), .ref(item.context)], limits: limits, lenient: true)
                }
            } catch {
                status = .failed
                if let error = error as? LuaError, error.kind != .runtime { needsHealthCheck = true }
                outcome.failures.append(PluginFailure(plugin: name, phase: phase, error: error))
            }
            let elapsed = ContinuousClock.now - started
            outcome.seconds[name] = elapsed.seconds
            if status == .ok, item.state.recordCount > 0 {
                var array: [UInt8] = [0x5B]
                array.reserveCapacity(item.state.records.bytes.count + 2)
                array += item.state.records.bytes
                array.append(0x5D)
                outcome.encodedRecords[name] = array
            }
            vm.releaseHostMemory(item.state.recordsCharged)
            item.state.recordsCharged = 0
            statusOf[name] = status
            outcome.statuses.append((name, status))
        }
        outcome.document = box.document
        box.finished = true
        if needsHealthCheck { replaceIfUnusable() }
        collector.finished(document, in: vm)
        assert(vm.stackTop == 0, "process left \(vm.stackTop) values on the Lua stack")
        return outcome
    }

    /// Runs each plugin's `finish(records, ctx)` with the records it emitted, in run order.
    public func finish(records: [String: [JSONValue]]) -> [PluginFailure] {
        finish(
            sources: records.mapValues { list in
                var writer = JSONWriter()
                writer.value(.array(list))
                return RecordSource.chunks([writer.bytes])
            })
    }

    /// Runs each plugin's `finish` with its records given as chunks of compact JSON, each an array.
    public func finish(recordChunks: [String: [[UInt8]]]) -> [PluginFailure] {
        finish(sources: recordChunks.mapValues { RecordSource.chunks($0) })
    }

    /// Runs each plugin's `finish` with its records read from a source (a batch run spools them to
    /// disk): the list loads them on first use as a table; `for r in records do` reads one chunk at a
    /// time, so finish works on any number of records.
    public func finish(sources: [String: RecordSource]) -> [PluginFailure] {
        finish { name in
            RecordList.pushLazy(
                sources[name] ?? .chunks([]), of: name, limit: self.settings.recordsTableLimit, in: self.vm)
        }
    }

    /// Runs each plugin's `finish(records, ctx)`, in run order, with the list `pushRecords` leaves on
    /// the stack for it.
    private func finish(pushRecords: (String) throws -> Void) -> [PluginFailure] {
        var failures: [PluginFailure] = []
        for manifest in plugins {
            guard let item = loaded[manifest.name], let finish = item.finish else { continue }
            if let failure = setupFailures[manifest.name] {
                failures.append(failure)
                continue
            }
            runtime.currentPlugin = manifest.name
            if settings.profile { vm.profileLabel("\(manifest.name)/finish") }
            item.state.inFinish = true
            defer { item.state.inFinish = false }
            do {
                let list = try RecordList.reference(in: vm) { try pushRecords(manifest.name) }
                _ = try vm.call(finish, arguments: [.ref(list), .ref(item.context)], limits: limits, lenient: true)
            } catch {
                failures.append(PluginFailure(plugin: manifest.name, phase: .finish, error: error))
            }
            // the files it wrote are on disk before its finish counts as done
            for message in outputFiles.flush() {
                failures.append(PluginFailure(plugin: manifest.name, phase: .finish, kind: .host, message: message))
            }
        }
        assert(vm.stackTop == 0, "finish left \(vm.stackTop) values on the Lua stack")
        return failures
    }

    /// After a limit was hit, checks the VM still answers; if not, builds a fresh one.
    private func replaceIfUnusable() {
        if (try? vm.run("return 1", chunkName: "=[health]")) == [.int(1)] { return }
        do {
            if settings.profile { earlierSamples += vm.takeProfileSamples() }
            vm = try LuaVM(settings.configuration)
            runtime = try QuarryRuntime(vm: vm)
            if settings.profile { vm.startProfiling() }
            try loadAll()
        } catch {
            for plugin in plugins {
                setupFailures[plugin.name] = PluginFailure(plugin: plugin.name, phase: .load, error: error)
            }
        }
    }
}
