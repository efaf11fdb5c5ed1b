// quarry.phrases: phrase lists compiled in Swift (a token trie), with a payload per phrase,
// from a Lua list or a CSV/TSV file in the plugin's folder; matched with doc:match.
import DocumentModel
import Foundation
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

extension QuarryRuntime {
    func registerPhraseSetType() {
        var definition = LuaTypeDefinition<PhraseSet>(name: "quarry.Phrases")
        definition.methodPrefix = "phrases"
        definition.metamethods["__len"] = { call in call.push(try call.object(1, PhraseSet.self).matcher.phrases.count) }
        definition.metamethods["__tostring"] = { call in
            let set = try call.object(1, PhraseSet.self)
            return call.push("Phrases(\(set.matcher.phrases.count))")
        }
        vm.registerType(definition)
    }

    /// `quarry.phrases{...}` / `quarry.phrases{file = "names.tsv", ...}`.
    func makePhrases(_ plugin: PluginScope, _ call: LuaCall) throws -> Int32 {
        let L = call.rawState
        guard lua_type(L, 1) == LUA_TTABLE else { throw call.argumentError(1, "a table of phrases and options") }
        var phrases: [String] = []
        lua_createtable(L, 0, 0)
        let payloads = lua_gettop(L)
        func option(_ name: String) -> LuaValue {
            vm.pushString(name)
            lua_rawget(L, 1)
            defer { lua_settop(L, -2) }
            return (try? vm.value(at: -1)) ?? .nil
        }
        let caseSensitive = option("case") != .bool(false)
        let accentSensitive = option("accents") != .bool(false)
        // Phrases given in the table's array part: strings, or tables whose [1] is the phrase.
        let count = lua_rawlen(L, 1)
        if count > 0 {
            for i in 1...count {
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
        // Phrases from a file in the plugin's folder.
        if case .string(let file) = option("file") {
            let rows = try readPhraseFile(file, plugin: plugin, call: call, column: option("column"), separator: option("separator"))
            for row in rows {
                phrases.append(row.phrase)
                try vm.push(.object(row.fields.mapValues { LuaValue.string($0) }.merging(["1": .string(row.phrase)]) { a, _ in a }))
                lua_rawseti(L, payloads, lua_Integer(phrases.count))
            }
        } else if option("file") != .nil {
            throw call.error("option 'file' must be a file name")
        }
        let matcher = PhraseMatcher(phrases, caseSensitive: caseSensitive, accentSensitive: accentSensitive)
        let set = PhraseSet(matcher: matcher, payloads: vm.reference(at: payloads))
        return try call.push(object: set)
    }

    struct PhraseRow {
        var phrase: String
        var fields: [String: String]
    }

    /// Reads a CSV or TSV phrase list (header row; phrase column `phrase`, `name`, `term` or the
    /// first) from the plugin's folder or an allowed folder.
    func readPhraseFile(
        _ file: String, plugin: PluginScope, call: LuaCall, column: LuaValue, separator: LuaValue
    ) throws -> [PhraseRow] {
        let path = try FileAccess.resolve(file, roots: plugin.allRoots, call: call)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw call.error("cannot read phrase file '\(file)'")
        }
        let text = String(decoding: data, as: UTF8.self)
        let sep: Character = if case .string(let s) = separator, let c = s.first { c } else if file.hasSuffix(".tsv") || file.hasSuffix(".txt") { "\t" } else { "," }
        let records: [[String]]
        do {
            records = try CSV.parse(text, separator: sep)
        } catch let error as CSV.ParseError {
            throw call.error("\(file):\(error.line): \(error.message)")
        }
        guard let header = records.first else { return [] }
        if file.hasSuffix(".txt") && header.count == 1 && column == .nil {
            // A plain list: one phrase a line, no header.
            return records.compactMap { $0.first.flatMap { $0.isEmpty ? nil : PhraseRow(phrase: $0, fields: [:]) } }
        }
        let wanted: String? = if case .string(let c) = column { c } else { nil }
        let phraseColumn: Int
        if let wanted {
            guard let index = header.firstIndex(of: wanted) else {
                throw call.error("\(file): no column named '\(wanted)' (columns: \(header.joined(separator: ", ")))")
            }
            phraseColumn = index
        } else {
            phraseColumn = header.firstIndex { ["phrase", "name", "term"].contains($0.lowercased()) } ?? 0
        }
        var rows: [PhraseRow] = []
        for (n, record) in records.dropFirst().enumerated() {
            guard record.count > phraseColumn else {
                if record.allSatisfy(\.isEmpty) { continue }
                throw call.error("\(file):\(n + 2): the row has \(record.count) fields, the header \(header.count)")
            }
            let phrase = record[phraseColumn].trimmingCharacters(in: .whitespaces)
            guard !phrase.isEmpty else { continue }
            var fields: [String: String] = [:]
            for (i, name) in header.enumerated() where i != phraseColumn && i < record.count && !name.isEmpty {
                fields[name] = record[i]
            }
            rows.append(PhraseRow(phrase: phrase, fields: fields))
        }
        return rows
    }

    /// `doc:match(phrases)`: an iterator of matches as spans with `key` (the phrase as given),
    /// `data` (its payload table, if any) and `phrase` (its index in the list).
    func documentMatch(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let set = try call.object(2, PhraseSet.self)
        let L = call.rawState
        let matches = set.matcher.matches(in: box.document)
        try vm.push(set.payloads)
        let payloads = lua_gettop(L)
        let metatable = pushSpanMetatable(L)
        lua_createtable(L, Int32(clamping: matches.count), 0)
        for (n, match) in matches.enumerated() {
            try pushSpan(L, doc: 1, box: box, range: match.range, index: n, kind: SpanKind.match.rawValue, metatable: metatable)
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
        return 1
    }
}
