// End-to-end: `quarry inspect --json` on fixtures of every format, through the built binary.
import Foundation
import QuarryTestSupport
import Testing

private let readerFixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/ReadersTests/Fixtures")

private func objects(_ stdout: String) throws -> [[String: Any]] {
    try stdout.split(separator: "\n").map {
        try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
}

@Suite struct InspectReadersTests {
    @Test(arguments: [
        ("html/harbor-gazette.html", "html"), ("md/field-notes.md", "md"), ("docx/ferry-review.docx", "docx"),
        ("pdf/harbour-report.pdf", "pdf"), ("email/flood-copy.eml", "eml"),
    ])
    func oneDocumentPerFile(file: String, format: String) throws {
        let r = try TestSupport.quarry(["inspect", "--json", readerFixtures.appendingPathComponent(file).path])
        #expect(r.status == 0, "\(r.stderr)")
        let docs = try objects(r.stdout)
        #expect(docs.count == 1)
        #expect(docs.first?["format"] as? String == format)
        #expect(docs.first?["schema"] as? String == "quarry.document/1")
        let meta = try #require(docs.first?["metadata"] as? [String: Any])
        #expect((meta["sha256"] as? String)?.count == 64)
        #expect(meta["title"] != nil)
        let blocks = try #require(docs.first?["blocks"] as? [[String: Any]])
        #expect(!blocks.isEmpty)
        if format != "eml" { #expect(blocks.allSatisfy { $0["source"] != nil }) }
    }

    @Test func recordsPrintEveryDocumentAndFailAlone() throws {
        let r = try TestSupport.quarry([
            "inspect", "--json", readerFixtures.appendingPathComponent("records/wire.jsonl").path,
        ])
        #expect(r.status == 1)
        let docs = try objects(r.stdout)
        #expect(docs.map { $0["id"] as? String } == ["wire.jsonl#1", "wire.jsonl#2", "wire.jsonl#4"])
        #expect(r.stderr.contains("wire.jsonl: line 3: invalid JSON"))
        let ids = try TestSupport.quarry([
            "inspect", "--json", "--id-field", "id", "--text-field", "title",
            readerFixtures.appendingPathComponent("records/wire.jsonl").path,
        ])
        #expect(try objects(ids.stdout).map { $0["id"] as? String } == ["w-101", "w-102"])
    }

    @Test func optionsAndErrors() throws {
        let page = readerFixtures.appendingPathComponent("html/harbor-gazette.html").path
        let off = try TestSupport.quarry(["inspect", "--json", "--html-main", "off", page])
        #expect((try objects(off.stdout).first?["text"] as? String)?.contains("We use cookies") == true)
        let on = try TestSupport.quarry(["inspect", "--json", page])
        #expect((try objects(on.stdout).first?["text"] as? String)?.contains("We use cookies") == false)
        let bad = try TestSupport.quarry(["inspect", "--html-main", "maybe", page])
        #expect(bad.status == 2)
        let badFormat = try TestSupport.quarry(["inspect", "--format", "xls", page])
        #expect(badFormat.status == 2)
        let forced = try TestSupport.quarry(["inspect", "--json", "--format", "txt", page])
        #expect(try objects(forced.stdout).first?["format"] as? String == "txt")
        let zip = try TestSupport.quarry([
            "inspect", readerFixtures.appendingPathComponent("docx/not-a-docx.docx").path,
        ])
        #expect(zip.status == 1)
        #expect(zip.stderr.contains("not-a-docx.docx: a ZIP archive without word/document.xml"))
        let missing = try TestSupport.quarry(["inspect", "/nonexistent/file.html"])
        #expect(missing.status == 2)
        let stdin = try TestSupport.quarry(
            ["inspect", "--json", "-"],
            stdin: "<!doctype html><html><body><p>From standard input, a page.</p></body></html>")
        #expect(try objects(stdin.stdout).first?["format"] as? String == "html")
    }

    @Test func wideRecordsAndDeepNestingStayLinear() throws {
        // 40,000 columns: the header's names, a record's fields and its metadata are built without a search
        // per key (each was quadratic: seconds per row); the error for a missing text column lists 20 names.
        let header = (0..<40_000).map { "c\($0)" }.joined(separator: ",")
        let row = (0..<40_000).map { String($0 % 10) }.joined(separator: ",")
        // 20,000 nested block quotes: the tree printer caps its indentation (the output was 400 MB).
        let folder = try TestSupport.folder(with: [
            "wide.csv": header + "\n" + row + "\n", "deep.md": String(repeating: "> ", count: 20_000) + "deep\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let wide = folder.appendingPathComponent("wide.csv").path
        let missing = try TestSupport.quarry(["inspect", wide], timeout: 30)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("c18, c19 … (39980 more); use --text-field"), "\(missing.stderr.prefix(300))")
        #expect(missing.stderr.count < 1000)
        let json = try TestSupport.quarry(["inspect", wide, "--text-field", "c0", "--json"], timeout: 30)
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains("\"c39999\":\"9\""))
        let deep = try TestSupport.quarry(["inspect", folder.appendingPathComponent("deep.md").path], timeout: 30)
        #expect(deep.status == 0, "\(deep.stderr)")
        #expect(deep.stdout.contains("note: blocks nested deeper than 32 levels"))
        #expect(deep.stdout.contains("(depth 19999)"))
        #expect(deep.stdout.utf8.count < 5_000_000, "\(deep.stdout.utf8.count) bytes")
    }

    @Test func foldersAreWalked() throws {
        let r = try TestSupport.quarry(["inspect", "--json", readerFixtures.appendingPathComponent("md").path])
        #expect(r.status == 0)
        #expect(try objects(r.stdout).map { $0["id"] as? String } == ["field-notes.md"])
    }
}
