// quarry.markdown: a Markdown table from rows (lists, or maps with named columns).
import DocumentModel
import LuaBridge

extension QuarryRuntime {
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
}
