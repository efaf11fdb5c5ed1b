// quarry.text, quarry.json, quarry.csv, quarry.markdown, quarry.log and quarry.at_least: the
// utilities plugins use around the document API.
import DocumentModel
import Foundation
import LuaBridge
import LuaShim
import TextAnalysis

extension QuarryRuntime {
    // MARK: quarry.text

    func textLen(_ call: LuaCall) throws -> Int32 { call.push(try call.string(1).unicodeScalars.count) }

    func textSub(_ call: LuaCall) throws -> Int32 {
        let scalars = Array(try call.string(1).unicodeScalars)
        let count = scalars.count
        var i = try call.optionalInteger(2, default: 1)
        var j = try call.optionalInteger(3, default: -1)
        if i < 0 { i = max(count + i + 1, 1) } else if i == 0 { i = 1 }
        if j < 0 { j = count + j + 1 } else if j > count { j = count }
        guard i <= j else { return call.push("") }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[(i - 1)..<j])
        return call.push(String(view))
    }

    func textLower(_ call: LuaCall) throws -> Int32 { call.push(try call.string(1).lowercased()) }
    func textUpper(_ call: LuaCall) throws -> Int32 { call.push(try call.string(1).uppercased()) }

    func textFold(_ call: LuaCall) throws -> Int32 {
        call.push(try call.string(1).folding(options: [.caseInsensitive, .widthInsensitive], locale: nil))
    }

    func textStripAccents(_ call: LuaCall) throws -> Int32 {
        call.push(try call.string(1).folding(options: [.diacriticInsensitive], locale: nil))
    }

    func textNormalize(_ call: LuaCall) throws -> Int32 {
        let text = try call.string(1)
        switch try call.optionalString(2) ?? "NFC" {
        case "NFC": return call.push(text.precomposedStringWithCanonicalMapping)
        case "NFD": return call.push(text.decomposedStringWithCanonicalMapping)
        case "NFKC": return call.push(text.precomposedStringWithCompatibilityMapping)
        case "NFKD": return call.push(text.decomposedStringWithCompatibilityMapping)
        case let other: throw call.argumentError(2, "one of \"NFC\", \"NFD\", \"NFKC\", \"NFKD\" (got \"\(other)\")")
        }
    }

    func textWords(_ call: LuaCall) throws -> Int32 {
        var text = try call.string(1)
        let L = call.rawState
        // Tokenized in place and pushed straight from the text's bytes: no string per word in Swift.
        text.withUTF8 { buffer in
            var tokens = TokenTable()
            Tokenizer.tokenize(buffer, 0..<buffer.count, into: &tokens)
            lua_createtable(L, Int32(clamping: tokens.count), 0)
            var n: lua_Integer = 0
            for i in 0..<tokens.count where tokens.kinds[i] == .word || tokens.kinds[i] == .number {
                let start = Int(tokens.starts[i]), end = Int(tokens.ends[i])
                UnsafeRawPointer(buffer.baseAddress! + start).withMemoryRebound(to: CChar.self, capacity: end - start) {
                    _ = lua_pushlstring(L, $0, end - start)
                }
                n += 1
                lua_rawseti(L, -2, n)
            }
        }
        return 1
    }

    // MARK: quarry.json

    func jsonEncode(_ call: LuaCall) throws -> Int32 {
        let value = try call.jsonArgument(1, path: "value")
        var pretty = false
        if !call.isNil(2), case .object(let options) = try call.value(2), options["pretty"] == .bool(true) { pretty = true }
        return call.push(pretty ? value.prettyDescription() : value.description)
    }

    func jsonDecode(_ call: LuaCall) throws -> Int32 {
        let text = try call.string(1)
        do {
            return call.push(json: try JSONParser.parse(text))
        } catch let error as JSONParseError {
            call.pushNil()
            call.push("invalid JSON at line \(error.line), column \(error.column): \(error.message)")
            return 2
        }
    }

    // MARK: quarry.csv

    func csvEncode(_ call: LuaCall) throws -> Int32 {
        if let text = try CSVTable.encodeKeyedRows(call) { return call.push(text) }
        guard case .array(let rows) = try call.value(1) else {
            if case .object(let map) = try call.value(1), map.isEmpty { return call.push("") }
            throw call.argumentError(1, "a list of rows")
        }
        var columns: [String]? = nil
        if !call.isNil(2) {
            guard case .array(let names) = try call.value(2), names.allSatisfy({ $0.stringValue != nil }) else {
                throw call.argumentError(2, "a list of column names")
            }
            columns = names.map { $0.stringValue! }
        }
        let records = try CSVTable.records(rows, columns: columns, call: call)
        return call.push(CSV.encode(records))
    }

    func csvDecode(_ call: LuaCall) throws -> Int32 {
        let text = try call.string(1)
        var header = true
        var separator: Character = ","
        if !call.isNil(2), case .object(let options) = try call.value(2) {
            if options["header"] == .bool(false) { header = false }
            if let s = options["separator"]?.stringValue, let c = s.first, s.count == 1 { separator = c }
        }
        let records: [[String]]
        do {
            records = try CSV.parse(text, separator: separator)
        } catch let error as CSV.ParseError {
            call.pushNil()
            call.push("CSV line \(error.line): \(error.message)")
            return 2
        }
        guard header, let names = records.first else {
            return try call.push(.array(records.map { .array($0.map(LuaValue.string)) }))
        }
        let rows: [LuaValue] = records.dropFirst().map { record in
            var map: [String: LuaValue] = [:]
            for (i, name) in names.enumerated() where i < record.count { map[name] = .string(record[i]) }
            return .object(map)
        }
        return try call.push(.array(rows))
    }

    // MARK: quarry.markdown

    func markdownTable(_ call: LuaCall) throws -> Int32 {
        guard case .array(let rows) = try call.value(1) else {
            if case .object(let map) = try call.value(1), map.isEmpty { return call.push("") }
            throw call.argumentError(1, "a list of rows")
        }
        var columns: [String]? = nil
        if !call.isNil(2) {
            guard case .array(let names) = try call.value(2), names.allSatisfy({ $0.stringValue != nil }) else {
                throw call.argumentError(2, "a list of column names")
            }
            columns = names.map { $0.stringValue! }
        }
        let records = try CSVTable.records(rows, columns: columns, call: call)
        guard let head = records.first else { return call.push("") }
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        var lines = ["| " + head.map(cell).joined(separator: " | ") + " |"]
        lines.append("|" + head.map { _ in " --- " }.joined(separator: "|") + "|")
        for record in records.dropFirst() { lines.append("| " + record.map(cell).joined(separator: " | ") + " |") }
        return call.push(lines.joined(separator: "\n") + "\n")
    }

    // MARK: quarry.log and versions

    func log(_ level: LogLevel, _ plugin: PluginContext, _ call: LuaCall) throws -> Int32 {
        var parts: [String] = []
        for i in stride(from: Int32(1), through: call.count, by: 1) {
            let text = try call.vm.string(at: i) ?? call.vm.value(at: i, lenient: true).render(indent: nil)
            parts.append(text)
        }
        logHandler(plugin.name, level, parts.joined(separator: " "))
        return 0
    }

    func documents(_ call: LuaCall) throws -> Int32 {
        guard let source = documentSource else {
            throw call.error("only available in `quarry script` (documents come from its command line)")
        }
        call.vm.pushFunction("quarry.documents iterator") { [unowned self] inner in
            guard let document = try source() else { return inner.pushNil() }
            try inner.vm.push(try self.makeDocument(DocumentBox(document)))
            return 1
        }
        return 1
    }

    func atLeast(_ call: LuaCall) throws -> Int32 {
        let wanted = try call.string(1)
        guard let want = QuarryAPI.versionParts(wanted) else { throw call.argumentError(1, "a version like \"1.0\"") }
        let have = QuarryAPI.versionParts(QuarryAPI.apiVersion)!
        return call.push(!have.lexicographicallyPrecedes(want))
    }
}

/// Rows for CSV and Markdown tables: a list of arrays, or of maps with named columns.
enum CSVTable {
    /// The common case written straight from the Lua tables: a list of rows keyed by name, with the
    /// columns given (strings, numbers, booleans, nil). Nil when the arguments are anything else, or
    /// a field is a table: the general path below handles those (and names what is wrong).
    static func encodeKeyedRows(_ call: LuaCall) throws -> String? {
        let L = call.rawState
        guard lua_type(L, 1) == LUA_TTABLE, lua_type(L, 2) == LUA_TTABLE, lua_checkstack(L, 8) != 0 else { return nil }
        let rowCount = Int(lua_rawlen(L, 1))
        let columnCount = Int(lua_rawlen(L, 2))
        guard rowCount > 0, columnCount > 0 else { return nil }
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        // only a plain list of rows (nothing after its last item)
        lua_pushinteger(L, lua_Integer(rowCount))
        guard lua_next(L, 1) == 0 else { return nil }
        lua_pushinteger(L, lua_Integer(columnCount))
        guard lua_next(L, 2) == 0 else { return nil }
        // the column names, kept on the stack for the lookups (a name spelling an integer goes the general way)
        let firstColumn = lua_gettop(L) + 1
        var out: [UInt8] = []
        out.reserveCapacity(rowCount * columnCount * 12)
        for c in 1...columnCount {
            guard lua_rawgeti(L, 2, lua_Integer(c)) == LUA_TSTRING else { return nil }
            var length = 0
            let name = UnsafeRawBufferPointer(start: lua_tolstring(L, -1, &length), count: length)
            if Int(String(decoding: name, as: UTF8.self)) != nil { return nil }
            if c > 1 { out.append(0x2C) }
            appendField(&out, name)
        }
        out.append(0x0A)
        for r in 1...rowCount {
            guard lua_rawgeti(L, 1, lua_Integer(r)) == LUA_TTABLE else { return nil }
            let row = lua_gettop(L)
            // keyed rows only: a list row (row[1] set) or an empty one is the general path's to write
            lua_pushnil(L)
            guard lua_next(L, row) != 0 else { return nil }
            lua_settop(L, row)
            guard lua_rawgeti(L, row, 1) == LUA_TNIL else { return nil }
            lua_settop(L, row)
            for c in 0..<columnCount {
                if c > 0 { out.append(0x2C) }
                lua_pushvalue(L, firstColumn + Int32(c))
                switch lua_rawget(L, row) {
                case LUA_TNIL: break
                case LUA_TSTRING:
                    var length = 0
                    let bytes = UnsafeRawBufferPointer(start: lua_tolstring(L, -1, &length), count: length)
                    // as text (bytes that are not UTF-8 repaired, as the general path's strings are)
                    appendField(&out, String(decoding: bytes, as: UTF8.self).utf8)
                case LUA_TNUMBER:
                    let text: String
                    if qs_isinteger(L, -1) != 0 {
                        text = String(qs_tointeger(L, -1, nil))
                    } else {
                        let d = qs_tonumber(L, -1, nil)
                        text = d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
                    }
                    out.append(contentsOf: text.utf8)
                case LUA_TBOOLEAN:
                    out.append(contentsOf: lua_toboolean(L, -1) != 0 ? Array("true".utf8) : Array("false".utf8))
                default:
                    return nil
                }
                lua_settop(L, row)
            }
            out.append(0x0A)
            lua_settop(L, row - 1)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends one field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func appendField(_ out: inout [UInt8], _ bytes: some Collection<UInt8>) {
        guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }

    static func records(_ rows: [LuaValue], columns: [String]?, call: LuaCall) throws -> [[String]] {
        func text(_ v: LuaValue?) -> String {
            switch v {
            case nil, .nil?: ""
            case .string(let s)?: s
            case .bytes(let b)?: String(decoding: b, as: UTF8.self)
            case .int(let i)?: String(i)
            case .double(let d)?: d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
            case .bool(let b)?: b ? "true" : "false"
            case let other?: other.render(indent: nil)
            }
        }
        if rows.allSatisfy({ if case .array = $0 { true } else { false } }) && columns == nil {
            return rows.map { row in
                guard case .array(let cells) = row else { return [] }
                return cells.map { text($0) }
            }
        }
        let names: [String] = columns ?? Array(Set(rows.flatMap { row -> [String] in
            if case .object(let map) = row { return Array(map.keys) }
            return []
        })).sorted()
        var records = [names]
        for (n, row) in rows.enumerated() {
            switch row {
            case .object(let map): records.append(names.map { text(map[$0]) })
            case .array(let cells): records.append(cells.map { text($0) })
            default: throw call.error("row \(n + 1) must be a table, got \(row.typeName)")
            }
        }
        return records
    }
}
