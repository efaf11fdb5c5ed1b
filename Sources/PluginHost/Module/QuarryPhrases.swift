// quarry.phrases and doc:match: phrase lists compiled in Swift (a token trie), with a payload per
// phrase, from a Lua list or a CSV/TSV file in the plugin's folder. The Lua side (reading the list,
// keeping payloads, pushing matches) is in Marshal/PhraseMarshal.swift.
import DocumentModel
import Foundation
import LuaBridge
import TextAnalysis

extension QuarryRuntime {
    /// `quarry.phrases{...}` / `quarry.phrases{file = "names.tsv", ...}`.
    func makePhrases(_ plugin: PluginScope, _ call: LuaCall) throws -> Int32 {
        var list = try PhraseList(call)
        if case .string(let file) = list.option("file") {
            let rows = try readPhraseFile(
                file, plugin: plugin, call: call, column: list.option("column"),
                separator: list.option("separator"))
            for row in rows { try list.append(row.phrase, fields: row.fields) }
        } else if list.option("file") != .nil {
            throw call.error("option 'file' must be a file name")
        }
        let matcher = try PhraseMatcher(
            list.phrases, caseSensitive: list.option("case") != .bool(false),
            accentSensitive: list.option("accents") != .bool(false), checkpoint: call.checkLimits)
        return try list.finish(matcher)
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
        let sep: Character =
            if case .string(let s) = separator, let c = s.first {
                c
            } else if file.hasSuffix(".tsv") || file.hasSuffix(".txt") { "\t" } else { "," }
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
            if n & 0xFFF == 0xFFF { try call.checkLimits() }
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
        let matches = set.matcher.matches(in: box.document)
        try pushPhraseMatchIterator(call, box: box, set: set, matches)
        return 1
    }
}
