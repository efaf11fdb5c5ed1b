// End-to-end: the built `quarry` reads every encoding fixture (Tests/ReadersTests/Fixtures/encodings) to
// its UTF-8 source, and names the file in its warnings about a guessed, mixed or misdeclared encoding.
import Foundation
import QuarryTestSupport
import Testing

private let encodings = TestSupport.repositoryRoot.appendingPathComponent("Tests/ReadersTests/Fixtures/encodings")

@Suite struct EncodingEndToEndTests {
    @Test func inspectReadsEveryEncodedFixtureAsItsSource() throws {
        let r = try TestSupport.quarry(["inspect", "--json", encodings.appendingPathComponent("encoded").path])
        #expect(r.status == 0, "\(r.stderr)")
        let docs = r.stdout.split(separator: "\n")
        #expect(docs.count >= 40)
        for line in docs {
            let doc = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let meta = try #require(doc["metadata"] as? [String: Any])
            let file = ((meta["source_path"] as? String ?? "") as NSString).lastPathComponent
            let text = file.split(separator: ".").first.map(String.init) ?? ""
            let source = try String(
                contentsOf: encodings.appendingPathComponent("source/\(text).txt"), encoding: .utf8)
            #expect(doc["text"] as? String == source, "\(file)")
            #expect(r.stderr.contains("\(file): not UTF-8"), "\(file)")
        }
    }

    @Test func evalPrintsTheTextOfAMixedFileAndWarnsNamingIt() throws {
        let folder = try TestSupport.temporaryFolder()
        let file = folder.appendingPathComponent("mixed-notes.txt")
        var bytes = Array("Zoë’s notes — written in UTF-8.\n".utf8)
        bytes += [0x43, 0x72, 0xE8, 0x6D, 0x65, 0x20, 0x62, 0x72, 0xFB, 0x6C, 0xE9, 0x65, 0x0A]  // Crème brûlée (1252)
        try Data(bytes).write(to: file)
        let r = try TestSupport.quarry(["eval", "-r", "return doc.text", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.trimmingCharacters(in: .newlines) == "Zoë’s notes — written in UTF-8.\nCrème brûlée")
        let inspect = try TestSupport.quarry(["inspect", file.path])
        #expect(
            inspect.stderr.contains(
                "mixed-notes.txt: mixed encodings: 1 line (the first is line 2) not UTF-8, read as windows-1252"))
    }

    @Test func inspectWarnsAboutAPageWhoseCharsetIsWrong() throws {
        let folder = try TestSupport.folder(with: [
            "latin1-declared.html":
                "<html><head><meta charset=\"iso-8859-1\"><title>Menu</title></head><body><p>Crème brûlée for Zoë.</p></body></html>"
        ])
        let page = folder.appendingPathComponent("latin1-declared.html")
        let r = try TestSupport.quarry(["eval", "-r", "return doc.text", "--html-main", "off", page.path])
        #expect(r.stdout.trimmingCharacters(in: .newlines) == "Crème brûlée for Zoë.")
        let inspect = try TestSupport.quarry(["inspect", page.path])
        #expect(
            inspect.stderr.contains(
                "latin1-declared.html: declares charset iso-8859-1 but its bytes are UTF-8; read as UTF-8"))
    }
}
