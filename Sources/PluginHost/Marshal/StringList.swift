// StringList: a Lua list of strings pushed straight from a text's bytes (the tokens of a tokenizer
// run), with no Swift String per item.
import DocumentModel
import LuaShim

enum StringList {
    /// Pushes the text of each token whose kind passes `include`, in order, as a Lua list. [-0, +1]
    static func push(
        _ L: OpaquePointer, _ buffer: UnsafeBufferPointer<UInt8>, tokens: TokenTable,
        include: (TokenKind) -> Bool
    ) {
        lua_createtable(L, Int32(clamping: tokens.count), 0)
        var n: lua_Integer = 0
        for i in 0..<tokens.count where include(tokens.kinds[i]) {
            let start = Int(tokens.starts[i]), end = Int(tokens.ends[i])
            UnsafeRawPointer(buffer.baseAddress! + start).withMemoryRebound(to: CChar.self, capacity: end - start) {
                _ = lua_pushlstring(L, $0, end - start)
            }
            n += 1
            lua_rawseti(L, -2, n)
        }
    }
}
