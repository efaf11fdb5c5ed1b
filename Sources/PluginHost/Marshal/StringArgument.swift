// StringArgument: a string argument worked on as the bytes Lua holds, without a copy into Swift, for
// functions that map text to text (quarry.html.escape).
import LuaBridge
import LuaShim

enum StringArgument {
    /// When argument `index` is a UTF-8 string: pushes `transform` of its bytes, or the same string when
    /// `transform` gives nil (nothing to change), and returns 1. Returns nil for anything else (a
    /// number, bytes that are not UTF-8), which the caller's general path takes.
    static func replacing(_ call: LuaCall, _ index: Int32, with transform: (UnsafeRawBufferPointer) -> [UInt8]?)
        -> Int32?
    {
        let L = call.rawState
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        let bytes = UnsafeRawBufferPointer(start: lua_tolstring(L, index, &length), count: length)
        guard !bytes.contains(where: { $0 >= 0x80 }) || String(validating: bytes, as: UTF8.self) != nil else {
            return nil
        }
        guard let changed = transform(bytes) else {
            lua_pushvalue(L, index)
            return 1
        }
        changed.withUnsafeBytes { buffer in
            _ = lua_pushlstring(L, buffer.baseAddress?.assumingMemoryBound(to: CChar.self), buffer.count)
        }
        return 1
    }
}
