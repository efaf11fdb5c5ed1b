// The fuzz targets: each takes any bytes and must return — an error is fine, a crash, a hang, a
// sanitizer report or a broken invariant (checked with `precondition`, which libFuzzer reports as a
// crash and saves the input) is a finding. Every finding becomes a regression fixture under
// Tests/ReadersTests/Fixtures/fuzz/ (readers) or a unit test (the rest).

import DocumentModel
import LuaBridge
@testable import PluginHost
@testable import Readers

/// One thing to fuzz.
enum FuzzTarget: String, CaseIterable, Sendable {
    // Readers, through the registry as a run reads a file (format forced, so every input reaches the reader).
    case txt, md, html, jsonl, json, csv, docx, eml, mbox
    /// The PDF reader after pdftotext: page layout, running lines, paragraphs.
    case pdfText = "pdf-text"
    /// Format detection and the encoding detector, as for a file with no extension.
    case detect
    /// The JSON parser, and its writer: what it parses must write and parse back to the same value.
    case jsonParser = "json-parser"
    /// The CSV parser, with a separator taken from the input.
    case csvParser = "csv-parser"
    /// The selection-expression parser (`--select`): what it parses must print and parse back the same.
    case selection
    /// The Lua value bridge: JSON values into Lua and back, any bytes as a string and back.
    case luaValues = "lua-values"
    /// Any bytes as a sandboxed Lua chunk under small limits, its results converted to Swift.
    case luaChunk = "lua-chunk"

    /// The folders (from the repository's root) whose files seed this target; `make fuzz` adds the
    /// target's regression inputs (Fuzz/Regressions/NAME) and, for Lua, ../shared/lua-testes when present.
    var seeds: [String] {
        let fixtures = "Tests/ReadersTests/Fixtures"
        switch self {
        case .txt, .detect: return ["\(fixtures)/encodings", "Samples"]
        case .md: return ["\(fixtures)/md"]
        case .html: return ["\(fixtures)/html"]
        case .jsonl, .json, .jsonParser: return ["\(fixtures)/records", "Tests/Gold"]
        case .csv, .csvParser: return ["\(fixtures)/records"]
        case .docx: return ["\(fixtures)/docx"]
        case .eml, .mbox: return ["\(fixtures)/email"]
        case .pdfText: return ["Fuzz/Seeds/pdf-text"]
        case .selection: return ["Fuzz/Seeds/selection"]
        case .luaValues: return ["\(fixtures)/records"]
        case .luaChunk: return ["Plugins"]
        }
    }

    func run(_ bytes: [UInt8]) {
        switch self {
        case .txt: Harness.read(bytes, .txt)
        case .md: Harness.read(bytes, .md)
        case .html: Harness.read(bytes, .html)
        case .jsonl: Harness.read(bytes, .jsonl)
        case .json: Harness.read(bytes, .json)
        case .csv: Harness.read(bytes, .csv)
        case .docx: Harness.read(bytes, .docx)
        case .eml: Harness.read(bytes, .eml)
        case .mbox: Harness.read(bytes, .mbox)
        case .pdfText: Harness.pdfText(bytes)
        case .detect: Harness.read(bytes, nil)
        case .jsonParser: Harness.jsonParser(bytes)
        case .csvParser: Harness.csvParser(bytes)
        case .selection: Harness.selection(bytes)
        case .luaValues: Harness.luaValues(bytes)
        case .luaChunk: Harness.luaChunk(bytes)
        }
    }
}

/// The work of each target.
enum Harness {
    // MARK: Readers

    static func read(_ bytes: [UInt8], _ format: DocumentFormat?) {
        // A PDF goes to pdftotext, a process per input: the pdf-text target fuzzes what parses its output.
        if format == nil, FormatDetector.detect(bytes, fileName: "").format == .pdf { return }
        let registry = ReaderRegistry(options: ReaderOptions(format: format, toolTimeout: 5))
        registry.read(bytes: bytes, id: "fuzz", path: "fuzz", fileName: "") { result in
            guard case .document(let document) = result else { return }
            Self.checkDocument(document)
        }
    }

    static func pdfText(_ bytes: [UInt8]) {
        let document = PDFReader.document(
            layoutText: bytes, id: "fuzz", path: "fuzz", metadata: Metadata(), warnings: [])
        Self.checkDocument(document)
    }

    /// What every document read must satisfy: blocks, sentences and tokens lie inside the text (UTF-8
    /// offsets), tokens in order; the document encodes as JSON.
    static func checkDocument(_ document: Document) {
        let length = UInt32(document.text.utf8.count)
        for block in document.blocks.blocks {
            precondition(block.range.start <= block.range.end && block.range.end <= length, "a block outside the text")
        }
        var previous: UInt32 = 0
        let tokens = document.tokens
        for i in tokens.starts.indices {
            precondition(tokens.starts[i] >= previous && tokens.starts[i] < tokens.ends[i], "tokens out of order")
            precondition(tokens.ends[i] <= length, "a token outside the text")
            previous = tokens.ends[i]
        }
        for i in 0..<document.sentences.count {
            let range = document.sentences.range(i)
            precondition(range.end <= length, "a sentence outside the text")
        }
        _ = document.jsonBytes()
    }

    // MARK: Parsers

    static func jsonParser(_ bytes: [UInt8]) {
        guard let value = try? JSONParser.parse(bytes: bytes) else { return }
        var writer = JSONWriter()
        writer.value(value)
        guard let again = try? JSONParser.parse(bytes: writer.bytes) else {
            preconditionFailure("the writer's output does not parse: \(writer.string.prefix(200))")
        }
        var second = JSONWriter()
        second.value(again)
        precondition(second.bytes == writer.bytes, "writing is not stable: \(writer.string.prefix(200))")
    }

    static func csvParser(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let separator: [UInt8] = [[UInt8(ascii: ",")], [UInt8(ascii: ";")], [9], Array("¦".utf8)][Int(first % 4)]
        let rows = (try? CSVParser.rows(Array(bytes.dropFirst()), separator: separator)) ?? []
        var line = 0
        for row in rows {
            precondition(row.line > line, "rows out of order")
            line = row.line
        }
    }

    static func selection(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let expression = try? PluginSelection.parse(text) else { return }
        let printed = expression.description
        guard let again = try? PluginSelection.parse(printed) else {
            preconditionFailure("'\(printed)' (printed from '\(text)') does not parse")
        }
        precondition(again.description == printed, "'\(printed)' prints back as '\(again.description)'")
    }

    // MARK: Lua

    static func fuzzVM() -> LuaVM? {
        var configuration = LuaVM.Configuration()
        configuration.instructionLimit = 200_000
        configuration.timeout = 2
        configuration.memoryLimit = 64 << 20
        configuration.patternSubjectLimit = 1 << 20
        return try? LuaVM(configuration)
    }

    static func luaValues(_ bytes: [UInt8]) {
        guard let vm = Self.fuzzVM(), let identity = try? vm.load("return ...", chunkName: "identity") else { return }
        // Any bytes are a Lua string and come back unchanged.
        let raw: LuaValue = String(validating: bytes, as: UTF8.self).map { .string($0) } ?? .bytes(bytes)
        guard let back = try? vm.call(identity, [raw]) else { preconditionFailure("a string did not cross") }
        precondition(back == [raw], "a string changed on its way through Lua")
        // JSON-like values cross both ways; what comes back converts to JSON again.
        guard let json = try? JSONParser.parse(bytes: bytes) else { return }
        let value = JSONBridge.lua(json)
        guard let results = try? vm.call(identity, [value]) else { return }
        for result in results { _ = try? JSONBridge.json(result) }
    }

    static func luaChunk(_ bytes: [UInt8]) {
        guard let vm = Self.fuzzVM() else { return }
        vm.printHandler = { _, _ in }
        _ = try? vm.run(bytes: bytes, chunkName: "fuzz.lua")
    }
}
