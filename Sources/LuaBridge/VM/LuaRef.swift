// LuaRef: a Lua value (function, table, userdata) kept alive in the registry for Swift.
// Released when the Swift reference goes away, if its VM is still alive.
import LuaShim

/// A strong reference from Swift to a Lua value that stays in Lua (a function, a table...).
///
/// Belongs to its VM's thread, like the VM. Using it after the VM is gone throws.
public final class LuaRef {
    weak var vm: LuaVM?
    let ref: Int32
    /// The Lua type name of the referenced value.
    public let typeName: String

    /// References the value at `index` of the VM's stack (the stack is unchanged).
    init(vm: LuaVM, index: Int32) {
        self.vm = vm
        typeName = String(cString: qs_typename(vm.L, index))
        lua_pushvalue(vm.L, index)
        ref = luaL_ref(vm.L, qs_registryindex())
    }

    deinit {
        if let vm { luaL_unref(vm.L, qs_registryindex(), ref) }
    }

    /// Pushes the value. [-0, +1]
    func push() throws {
        guard let vm else { throw LuaError(kind: .runtime, message: "the Lua VM of this reference was closed") }
        lua_rawgeti(vm.L, qs_registryindex(), lua_Integer(ref))
    }

    /// The value's slot in the registry, for Quarry's own C-speed paths (`lua_rawgeti` on the
    /// registry). Valid while this reference lives.
    public var registrySlot: Int32 { ref }

    /// Whether the referenced value is a function.
    public var isFunction: Bool { typeName == "function" }
}

/// Stops a running call from another thread: the VM's hook sees the flag within its period.
///
/// Share it with a watchdog or a UI thread; pass it in `LuaVM.CallLimits`.
public final class LuaCancellation: Sendable {
    private let address: UInt

    public init() {
        address = UInt(bitPattern: qs_flag_new())
    }

    deinit { qs_flag_free(flag) }

    var flag: UnsafeMutablePointer<Int32> { UnsafeMutablePointer(bitPattern: address)! }

    /// Asks the call to stop; it fails with `LuaError.Kind.cancelled`.
    public func cancel() { qs_flag_set(flag, 1) }
    /// Clears the flag so the token can be used again.
    public func reset() { qs_flag_set(flag, 0) }
    /// Whether `cancel()` was called since the last `reset()`.
    public var isCancelled: Bool { qs_flag_get(flag) != 0 }
}
