// Swift functions callable from Lua: the box Lua holds, the dispatcher the C trampoline calls,
// and LuaCall, the view of the arguments and results a Swift function works with.
import LuaShim

/// A Swift function called from Lua. It reads its arguments from `call`, pushes its results and
/// returns how many it pushed; a thrown error becomes a Lua error at the caller's line.
public typealias LuaFunction = (LuaCall) throws -> Int32

/// What a Swift function throws to raise a Lua error with exactly this message (no position).
public struct LuaRaise: Error, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

final class LuaFunctionBox {
    let name: String
    let body: LuaFunction
    init(name: String, body: @escaping LuaFunction) {
        self.name = name
        self.body = body
    }
}

/// Called by the C trampoline for every Swift function; never lets a Swift error escape.
let luaBridgeDispatch: qs_dispatch_fn = { state, box in
    guard let state, let box, let owner = qs_getctx(state).pointee.owner else { return QS_ERROR }
    // Both objects are kept alive by Lua (the function's userdata, the VM running it) for the whole
    // call: borrowed, not retained, on this path taken for every Swift function Lua calls.
    let vm = Unmanaged<LuaVM>.fromOpaque(owner)
    do {
        return try vm._withUnsafeGuaranteedRef { vm in
            try Unmanaged<LuaFunctionBox>.fromOpaque(box)._withUnsafeGuaranteedRef { function in
                try function.body(LuaCall(vm: vm, state: state, name: function.name))
            }
        }
    } catch let raise as LuaRaise {
        vm.takeUnretainedValue().pushString(raise.message)
        return QS_ERROR_RAW
    } catch let error as LuaError {
        // A Lua error from a nested call already names its place: raise it as it is.
        vm.takeUnretainedValue().pushString(error.message)
        return error.kind == .runtime && parseLuaPosition(error.message) == nil ? QS_ERROR : QS_ERROR_RAW
    } catch {
        vm.takeUnretainedValue().pushString("\(error)")
        return QS_ERROR
    }
}

/// Releases a Swift object or function box when Lua collects its userdata.
let luaBridgeRelease: qs_release_fn = { box in
    guard let box else { return }
    Unmanaged<AnyObject>.fromOpaque(box).release()
}

/// The arguments and results of one call from Lua into Swift.
///
/// Argument indexes are 1-based, as in Lua. Readers check the type and throw a message that
/// names the function and the argument: `doc:find: argument 1 must be a string, got table`.
public struct LuaCall {
    public unowned(unsafe) let vm: LuaVM
    let state: OpaquePointer
    /// The function's name as errors show it (`doc:find`).
    public let name: String

    init(vm: LuaVM, state: OpaquePointer, name: String) {
        self.vm = vm
        self.state = state
        self.name = name
    }

    /// How many arguments were passed.
    public var count: Int32 { lua_gettop(state) }

    /// The Lua type name of argument `i` (`"no value"` when absent).
    public func typeName(_ i: Int32) -> String {
        lua_type(state, i) == LUA_TNONE ? "no value" : String(cString: qs_typename(state, i))
    }

    /// Whether argument `i` is absent or nil.
    public func isNil(_ i: Int32) -> Bool { lua_type(state, i) <= LUA_TNIL }

    /// Whether this is a method (`doc:find`): the object is argument 1 and users count from the next.
    var isMethod: Bool { name.contains(":") }

    /// The argument's number as the user counts it (methods don't count the object).
    public func shownArgument(_ i: Int32) -> Int32 { isMethod ? i - 1 : i }

    /// An error naming this function and argument `i`.
    public func argumentError(_ i: Int32, _ expected: String) -> LuaError {
        LuaError(
            kind: .runtime, message: "\(name): argument \(shownArgument(i)) must be \(expected), got \(typeName(i))")
    }

    /// Throws when the call's time limit has passed or it was cancelled. Host work that can run long
    /// (compiling a large phrase list, reading many rows) calls this as it goes, so that a timeout is
    /// not overshot by Swift code the Lua hook cannot interrupt.
    public func checkLimits() throws {
        switch qs_check_interrupt(state) {
        case Int32(QS_TRIP_TIME.rawValue):
            throw LuaError(kind: .timeout, message: "\(name): time limit exceeded")
        case Int32(QS_TRIP_CANCEL.rawValue):
            throw LuaError(kind: .cancelled, message: "\(name): cancelled")
        default: return
        }
    }

    /// An error naming this function.
    public func error(_ message: String) -> LuaError {
        LuaError(kind: .runtime, message: "\(name): \(message)")
    }

    // MARK: Reading arguments

    /// Argument `i` as a string (numbers are not converted).
    public func string(_ i: Int32) throws -> String {
        guard lua_type(state, i) == LUA_TSTRING else { throw argumentError(i, "a string") }
        return vm.stringAt(i)
    }

    /// Argument `i` as a string, or nil when absent or nil.
    public func optionalString(_ i: Int32) throws -> String? {
        isNil(i) ? nil : try string(i)
    }

    /// Argument `i` as raw bytes (binary-safe).
    public func bytes(_ i: Int32) throws -> [UInt8] {
        guard lua_type(state, i) == LUA_TSTRING else { throw argumentError(i, "a string") }
        var length = 0
        let chars = qs_tostringx(state, i, &length)!
        return Array(UnsafeRawBufferPointer(start: chars, count: length))
    }

    /// Argument `i` as an integer (a float with an exact integer value is accepted).
    public func integer(_ i: Int32) throws -> Int {
        var isNumber: Int32 = 0
        let value = qs_tointeger(state, i, &isNumber)
        guard lua_type(state, i) == LUA_TNUMBER, isNumber != 0 else { throw argumentError(i, "an integer") }
        return Int(value)
    }

    /// Argument `i` as an integer, or `default` when absent or nil.
    public func optionalInteger(_ i: Int32, default value: Int) throws -> Int {
        isNil(i) ? value : try integer(i)
    }

    /// Argument `i` as a number.
    public func number(_ i: Int32) throws -> Double {
        guard lua_type(state, i) == LUA_TNUMBER else { throw argumentError(i, "a number") }
        return qs_tonumber(state, i, nil)
    }

    /// Argument `i` as a boolean (Lua truthiness: only nil and false are false).
    public func boolean(_ i: Int32) -> Bool { lua_toboolean(state, i) != 0 }

    /// Argument `i` converted to data (JSON-like).
    public func value(_ i: Int32) throws -> LuaValue {
        do {
            return try vm.value(at: i)
        } catch let error as LuaError {
            throw self.error("argument \(shownArgument(i)): \(error.message)")
        }
    }

    /// Argument `i` converted leniently: functions, userdata and threads become `.opaque`
    /// descriptions instead of errors (for callers that explain what they accept themselves).
    public func lenientValue(_ i: Int32) throws -> LuaValue {
        do {
            return try vm.value(at: i, lenient: true)
        } catch let error as LuaError {
            throw self.error("argument \(shownArgument(i)): \(error.message)")
        }
    }

    /// Argument `i` as a Swift object of a registered type.
    public func object<T: AnyObject>(_ i: Int32, _ type: T.Type) throws -> T {
        guard let object = vm.object(at: i, type) else {
            let expected = vm.types[ObjectIdentifier(type)]?.name ?? String(describing: type)
            throw argumentError(i, "a \(expected)")
        }
        return object
    }

    /// Argument `i` as a Swift object of a registered type, or nil if it is something else.
    public func optionalObject<T: AnyObject>(_ i: Int32, _ type: T.Type) -> T? {
        vm.object(at: i, type)
    }

    // MARK: Results

    /// Pushes a result. Returns 1, so `return call.push(x)` reads naturally.
    @discardableResult public func push(_ value: LuaValue) throws -> Int32 {
        try vm.push(value)
        return 1
    }

    @discardableResult public func push(_ s: String) -> Int32 {
        vm.pushString(s)
        return 1
    }

    @discardableResult public func push(_ i: Int) -> Int32 {
        lua_pushinteger(state, lua_Integer(i))
        return 1
    }

    @discardableResult public func push(_ d: Double) -> Int32 {
        lua_pushnumber(state, d)
        return 1
    }

    @discardableResult public func push(_ b: Bool) -> Int32 {
        lua_pushboolean(state, b ? 1 : 0)
        return 1
    }

    @discardableResult public func pushNil() -> Int32 {
        lua_pushnil(state)
        return 1
    }

    /// Pushes a Swift object of a registered type as userdata.
    @discardableResult public func push<T: AnyObject>(object: T) throws -> Int32 {
        try vm.pushObject(object)
        return 1
    }

    /// Pushes argument `i` again (to return it, for instance).
    @discardableResult public func pushArgument(_ i: Int32) -> Int32 {
        lua_pushvalue(state, i)
        return 1
    }

    /// Caches the value on top of the stack as field `key` (argument 2) of the object in argument
    /// 1, so the next `obj.key` is served by C without calling Swift. For fields that never change.
    public func cacheResult() {
        qs_object_cache(state, 1, 2, -1)
    }

    /// The raw `lua_State` of this call, for Quarry's own C helpers.
    public var rawState: OpaquePointer { state }

    /// Calls argument `i` (a Lua function) with the given values, returning its results.
    public func callArgument(_ i: Int32, _ arguments: [LuaValue]) throws -> [LuaValue] {
        guard lua_type(state, i) == LUA_TFUNCTION else { throw argumentError(i, "a function") }
        let top = lua_gettop(state)
        defer { lua_settop(state, top) }
        lua_pushvalue(state, i)
        for argument in arguments { try vm.push(argument) }
        return try vm.callPushed(nargs: Int32(arguments.count), limits: nil, lenient: true)
    }
}

extension LuaVM {
    /// Pushes a Swift function as a Lua function. [-0, +1]
    ///
    /// - Parameter name: how errors name it (`quarry.json.decode`, `doc:find`).
    public func pushFunction(_ name: String, _ body: @escaping LuaFunction) {
        let box = Unmanaged.passRetained(LuaFunctionBox(name: name, body: body)).toOpaque()
        qs_push_swift_function(L, box)
    }

    /// Makes a Swift function a global of the VM's own environment.
    public func register(_ name: String, _ body: @escaping LuaFunction) {
        qs_pushglobaltable(L)
        pushString(name)
        pushFunction(name, body)
        lua_rawset(L, -3)
        lua_settop(L, -2)
    }

    /// Builds a table of Swift functions (a module) and returns a reference to it.
    ///
    /// - Parameters:
    ///   - name: the module's name, used in error messages (`quarry.text`).
    ///   - functions: function name → body; errors show `name.function`.
    ///   - values: plain fields of the module.
    public func makeModule(
        _ name: String, functions: [String: LuaFunction], values: [String: LuaValue] = [:]
    ) throws -> LuaRef {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_createtable(L, 0, Int32(clamping: functions.count + values.count))
        for key in functions.keys.sorted() {
            pushString(key)
            pushFunction("\(name).\(key)", functions[key]!)
            lua_rawset(L, -3)
        }
        for key in values.keys.sorted() {
            pushString(key)
            try push(values[key]!)
            lua_rawset(L, -3)
        }
        return LuaRef(vm: self, index: -1)
    }

    /// A reference to a new Swift function.
    public func function(_ name: String, _ body: @escaping LuaFunction) -> LuaRef {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        pushFunction(name, body)
        return LuaRef(vm: self, index: -1)
    }
}
