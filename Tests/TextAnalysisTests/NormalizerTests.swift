// Tests for the normalizer: BOM, line ends, control characters, invalid UTF-8, binary data, NFC
// and the source map back to original lines and columns.
import Testing
import DocumentModel
@testable import TextAnalysis

@Suite struct NormalizerTests {
    @Test func dropsBOMAndConvertsLineEnds() throws {
        let n = try Normalizer.normalize([0xEF, 0xBB, 0xBF] + Array("a\r\nb\rc\n".utf8))
        #expect(n.text == "a\nb\nc\n")
        #expect(n.changes["bom"] == 1)
        #expect(n.changes["crlf"] == 1)
        #expect(n.changes["cr"] == 1)
    }

    @Test func removesControlCharactersAndReports() throws {
        let n = try Normalizer.normalize(Array("a\u{01}b\u{7F}c\u{85}d\te".utf8))
        #expect(n.text == "abcd\te")
        #expect(n.changes["control"] == 3)
        #expect(n.warnings.contains("removed 3 control characters"))
    }

    @Test func replacesInvalidUTF8() throws {
        let n = try Normalizer.normalize([0x61, 0xFF, 0x62, 0xC3, 0x28, 0xED, 0xA0, 0x80])
        #expect(n.text.hasPrefix("a\u{FFFD}b\u{FFFD}("))
        #expect(n.changes["invalid_utf8"] == 5)
    }

    @Test func rejectsBinaryData() {
        var bytes: [UInt8] = Array("PK".utf8)
        for i in 0..<600 { bytes.append(UInt8(i % 7 == 0 ? 0 : i % 256)) }
        #expect(throws: TextAnalysisError.self) { _ = try Normalizer.normalize(bytes) }
        #expect(throws: TextAnalysisError.self) { _ = try Analyzer.analyze(bytes: bytes, id: "bin") }
    }

    @Test func appliesNFC() throws {
        let n = try Normalizer.normalize(Array("Cafe\u{301} and re\u{301}sume\u{301}".utf8))
        #expect(Array(n.text.utf8) == Array("Café and résumé".utf8))
        #expect(n.changes["nfc"] == 3)
        // Text already in NFC is untouched.
        let m = try Normalizer.normalize(Array("Café 中文 😀".utf8))
        #expect(m.changes["nfc"] == nil)
    }

    @Test func sourceMapGivesOriginalLineAndColumn() throws {
        // Original: BOM, "ab\r\n", "x\u{1}yz\r\n", "e\u{301}q"
        let original: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("ab\r\nx\u{01}yz\r\ne\u{301}q".utf8)
        let n = try Normalizer.normalize(original)
        #expect(n.text == "ab\nxyz\néq")
        let idx = CodePointIndex(n.text)
        func lc(_ needle: String) -> (Int, Int) {
            let off =
                n.text.utf8.count
                - n.text.split(separator: needle, maxSplits: 1, omittingEmptySubsequences: false)[1].utf8.count
                - needle.utf8.count
            let r = n.sourceMap.lineColumn(of: off, codePoints: idx)!
            return (r.line, r.column)
        }
        #expect(lc("a") == (1, 1))
        #expect(lc("b") == (1, 2))
        #expect(lc("x") == (2, 1))
        #expect(lc("y") == (2, 3))  // after the removed control character
        #expect(lc("z") == (2, 4))
        #expect(lc("q") == (3, 3))  // é was two code points in the original
    }
}
