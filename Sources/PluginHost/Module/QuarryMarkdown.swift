// quarry.markdown: a Markdown table from rows (lists, or maps with named columns).
import DocumentModel
import LuaBridge

extension QuarryRuntime {
    func markdownTable(_ call: LuaCall) throws -> Int32 {
        guard let records = try CSVTable.records(call) else { return call.push("") }
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
