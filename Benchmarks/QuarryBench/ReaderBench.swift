// Reader throughput per format (MB/s, one core) on the ReadersTests fixtures replicated to a few MB;
// HTML with main-content extraction next to a plain tag-strip baseline of the same pages, and on the real
// pages of ../shared/html-dev when they are there.
import DocumentModel
import Foundation
import Readers

private let readerFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/ReadersTests/Fixtures")

private func fixtureBytes(_ name: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: readerFixtures.appendingPathComponent(name)))
}

/// Strips tags and collapses white space: the least any HTML reader must do.
private func tagStrip(_ page: [UInt8]) -> Int {
    var out: [UInt8] = []
    out.reserveCapacity(page.count / 2)
    var inTag = false
    var space = false
    for b in page {
        if b == UInt8(ascii: "<") { inTag = true; continue }
        if b == UInt8(ascii: ">") { inTag = false; space = true; continue }
        if inTag { continue }
        if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D { space = true; continue }
        if space && !out.isEmpty { out.append(0x20) }
        space = false
        out.append(b)
    }
    return out.count
}

/// Reads every input once through the registry; returns the number of documents.
private func readAll(_ inputs: [(name: String, bytes: [UInt8])], _ registry: ReaderRegistry) -> Int {
    var documents = 0
    for input in inputs {
        registry.read(bytes: input.bytes, id: input.name, path: input.name, fileName: input.name) { result in
            if case .document = result { documents += 1 }
        }
    }
    return documents
}

/// Replicates files until their total reaches `target` bytes.
private func replicate(_ files: [(String, [UInt8])], target: Int) -> [(name: String, bytes: [UInt8])] {
    var out: [(name: String, bytes: [UInt8])] = []
    var total = 0
    var i = 0
    while total < target && !files.isEmpty {
        let f = files[i % files.count]
        out.append((f.0, f.1))
        total += f.1.count
        i += 1
    }
    return out
}

/// Concatenates records of a file (after its header line, for CSV) until it reaches `target` bytes.
private func grow(_ bytes: [UInt8], target: Int, header: Bool) -> [UInt8] {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    var out: [UInt8] = []
    if header { out.append(contentsOf: lines.removeFirst()); out.append(0x0A) }
    let body = Array(lines.joined(separator: [0x0A])) + [0x0A]
    while out.count < target { out.append(contentsOf: body) }
    return out
}

func benchReaders() throws {
    heading("Readers: throughput per format (one core, fixtures replicated; MB/s of input)")
    let registry = ReaderRegistry()
    let mb = 1_048_576.0

    func measure(
        _ label: String, _ inputs: [(name: String, bytes: [UInt8])], repeats: Int = 3, note: String = "",
        registry: ReaderRegistry = ReaderRegistry()
    ) -> Double {
        let bytes = inputs.reduce(0) { $0 + $1.bytes.count }
        var docs = 0
        let t = best(repeats) { docs = readAll(inputs, registry) }
        let rate = Double(bytes) / mb / t
        row(
            label, "\(format(rate)) MB/s",
            "\(format(Double(bytes) / mb)) MB, \(docs) documents\(note.isEmpty ? "" : "; " + note)")
        return rate
    }

    // HTML: main content on and off, against a tag strip of the same pages.
    let pages = try [
        "harbor-gazette", "valley-courier", "metro-wire", "coastal-times", "science-desk", "northern-ledger",
    ]
    .map { ("\($0).html", try fixtureBytes("html/\($0).html")) }
    let html = replicate(pages, target: 4 << 20)
    let htmlBytes = html.reduce(0) { $0 + $1.bytes.count }
    let main = measure("html, main-content extraction", html, note: "target >= 10 MB/s")
    _ = measure(
        "html, whole page (--html-main=off)", html,
        registry: ReaderRegistry(options: ReaderOptions(htmlMainContent: false)))
    var stripped = 0
    let tStrip = best(3) { stripped = html.reduce(0) { $0 + tagStrip($1.bytes) } }
    let stripRate = Double(htmlBytes) / mb / tStrip
    row(
        "html baseline: plain tag strip", "\(format(stripRate)) MB/s",
        "\(stripped) bytes of text; extraction is \(format(stripRate / main))x slower")

    // Real pages: ../shared/html-dev (beside the repository), read from there, never copied.
    let devPages = readerFixtures.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/html-dev/pages").standardizedFileURL
    if let names = try? FileManager.default.contentsOfDirectory(atPath: devPages.path) {
        let real: [(name: String, bytes: [UInt8])] = names.sorted().compactMap { name in
            let file = devPages.appendingPathComponent(name).appendingPathComponent("source.html")
            return (try? Data(contentsOf: file)).map { (name + ".html", [UInt8]($0)) }
        }
        let realMain = measure(
            "html-dev pages, main-content extraction", real, note: "\(real.count) real pages; target >= 10 MB/s")
        _ = measure(
            "html-dev pages, whole page (--html-main=off)", real,
            registry: ReaderRegistry(options: ReaderOptions(htmlMainContent: false)))
        row("html-dev main content against the target", "\(format(realMain / 10, 2))x", "of 10 MB/s")
    } else {
        row("html-dev pages", "skipped", "no pages at \(devPages.path)")
    }

    // Plain text in legacy code pages: detection (libuchardet, then the scores when it is doubtful) and
    // transcoding, on the encoding fixtures (short and long texts, 11 encodings).
    let encoded = try FileManager.default.contentsOfDirectory(
        atPath: readerFixtures.appendingPathComponent("encodings/encoded").path
    ).sorted().map { ($0, try fixtureBytes("encodings/encoded/\($0)")) }
    _ = measure(
        "txt, legacy code pages (detection)", replicate(encoded, target: 2 << 20),
        note: "\(encoded.count) fixtures, 0.2-1.3 KB each")
    let utf8Texts = try FileManager.default.contentsOfDirectory(
        atPath: readerFixtures.appendingPathComponent("encodings/source").path
    ).sorted().map { ($0, try fixtureBytes("encodings/source/\($0)")) }
    _ = measure("txt, the same texts in UTF-8", replicate(utf8Texts, target: 2 << 20))

    // Other formats.
    let markdown = try fixtureBytes("md/field-notes.md")
    _ = measure("md (cmark-gfm)", replicate([("notes.md", markdown)], target: 2 << 20))
    let jsonl = grow(try fixtureBytes("records/wire.jsonl"), target: 4 << 20, header: false)
    _ = measure("jsonl (bad lines included)", [("wire.jsonl", jsonl)], repeats: 2)
    let csv = grow(try fixtureBytes("records/letters.csv"), target: 2 << 20, header: true)
    _ = measure("csv", [("letters.csv", csv)], repeats: 2)
    let eml = try fixtureBytes("email/flood-copy.eml")
    _ = measure("eml (multipart, base64 attachment)", replicate([("flood.eml", eml)], target: 2 << 20))
    let docx = try fixtureBytes("docx/ferry-review.docx")
    _ = measure("docx (unzip + XML)", replicate([("review.docx", docx)], target: 1 << 20))
    let pdf = try fixtureBytes("pdf/harbour-report.pdf")
    _ = measure(
        "pdf (pdftotext + pdfinfo subprocesses)", replicate([("report.pdf", pdf)], target: 64 << 10), repeats: 1,
        note: "dominated by process start-up")
    _ = registry
}
