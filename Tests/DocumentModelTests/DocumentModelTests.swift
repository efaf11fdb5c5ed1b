// Unit tests for the document model: ranges, JSON values and encoding, code-point offsets,
// annotations, the block tree, token columns and the source map.
import Foundation
import Testing
@testable import DocumentModel

@Suite struct TextRangeTests {
    @Test func containsAndOverlaps() {
        let a = TextRange(0, 10), b = TextRange(2, 5), c = TextRange(10, 12)
        #expect(a.contains(b))
        #expect(!b.contains(a))
        #expect(a.overlaps(b))
        #expect(!a.overlaps(c))  // half-open: touching is not overlapping
        #expect(a.overlaps(TextRange(5, 5)))
        #expect(!a.overlaps(TextRange(10, 10)))
        #expect(a.length == 10)
    }

    @Test func documentOrderPutsLongerFirst() {
        let ranges = [TextRange(3, 4), TextRange(0, 2), TextRange(0, 9)]
        #expect(ranges.sorted() == [TextRange(0, 9), TextRange(0, 2), TextRange(3, 4)])
    }
}

@Suite struct JSONTests {
    @Test func escapesStrings() {
        let v: JSONValue = .string("a\"b\\c\nd\te\u{01}f\u{7F}é")
        #expect(v.description == #""a\"b\\c\nd\te\u0001f\u007fé""#)
    }

    @Test func writesIntegersOfEveryMagnitude() {
        for n in [0, 7, 9, 10, 42, -1, -10, 1_000_000, Int.max, Int.min, Int(Int32.min)] {
            var w = JSONWriter()
            w.int(n)
            #expect(w.string == String(n))
        }
        var w = JSONWriter()
        w.int(UInt64.max)
        w.byte(0x2C)
        w.int(Int8(-5))
        #expect(w.string == "18446744073709551615,-5")
    }

    @Test func escapesEveryByteWhereverItFallsInALongString() {
        // Strings long enough for the eight-bytes-at-a-time scan, with one character that needs
        // escaping at every position, against a plain reference escaper.
        func reference(_ s: String) -> String {
            var out: [UInt8] = [0x22]
            for b in s.utf8 {
                switch b {
                case 0x22: out += Array("\\\"".utf8)
                case 0x5C: out += Array("\\\\".utf8)
                case 0x0A: out += Array("\\n".utf8)
                case 0x0D: out += Array("\\r".utf8)
                case 0x09: out += Array("\\t".utf8)
                case 0x08: out += Array("\\b".utf8)
                case 0x0C: out += Array("\\f".utf8)
                case 0..<0x20, 0x7F: out += Array(String(format: "\\u%04x", b).utf8)
                default: out.append(b)
                }
            }
            return String(decoding: out + [0x22], as: UTF8.self)
        }
        let base = "The strike at Saltmere, day 3: é ü “quotes” and more text"
        for special in ["\"", "\\", "\n", "\u{1}", "\u{1F}", "\u{7F}", "\t"] {
            for position in 0...base.count {
                var s = base
                s.insert(contentsOf: special, at: s.index(s.startIndex, offsetBy: position))
                var w = JSONWriter()
                w.string(s)
                #expect(w.string == reference(s), "\(special.debugDescription) at \(position)")
            }
        }
    }

    @Test func objectsKeepInsertionOrder() {
        var o = JSONObject()
        o["z"] = 1
        o["a"] = .array([true, nil, 2.5])
        o["m"] = "x"
        o["z"] = 3  // replaced in place
        #expect(JSONValue.object(o).description == #"{"z":3,"a":[true,null,2.5],"m":"x"}"#)
        o["a"] = nil
        #expect(o.keys == ["z", "m"])
    }

    @Test func anObjectTellsWhereAMemberWasWritten() {
        var o = JSONObject()
        o["id"] = "a"
        o["records"] = .object(["p": .array([["records": 1]])])
        o["errors"] = .array([])
        var w = JSONWriter()
        w.raw("x")
        let range = w.object(o, locating: "records")
        #expect(w.string == #"x{"id":"a","records":{"p":[{"records":1}]},"errors":[]}"#)
        #expect(range.map { String(decoding: w.bytes[$0], as: UTF8.self) } == #""records":{"p":[{"records":1}]}"#)
        var plain = JSONWriter()
        plain.raw("x")
        plain.object(o)
        #expect(plain.bytes == w.bytes, "locating writes the same bytes")
        var missing = JSONWriter()
        #expect(missing.object(o, locating: "p") == nil, "only the object's own members")
    }

    @Test func nonFiniteDoublesBecomeNull() {
        #expect(JSONValue.double(.infinity).description == "null")
        #expect(JSONValue.double(2).description == "2.0")
    }
}

@Suite struct CodePointIndexTests {
    @Test func asciiIsIdentity() {
        let idx = CodePointIndex("hello")
        #expect(idx.isASCII)
        #expect(idx.codePointOffset(3) == 3)
        #expect(idx.codePointCount == 5)
    }

    @Test func multiByteCharacters() {
        // é = 2 bytes, 😀 = 4 bytes, 中 = 3 bytes
        let s = "aé😀中b"
        let idx = CodePointIndex(s)
        #expect(!idx.isASCII)
        #expect(idx.codePointOffset(0) == 0)
        #expect(idx.codePointOffset(1) == 1)  // é
        #expect(idx.codePointOffset(3) == 2)  // 😀
        #expect(idx.codePointOffset(7) == 3)  // 中
        #expect(idx.codePointOffset(10) == 4)  // b
        #expect(idx.codePointOffset(11) == 5)  // end
        #expect(idx.codePointOffset(2) == 1)  // inside é → its start
        #expect(idx.codePointCount == 5)
    }

    @Test func agreesWithStringAcrossCheckpoints() {
        // Long text so that lookups cross many 64-byte checkpoints.
        var s = ""
        for i in 0..<300 { s += ["é", "x", "😀", "中文", " ", "ñandú"][i % 6] }
        let idx = CodePointIndex(s)
        var byte = 0
        var cp = 0
        for scalar in s.unicodeScalars {
            #expect(idx.codePointOffset(byte) == cp)
            byte += String(scalar).utf8.count
            cp += 1
        }
        #expect(idx.codePointOffset(byte) == cp)
        #expect(idx.codePointCount == s.unicodeScalars.count)
    }
}

@Suite struct AnnotationStoreTests {
    func sample() -> AnnotationStore {
        var s = AnnotationStore()
        s.add(layer: "ner", type: "PERSON", range: TextRange(10, 20))
        s.add(layer: "ner", type: "ORG", range: TextRange(0, 5))
        s.add(layer: "quotes", type: "QUOTE", range: TextRange(8, 30))
        s.add(layer: "ner", type: "PERSON", range: TextRange(10, 14))
        s.add(layer: "ner", type: "PLACE", range: TextRange(40, 45))
        return s
    }

    @Test func keepsDocumentOrder() {
        let s = sample()
        #expect(
            s.all.map(\.range) == [
                TextRange(0, 5), TextRange(8, 30), TextRange(10, 20), TextRange(10, 14), TextRange(40, 45),
            ])
        #expect(s.all.map(\.id) == [2, 3, 1, 4, 5])
    }

    @Test func queriesByTypeLayerAndRange() {
        let s = sample()
        #expect(s.query(type: "PERSON").map(\.id) == [1, 4])
        #expect(s.query(layer: "quotes").map(\.id) == [3])
        #expect(s.query(range: TextRange(8, 30), relation: .within).map(\.id) == [3, 1, 4])
        #expect(s.query(range: TextRange(12, 13), relation: .covering).map(\.id) == [3, 1, 4])
        #expect(s.query(range: TextRange(4, 9), relation: .overlapping).map(\.id) == [2, 3])
        #expect(s.query(type: "PERSON", range: TextRange(15, 50), relation: .overlapping).map(\.id) == [1])
    }

    @Test func removes() {
        var s = sample()
        let first = s.remove(id: 3)
        let second = s.remove(id: 3)
        let removed = s.removeAll(layer: "ner")
        #expect(first)
        #expect(!second)
        #expect(removed == 4)
        #expect(s.count == 0)
    }

    @Test func findsAnnotationsByIdThroughInsertsAndRemovals() {
        var s = sample()  // ids 1...5, inserted out of order
        for id in 1...5 { #expect(s.annotation(id: id)?.id == id) }
        #expect(s.annotation(id: 0) == nil)
        #expect(s.annotation(id: 6) == nil)
        #expect(s.annotation(id: -1) == nil)
        let early = s.add(layer: "late", type: "X", range: TextRange(1, 2))  // lands before most of them
        #expect(s.annotation(id: early)?.range == TextRange(1, 2))
        let removed = s.remove(id: 2)
        #expect(removed)
        #expect(s.annotation(id: 2) == nil)
        for id in [1, 3, 4, 5, early] { #expect(s.annotation(id: id)?.id == id, "id \(id) after a removal") }
        let removedLayer = s.removeAll(layer: "ner")
        #expect(removedLayer == 3)
        #expect(s.annotation(id: 1) == nil && s.annotation(id: 4) == nil && s.annotation(id: 5) == nil)
        #expect(s.annotation(id: 3)?.type == "QUOTE")
        #expect(s.annotation(id: early)?.layer == "late")
        let next = s.add(layer: "ner", type: "PERSON", range: TextRange(0, 1))
        #expect(next == early + 1)
        #expect(s.all.map(\.id) == [next, early, 3])
        #expect(s.annotation(id: next)?.range == TextRange(0, 1))
    }

    @Test func equalRangesOrderById() {
        var s = AnnotationStore()
        let a = s.add(layer: "x", type: "T", range: TextRange(1, 3))
        let b = s.add(layer: "x", type: "T", range: TextRange(1, 3))
        #expect(s.all.map(\.id) == [a, b])
    }
}

@Suite struct BlockAndTokenTests {
    @Test func blockTreeChildrenAndLeaves() {
        let tree = BlockTree([
            Block(kind: .heading, level: 1, range: TextRange(0, 5)),
            Block(kind: .list, range: TextRange(7, 20)),
            Block(kind: .item, level: 1, range: TextRange(7, 12), parent: 1),
            Block(kind: .item, level: 1, range: TextRange(13, 20), parent: 1),
        ])
        #expect(tree.children(of: -1) == [0, 1])
        #expect(tree.children(of: 1) == [2, 3])
        #expect(tree.leafIndexes == [0, 2, 3])
        #expect(tree.depth(of: 3) == 1)
        #expect(BlockKind(name: "blockquote") == .blockquote)
    }

    @Test func tokenNormsAreSparse() {
        let text = "Don’t STOP"
        var t = TokenTable()
        t.append(start: 0, end: 7, kind: .word, flags: [.capitalized, .hasApostrophe], norm: "don't")
        t.append(start: 8, end: 12, kind: .word, flags: [.capitalized, .allCaps])
        #expect(t.norm(0, in: text) == "don't")
        #expect(t.norm(1, in: text) == "stop")
        #expect(t.normValues.count == 1)
        #expect(t.parts(0, in: text) == [TextRange(0, 3), TextRange(3, 7)])
        #expect(t.parts(1, in: text) == [TextRange(8, 12)])
    }
}

@Suite struct SourceMapTests {
    @Test func identityWithoutEdits() {
        let text = "ab\ncd"
        let map = SourceMap(originalLineStarts: [0, 3])
        let idx = CodePointIndex(text)
        #expect(map.lineColumn(of: 0, codePoints: idx)! == (1, 1))
        #expect(map.lineColumn(of: 4, codePoints: idx)! == (2, 2))
    }

    @Test func lineColumnAfterRemovedBytes() {
        // original: "a\u{1}b\r\ncd" ; normalized "ab\ncd"
        let map = SourceMap(
            originalLineStarts: [0, 5],
            edits: [
                .init(normalized: 1, original: 2, codePointDelta: 1),
                .init(normalized: 2, original: 4, codePointDelta: 1),
            ])
        let idx = CodePointIndex("ab\ncd")
        #expect(map.originalOffset(1) == 2)
        #expect(map.lineColumn(of: 1, codePoints: idx)! == (1, 3))
        #expect(map.lineColumn(of: 3, codePoints: idx)! == (2, 1))
        #expect(map.lineColumn(of: 4, codePoints: idx)! == (2, 2))
    }

    @Test func blockLocationsWinForStructuredFormats() {
        var doc = Document(id: "d", text: "Hello", blocks: BlockTree([Block(kind: .paragraph, range: TextRange(0, 5))]))
        doc.sourceMap.blockLocations[0] = .elementPath("/html/body/p[1]")
        #expect(doc.sourceLocation(of: 2) == .elementPath("/html/body/p[1]"))
    }
}

@Suite struct DocumentJSONTests {
    @Test func offsetsAreCodePoints() {
        let text = "Café 😀 “ok”"
        var doc = Document(id: "d1", path: "/x.txt", text: text)
        var tokens = TokenTable()
        tokens.append(start: 0, end: 5, kind: .word, flags: [.capitalized])  // Café
        tokens.append(start: 6, end: 10, kind: .symbol, flags: [])  // 😀
        doc.tokens = tokens
        doc.sentences.append(TextRange(0, text.utf8.count), block: 0)
        doc.quotations = [Quotation(outer: TextRange(11, 19), inner: TextRange(14, 16), balanced: true)]
        doc.annotations.add(layer: "t", type: "X", range: TextRange(6, 10), features: ["k": "v"])
        doc.scores["s"] = 0.5
        let json = doc.jsonString()
        #expect(json.hasPrefix(#"{"schema":"quarry.document/1","id":"d1","path":"/x.txt","format":"txt""#))
        #expect(
            json.contains(
                #""tokens":[{"start":0,"end":4,"text":"Café","kind":"word","norm":"café"},{"start":5,"end":6,"text":"😀","kind":"symbol","norm":"😀"}]"#
            ))
        #expect(
            json.contains(
                #""quotes":[{"start":7,"end":11,"text":"“ok”","inner_start":8,"inner_end":10,"balanced":true"#))
        #expect(
            json.contains(
                #""annotations":[{"id":1,"layer":"t","type":"X","start":5,"end":6,"text":"😀","features":{"k":"v"}}]"#))
        #expect(json.contains(#""scores":{"s":0.5}"#))
        #expect(json.contains(#""length":11"#))
    }

    @Test func treeRendering() {
        var doc = Document(
            id: "d", text: "Hi there. Bye.", blocks: BlockTree([Block(kind: .paragraph, range: TextRange(0, 14))]))
        doc.sentences.append(TextRange(0, 9), block: 0)
        doc.sentences.append(TextRange(10, 14), block: 0)
        let tree = doc.renderTree()
        #expect(tree.contains("▸ paragraph [0, 14)"))
        #expect(tree.contains("▸ sentence 1: 0 tokens, 0 quotes  \"Bye.\""))
    }
}

@Suite struct JSONParserTests {
    @Test func integersStayIntegersUntilTheyOverflow() throws {
        #expect(
            try JSONParser.parse("[0, -0, 7, -42, 9223372036854775807, -9223372036854775808]")
                == .array([.int(0), .int(0), .int(7), .int(-42), .int(Int.max), .int(Int.min)]))
        #expect(try JSONParser.parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try JSONParser.parse("-9223372036854775809") == .double(-9223372036854775808.0))
        #expect(
            try JSONParser.parse("[1.5, 2e3, -0.25, 1E-2]")
                == .array([.double(1.5), .double(2000), .double(-0.25), .double(0.01)]))
        #expect(throws: JSONParseError.self) { try JSONParser.parse("-") }
        #expect(throws: JSONParseError.self) { try JSONParser.parse("[1, -]") }
    }

    @Test func stringsWithAndWithoutEscapes() throws {
        #expect(try JSONParser.parse(#""plain text""#) == .string("plain text"))
        #expect(try JSONParser.parse(#""""#) == .string(""))
        #expect(try JSONParser.parse(#""Zürich, “quoted”""#) == .string("Zürich, “quoted”"))
        #expect(try JSONParser.parse(#""a\"b\\c\nd\u00e9\ud83d\ude00e""#) == .string("a\"b\\c\nd\u{e9}\u{1F600}e"))
        #expect(
            try JSONParser.parse(#"{"k\u0041": "v"}"#)
                == .object(JSONObject(distinctKeys: ["kA"], values: [.string("v")])))
        // invalid UTF-8 inside a string is repaired, as String(decoding:) does
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(try JSONParser.parse(bytes: bytes) == .string("a\u{FFFD}b"))
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#""unterminated"#) }
        #expect(throws: JSONParseError.self) { try JSONParser.parse("\"tab\there\"") }
    }
}
