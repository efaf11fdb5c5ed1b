// quarry.csv: CSV text from rows (lists, or maps with named columns) and rows from CSV text. Keyed rows
// with named columns, the common case, are written straight from the Lua tables (Marshal/CSVRows.swift).
import DocumentModel
import LuaBridge

extension QuarryRuntime {
    /// `quarry.csv.encode(rows, columns)`; `fastPath: false` takes the general path for every table
    /// (the tests compare the two).
    func csvEncode(_ call: LuaCall, fastPath: Bool = true) throws -> Int32 {
        if fastPath, let text = try CSVTable.encodeKeyedRows(call) { return call.push(text) }
        guard let records = try CSVTable.records(call) else { return call.push("") }
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
}

/// Rows for CSV and Markdown tables: a list of arrays, or of maps with named columns.
enum CSVTable {
    /// The records of the rows in argument 1 with the columns in argument 2 (optional), as
    /// `quarry.csv.encode` and `quarry.markdown.table` take them; nil for an empty table.
    static func records(_ call: LuaCall) throws -> [[String]]? {
        guard case .array(let rows) = try call.value(1) else {
            if case .object(let map) = try call.value(1), map.isEmpty { return nil }
            throw call.argumentError(1, "a list of rows")
        }
        var columns: [String]? = nil
        if !call.isNil(2) {
            guard case .array(let names) = try call.value(2), names.allSatisfy({ $0.stringValue != nil }) else {
                throw call.argumentError(2, "a list of column names")
            }
            columns = names.map { $0.stringValue! }
        }
        return try records(rows, columns: columns, call: call)
    }

    /// The rows as records of text fields: the header (column names) first when rows are keyed.
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
        let names: [String] =
            columns
            ?? Array(
                Set(
                    rows.flatMap { row -> [String] in
                        if case .object(let map) = row { return Array(map.keys) }
                        return []
                    })
            ).sorted()
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
