// The compiled `doc:find` patterns of a VM, found through a Lua table keyed by the caller's own pattern
// and flag strings (Lua keeps a long string's hash in the string: no hashing of a 2 KB pattern per call).
import LuaBridge
import LuaShim
import TextAnalysis

extension QuarryRuntime {
    /// The compiled form of the pattern and flags at two argument positions, cached per VM (see
    /// `regexIndex`: the strings themselves are the keys).
    func compiledRegex(_ call: LuaCall, patternAt patternIndex: Int32, flagsAt flagsIndex: Int32) throws -> UnicodeRegex
    {
        let L = call.rawState
        // Only the types are checked here (no String made on this path, taken at every call); a wrong
        // type gets the usual argument error from call.string.
        func isText(_ index: Int32) -> Bool { lua_type(L, index) == LUA_TSTRING || lua_type(L, index) == LUA_TNUMBER }
        guard isText(patternIndex) else {
            _ = try call.string(patternIndex)
            throw call.argumentError(patternIndex, "a pattern")
        }
        // (read before anything is pushed: an absent argument's slot is then taken)
        let hasFlags = !call.isNil(flagsIndex)
        if hasFlags && !isText(flagsIndex) {
            _ = try call.string(flagsIndex)
            throw call.argumentError(flagsIndex, "flags")
        }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        if regexIndex == nil {
            lua_createtable(L, 0, 2)
            regexIndex = vm.reference(at: -1)
            lua_settop(L, top)
        }
        lua_rawgeti(L, qs_registryindex(), lua_Integer(regexIndex!.registrySlot))
        let index = lua_gettop(L)
        if hasFlags { lua_pushvalue(L, flagsIndex) } else { lua_pushstring(L, "") }
        let flagsKey = lua_gettop(L)
        lua_pushvalue(L, flagsKey)
        if lua_rawget(L, index) != LUA_TTABLE {
            lua_settop(L, flagsKey)
            lua_createtable(L, 0, 8)
            lua_pushvalue(L, flagsKey)
            lua_pushvalue(L, -2)
            lua_rawset(L, index)
        }
        let byPattern = lua_gettop(L)
        lua_pushvalue(L, patternIndex)
        if lua_rawget(L, byPattern) == LUA_TNUMBER {
            let i = Int(lua_tointegerx(L, -1, nil))
            if i >= 0 && i < regexList.count { return regexList[i] }
        }
        lua_settop(L, byPattern)
        let pattern = try call.string(patternIndex)
        let flags = hasFlags ? try call.string(flagsIndex) : ""
        let regex: UnicodeRegex
        do {
            regex = try UnicodeRegex(pattern, flags: flags)
        } catch let error as RegexError {
            throw call.error(error.description)
        }
        if regexList.count >= 512 {  // a plugin making patterns on the fly: start over
            regexList.removeAll(keepingCapacity: true)
            lua_createtable(L, 0, 2)
            regexIndex = vm.reference(at: -1)
            return regex
        }
        lua_pushvalue(L, patternIndex)
        lua_pushinteger(L, lua_Integer(regexList.count))
        lua_rawset(L, byPattern)
        regexList.append(regex)
        return regex
    }
}
