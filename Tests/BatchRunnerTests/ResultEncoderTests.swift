// ResultEncoder: the fast path (`encoded`, written straight from the outcome) against the general
// path (`line(for:)`, built as values, then encoded) on many generated documents — unicode,
// escapes, empty values, nested features, annotations, records, plugins named twice — byte for byte.
import DocumentModel
import QuarryTestSupport
import Testing

@testable import BatchRunner
@testable import PluginHost

@Suite struct ResultEncoderTests {
    /// Strings that test escaping and code-point offsets.
    static let pieces = [
        "", "a", "Zoë", "naïve", "日本語", "𝔘𝔫𝔦", "👩🏽‍🚀", "e\u{301}", "\"", "\\", "/", "\n", "\r\n", "\t", "\u{0}", "\u{1}",
        "\u{1F}",
        "\u{7F}", "\u{2028}", "\u{2029}", "\u{FEFF}", "\u{FFFD}", "<script>", "&amp;", " ", "text with spaces", "null",
        "0",
    ]

    struct Generator {
        var random: SeededGenerator

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }

        mutating func string(maxPieces: Int = 4) -> String {
            (0..<int(0...maxPieces)).map { _ in ResultEncoderTests.pieces.randomElement(using: &random)! }.joined()
        }

        mutating func value(depth: Int = 0) -> JSONValue {
            switch int(0...(depth < 3 ? 8 : 5)) {
            case 0: return .null
            case 1: return .bool(chance(0.5))
            case 2:
                return .int(
                    [0, -1, 1, 42, Int.max, Int.min, int(-1_000_000...1_000_000)].randomElement(using: &random)!)
            case 3:
                return .double(
                    [0.5, -0.25, 1e-7, 3.14159, 1e21, 123456.789, -0.0, Double(int(-999...999)) / 8].randomElement(
                        using: &random)!)
            case 4, 5: return .string(string())
            case 6: return .array((0..<int(0...3)).map { _ in value(depth: depth + 1) })
            default: return .object(object(depth: depth + 1))
            }
        }

        mutating func object(depth: Int = 0) -> JSONObject {
            var o = JSONObject()
            for _ in 0..<int(0...4) { o[string(maxPieces: 2)] = value(depth: depth) }
            return o
        }

        /// A UTF-8 offset on a scalar boundary of `text`.
        mutating func boundary(in text: String) -> Int {
            var offsets = [0]
            for scalar in text.unicodeScalars { offsets.append(offsets.last! + String(scalar).utf8.count) }
            return offsets.randomElement(using: &random)!
        }

        mutating func outcome() -> ProcessOutcome {
            let text = (0..<int(0...12)).map { _ in string(maxPieces: 3) }.joined(separator: " ")
            var document = Document(
                id: chance(0.1) ? "" : string(maxPieces: 3), path: string(), format: chance(0.5) ? "txt" : string(),
                text: text)
            if chance(0.7) { document.metadata.sha256 = chance(0.1) ? "" : "ab12" + string(maxPieces: 1) }
            if chance(0.5) { document.metadata.title = string() }
            if chance(0.3) { document.warnings = (0..<int(1...3)).map { _ in string(maxPieces: 2) } }
            document.features = object()
            document.scores = chance(0.5) ? JSONObject() : ["score": value(), string(maxPieces: 1): .double(0.125)]
            for _ in 0..<int(0...6) {
                let a = boundary(in: text), b = boundary(in: text)
                _ = document.annotations.add(
                    layer: chance(0.2) ? "" : string(maxPieces: 2), type: string(maxPieces: 2),
                    range: TextRange(min(a, b), max(a, b)),
                    features: chance(0.4) ? JSONObject() : object())
            }
            let names = ["alpha", "beta", "ünïcode", "", "with \"quote\""]
            var statuses: [(plugin: String, status: PluginStatus)] = []
            for _ in 0..<int(0...5) {
                statuses.append(
                    (
                        names.randomElement(using: &random)!,
                        [.ok, .skipped, .notApplicable].randomElement(using: &random)!
                    ))
            }
            var records: [String: [UInt8]] = [:]
            for (plugin, _) in statuses where chance(0.6) {
                var w = JSONWriter()
                w.value(.array((0..<int(0...3)).map { _ in value() }))
                records[plugin] = w.bytes
            }
            if chance(0.2) { records["not-in-the-run"] = Array("[1]".utf8) }
            return ProcessOutcome(
                document: document, statuses: statuses, failures: [], encodedRecords: records, seconds: [:])
        }
    }

    @Test(arguments: 0..<8)
    func theFastPathWritesTheSameBytesAsTheGeneralPath(seed: UInt64) {
        var generator = Generator(random: SeededGenerator(seed: seed))
        for n in 0..<250 {
            let outcome = generator.outcome()
            let fast = ResultEncoder.encoded(outcome)
            let general = EncodedLine(ResultEncoder.line(for: outcome))
            #expect(
                fast.bytes == general.bytes,
                "seed \(seed), case \(n): \(String(decoding: fast.bytes, as: UTF8.self)) vs \(String(decoding: general.bytes, as: UTF8.self))"
            )
            #expect(fast.errorBytes == general.errorBytes)
            #expect(fast.status == general.status)
            #expect(fast.warnings == general.warnings, "seed \(seed), case \(n)")
            #expect(fast.records.map(\.plugin) == general.records.map(\.plugin), "seed \(seed), case \(n)")
            #expect(fast.records.map(\.json) == general.records.map(\.json), "seed \(seed), case \(n)")
            #expect(fast.recordsMember == general.recordsMember, "seed \(seed), case \(n)")
            if let member = fast.recordsMember {
                #expect(Array(fast.bytes[member].prefix(11)) == Array(#","records":"#.utf8))
                #expect(fast.bytes[member].last == 0x7D)
            }
            if fast.bytes != general.bytes { return }
        }
    }

    @Test func aDocumentWithFailuresTakesTheGeneralPath() {
        var generator = Generator(random: SeededGenerator(seed: 99))
        var outcome = generator.outcome()
        outcome.failures = [
            PluginFailure(
                plugin: "alpha", phase: .process, kind: .lua(.runtime), message: "bad \"thing\"\n", location: "a.lua:3")
        ]
        let line = ResultEncoder.encoded(outcome)
        #expect(line.status == .failed)
        #expect(line.bytes == ResultEncoder.bytes(ResultEncoder.line(for: outcome)))
        #expect(
            String(decoding: line.errorBytes, as: UTF8.self).contains(
                #""message":"bad \"thing\"\n","location":"a.lua:3""#))
    }

    @Test func anEmptyDocument() {
        let outcome = ProcessOutcome(
            document: Document(id: "", text: ""), statuses: [], failures: [], encodedRecords: [:], seconds: [:])
        #expect(
            String(decoding: ResultEncoder.encoded(outcome).bytes, as: UTF8.self)
                == #"{"id":"","path":"","format":"txt","sha256":null,"status":"ok","plugins":{},"features":{},"scores":{},"annotations":[],"records":{},"errors":[]}"#
                + "\n")
        #expect(ResultEncoder.encoded(outcome).bytes == ResultEncoder.bytes(ResultEncoder.line(for: outcome)))
    }
}
