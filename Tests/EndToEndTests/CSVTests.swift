// One CSV parser: the same bytes give the same rows read as a corpus (`quarry eval ... FILE.csv`, each
// row a document with its columns in doc.meta) and through `quarry.csv.decode` in Lua.
import Foundation
import QuarryTestSupport
import Testing

@Suite struct CSVTests {
    /// A Lua string literal holding exactly these bytes.
    func luaLiteral(_ bytes: [UInt8]) -> String {
        "\"" + bytes.map { "\\\($0)" }.joined() + "\""
    }

    static let files: [String] = [
        "text,a,b\nt,ab\"c,x\n",  // a stray quote is text
        "text,a,b\nt,\"ab\"cd,\"x\"\"y\"\n",  // text after a closing quote; a doubled quote
        "text,a,b\r\nt,\"line1\r\nline2\",z\r\nu,,\r\n",  // CRLF, a line break inside quotes, empty fields
        "text,a,b\nt,Zoë,\"日本, 語\"\nu,\"\",\"\u{2028}\"",  // unicode, no newline at the end
    ]

    @Test(arguments: files)
    func aCorpusAndQuarryCsvDecodeReadTheSameRows(_ csv: String) throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("rows.csv")
        try Data(csv.utf8).write(to: file)
        let code = """
            local rows = quarry.csv.decode(\(luaLiteral(Array(csv.utf8))))
            local row = rows[doc.meta.record]
            return row.a == doc.meta.a and row.b == doc.meta.b and "same" or ("differs: " .. row.a .. "|" .. row.b .. " vs " .. doc.meta.a .. "|" .. doc.meta.b)
            """
        let result = try TestSupport.quarry(["eval", code, file.path])
        #expect(result.status == 0, "\(result.stderr)")
        let answers = result.stdout.split(separator: "\n").filter { !$0.hasPrefix("==") }
        #expect(!answers.isEmpty)
        #expect(answers.allSatisfy { $0 == #""same""# }, "\(result.stdout)")
    }

    @Test func aQuoteNeverClosedFailsOnTheSameLineBothWays() throws {
        let csv = "text,a\nt,ok\nu,\"open\nstill open\n"
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("open.csv")
        try Data(csv.utf8).write(to: file)
        let read = try TestSupport.quarry(["inspect", file.path])
        #expect(read.status == 1)
        #expect(read.stderr.contains("line 3"), "\(read.stderr)")
        #expect(
            read.stderr.contains("unterminated quoted field (the quote opened on line 3 is never closed)"),
            "\(read.stderr)")
        let decoded = try TestSupport.quarry(["eval", "return quarry.csv.decode(\(luaLiteral(Array(csv.utf8))))"])
        #expect(
            decoded.stdout == "nil\n\"CSV line 3: a quoted field is never closed\"\n",
            "\(decoded.stdout)\(decoded.stderr)")
    }
}
