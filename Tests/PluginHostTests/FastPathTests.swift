// Each fast path of the Lua API against its general path, on generated inputs: span fields served in C
// against the model, records parsed in C (qp_append_json_records) against the JSON parser, and CSV keyed
// rows written straight from Lua tables against the general rows-to-records path.
import DocumentModel
import Foundation
import LuaBridge
import LuaShim
@testable import PluginHost
import QuarryTestSupport
import Testing
import TextAnalysis

/// The seeded generator with the draws these tests use.
struct Generator {
    var rng: SeededGenerator

    init(state: UInt64) { rng = SeededGenerator(seed: state) }

    mutating func next() -> UInt64 { rng.next() }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    mutating func chance(_ percent: Int) -> Bool { int(1...100) <= percent }
}

enum Generated {
    static let words = [
        "harbour", "Strike", "UNION", "talks", "well-known", "don't", "O'Brien", "café", "Zürich", "naïve", "B2B",
        "4.2bn", "1,000", "10:30", "U.S.", "e.g.", "Mr.", "the", "of", "ÉLAN", "Łódź", "日本", "x", "I",
        "DON\u{2019}T", "well\u{2013}known", "https://Example.COM/A", "Ann@Example.org",
        "Supercalifragilisticexpialidocious-Antidisestablishmentarianism-Floccinaucinihilipilification",
    ]

    /// Plain text: paragraphs of sentences with words, numbers, punctuation and quotations.
    static func text(_ g: inout Generator) -> String {
        var paragraphs: [String] = []
        for _ in 0..<g.int(1...4) {
            var sentences: [String] = []
            for _ in 0..<g.int(1...4) {
                var words: [String] = []
                for _ in 0..<g.int(1...12) { words.append(g.pick(Self.words)) }
                var sentence = words.joined(separator: g.chance(10) ? ", " : " ")
                if g.chance(30) { sentence = "\u{201C}" + sentence + ",\u{201D} she said" }
                if g.chance(15) { sentence = "\"" + sentence + "\"" }
                sentences.append(sentence + g.pick([".", "!", "?", "...", ""]))
            }
            paragraphs.append(sentences.joined(separator: " "))
        }
        return paragraphs.joined(separator: g.chance(50) ? "\n\n" : "\n")
    }

    /// A JSON value of the kinds records hold, with strings that need escaping.
    static func value(_ g: inout Generator, depth: Int = 0) -> JSONValue {
        switch g.int(0...(depth > 3 ? 4 : 6)) {
        case 0: return .null
        case 1: return .bool(g.chance(50))
        case 2: return .int(g.pick([0, -1, 7, Int.max, Int.min, 1_000_000_007, g.int(-99999...99999)]))
        case 3: return .double(g.pick([0.5, -2.5e-3, 1e300, 3.25, -0.0, Double(g.int(-1000...1000)) / 8]))
        case 4:
            let pieces = [
                "plain", "quote \"q\"", "back\\slash", "line\nbreak", "tab\t", "caf\u{E9}", "\u{1F600}", "\u{01}", "/",
                "",
            ]
            return .string((0..<g.int(0...3)).map { _ in g.pick(pieces) }.joined())
        case 5: return .array((0..<g.int(0...4)).map { _ in value(&g, depth: depth + 1) })
        default:
            var object = JSONObject()
            for k in 0..<g.int(0...4) {
                object[g.pick(["a", "name", "k\(k)", "speaker", "text"])] = value(&g, depth: depth + 1)
            }
            return .object(object)
        }
    }
}

@Suite struct FastPathTests {
    /// Every field C serves on spans (`text`, `start`, `stop`, `kind`, `level`, the token flags, a token's
    /// `norm` when it is short and ASCII) read from
    /// Lua equals what the model says, for every token, sentence, block and quotation of generated texts.
    @Test func spanFieldsServedInCAgreeWithTheModel() throws {
        var g = Generator(state: 20261204)
        let dump = """
            local out = {tokens = {}, sentences = {}, blocks = {}, quotes = {}}
            for i, t in ipairs(doc.tokens) do
              out.tokens[i] = {t.text, t.start, t.stop, t.kind, t.capitalized, t.all_caps, t.has_digit,
                               t.hyphenated, t.has_apostrophe, t.abbreviation, t.non_ascii, t.title_case, t.norm}
            end
            for i, s in ipairs(doc.sentences) do out.sentences[i] = {s.text, s.start, s.stop} end
            for i, b in ipairs(doc.blocks) do out.blocks[i] = {b.text, b.start, b.stop, b.kind, b.level} end
            for i, q in ipairs(doc.quotes) do out.quotes[i] = {q.text, q.start, q.stop} end
            return quarry.json.encode(out)
            """
        let session = try ScriptSession(configuration: LuaVM.Configuration(), name: "fast-path", folder: nil)
        let snippet = try session.compileSnippet(dump, chunkName: "dump")
        for round in 0..<60 {
            let text = Generated.text(&g)
            let document = try Analyzer.analyze(text: text, id: "gen-\(round)")
            _ = try session.bind(document)
            guard case .string(let json)? = try session.runWithDocument(snippet).first,
                case .object(let out) = try JSONParser.parse(json)
            else {
                Issue.record("no dump for \(text.debugDescription)")
                return
            }
            func range(_ r: TextRange) -> [JSONValue] {
                [.string(document.text(of: r)), .int(Int(r.start) + 1), .int(Int(r.end))]
            }
            let tokens = document.tokens
            var expected: [JSONValue] = []
            for i in 0..<tokens.count {
                let flags = tokens.flags[i]
                let names: [TokenFlags] = [
                    .capitalized, .allCaps, .hasDigit, .hyphenated, .hasApostrophe, .abbreviation,
                    .nonASCII, .titleCase,
                ]
                expected.append(
                    .array(
                        range(tokens.range(i)) + [.string(tokens.kinds[i].description)]
                            + names.map { .bool(flags.contains($0)) } + [.string(document.norm(ofToken: i))]))
            }
            #expect(out["tokens"] == .array(expected), "tokens of \(text.debugDescription)")
            let sentences = (0..<document.sentences.count).map { JSONValue.array(range(document.sentences.range($0))) }
            #expect(out["sentences"] == .array(sentences), "sentences of \(text.debugDescription)")
            let blocks = document.blocks.blocks.map {
                JSONValue.array(range($0.range) + [.string($0.kind.description), .int(Int($0.level))])
            }
            #expect(out["blocks"] == .array(blocks), "blocks of \(text.debugDescription)")
            let quotes = document.quotations.map { JSONValue.array(range($0.outer)) }
            #expect(out["quotes"] == .array(quotes), "quotes of \(text.debugDescription)")
        }
        #expect(session.vm.stackTop == 0)
    }

    /// What the runner writes for finish (chunks of compact JSON) reaches finish as the parsed values do,
    /// and the C reader takes every chunk the runner's writer makes (no silent fall-back).
    @Test func recordChunksParsedInCAgreeWithTheJSONParser() throws {
        var g = Generator(state: 7)
        var chunks: [[UInt8]] = []
        var values: [JSONValue] = []
        let vm = try LuaVM()
        for _ in 0..<40 {
            // records are never null (ctx:emit takes a value): a null item would end the Lua list
            let items = (0..<g.int(0...6)).map { _ in Generated.value(&g) }.filter { $0 != .null }
            var w = JSONWriter()
            w.value(.array(items))
            chunks.append(w.bytes)
            values += items
            // taken by the C reader itself
            let top = vm.stackTop
            _ = try RecordList.reference(in: vm) {
                try RecordList.push(chunks: [], of: "probe", in: vm)
                #expect(
                    RecordList.appendFast(w.bytes, to: vm.stackTop, after: 0, vm.rawState) == lua_Integer(items.count),
                    "C reader refused \(w.string)")
            }
            #expect(vm.stackTop == top)
        }
        func dump(_ finish: (PluginSet) -> [PluginFailure]) throws -> String {
            let output = try TestSupport.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: output) }
            let set = try PluginFixtures.set(["records-dump"], settings: PluginSet.Settings(outputFolder: output.path))
            let failures = finish(set)
            #expect(failures.isEmpty, "\(failures)")
            return try String(contentsOf: output.appendingPathComponent("records.json"), encoding: .utf8)
        }
        let fromChunks = try dump { $0.finish(recordChunks: ["records-dump": chunks]) }
        let fromValues = try dump { $0.finish(records: ["records-dump": values]) }
        #expect(fromChunks == fromValues)
        #expect(fromChunks.count > 1000, "the generated records are not trivial: \(fromChunks)")
    }

    /// A script session with the general path of an API function as the global `name`.
    private func sessionWithGeneralPath(
        _ name: String, _ general: @escaping (QuarryRuntime, LuaCall) throws -> Int32
    ) throws -> ScriptSession {
        let session = try ScriptSession(configuration: LuaVM.Configuration(), name: "fast-path", folder: nil)
        let function = session.vm.function(name) { call in try general(session.runtime, call) }
        try session.environment.set(name, function)
        return session
    }

    /// `quarry.csv.encode` of keyed rows with named columns (written straight from the Lua tables) gives
    /// the bytes of the general path, for generated rows of strings, numbers, booleans and gaps.
    @Test func csvKeyedRowsAgreeWithTheGeneralPath() throws {
        let session = try sessionWithGeneralPath("general_encode") { runtime, call in
            try runtime.csvEncode(call, fastPath: false)
        }
        let script = """
            math.randomseed(42)
            local pieces = {"plain", "a,b", 'say "hi"', "two\\nlines", "cr\\rhere", "caf\\195\\169", "", " padded ", "\\255bad"}
            local columns = {"name", "n", "x", "flag", "note"}
            local differ, taken = {}, 0
            for round = 1, 200 do
              local rows = {}
              for r = 1, math.random(1, 8) do
                local row = {}
                for _, c in ipairs(columns) do
                  local k = math.random(1, 7)
                  if k == 1 then row[c] = pieces[math.random(#pieces)] .. pieces[math.random(#pieces)]
                  elseif k == 2 then row[c] = math.random(-1000, 1000)
                  elseif k == 3 then row[c] = math.random() * 1000
                  elseif k == 4 then row[c] = math.random(1, 4) * 1.0
                  elseif k == 5 then row[c] = math.random(0, 1) == 1
                  elseif k == 6 then row[c] = 2^53
                  end -- k == 7: missing
                end
                rows[#rows + 1] = row
              end
              local fast, slow = quarry.csv.encode(rows, columns), general_encode(rows, columns)
              if fast ~= slow then differ[#differ + 1] = {fast = fast, slow = slow} end
              taken = taken + 1
            end
            return #differ, taken, differ[1] and quarry.json.encode(differ[1]) or ""
            """
        let results = try session.vm.run(script, chunkName: "csv-rows", environment: session.environment)
        #expect(results.first == .int(0), "first difference: \(results.count > 2 ? results[2] : .nil)")
        #expect(results.count > 1 && results[1] == .int(200))
    }

    /// `quarry.html.escape` on a string's bytes gives what the general path gives, for generated text
    /// with and without the five characters, in ASCII, in other UTF-8, and not UTF-8 (handed on).
    @Test func htmlEscapeOnBytesAgreesWithTheGeneralPath() throws {
        let session = try sessionWithGeneralPath("general_escape") { runtime, call in
            try runtime.htmlEscape(call, fastPath: false)
        }
        let script = """
            math.randomseed(7)
            local pieces = {"plain", "&", "<", ">", '"', "'", "&amp;", "caf\\195\\169", "\\255", "", " ", "x<y>z", "it's"}
            local differ, taken, same = 0, 0, 0
            for round = 1, 2000 do
              local parts = {}
              for i = 1, math.random(0, 12) do parts[#parts + 1] = pieces[math.random(#pieces)] end
              local s = table.concat(parts)
              local fast, slow = quarry.html.escape(s), general_escape(s)
              if fast ~= slow then differ = differ + 1 end
              -- Mustache's {{x}} escapes the same way
              if quarry.template.render("<{{x}}>", {x = s}) ~= "<" .. slow .. ">" then differ = differ + 1 end
              if fast == s then same = same + 1 end
              taken = taken + 1
            end
            return differ, taken, same, quarry.html.escape(12), quarry.html.escape(1.5)
            """
        let results = try session.vm.run(script, chunkName: "html-escape", environment: session.environment)
        #expect(results.first == .int(0))
        #expect(results.count > 2 && results[1] == .int(2000))
        // some strings have nothing to escape and come back as they are
        if case .int(let same) = results[2] { #expect(same > 50 && same < 2000) } else { Issue.record("\(results)") }
        #expect(Array(results.dropFirst(3)) == [.string("12"), .string("1.5")])
    }

    /// `ctx:emit`'s direct writer (`JSONBridge.write`) gives the bytes of reading the value and writing
    /// it the general way, for generated values pushed as Lua tables.
    @Test func emittedRecordsWrittenDirectlyAgreeWithTheGeneralConversion() throws {
        var g = Generator(state: 99)
        let vm = try LuaVM()
        let L = vm.rawState
        var direct = 0
        for _ in 0..<500 {
            let value = Generated.value(&g)
            JSONBridge.push(L, value)
            defer { lua_settop(L, 0) }
            var fast = JSONWriter()
            guard JSONBridge.write(L, -1, into: &fast) else { continue }  // left to the general path
            direct += 1
            var general = JSONWriter()
            general.value(try JSONBridge.read(L, -1, path: "record"))
            #expect(fast.string == general.string, "\(value)")
        }
        #expect(direct > 300, "most generated values take the direct writer (\(direct) of 500)")
        #expect(vm.stackTop == 0)
    }
}
