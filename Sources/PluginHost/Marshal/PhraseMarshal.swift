// quarry.phrases on the Lua stack: the PhraseSet userdata, the phrase list read from its table (strings,
// or tables whose [1] is the phrase and the rest its payload), payloads kept in a Lua list, and the
// matches of doc:match pushed as spans with `key`, `phrase` and `data`.
import DocumentModel
import LuaBridge
import LuaShim
import PluginShim
import TextAnalysis

/// A compiled phrase list as Lua holds it. Payload tables stay in Lua (a registry reference).
final class PhraseSet {
    let matcher: PhraseMatcher
    /// A Lua array: payload (table) of each phrase, or false.
    let payloads: LuaRef

    init(matcher: PhraseMatcher, payloads: LuaRef) {
        self.matcher = matcher
        self.payloads = payloads
    }
}

/// The phrases of a `quarry.phrases{...}` call being built: phrases in Swift, their payloads in a Lua
/// list on the stack until `finish` makes the PhraseSet.
struct PhraseList {
    let call: LuaCall
    private(set) var phrases: [String] = []
    /// Stack index of the payload list.
    private let payloads: Int32

    /// Reads the phrases of the table in argument 1 (its array part). [-0, +1]
    init(_ call: LuaCall) throws {
        self.call = call
        let L = call.rawState
        let vm = call.vm
        guard lua_type(L, 1) == LUA_TTABLE else { throw call.argumentError(1, "a table of phrases and options") }
        lua_createtable(L, 0, 0)
        payloads = lua_gettop(L)
        let count = lua_rawlen(L, 1)
        guard count > 0 else { return }
        for i in 1...count {
            if i & 0xFFF == 0 { try call.checkLimits() }
            lua_rawgeti(L, 1, lua_Integer(i))
            defer { lua_settop(L, -2) }
            switch lua_type(L, -1) {
            case LUA_TSTRING:
                phrases.append(vm.string(at: -1) ?? "")
                lua_pushboolean(L, 0)
            case LUA_TTABLE:
                lua_rawgeti(L, -1, 1)
                guard let phrase = vm.string(at: -1) else {
                    throw call.error("phrase \(i) is a table without its phrase as the first item")
                }
                lua_settop(L, -2)
                phrases.append(phrase)
                lua_pushvalue(L, -1)
            default:
                throw call.error("phrase \(i) must be a string or a table, got \(call.typeName(-1))")
            }
            lua_rawseti(L, payloads, lua_Integer(phrases.count))
        }
    }

    /// The value of a named option of the table in argument 1.
    func option(_ name: String) -> LuaValue {
        let L = call.rawState
        call.vm.pushString(name)
        lua_rawget(L, 1)
        defer { lua_settop(L, -2) }
        return (try? call.vm.value(at: -1)) ?? .nil
    }

    /// Adds a phrase from a file, its other columns as its payload (`[1]` is the phrase).
    mutating func append(_ phrase: String, fields: [String: String]) throws {
        phrases.append(phrase)
        try call.vm.push(
            .object(fields.mapValues { LuaValue.string($0) }.merging(["1": .string(phrase)]) { a, _ in a }))
        lua_rawseti(call.rawState, payloads, lua_Integer(phrases.count))
    }

    /// Pushes the PhraseSet of the phrases compiled into `matcher`. [-0, +1]
    func finish(_ matcher: PhraseMatcher) throws -> Int32 {
        let set = PhraseSet(matcher: matcher, payloads: call.vm.reference(at: payloads))
        return try call.push(object: set)
    }
}

extension QuarryRuntime {
    func registerPhraseSetType() {
        var definition = LuaTypeDefinition<PhraseSet>(name: "quarry.Phrases")
        definition.methodPrefix = "phrases"
        definition.metamethods["__len"] = { call in call.push(try call.object(1, PhraseSet.self).matcher.phrases.count)
        }
        definition.metamethods["__tostring"] = { call in
            let set = try call.object(1, PhraseSet.self)
            return call.push("Phrases(\(set.matcher.phrases.count))")
        }
        vm.registerType(definition)
    }

    /// Pushes an iterator over phrase matches as spans of the document in argument 1. [-0, +1]
    func pushPhraseMatchIterator(_ call: LuaCall, box: DocumentHandle, set: PhraseSet, _ matches: [PhraseMatcher.Match])
        throws
    {
        let L = call.rawState
        try vm.push(set.payloads)
        let payloads = lua_gettop(L)
        let metatable = pushSpanMetatable(L)
        lua_createtable(L, Int32(clamping: matches.count), 0)
        for (n, match) in matches.enumerated() {
            try pushSpan(
                L, doc: 1, box: box, range: match.range, index: n, kind: SpanKind.match.rawValue, metatable: metatable)
            lua_createtable(L, 0, 3)
            vm.pushString(set.matcher.phrases[match.phrase])
            lua_setfield(L, -2, "key")
            lua_pushinteger(L, lua_Integer(match.phrase + 1))
            lua_setfield(L, -2, "phrase")
            if lua_rawgeti(L, payloads, lua_Integer(match.phrase + 1)) == LUA_TTABLE {
                lua_setfield(L, -2, "data")
            } else {
                lua_settop(L, -2)
            }
            qp_set_span_extras(L, -2)
            lua_rawseti(L, -2, lua_Integer(n + 1))
        }
        try wrapIterator(L)
    }
}
