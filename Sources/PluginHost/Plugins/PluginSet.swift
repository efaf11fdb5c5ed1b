// PluginSet: the selected plugins loaded into one VM (one per worker thread), each in its own
// environment with its `ctx`; runs setup once, then process per document in dependency order,
// and finish at the end. Failures are isolated per plugin and per document.
import DocumentModel
import Foundation
import LuaBridge
import LuaShim
import PluginShim

/// What became of one plugin for one document.
public enum PluginStatus: String, Sendable {
    case ok, failed, skipped
    case notApplicable = "not-applicable"
}

/// A plugin that failed: where, in what phase, and why.
public struct PluginFailure: Sendable, Equatable {
    public var plugin: String
    /// `load`, `setup`, `applies`, `process` or `finish`.
    public var phase: String
    /// `runtime`, `syntax`, `timeout`, `instruction-limit`, `memory`, `cancelled`...
    public var kind: String
    public var message: String
    /// `file:line`, when known.
    public var location: String?
    public var traceback: String?

    public init(plugin: String, phase: String, kind: String, message: String, location: String? = nil, traceback: String? = nil) {
        self.plugin = plugin
        self.phase = phase
        self.kind = kind
        self.message = message
        self.location = location
        self.traceback = traceback
    }

    init(plugin: String, phase: String, error: Error) {
        if let error = error as? LuaError {
            let location = error.chunk.map { chunk in error.line.map { "\(chunk):\($0)" } ?? chunk }
            self.init(plugin: plugin, phase: phase, kind: error.kind.rawValue, message: error.message, location: location,
                      traceback: error.traceback)
        } else {
            self.init(plugin: plugin, phase: phase, kind: "host", message: "\(error)")
        }
    }
}

/// What the plugins made of one document.
public struct ProcessOutcome: Sendable {
    public var document: Document
    /// Each plugin's status, in run order.
    public var statuses: [(plugin: String, status: PluginStatus)]
    public var failures: [PluginFailure]
    /// Records each plugin emitted with `ctx:emit`, in order, as one JSON array per plugin (written
    /// straight from the Lua values: the results line and finish take these bytes as they are).
    public var encodedRecords: [String: [UInt8]]
    /// Seconds each plugin took on this document.
    public var seconds: [String: Double]

    /// The records as values (parsed from `encodedRecords`, for specs and tests).
    public var records: [String: [JSONValue]] {
        Dictionary(uniqueKeysWithValues: encodedRecords.keys.map { ($0, records(of: $0)) })
    }

    /// One plugin's records as values (none when it emitted none).
    public func records(of plugin: String) -> [JSONValue] {
        guard let bytes = encodedRecords[plugin], case .array(let items)? = try? JSONParser.parse(bytes: bytes) else { return [] }
        return items
    }
}

/// The plugins of a run, loaded in one VM.
public final class PluginSet {
    /// Where plugins may write and read, and how their calls are limited.
    public struct Settings: Sendable {
        public var configuration: LuaVM.Configuration
        /// The run's output folder: `ctx:write` writes only there (and only in `finish`).
        public var outputFolder: String?
        /// Folders `ctx:read` may read besides the plugin's own (`--allow-read`).
        public var allowRead: [String]

        public init(configuration: LuaVM.Configuration = LuaVM.Configuration(), outputFolder: String? = nil, allowRead: [String] = []) {
            self.configuration = configuration
            self.outputFolder = outputFolder
            self.allowRead = allowRead
        }
    }

    final class State {
        /// This document's records so far: the items of a JSON array, comma-separated.
        var records = JSONWriter(capacity: 0)
        var recordCount = 0
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
    public private(set) var writtenFiles: [String] = []

    private(set) var vm: LuaVM
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
        try loadAll()
    }

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
                    _ = try vm.call(setup, arguments: [.ref(item.context)], limits: limits, lenient: true)
                }
            } catch {
                setupFailures[manifest.name] = PluginFailure(
                    plugin: manifest.name, phase: loaded[manifest.name] == nil ? "load" : "setup", error: error)
            }
        }
    }

    private var tables: [String: LuaRef] = [:]

    private func reference(of item: Loaded) throws -> LuaRef {
        guard let table = tables[item.manifest.name] else { throw LuaError(kind: .runtime, message: "plugin not loaded") }
        return table
    }

    private var limits: LuaVM.CallLimits {
        LuaVM.CallLimits(instructionLimit: settings.configuration.instructionLimit, timeout: settings.configuration.timeout,
                         cancellation: cancellation)
    }

    private func load(_ manifest: PluginManifest) throws -> Loaded {
        let context = PluginContext(name: manifest.name, folder: manifest.folder, readRoots: settings.allowRead)
        let environment = try vm.makeEnvironment(name: manifest.name, requireRoots: manifest.requireRoots)
        try runtime.install(in: environment, plugin: context)
        let chunk = try vm.load(manifest.source, chunkName: manifest.file, environment: environment)
        runtime.currentPlugin = manifest.name
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

    /// Runs every plugin on a document, in order.
    /// Bytes of finished documents' Swift memory not yet told to Lua's collector.
    private var untoldBytes = 0

    public func process(_ document: Document) -> ProcessOutcome {
        var outcome = ProcessOutcome(document: document, statuses: [], failures: [], encodedRecords: [:],
                                     seconds: Dictionary(minimumCapacity: plugins.count))
        outcome.statuses.reserveCapacity(plugins.count)
        let box = DocumentBox(document)
        let object: LuaRef
        do {
            object = try runtime.makeDocument(box)
        } catch {
            for plugin in plugins {
                outcome.statuses.append((plugin.name, .failed))
                outcome.failures.append(PluginFailure(plugin: plugin.name, phase: "process", error: error))
            }
            return outcome
        }
        var statusOf = [String: PluginStatus](minimumCapacity: plugins.count)
        var needsHealthCheck = false
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
            item.state.records.bytes.removeAll(keepingCapacity: true)
            item.state.recordCount = 0
            let started = ContinuousClock.now
            var status = PluginStatus.ok
            var phase = "applies"
            do {
                if let applies = item.applies {
                    let answer = try vm.call(applies, arguments: [.ref(object), .ref(item.context)], limits: limits, lenient: true)
                    if answer.first == .nil || answer.first == .bool(false) || answer.isEmpty { status = .notApplicable }
                }
                phase = "process"
                if status == .ok, let process = item.process {
                    _ = try vm.call(process, arguments: [.ref(object), .ref(item.context)], limits: limits, lenient: true)
                }
            } catch {
                status = .failed
                if let error = error as? LuaError, error.kind != .runtime { needsHealthCheck = true }
                outcome.failures.append(PluginFailure(plugin: name, phase: phase, error: error))
            }
            let elapsed = ContinuousClock.now - started
            outcome.seconds[name] = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            if status == .ok, item.state.recordCount > 0 {
                var array: [UInt8] = [0x5B]
                array.reserveCapacity(item.state.records.bytes.count + 2)
                array += item.state.records.bytes
                array.append(0x5D)
                outcome.encodedRecords[name] = array
            }
            statusOf[name] = status
            outcome.statuses.append((name, status))
        }
        outcome.document = box.document
        if needsHealthCheck { replaceIfUnusable() }
        // The document's model and columns live in Swift behind a small userdata: tell the
        // collector about them, or thousands of finished documents pile up between collections.
        // Told in batches of a few megabytes (a large document at once): a step per small document
        // would have the collector walk the plugins' whole heap far more often than memory needs.
        untoldBytes += document.text.utf8.count * 8
        if untoldBytes >= 4 << 20 {
            vm.collectGarbage(stepKilobytes: untoldBytes / 4096)
            untoldBytes = 0
        }
        return outcome
    }

    /// Runs each plugin's `finish(records, ctx)` with the records it emitted, in run order.
    public func finish(records: [String: [JSONValue]]) -> [PluginFailure] {
        // The records go straight from JSON to a Lua table (no copy through LuaValue).
        finish { name in JSONBridge.push(self.vm.rawState, .array(records[name] ?? [])) }
    }

    /// Runs each plugin's `finish` with its records given as chunks of compact JSON, each an array
    /// (a batch run keeps them so): one chunk at a time becomes Lua tables, so a corpus's records
    /// never exist as Swift values all at once.
    public func finish(recordChunks: [String: [[UInt8]]]) -> [PluginFailure] {
        finish { name in
            let L = self.vm.rawState
            let chunks = recordChunks[name] ?? []
            lua_createtable(L, Int32(clamping: chunks.count), 0)
            let list = lua_gettop(L)
            var n: lua_Integer = 0
            for chunk in chunks {
                // Parsed onto the stack in C; a chunk it will not read (it never meets one the runner
                // wrote) is read the general way, after the items it had added are taken out again.
                let appended = chunk.withUnsafeBytes { raw -> lua_Integer? in
                    lua_pushcclosure(L, qs_append_json_records, 0)
                    lua_pushvalue(L, list)
                    lua_pushlightuserdata(L, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                    lua_pushinteger(L, lua_Integer(raw.count))
                    lua_pushinteger(L, n)
                    defer { lua_settop(L, list) }
                    return qs_pcall_host(L, 4, 1) == LUA_OK ? lua_tointegerx(L, -1, nil) : nil
                }
                if let appended {
                    n = appended
                    continue
                }
                var k = n + 1
                while lua_rawgeti(L, list, k) != LUA_TNIL {
                    lua_settop(L, list)
                    lua_pushnil(L)
                    lua_rawseti(L, list, k)
                    k += 1
                }
                lua_settop(L, list)
                guard case .array(let items) = try JSONParser.parse(bytes: chunk) else {
                    throw LuaRaise("the records of \(name) are not a JSON array")
                }
                for item in items {
                    JSONBridge.push(L, item)
                    n += 1
                    lua_rawseti(L, list, n)
                }
            }
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
            item.state.inFinish = true
            defer { item.state.inFinish = false }
            do {
                let top = lua_gettop(vm.rawState)
                do {
                    try pushRecords(manifest.name)
                } catch {
                    lua_settop(vm.rawState, top)
                    throw error
                }
                let list = vm.reference(at: -1)
                lua_settop(vm.rawState, top)
                _ = try vm.call(finish, arguments: [.ref(list), .ref(item.context)], limits: limits, lenient: true)
            } catch {
                failures.append(PluginFailure(plugin: manifest.name, phase: "finish", error: error))
            }
        }
        return failures
    }

    /// After a limit was hit, checks the VM still answers; if not, builds a fresh one.
    private func replaceIfUnusable() {
        if (try? vm.run("return 1", chunkName: "=[health]")) == [.int(1)] { return }
        do {
            vm = try LuaVM(settings.configuration)
            runtime = try QuarryRuntime(vm: vm)
            try loadAll()
        } catch {
            for plugin in plugins {
                setupFailures[plugin.name] = PluginFailure(plugin: plugin.name, phase: "load", error: error)
            }
        }
    }
}

// MARK: - ctx

extension PluginSet {
    func makeContext(_ manifest: PluginManifest, state: State) throws -> LuaRef {
        let L = vm.rawState
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_createtable(L, 0, 6)
        let ctx = lua_gettop(L)
        try vm.push(JSONBridge.lua(.object(options[manifest.name] ?? JSONObject())))
        if lua_type(L, -1) != LUA_TTABLE {
            lua_settop(L, -2)
            lua_createtable(L, 0, 0)
        }
        try runtime.wrapReadonly(L, name: "ctx.options")
        lua_setfield(L, ctx, "options")
        try vm.push(.object([
            "name": .string(manifest.name), "version": .string(manifest.version), "kind": .string(manifest.kind.rawValue),
            "folder": .string(manifest.folder), "file": .string(manifest.file),
        ]))
        try runtime.wrapReadonly(L, name: "ctx.plugin")
        lua_setfield(L, ctx, "plugin")
        vm.pushFunction("ctx:emit") { call in
            guard !call.isNil(2) else { throw call.argumentError(2, "a record (a table, string, number or boolean)") }
            let mark = state.records.bytes.count
            if state.recordCount > 0 { state.records.byte(0x2C) }
            // Written straight from the Lua value; anything the direct writer leaves (a function, a
            // cycle, mixed keys...) goes through the general conversion, which also words the errors.
            if !JSONBridge.write(call.rawState, 2, into: &state.records) {
                state.records.bytes.removeSubrange(mark...)
                let record = try call.jsonArgument(2, path: "record")
                if state.recordCount > 0 { state.records.byte(0x2C) }
                state.records.value(record)
            }
            state.recordCount += 1
            return 0
        }
        lua_setfield(L, ctx, "emit")
        vm.pushFunction("ctx:write") { [unowned self] call in
            guard state.inFinish else {
                throw call.error("only available in finish(records, ctx); in process, pass data to finish with ctx:emit")
            }
            let name = try call.string(2)
            let contents = try call.bytes(3)
            let path = try OutputFiles.write(name: name, contents: contents, folder: self.settings.outputFolder, call: call)
            if !self.writtenFiles.contains(path) { self.writtenFiles.append(path) }
            return call.push(path)
        }
        lua_setfield(L, ctx, "write")
        vm.pushFunction("ctx:read") { [unowned self] call in
            let name = try call.string(2)
            let roots = [manifest.folder] + self.settings.allowRead
            let path: String
            do {
                path = try FileAccess.resolve(name, roots: roots, call: call)
            } catch let error as LuaError where error.message.contains("not found") {
                call.pushNil()
                call.push(error.message)
                return 2
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                call.pushNil()
                call.push("ctx:read: cannot read '\(name)'")
                return 2
            }
            return call.push(String(decoding: data, as: UTF8.self))
        }
        lua_setfield(L, ctx, "read")
        try runtime.wrapReadonly(L, name: "ctx")
        return vm.reference(at: -1)
    }
}

/// Writing report files inside the output folder only: no absolute paths, no `..`, no symlinks out.
enum OutputFiles {
    static func write(name: String, contents: [UInt8], folder: String?, call: LuaCall) throws -> String {
        guard let folder else { throw call.error("this run has no output folder") }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) else {
            throw call.error("'\(name)': give a relative path inside the output folder (no '..', no absolute path)")
        }
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        let target = root.appendingPathComponent(name)
        let parent = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw call.error("'\(name)': cannot create its folder: \(error.localizedDescription)")
        }
        let realParent = parent.resolvingSymlinksInPath().path
        guard realParent == root.path || realParent.hasPrefix(root.path + "/") else {
            throw call.error("'\(name)' leads outside the output folder (through a symbolic link)")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: target.path),
            attributes[.type] as? FileAttributeType == .typeSymbolicLink
        {
            throw call.error("'\(name)' is a symbolic link; report files are never written through links")
        }
        do {
            try Data(contents).write(to: target, options: .atomic)
        } catch {
            throw call.error("'\(name)': cannot write: \(error.localizedDescription)")
        }
        return name
    }
}
