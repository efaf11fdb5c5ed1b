// MetadataTable on its own: rows by id and by path (as given, `./`, absolute), the document fields and the
// extra ones, calendar checks of dates, and which keys no document used.
import DocumentModel
import Foundation
import QuarryTestSupport
@testable import Readers
import Testing

@Suite struct MetadataTableTests {
    func table(_ name: String, _ contents: String) throws -> MetadataTable {
        let folder = try TestSupport.folder(with: [name: contents])
        return try MetadataTable.load(folder.appendingPathComponent(name).path)
    }

    @Test func rowsAreFoundByIDOrPathAndSetTheDocumentsFields() throws {
        let t = try table(
            "m.tsv",
            "id\tpath\tdate\ttitle\tauthors\tsource\nw1\t\t2024-02-29\tLeap\tA. Berg; C. Dunn\tWire\n\t./news/b.txt\t\t\t\tHerald\n"
        )
        var doc = Document(id: "w1", path: "wire.jsonl", format: "jsonl", text: "x")
        t.apply(to: &doc)
        #expect(doc.metadata.date == "2024-02-29")
        #expect(doc.metadata.title == "Leap")
        #expect(doc.metadata.authors == ["A. Berg", "C. Dunn"])
        #expect(doc.metadata.extra["source"] == JSONValue.string("Wire"))
        #expect(t.row(id: "b.txt", path: "news/b.txt")?["source"] == .string("Herald"))
        let absolute = FileManager.default.currentDirectoryPath + "/news/b.txt"
        #expect(t.row(id: "zz", path: absolute)?["source"] == .string("Herald"))
        #expect(t.unusedKeys == ["news/b.txt"])
    }

    @Test func datesMustBeOnTheCalendar() {
        #expect(MetadataTable.isDate("2024-02-29"))
        #expect(MetadataTable.isDate("2024-03-18T10:00:00Z"))
        #expect(!MetadataTable.isDate("2023-02-29"))
        #expect(!MetadataTable.isDate("2024-13-45"))
        #expect(!MetadataTable.isDate("18/03/2024"))
        #expect(!MetadataTable.isDate("2024-3-8"))
    }
}
