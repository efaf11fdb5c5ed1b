// LuaVM: one Lua 5.4 state with Quarry's sandbox and limits, used from one thread.
// Loads text chunks, calls functions under limits, converts values; errors come back as LuaError.
import Foundation
import LuaShim

/// An argument for `LuaVM.call(_:arguments:)`: a value copied in, or a value that lives in Lua.
public enum LuaArgument {
    case value(LuaValue)
    case ref(LuaRef)
}

/// A Lua 5.4 virtual machine: sandboxed by default, with an instruction budget, a timeout and a
/// memory cap.
///
/// A `LuaVM` is not `Sendable`: create it, use it and let it go on one thread (one VM per worker).
/// Everything that can raise a Lua error runs inside C frames under `lua_pcall`, so no `longjmp`
/// ever crosses a Swift frame.
public final class LuaVM {
    /// How a VM is built and what limits its calls have.
    public struct Configuration: Sendable {
        /// Only the safe libraries, one global environment per plugin (`false`: the whole standard
        /// library, for trusted scripts).
        public var sandboxed: Bool = true
        /// Instructions one call may run (nil: no limit). Counting them slows Lua code (up to twice,
        /// for tight loops), so there is no budget unless one is asked for; the timeout needs no
        /// counting.
        public var instructionLimit: Int? = nil
        /// Wall-clock seconds one call may take (nil: no limit).
        public var timeout: Double? = 60
        /// Bytes the VM's Lua heap may hold (nil: no cap).
        public var memoryLimit: Int? = 512 << 20
        /// Instructions between two checks of the limits.
        public var hookPeriod: Int = 1000
        /// Longest subject the sandbox's pattern functions accept, in bytes.
        public var patternSubjectLimit: Int = 64 << 20
        /// Longest pattern the sandbox's pattern functions accept, in bytes.
        public var patternLengthLimit: Int = 8192
        /// Matching steps one pattern call may take, plus 32 per subject byte.
        public var patternStepLimit: Int = 20_000_000
        /// The collector's pause, in percent: a new cycle starts when the heap has grown to this share
        /// of what the last cycle kept. Lua's default is 200; plugins keep large tables (gazetteers,
        /// lexicons) alive for the whole run, and each cycle walks them all, so Quarry waits for the
        /// heap to quadruple: about a tenth less time on the default plugin set, for a few tens of
        /// megabytes more. The memory limit still holds (an allocation past it collects first).
        public var collectorPause: Int = 400

        public init() {}

        /// A configuration with the whole standard library and no limits, for trusted code.
        public static var unsafe: Configuration {
            var c = Configuration()
            c.sandboxed = false
            c.instructionLimit = nil
            c.timeout = nil
            c.memoryLimit = nil
            return c
        }

        var hasCallLimits: Bool { instructionLimit != nil || timeout != nil || sandboxed }
    }

    /// Limits for one call, overriding the configuration's.
    public struct CallLimits: Sendable {
        public var instructionLimit: Int?
        public var timeout: Double?
        public var cancellation: LuaCancellation?
        public init(instructionLimit: Int? = nil, timeout: Double? = nil, cancellation: LuaCancellation? = nil) {
            self.instructionLimit = instructionLimit
            self.timeout = timeout
            self.cancellation = cancellation
        }
    }

    public let configuration: Configuration
    /// The raw state, for the bridge's own extensions.
    let L: OpaquePointer
    let ctx: UnsafeMutablePointer<qs_ctx>
    /// Registry reference of the sandbox's environment factory.
    var newEnvironmentRef: Int32 = LUA_NOREF
    var environments: [Int: LuaEnvironment.Info] = [:]
    var nextEnvironmentID = 1
    var types: [ObjectIdentifier: LuaTypeInfo] = [:]
    /// Where `print` goes: the environment's name (nil for the VM's globals) and the line.
    public var printHandler: (_ environment: String?, _ text: String) -> Void = { _, text in
        print(text)
    }
    /// Where `print` goes when set, instead of `printHandler`: the line as the bytes Lua printed (a terminal
    /// command writes them as they are, as Lua's own print does).
    public var printBytesHandler: ((_ environment: String?, _ bytes: [UInt8]) -> Void)?
    /// Nesting of calls into Lua, so that limits apply to the outermost call only.
    var callDepth = 0

    /// Creates a VM.
    /// - Throws: `LuaError` when the state can't be created or the sandbox can't be built.
    public init(_ configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        ctx = .allocate(capacity: 1)
        ctx.initialize(to: qs_ctx())
        ctx.pointee.limit = configuration.memoryLimit.map { size_t(max(0, $0)) } ?? 0
        ctx.pointee.dispatch = luaBridgeDispatch
        ctx.pointee.release = luaBridgeRelease
        ctx.pointee.pattern_subject_max = size_t(max(0, configuration.patternSubjectLimit))
        ctx.pointee.pattern_max = size_t(max(0, configuration.patternLengthLimit))
        ctx.pointee.pattern_steps_max = Int64(configuration.patternStepLimit)
        guard let state = qs_newstate(ctx) else {
            ctx.deallocate()
            throw LuaError(kind: .memory, message: "could not create a Lua state: out of memory")
        }
        L = state
        ctx.pointee.owner = Unmanaged.passUnretained(self).toOpaque()
        qs_gc_set_pause(L, Int32(clamping: max(100, configuration.collectorPause)))
        let status = configuration.sandboxed ? qs_open_sandbox(L) : qs_openlibs_full(L)
        if status != LUA_OK {
            let error = popError(status: status, source: nil)
            qs_close(L)
            ctx.deallocate()
            throw error
        }
        if configuration.hasCallLimits {
            qs_install_hook(L, Int32(clamping: configuration.hookPeriod))
        }
        do {
            try installSandboxBootstrap()
        } catch {
            qs_uninstall_hook(L)
            qs_close(L)
            ctx.deallocate()
            throw error
        }
    }

    deinit {
        qs_uninstall_hook(L)
        qs_close(L)
        ctx.deallocate()
    }

    // MARK: - Introspection

    /// Bytes the Lua heap holds now (with the host memory charged to it, see `chargeHostMemory`).
    public var memoryInUse: Int { Int(ctx.pointee.used) }

    /// Counts `bytes` the host holds for the code running here (a document's features and annotations, a
    /// plugin's records) against the memory limit, with the Lua heap. False, and nothing counted, when that
    /// would pass the limit: the caller raises the error.
    public func chargeHostMemory(_ bytes: Int) -> Bool {
        guard bytes > 0 else { return true }
        let limit = Int(ctx.pointee.limit)
        // (host memory stops a little short of the limit, so that Lua still has room to raise the error)
        let reserve = min(limit / 16, 4 << 20)
        if limit > 0, Int(ctx.pointee.used) + bytes > limit - reserve { return false }
        ctx.pointee.used += size_t(bytes)
        if ctx.pointee.used > ctx.pointee.peak { ctx.pointee.peak = ctx.pointee.used }
        return true
    }

    /// Stops counting host memory charged with `chargeHostMemory` (the host let it go).
    public func releaseHostMemory(_ bytes: Int) {
        guard bytes > 0 else { return }
        ctx.pointee.used -= size_t(min(bytes, Int(ctx.pointee.used)))
    }

    /// Bytes left under the memory limit, Lua heap and host memory together (nil: no limit).
    public var memoryLeft: Int? {
        let limit = Int(ctx.pointee.limit)
        guard limit > 0 else { return nil }
        return max(0, limit - Int(ctx.pointee.used))
    }

    /// The memory limit as the user set it, for messages ("64 MB").
    public var memoryLimitText: String { configuration.memoryLimit.map { LuaVM.formatBytes($0) } ?? "no limit" }
    /// The most bytes the Lua heap has held at once.
    public var peakMemory: Int { Int(ctx.pointee.peak) }
    /// The number of values on the Lua stack (0 between calls: the bridge keeps it balanced).
    public var stackTop: Int32 { lua_gettop(L) }
    /// Lua's version string, e.g. `Lua 5.4.4`.
    public static var luaVersion: String { String(cString: qs_version()) }

    /// The raw `lua_State`, for Quarry's own C helpers (PluginShim). Use only between the
    /// bridge's calls, never while Lua runs, and keep the stack balanced.
    public var rawState: OpaquePointer { L }

    /// Seeds `math.random`, so that what a plugin draws depends only on the seed (a batch seeds it per
    /// document and plugin: reruns and `--jobs` agree).
    public func seedRandom(_ a: Int64, _ b: Int64) { _ = qs_seed_random(L, a, b) }

    // MARK: - Sampling profiler

    /// Starts sampling the running Lua stack about every 4 ms of a limited call (the watchdog asks; no hook
    /// runs between samples). Samples are folded stacks under the current `profileLabel`.
    public func startProfiling() { qs_profile_start(L) }

    /// The root frame of the samples taken from now on (what the host runs: "entities/process").
    public func profileLabel(_ label: String) { qs_profile_label(L, label) }

    /// The samples taken so far, a line each ("label;outer;...;inner"), forgotten once taken.
    public func takeProfileSamples() -> [UInt8] {
        var length = 0
        guard let bytes = qs_profile_samples(L, &length), length > 0 else { return [] }
        let samples = Array(UnsafeRawBufferPointer(start: bytes, count: length).bindMemory(to: UInt8.self))
        qs_profile_clear(L)
        return samples
    }

    /// Runs a full garbage collection.
    public func collectGarbage() { qs_gc_collect(L) }

    /// Advances the collector as if `kilobytes` had been allocated: for Swift memory that Lua
    /// objects keep alive but Lua does not see (a document behind a small userdata).
    public func collectGarbage(stepKilobytes kilobytes: Int) { qs_gc_step(L, Int32(clamping: kilobytes)) }

    // MARK: - Loading and calling

    /// Compiles a text chunk (binary chunks are refused) and returns it as a function.
    ///
    /// - Parameters:
    ///   - source: Lua source text.
    ///   - chunkName: the name errors show, usually the file's path (`Plugins/x.lua`).
    ///   - environment: the global environment of the chunk; nil uses the VM's globals.
    /// - Throws: `LuaError` of kind `.syntax` with line and, where it can be found, column.
    public func load(_ source: String, chunkName: String, environment: LuaEnvironment? = nil) throws -> LuaRef {
        try load(bytes: Array(source.utf8), chunkName: chunkName, environment: environment)
    }

    /// Compiles a text chunk given as the bytes of its file, as Lua reads them: a chunk is bytes, and
    /// string literals keep bytes that are not UTF-8 (a Latin-1 `"\xE9"` typed in an editor) as they are.
    public func load(bytes source: [UInt8], chunkName: String, environment: LuaEnvironment? = nil) throws -> LuaRef {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try pushLoaded(source, chunkName: chunkName, environment: environment)
        return LuaRef(vm: self, index: -1)
    }

    /// Compiles a chunk and pushes it. [-0, +1]
    func pushLoaded(_ source: [UInt8], chunkName: String, environment: LuaEnvironment?) throws {
        let status = source.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                qs_loadtext(L, chars.baseAddress, chars.count, "@" + LuaVM.displayName(chunkName), "t")
            }
        }
        if status != LUA_OK {
            throw popError(status: status, source: String(decoding: source, as: UTF8.self))
        }
        if let environment {
            try environment.push()
            if lua_setupvalue(L, -2, 1) == nil { lua_settop(L, -2) }
        }
    }

    /// Compiles and runs a chunk, returning what it returns.
    public func run(
        _ source: String, chunkName: String, environment: LuaEnvironment? = nil, limits: CallLimits? = nil
    ) throws -> [LuaValue] {
        try run(bytes: Array(source.utf8), chunkName: chunkName, environment: environment, limits: limits)
    }

    /// Compiles and runs a chunk given as bytes (see `load(bytes:)`), returning what it returns.
    public func run(
        bytes source: [UInt8], chunkName: String, environment: LuaEnvironment? = nil, limits: CallLimits? = nil
    ) throws -> [LuaValue] {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try pushLoaded(source, chunkName: chunkName, environment: environment)
        return try callPushed(nargs: 0, limits: limits, lenient: true)
    }

    /// Pushes `function` and makes room for its arguments. [-0, +1, e]
    private func pushCallee(_ function: LuaRef, arguments count: Int) throws {
        try function.push()
        guard lua_checkstack(L, Int32(clamping: count + 8)) != 0 else {
            throw LuaError(kind: .runtime, message: "too many arguments (\(count))")
        }
    }

    /// Calls a Lua function with arguments; returns its results converted to Swift.
    ///
    /// - Parameter lenient: convert results that have no JSON-like form (functions, userdata)
    ///   to `.opaque` descriptions instead of failing.
    public func call(
        _ function: LuaRef, _ arguments: [LuaValue] = [], limits: CallLimits? = nil, lenient: Bool = false
    ) throws -> [LuaValue] {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try pushCallee(function, arguments: arguments.count)
        for argument in arguments { try push(argument) }
        return try callPushed(nargs: Int32(arguments.count), limits: limits, lenient: lenient)
    }

    /// Calls a Lua function with arguments that may be references (a document object, a table
    /// that stays in Lua); returns its results converted to Swift.
    public func call(
        _ function: LuaRef, arguments: [LuaArgument], limits: CallLimits? = nil, lenient: Bool = false
    ) throws -> [LuaValue] {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try pushCallee(function, arguments: arguments.count)
        for argument in arguments {
            switch argument {
            case .value(let value): try push(value)
            case .ref(let ref): try ref.push()
            }
        }
        return try callPushed(nargs: Int32(arguments.count), limits: limits, lenient: lenient)
    }

    /// Calls a Lua function and returns its results as references (tables and functions stay in Lua).
    public func callReturningReferences(
        _ function: LuaRef, arguments: [LuaArgument] = [], limits: CallLimits? = nil
    ) throws -> [LuaRef] {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try function.push()
        for argument in arguments {
            switch argument {
            case .value(let value): try push(value)
            case .ref(let ref): try ref.push()
            }
        }
        let status = protectedCall(nargs: Int32(arguments.count), nresults: LUA_MULTRET, limits: limits)
        if status != LUA_OK { throw popError(status: status, source: nil) }
        let now = lua_gettop(L)
        return now > top ? ((top + 1)...now).map { LuaRef(vm: self, index: $0) } : []
    }

    /// `table[key]` without metamethods, as a reference; nil when the field is nil or not a table.
    public func field(_ table: LuaRef, _ key: String) throws -> LuaRef? {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        try table.push()
        guard lua_type(L, -1) == LUA_TTABLE else { return nil }
        pushString(key)
        return lua_rawget(L, -2) == LUA_TNIL ? nil : LuaRef(vm: self, index: -1)
    }

    /// Calls the function below `nargs` pushed arguments; converts and pops the results.
    func callPushed(nargs: Int32, limits: CallLimits?, lenient: Bool) throws -> [LuaValue] {
        let base = lua_gettop(L) - nargs - 1
        let status = protectedCall(nargs: nargs, nresults: LUA_MULTRET, limits: limits)
        if status != LUA_OK { throw popError(status: status, source: nil) }
        var results: [LuaValue] = []
        let top = lua_gettop(L)
        if top > base {
            results.reserveCapacity(Int(top - base))
            for index in (base + 1)...top {
                results.append(try value(at: index, lenient: lenient))
            }
        }
        lua_settop(L, base)
        return results
    }

    /// `lua_pcall` with the traceback handler and the call's limits. [-(nargs+1), +(nresults|1)]
    func protectedCall(nargs: Int32, nresults: Int32, limits: CallLimits?) -> Int32 {
        let outermost = callDepth == 0
        if outermost {
            let budget = limits?.instructionLimit ?? configuration.instructionLimit ?? 0
            let timeout = limits?.timeout ?? configuration.timeout ?? 0
            let flag = limits?.cancellation.map { UnsafePointer($0.flag) }
            qs_begin_call(L, Int64(budget), timeout, flag)
        }
        callDepth += 1
        let status = qs_pcall(L, nargs, nresults)
        callDepth -= 1
        if outermost {
            lastTrip = ctx.pointee.tripped
            qs_end_call(L)
        }
        return status
    }

    /// Which limit stopped the last outermost call (a `qs_trip` value).
    var lastTrip: Int32 = 0

    // MARK: - References

    /// A reference to the value at `index` of the stack (the stack is unchanged).
    public func reference(at index: Int32) -> LuaRef {
        LuaRef(vm: self, index: index)
    }

    /// Pushes a referenced value. [-0, +1]
    public func push(_ ref: LuaRef) throws {
        try ref.push()
    }

    // MARK: - Globals

    /// Sets a global of the VM's own environment (not a plugin's).
    public func setGlobal(_ name: String, _ value: LuaValue) throws {
        qs_pushglobaltable(L)
        lua_pushstring(L, name)
        try push(value)
        lua_rawset(L, -3)
        lua_settop(L, -2)
    }

    /// Reads a global of the VM's own environment (raw: no metamethods run).
    public func global(_ name: String) throws -> LuaValue {
        qs_pushglobaltable(L)
        lua_pushstring(L, name)
        lua_rawget(L, -2)
        defer { lua_settop(L, -3) }
        return try value(at: -1, lenient: true)
    }

    // MARK: - Errors

    /// Pops the error a failed protected call left on the stack and builds a `LuaError`.
    func popError(status: Int32, source: String?) -> LuaError {
        var message: String
        if lua_type(L, -1) == LUA_TSTRING {
            message = stringAt(-1)
        } else {
            message = "(error object is a \(String(cString: qs_typename(L, -1))) value)"
        }
        lua_settop(L, -2)
        qs_push_last_traceback(L)
        let traceback = lua_type(L, -1) == LUA_TSTRING ? stringAt(-1) : nil
        lua_settop(L, -2)
        var chunk: String?
        var line: Int?
        let whereLine = Int(ctx.pointee.where_line)
        if whereLine > 0 {
            line = whereLine
            chunk = withUnsafeBytes(of: &ctx.pointee.where_chunk) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
        }
        if let parsed = parseLuaPosition(message) {
            chunk = parsed.chunk
            line = parsed.line
        }
        switch status {
        case LUA_ERRSYNTAX:
            var error = LuaError(kind: .syntax, message: message, chunk: chunk, line: line)
            if let source, let line { error.column = syntaxErrorColumn(message: message, source: source, line: line) }
            return error
        case LUA_ERRMEM:
            let cap = configuration.memoryLimit.map { LuaVM.formatBytes($0) } ?? "?"
            let place = lastTrip == 0 && chunk != nil ? " in \(chunk!)" + (line.map { ":\($0)" } ?? "") : ""
            message = "memory limit of \(cap) exceeded\(place)"
            return LuaError(kind: .memory, message: message, chunk: chunk, line: line, traceback: traceback)
        case LUA_ERRERR:
            return LuaError(
                kind: .errorHandler, message: "error in error handling: " + message, chunk: chunk, line: line)
        default:
            let kind: LuaError.Kind
            switch lastTrip {
            case Int32(QS_TRIP_INSTRUCTIONS.rawValue): kind = .instructionLimit
            case Int32(QS_TRIP_TIME.rawValue): kind = .timeout
            case Int32(QS_TRIP_CANCEL.rawValue): kind = .cancelled
            default: kind = .runtime
            }
            lastTrip = 0
            return LuaError(kind: kind, message: message, chunk: chunk, line: line, traceback: traceback)
        }
    }

    /// Finds the column of a syntax error from the token Lua names (`near 'x'`), 1-based.
    func syntaxErrorColumn(message: String, source: String, line: Int) -> Int? {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= lines.count else { return nil }
        let text = lines[line - 1]
        guard let near = message.range(of: " near ", options: .backwards) else { return nil }
        var token = String(message[near.upperBound...])
        if token == "<eof>" { return text.count + 1 }
        if token.hasPrefix("'"), token.hasSuffix("'"), token.count >= 2 {
            token = String(token.dropFirst().dropLast())
        }
        guard !token.isEmpty, let found = text.range(of: token) else { return nil }
        return text.distance(from: text.startIndex, to: found.lowerBound) + 1
    }

    /// How a chunk is named in errors: a path under the working directory is made relative,
    /// because Lua shortens names past 60 bytes to "...tail".
    static func displayName(_ chunkName: String) -> String {
        guard chunkName.hasPrefix("/") else { return chunkName }
        let cwd = FileManager.default.currentDirectoryPath
        let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
        return chunkName.hasPrefix(prefix) ? String(chunkName.dropFirst(prefix.count)) : chunkName
    }

    public static func formatBytes(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}

extension LuaVM {
    /// Empties the Lua stack; for tests that push values by hand.
    func popAll() { lua_settop(L, 0) }
}
