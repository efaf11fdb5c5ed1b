// Swift objects handed to Lua as userdata: one metatable per registered Swift type, methods and
// fields served from Swift, the object released when Lua collects the userdata.
import LuaShim

struct LuaTypeInfo {
    let name: String
    let metatableRef: Int32
    let metatable: UnsafeRawPointer
}

/// How a Swift class appears in Lua.
public struct LuaTypeDefinition<T: AnyObject> {
    /// The name errors and `tostring` show (`quarry.Span`).
    public var name: String
    /// Methods, called as `obj:method(...)`; the object is argument 1.
    public var methods: [String: LuaFunction] = [:]
    /// Fields: called with the object (argument 1) and the key (argument 2) when the key is not a
    /// method; returns the number of results (push nil for unknown keys, or throw).
    public var index: LuaFunction?
    /// How errors name methods: `doc` gives `doc:find: ...` (default: the type's name).
    public var methodPrefix: String?
    /// Other metamethods by their Lua names (`__len`, `__tostring`, `__eq`, `__newindex`, `__call`...).
    public var metamethods: [String: LuaFunction] = [:]

    public init(name: String) { self.name = name }
}

extension LuaVM {
    /// Registers how objects of type `T` appear in Lua. Registering a type again replaces it.
    public func registerType<T: AnyObject>(_ definition: LuaTypeDefinition<T>) {
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_createtable(L, 0, Int32(clamping: definition.methods.count))
        for key in definition.methods.keys.sorted() {
            pushString(key)
            pushFunction("\(definition.methodPrefix ?? definition.name):\(key)", definition.methods[key]!)
            lua_rawset(L, -3)
        }
        let methods = lua_gettop(L)
        var indexFunction: Int32 = 0
        if let index = definition.index {
            pushFunction(definition.name, index)
            indexFunction = lua_gettop(L)
        }
        qs_new_object_metatable(L, methods, indexFunction)
        pushString(definition.name)
        lua_setfield(L, -2, "__name")
        pushString(definition.name)
        lua_setfield(L, -2, "__metatable")
        for key in definition.metamethods.keys.sorted() where key != "__gc" && key != "__index" {
            pushString(key)
            pushFunction("\(definition.name).\(key)", definition.metamethods[key]!)
            lua_rawset(L, -3)
        }
        if let old = types[ObjectIdentifier(T.self)] { luaL_unref(L, qs_registryindex(), old.metatableRef) }
        let pointer = lua_topointer(L, -1)!
        let ref = luaL_ref(L, qs_registryindex())
        types[ObjectIdentifier(T.self)] = LuaTypeInfo(name: definition.name, metatableRef: ref, metatable: pointer)
    }

    /// Pushes a Swift object of a registered type as userdata; Lua keeps it alive until collected.
    /// [-0, +1]
    public func pushObject<T: AnyObject>(_ object: T) throws {
        guard let info = types[ObjectIdentifier(T.self)] else {
            throw LuaError(kind: .conversion, message: "type \(T.self) is not registered with the Lua VM")
        }
        lua_rawgeti(L, qs_registryindex(), lua_Integer(info.metatableRef))
        qs_push_object(L, Unmanaged.passRetained(object).toOpaque(), -1)
        lua_rotate(L, -2, -1)
        lua_settop(L, -2)
    }

    /// The object at `index` if it is userdata of type `T`, else nil.
    public func object<T: AnyObject>(at index: Int32, _ type: T.Type) -> T? {
        guard let info = types[ObjectIdentifier(type)], let box = qs_object_box(L, index) else { return nil }
        guard lua_getmetatable(L, index) != 0 else { return nil }
        let matches = lua_topointer(L, -1) == info.metatable
        lua_settop(L, -2)
        return matches ? Unmanaged<T>.fromOpaque(box).takeUnretainedValue() : nil
    }
}
