// The `doc` object on the Lua stack: its type and read-only fields (cached in the userdata after the
// first read), lazy views, and what the doc methods read from and push on the stack (positions,
// annotation conditions, evidence, lists of matches and annotations). The methods: Module/Document.swift.
import DocumentModel
import Foundation
import LuaBridge
import LuaShim
import PluginShim
import TextAnalysis

/// The conditions of `doc:annotations{type=, layer=, within=, overlapping=, covering=}`.
struct AnnotationQuery {
    var types: [String]?
    var layers: [String]?
    var range: TextRange?
    var relation = AnnotationStore.Relation.within
}

extension QuarryRuntime {
    func registerDocumentType() {
        var definition = LuaTypeDefinition<DocumentHandle>(name: "quarry.Doc")
        definition.methodPrefix = "doc"
        for entry in QuarryAPI.entries where entry.kind == .method && entry.owner == "Doc" {
            guard let body = entry.body else { continue }
            definition.methods[entry.member] = { [unowned self] call in
                try body(self, PluginScope(name: self.currentPlugin), call)
            }
        }
        definition.index = { [unowned self] call in try self.documentField(call) }
        definition.metamethods["__newindex"] = { call in
            let key = (try? call.string(2)) ?? call.typeName(2)
            throw call.error("doc.\(key) is read-only; use doc:set(name, value) for your own fields")
        }
        definition.metamethods["__tostring"] = { call in
            let box = try call.object(1, DocumentHandle.self)
            return call.push("Doc(\(box.document.id))")
        }
        definition.metamethods["__len"] = { call in
            call.push(try call.object(1, DocumentHandle.self).document.text.utf8.count)
        }
        vm.registerType(definition)
    }

    /// `doc.key` for the fields; every value is cached in the userdata after its first read.
    func documentField(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let L = call.rawState
        guard lua_type(L, 2) == LUA_TSTRING else { return call.pushNil() }
        let key = try call.string(2)
        let document = box.document
        switch key {
        case "id": call.push(document.id)
        case "path": call.push(document.path)
        case "format": call.push(document.format)
        case "text": call.push(document.text)
        case "length": call.push(document.text.utf8.count)
        case "meta":
            call.push(json: .object(document.metadata.json))
            try wrapReadonly(L, name: "doc.meta")
        case "tokens", "sentences", "blocks", "quotes":
            let kind: SpanKind =
                switch key {
                case "tokens": .token
                case "sentences": .sentence
                case "blocks": .block
                default: .quote
                }
            try vm.push(viewMetatable)
            qp_push_view(L, 1, box.columns, UInt8(kind.rawValue), -1)
            lua_rotate(L, -2, -1)
            lua_settop(L, -2)
        default:
            return call.pushNil()
        }
        call.cacheResult()
        return 1
    }

    /// Reads a range given as (a, b) integers at `first`, a span, or a table {a, b} / {start=, stop=}.
    func positions(_ call: LuaCall, box: DocumentHandle, first: Int32) throws -> TextRange {
        let L = call.rawState
        let length = box.document.text.utf8.count
        var a: Int
        var b: Int
        if let span = try span(L, at: first) {
            guard span.pointee.doc == UnsafePointer(box.columns) else {
                throw call.error("argument \(call.shownArgument(first)) is a span of another document")
            }
            let range = TextRange(start: span.pointee.start, end: span.pointee.end)
            try checkCharacterBoundaries(range, box: box, call: call)
            return range
        } else if lua_type(L, first) == LUA_TNUMBER {
            a = try call.integer(first)
            b = try call.integer(first + 1)
        } else if lua_type(L, first) == LUA_TTABLE {
            // {a, b} or {start = a, stop = b}: read in place (other fields of the table are not looked at)
            func integerField(_ push: () -> Int32) -> Int? {
                defer { lua_settop(L, -2) }
                guard push() == LUA_TNUMBER, qs_isinteger(L, -1) != 0 else { return nil }
                return Int(qs_tointeger(L, -1, nil))
            }
            if lua_rawlen(L, first) == 2 {
                guard let x = integerField({ lua_rawgeti(L, first, 1) }),
                    let y = integerField({ lua_rawgeti(L, first, 2) })
                else {
                    throw call.argumentError(first, "a span or a table {start, stop} of integers")
                }
                a = x
                b = y
            } else {
                guard
                    let x = integerField({
                        lua_pushstring(L, "start"); return lua_rawget(L, first)
                    }),
                    let y = integerField({
                        lua_pushstring(L, "stop"); return lua_rawget(L, first)
                    })
                else {
                    throw call.argumentError(first, "a span or a table {start = , stop = }")
                }
                a = x
                b = y
            }
        } else {
            throw call.argumentError(first, "a span, a table {start, stop} or two positions")
        }
        guard a >= 1, b >= a - 1, b <= length else {
            throw call.error("positions \(a)..\(b) are outside the text (1..\(length))")
        }
        let range = TextRange(a - 1, b)
        try checkCharacterBoundaries(range, box: box, call: call)
        return range
    }

    /// Refuses a range that starts or ends inside a UTF-8 character (a `\\C` match, byte arithmetic):
    /// what is annotated or scored is always whole characters, so every output line is valid UTF-8.
    func checkCharacterBoundaries(_ range: TextRange, box: DocumentHandle, call: LuaCall) throws {
        let bytes = box.textBytes
        let length = bytes.count
        for position in [Int(range.start), Int(range.end)] where position < length && position > 0 {
            if bytes[position] & 0xC0 == 0x80 {
                throw call.error("position \(position + 1) is inside a UTF-8 character")
            }
        }
    }

    /// Pushes a span of the document in argument 1. [-0, +1]
    func pushDocumentSpan(_ call: LuaCall, box: DocumentHandle, range: TextRange, index: Int, kind: SpanKind) throws {
        try pushSpan(call.rawState, doc: 1, box: box, range: range, index: index, kind: kind.rawValue)
    }

    /// Pushes an iterator over the matches as spans of the document in argument 1, each with `groups`
    /// and `named` when the expression has groups. [-0, +1]
    func pushMatchIterator(_ call: LuaCall, box: DocumentHandle, _ matches: [RegexMatch], of regex: UnicodeRegex) throws
    {
        let L = call.rawState
        let metatable = pushSpanMetatable(L)
        lua_createtable(L, Int32(clamping: matches.count), 0)
        // Without groups a match needs no extras: `m.groups` is then an empty table made when read.
        let plain = regex.groupCount == 0 && regex.groupNames.isEmpty
        for (n, match) in matches.enumerated() {
            try pushSpan(
                L, doc: 1, box: box, range: TextRange(match.range.lowerBound, match.range.upperBound),
                index: n, kind: SpanKind.match.rawValue, metatable: metatable)
            if plain {
                lua_rawseti(L, -2, lua_Integer(n + 1))
                continue
            }
            lua_createtable(L, 0, 2)
            lua_createtable(L, Int32(match.groups.count), 0)
            for (g, group) in match.groups.enumerated() {
                if let group {
                    try pushSpan(
                        L, doc: 1, box: box, range: TextRange(group.lowerBound, group.upperBound), index: -1,
                        kind: SpanKind.plain.rawValue, metatable: metatable)
                } else {
                    lua_pushboolean(L, 0)
                }
                lua_rawseti(L, -2, lua_Integer(g + 1))
            }
            lua_setfield(L, -2, "groups")
            if !regex.groupNames.isEmpty {
                lua_createtable(L, 0, Int32(regex.groupNames.count))
                for (number, name) in regex.groupNames {
                    guard number - 1 < match.groups.count, let group = match.groups[number - 1] else { continue }
                    try pushSpan(
                        L, doc: 1, box: box, range: TextRange(group.lowerBound, group.upperBound), index: -1,
                        kind: SpanKind.plain.rawValue, metatable: metatable)
                    lua_setfield(L, -2, name)
                }
                lua_setfield(L, -2, "named")
            }
            qp_set_span_extras(L, -2)
            lua_rawseti(L, -2, lua_Integer(n + 1))
        }
        lua_rotate(L, metatable, -1)
        lua_settop(L, -2)
        try wrapIterator(L)
    }

    /// The conditions of `doc:annotations{...}` at `index` (an unknown one is an error, not ignored).
    func annotationQuery(_ call: LuaCall, box: DocumentHandle, at index: Int32) throws -> AnnotationQuery {
        let L = call.rawState
        var query = AnnotationQuery()
        if !call.isNil(index) {
            guard lua_type(L, index) == LUA_TTABLE else { throw call.argumentError(index, "a table of conditions") }
            // One walk over the conditions given (an unknown one is an error, not ignored).
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                defer { lua_settop(L, -2) }
                guard lua_type(L, -2) == LUA_TSTRING, let key = vm.string(at: -2) else {
                    throw call.error("conditions are named: type, layer, within, overlapping or covering")
                }
                switch key {
                case "type", "layer":
                    var names: [String]
                    if lua_type(L, -1) == LUA_TSTRING {
                        names = [vm.string(at: -1) ?? ""]
                    } else if lua_type(L, -1) == LUA_TTABLE,
                        case .array(let list) = try call.jsonArgument(lua_gettop(L), path: key),
                        list.allSatisfy({ $0.stringValue != nil })
                    {
                        names = list.compactMap(\.stringValue)
                    } else {
                        throw call.error("condition '\(key)' must be a string or a list of strings")
                    }
                    if key == "type" { query.types = names } else { query.layers = names }
                case "within", "overlapping", "covering":
                    guard query.range == nil else {
                        throw call.error("give one of within, overlapping and covering, not several")
                    }
                    guard let span = try span(L, at: -1) else { throw call.error("condition '\(key)' must be a span") }
                    guard span.pointee.doc == UnsafePointer(box.columns) else {
                        throw call.error("condition '\(key)' is a span of another document")
                    }
                    query.range = TextRange(start: span.pointee.start, end: span.pointee.end)
                    query.relation = key == "within" ? .within : key == "overlapping" ? .overlapping : .covering
                default:
                    throw call.error(
                        "unknown condition '\(key)' (expected type, layer, within, overlapping or covering)")
                }
            }
        }
        return query
    }

    /// Pushes the annotations as a list of annotation spans of the document in argument 1. [-0, +1]
    func pushAnnotationList(_ call: LuaCall, box: DocumentHandle, _ found: [Annotation]) throws {
        let L = call.rawState
        let metatable = pushSpanMetatable(L)
        lua_createtable(L, Int32(clamping: found.count), 0)
        for (n, annotation) in found.enumerated() {
            try pushSpan(
                L, doc: 1, box: box, range: annotation.range, index: annotation.id,
                kind: SpanKind.annotation.rawValue, metatable: metatable)
            lua_rawseti(L, -2, lua_Integer(n + 1))
        }
        lua_rotate(L, metatable, -1)
        lua_settop(L, -2)
    }

    /// The spans of the `evidence` option of `doc:score`, in the options table at `optionsAt`.
    func evidenceRanges(_ call: LuaCall, box: DocumentHandle, optionsAt index: Int32) throws -> [TextRange] {
        var ranges: [TextRange] = []
        let L = call.rawState
        if !call.isNil(index) {
            guard lua_type(L, index) == LUA_TTABLE else { throw call.argumentError(index, "a table of options") }
            vm.pushString("evidence")
            lua_rawget(L, index)
            defer { lua_settop(L, -2) }
            if lua_type(L, -1) == LUA_TTABLE {
                let list = lua_gettop(L)
                let count = lua_rawlen(L, list)
                if count > 0 {
                    for i in 1...count {
                        lua_rawgeti(L, list, lua_Integer(i))
                        defer { lua_settop(L, -2) }
                        guard let span = try span(L, at: -1), span.pointee.doc == UnsafePointer(box.columns) else {
                            throw call.error("evidence[\(i)] must be a span of this document")
                        }
                        let range = TextRange(start: span.pointee.start, end: span.pointee.end)
                        try checkCharacterBoundaries(range, box: box, call: call)
                        ranges.append(range)
                    }
                }
            } else if lua_type(L, -1) != LUA_TNIL {
                throw call.error("option 'evidence' must be a list of spans")
            }
        }
        return ranges
    }
}
