// `--metadata FILE` end to end through the built binary: a CSV keyed by path and JSON Lines keyed by id
// give plain-text documents a date (so `dates` resolves "on Monday"), a title and any field a plugin reads
// from doc.meta; `--resume` recomputes when the file changes; and bad input — unknown ids (listed, not
// fatal), duplicate ids (both lines named), a bad date (a warning naming the line; the document stays
// undated), a missing key column, a missing file.
import DocumentModel
import Foundation
import QuarryTestSupport
import Testing

@Suite struct MetadataTests {
    static let plugins = TestSupport.repositoryRoot.appendingPathComponent("Plugins").path

    /// A plugin that copies doc.meta.source and doc.meta.title into features.
    static let reader = """
        return {name = "meta-reader", process = function(doc)
          doc:set("source", doc.meta.source)
          doc:set("title", doc.meta.title)
        end}
        """

    func project() throws -> URL {
        try TestSupport.folder(with: [
            "news/a.txt": "The strike began on Monday. Talks failed yesterday.\n",
            "news/b.txt": "Nothing happened last week.\n",
            "mine/meta-reader.lua": Self.reader,
        ])
    }

    func run(_ folder: URL, _ arguments: [String]) throws -> ProcessResult {
        try TestSupport.run(
            TestSupport.quarryBinary,
            [
                "run", "news", "--plugins", Self.plugins, "--plugins", "mine", "--select", "dates or meta-reader",
                "--jobs", "2",
            ] + arguments, currentDirectory: folder, timeout: 120)
    }

    func results(_ folder: URL, _ out: String = "quarry-out") throws -> [String: JSONObject] {
        let text = try String(contentsOf: folder.appendingPathComponent("\(out)/results.jsonl"), encoding: .utf8)
        var byID: [String: JSONObject] = [:]
        for line in text.split(separator: "\n") {
            guard case .object(let object) = try JSONParser.parse(String(line)), let id = object["id"]?.stringValue
            else { continue }
            byID[id] = object
        }
        return byID
    }

    func features(_ object: JSONObject?) -> JSONObject {
        if case .object(let f)? = object?["features"] { return f }
        return JSONObject()
    }

    @Test func aCSVByPathDatesPlainTextAndGivesPluginsItsFields() throws {
        let folder = try project()
        try Data(
            "path,date,title,source\nnews/a.txt,2024-03-06,Strike,Herald\nnews/b.txt,2024-13-45,,Gazette\nnews/gone.txt,2024-01-01,,\n"
                .utf8
        ).write(to: folder.appendingPathComponent("meta.csv"))
        let result = try run(folder, ["--metadata", "meta.csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stderr.contains(
                "meta.csv:3: '2024-13-45' is not a date such as 2024-03-18; the document stays undated"))
        #expect(result.stderr.contains("--metadata: 1 of 3 rows of meta.csv match no document read: 'news/gone.txt'"))
        let byID = try results(folder)
        let a = features(byID["a.txt"])
        #expect(a["dates"] == .array([.string("2024-03-04"), .string("2024-03-05")]))
        #expect(a["source"] == .string("Herald"))
        #expect(a["title"] == .string("Strike"))
        let b = features(byID["b.txt"])
        #expect(b["source"] == .string("Gazette"))
        #expect(b["dates"] == .array([]))

        // A changed metadata file: --resume recomputes rather than keep results made with the old one.
        try Data("path,date\nnews/a.txt,2024-03-13\n".utf8).write(to: folder.appendingPathComponent("meta.csv"))
        let resumed = try run(folder, ["--metadata", "meta.csv", "--resume"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(
            resumed.stderr.contains("or the reading options (--metadata…) changed since the run there; recomputing"))
        #expect(
            features(try results(folder)["a.txt"])["dates"] == .array([.string("2024-03-11"), .string("2024-03-12")]))
    }

    @Test func jsonLinesByIDWorkForRecordsToo() throws {
        let folder = try TestSupport.folder(with: [
            "news/wire.jsonl": """
            {"id": "w1", "text": "Prices rose on Friday."}
            {"id": "w2", "text": "Prices fell the next day."}

            """,
            "mine/meta-reader.lua": Self.reader,
        ])
        try Data(
            "{\"id\": \"w1\", \"date\": \"1987-03-02\", \"source\": \"Wire\"}\n{\"id\": \"w2\", \"date\": \"1987-03-04T10:00:00Z\"}\n"
                .utf8
        ).write(to: folder.appendingPathComponent("meta.jsonl"))
        let result = try run(folder, ["--metadata", "meta.jsonl", "--id-field", "id"])
        #expect(result.status == 0, "\(result.stderr)")
        let byID = try results(folder)
        #expect(features(byID["w1"])["dates"] == .array([.string("1987-02-27")]))
        #expect(features(byID["w1"])["source"] == .string("Wire"))
        #expect(features(byID["w2"])["dates"] == .array([.string("1987-03-05")]))
    }

    @Test func badMetadataFilesAreRefusedNamingTheFileAndLine() throws {
        let folder = try project()
        func refused(_ name: String, _ contents: String, _ message: String) throws {
            try Data(contents.utf8).write(to: folder.appendingPathComponent(name))
            let result = try run(folder, ["--metadata", name, "--force"])
            #expect(result.status == 2, "\(name): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(name): \(result.stderr)")
        }
        try refused(
            "dup.csv", "id,date\nx,2024-01-01\ny,2024-01-02\nx,2024-01-03\n",
            "--metadata: dup.csv:4: 'x' is also on line 2; one row per document")
        try refused(
            "nokey.csv", "name,date\nx,2024-01-01\n",
            "nokey.csv:1: the header has no `id` or `path` column (it has: name, date)")
        try refused("bad.jsonl", "{\"id\": \"x\"}\n[1, 2]\n", "bad.jsonl:2: a line must be a JSON object")
        try refused("nokey.jsonl", "{\"date\": \"2024-01-01\"}\n", "nokey.jsonl:1: the row has no `id` or `path`")
        try refused("wide.csv", "id,date\nx,2024-01-01,extra\n", "wide.csv:2: 3 fields, the header names 2")
        let missing = try run(folder, ["--metadata", "none.csv", "--force"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("--metadata: none.csv: no such metadata file"))
    }
}
