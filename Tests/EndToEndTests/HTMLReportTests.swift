// End-to-end: the html-report plugin's pages loaded in a real browser (headless Chromium from Debian,
// `Scripts/install-deps.sh`): counts against results.jsonl, every annotation in its document's page,
// layer toggles, screenshots that are not blank, no network URLs, escaped data, large and failed runs.
import Foundation
import QuarryTestSupport
import Testing

private let root = TestSupport.repositoryRoot
private let pluginsFolder = root.appendingPathComponent("Plugins").path
private let corpus = root.appendingPathComponent("../shared/corpus/reuters21578.jsonl")

/// Headless Chromium, when installed.
enum Browser {
    static let executable: URL? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/lib/chromium/chromium"]
        .map { URL(fileURLWithPath: $0) }.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    static var available: Bool { executable != nil }
    static let missing = "chromium is not installed (Scripts/install-deps.sh installs it): browser tests skipped"

    static func arguments(_ extra: [String]) -> [String] {
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=" + FileManager.default.temporaryDirectory.appendingPathComponent("quarry-chromium").path,
        ]
            + extra
    }

    /// The DOM after the page's scripts ran.
    static func dom(_ file: URL, fragment: String = "") throws -> String {
        let r = try TestSupport.run(
            executable!, arguments(["--virtual-time-budget=3000", "--dump-dom", file.absoluteString + fragment]),
            timeout: 120)
        #expect(r.status == 0, "chromium failed on \(file.path): \(r.stderr.suffix(600))")
        return r.stdout
    }

    /// A screenshot at a window size; its pixel statistics.
    static func screenshot(_ file: URL, width: Int, height: Int) throws -> PixelStatistics {
        let png = try TestSupport.temporaryFolder().appendingPathComponent("shot.png")
        let r = try TestSupport.run(
            executable!,
            arguments([
                "--hide-scrollbars", "--screenshot=" + png.path, "--window-size=\(width),\(height)",
                file.absoluteString,
            ]),
            timeout: 120)
        #expect(r.status == 0, "chromium could not take a screenshot of \(file.path): \(r.stderr.suffix(600))")
        return try PixelStatistics(png: png)
    }
}

/// How varied a PNG's pixels are, decoded by python3 (zlib), when it is there.
struct PixelStatistics {
    var width = 0, height = 0
    /// Distinct colours, and the share of pixels that differ from the most common one (the background).
    var colours = 0
    var inked = 0.0

    init(png: URL) throws {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        let script = """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            pos, idat, w, h = 8, b'', 0, 0
            while pos < len(data):
                n, kind = struct.unpack('>I4s', data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + n]
                if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
                if kind == b'IDAT': idat += body
                pos += 12 + n
            raw = zlib.decompress(idat)
            bpp = {2: 3, 6: 4}[ctype]
            stride = w * bpp
            prev, counts, i = bytearray(stride), {}, 0
            for y in range(h):
                f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0
                    b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
                    if f == 1: line[x] = (line[x] + a) & 255
                    elif f == 2: line[x] = (line[x] + b) & 255
                    elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
                    elif f == 4:
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                for x in range(0, stride, bpp * 4):
                    key = bytes(line[x:x + 3]); counts[key] = counts.get(key, 0) + 1
                prev = line
            total = sum(counts.values())
            print(w, h, len(counts), 1 - max(counts.values()) / total)
            """
        let r = try TestSupport.run(python, ["-c", script, png.path], timeout: 300)
        guard r.status == 0 else {
            // Without python3: the file is a PNG of a real size, and not tiny (a blank page compresses to little).
            let data = try Data(contentsOf: png)
            #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]) && data.count > 4000, "screenshot \(png.path)")
            colours = 2
            inked = 0.05
            return
        }
        let parts = r.stdout.split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        width = Int(parts[0]) ?? 0
        height = Int(parts[1]) ?? 0
        colours = Int(parts[2]) ?? 0
        inked = Double(parts[3]) ?? 0
    }
}

/// The html-report records of results.jsonl, one a document.
private func reportRecords(_ out: URL) throws -> [[String: Any]] {
    let text = try String(contentsOf: out.appendingPathComponent("results.jsonl"), encoding: .utf8)
    return try text.split(separator: "\n").compactMap { line in
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let records = object["records"] as? [String: Any]
        guard var record = (records?["html-report"] as? [[String: Any]])?.first else { return nil }
        // the annotations travel as JSON text (one string a document)
        if let text = record["annotations"] as? String {
            record["annotations"] = try JSONSerialization.jsonObject(with: Data(text.utf8))
        }
        return record
    }
}

private func count(_ text: String, _ needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

/// The value of the element with this id, e.g. `<dd id="n-documents">24</dd>`.
private func figure(_ dom: String, _ id: String) -> Int? {
    guard let start = dom.range(of: "id=\"\(id)\">") else { return nil }
    return Int(dom[start.upperBound...].prefix { $0.isNumber })
}

private func run(_ paths: [String], _ extra: [String], expect status: Int32 = 0) throws -> URL {
    let out = try TestSupport.temporaryFolder().appendingPathComponent("out")
    // html-report is not in the default set yet (its finish is too slow for a large corpus)
    let select = extra.contains("--select") ? [] : ["--select", "default or html-report"]
    let r = try TestSupport.quarry(
        ["run"] + paths + ["--out", out.path, "--quiet", "--jobs", "2"] + select + extra, timeout: 900)
    #expect(r.status == status, "quarry run: \(r.stderr.suffix(2000))")
    return out
}

/// Every report file: none names an http(s) URL as a src or href.
private func networkURLs(in report: URL) throws -> [String] {
    var found: [String] = []
    let files = FileManager.default.enumerator(at: report, includingPropertiesForKeys: nil)!
    for case let file as URL in files where ["html", "css", "js"].contains(file.pathExtension) {
        let text = try String(contentsOf: file, encoding: .utf8)
        for pattern in ["src=\"http", "href=\"http", "src='http", "href='http", "url(http", "@import"]
        where text.contains(pattern) {
            found.append("\(file.lastPathComponent): \(pattern)")
        }
    }
    return found
}

/// The opening tags of a page's annotation marks (`<mark data-type="TYPE" data-a="N"...>`), in page order.
private func markTags(_ dom: String) -> [Substring] {
    dom.components(separatedBy: "<mark data-type=\"").dropFirst().map { $0.prefix { $0 != ">" } }
}

/// Checks one document's page against its record: every annotation's first part, with its type.
private func checkDocumentPage(_ dom: String, record: [String: Any]) {
    let annotations = record["annotations"] as? [[Any]] ?? []
    // the first part of each mark in the page (the first with its number): its number → its type
    var firsts: [Int: String] = [:]
    for tag in markTags(dom) {
        let type = String(tag.prefix { $0 != "\"" })
        guard let at = tag.range(of: "data-a=\"") else { continue }
        if let n = Int(tag[at.upperBound...].prefix { $0.isNumber }), firsts[n] == nil { firsts[n] = type }
    }
    #expect(firsts.count == annotations.count, "\(record["id"] ?? "")")
    for (n, a) in annotations.enumerated() {
        let type = (a[2] as? String ?? "").replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
        guard firsts[n + 1] == type else {
            Issue.record("annotation \(n + 1) (\(type)) of \(record["id"] ?? "") is not in the page")
            return
        }
    }
}

@Suite(.serialized, .enabled(if: Browser.available, .init(rawValue: Browser.missing)))
struct HTMLReportTests {
    @Test func theSamplesInABrowser() throws {
        let lists = root.appendingPathComponent("Scripts/samples/lists").path
        let out = try run(
            [root.appendingPathComponent("Samples").path],
            [
                "--plugins", pluginsFolder, "--allow-read", lists, "--set", "entities.lists=vessaria.tsv",
                "--set", "entities.aliases=aliases.tsv",
            ])
        let report = out.appendingPathComponent("report")
        let records = try reportRecords(out)
        #expect(records.count == 24)

        let index = try Browser.dom(report.appendingPathComponent("index.html"))
        #expect(figure(index, "n-documents") == records.count)
        #expect(figure(index, "n-pages") == records.count)
        let annotations = records.reduce(0) { $0 + (($1["annotations"] as? [Any])?.count ?? 0) }
        #expect(figure(index, "n-annotations") == annotations)
        let quotes = records.reduce(0) { $0 + (($1["quotes"] as? [Any])?.count ?? 0) }
        #expect(figure(index, "n-quotes") == quotes)
        #expect(index.contains("class=\"q-chart q-network\""))
        #expect(!index.contains("No document reached this report"))

        // the first document's page: every annotation, the toggles, a layer hidden from the address
        let page = report.appendingPathComponent("docs/d00001.html")
        let document = try Browser.dom(page)
        checkDocumentPage(document, record: records[0])
        // report.js lets the first part of each annotation take the focus
        let tabbable = markTags(document).filter { $0.contains("tabindex=\"0\"") }.count
        #expect(tabbable == (records[0]["annotations"] as? [Any])?.count)
        #expect(document.contains("id=\"tog-PERSON\""))
        #expect(!document.contains("class=\"document hide-PERSON\""))
        let hidden = try Browser.dom(page, fragment: "#hide=PERSON")
        #expect(hidden.contains("<body class=\"document hide-PERSON\""), "report.js hides the layer")
        #expect(hidden.contains("id=\"tog-PERSON\" aria-checked=\"false\""))
        let people = { (dom: String) in markTags(dom).filter { $0.hasPrefix("PERSON\"") } }
        #expect(!people(document).isEmpty)
        #expect(people(hidden).filter { $0.contains("class=\"off\"") }.count == people(document).count)
        let css = try String(contentsOf: report.appendingPathComponent("assets/report.css"), encoding: .utf8)
        #expect(
            css.contains(
                "body.hide-PERSON mark[data-type=\"PERSON\"], body:has(#tog-PERSON:not(:checked)) mark[data-type=\"PERSON\"]"
            ))
        // every page of a document in the run
        for (n, record) in records.enumerated().dropFirst() {
            let html = try String(
                contentsOf: report.appendingPathComponent(String(format: "docs/d%05d.html", n + 1)), encoding: .utf8)
            checkDocumentPage(html, record: record)
        }

        // an entity page, reached from the dashboard's first bar
        let link = try #require(index.range(of: "<a href=\"entities/")).upperBound
        let file = String(index[link...].prefix { $0 != "\"" })
        let entity = try Browser.dom(report.appendingPathComponent("entities/" + file))
        #expect(entity.contains("<h2 id=\"h-kwic\">"))
        #expect(count(entity, "<td class=\"match\">") > 0)
        #expect(entity.contains("../docs/d0"))

        // the search finds a document by an entity
        let search = try Browser.dom(report.appendingPathComponent("search.html"), fragment: "#q=tovik")
        #expect(search.contains("of 24 documents"))
        #expect(count(search, "<li><a href=\"docs/d") > 0)

        // screenshots at desktop and phone widths are pictures, not blank pages
        for (width, height) in [(1280, 900), (390, 844)] {
            for file in ["index.html", "docs/d00001.html"] {
                let stats = try Browser.screenshot(report.appendingPathComponent(file), width: width, height: height)
                #expect(stats.colours > 8 && stats.inked > 0.02, "\(file) at \(width)×\(height): \(stats)")
            }
        }
        #expect(try networkURLs(in: report) == [])
    }

    @Test func dataCannotInjectMarkup() throws {
        let evil = "<script>document.title='pwned'</script> & \\\"q\\\" </div> it's"
        let records = """
            {"id": "evil", "title": "\(evil)", "text": "Mayor Ines Varga said: \\u201c\(evil) stays.\\u201d Varga left Tovik."}
            {"id": "rtl", "title": "שלום עולם", "text": "השר דוד כהן אמר ביום שני. مرحبا بالعالم. Zq\\u0307x d\\u0323\\u0307 entered Tovik."}

            """
        let folder = try TestSupport.folder(with: ["docs.jsonl": records])
        let out = try run([folder.appendingPathComponent("docs.jsonl").path], ["--plugins", pluginsFolder])
        let report = out.appendingPathComponent("report")
        for file in ["index.html", "docs/d00001.html", "docs/list-1.html"] {
            let dom = try Browser.dom(report.appendingPathComponent(file))
            #expect(!dom.contains("<title>pwned</title>"), "\(file): a script from the data ran")
            #expect(!dom.contains("<script>document"), "\(file)")
            #expect(count(dom, "<script") == count(dom, "<script src=\""), "\(file): only the report's own scripts")
        }
        let page = try Browser.dom(report.appendingPathComponent("docs/d00001.html"))
        #expect(page.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt; &amp; \"q\" &lt;/div&gt; it's"))
        checkDocumentPage(page, record: try reportRecords(out)[0])
        let rtl = try Browser.dom(report.appendingPathComponent("docs/d00002.html"))
        #expect(rtl.contains("<h1 dir=\"auto\">שלום עולם</h1>"))
        #expect(rtl.contains("مرحبا بالعالم") && rtl.contains("Zq\u{307}x d\u{323}\u{307}"))
        // the search index cannot end its script early
        let index = try String(contentsOf: report.appendingPathComponent("assets/index-1.js"), encoding: .utf8)
        #expect(!index.contains("</script"))
    }

    @Test func fiftyThousandAnnotationsInOneDocument() throws {
        // html-report copied with one requirement: a plugin that marks every word (and every pair of words,
        // crossing the next pair) of a 25,000-word text
        let plugins = try TestSupport.temporaryFolder()
        let copy = plugins.appendingPathComponent("html-report")
        try FileManager.default.copyItem(atPath: pluginsFolder + "/html-report", toPath: copy.path)
        let initFile = copy.appendingPathComponent("init.lua")
        let source = try String(contentsOf: initFile, encoding: .utf8).replacingOccurrences(
            of: "requires = {\"entities\", \"quotes\", \"dates\", \"figures\", \"tone\"}",
            with: "requires = {\"marks\"}")
        #expect(source.contains("requires = {\"marks\"}"))
        try source.write(to: initFile, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: plugins.appendingPathComponent("marks"), withIntermediateDirectories: true)
        try """
        return {name = "marks", version = "1.0.0", kind = "extract", description = "every word",
          process = function(doc)
            local words = {}
            for t in doc.tokens:each{kind = "word"} do words[#words + 1] = t:copy() end
            for i, t in ipairs(words) do
              doc:annotate("WORD", t)
              if i % 2 == 0 then doc:annotate("PAIR", {words[i - 1].start, (words[i + 1] or t).stop}) end
            end
          end}
        """.write(to: plugins.appendingPathComponent("marks/init.lua"), atomically: true, encoding: .utf8)
        let text = (1...25_000).map { "w\($0)" }.joined(separator: " ")
        let folder = try TestSupport.folder(with: ["big.txt": text])
        let out = try run(
            [folder.appendingPathComponent("big.txt").path],
            ["--plugins", plugins.path, "--select", "marks or html-report"])
        let record = try #require(try reportRecords(out).first)
        #expect((record["annotations"] as? [Any])?.count == 37_500)
        let page = try Browser.dom(out.appendingPathComponent("report/docs/d00001.html"))
        checkDocumentPage(page, record: record)
    }

    @Test func aRunWhereEveryDocumentFailed() throws {
        let folder = try TestSupport.folder(with: ["a.docx": "not a zip", "b.pdf": "not a pdf"])
        let out = try run([folder.path], ["--plugins", pluginsFolder], expect: 1)
        let index = try Browser.dom(out.appendingPathComponent("report/index.html"))
        #expect(index.contains("No document reached this report"))
        #expect(figure(index, "n-documents") == 0)
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus.path), "no corpus at ../shared/corpus"))
    func aSliceOfTheCorpus() throws {
        let lines = try String(contentsOf: corpus, encoding: .utf8).split(separator: "\n").prefix(2_000)
        let folder = try TestSupport.folder(with: ["slice.jsonl": lines.joined(separator: "\n") + "\n"])
        // finish renders some 6,000 pages in one call: more than the default 60 s a call in a debug build
        let out = try run(
            [folder.appendingPathComponent("slice.jsonl").path], ["--plugins", pluginsFolder, "--timeout", "900"])
        let report = out.appendingPathComponent("report")
        let records = try reportRecords(out)
        #expect(records.count == 2_000)
        let index = try Browser.dom(report.appendingPathComponent("index.html"))
        #expect(figure(index, "n-documents") == 2_000)
        let annotations = records.reduce(0) { $0 + (($1["annotations"] as? [Any])?.count ?? 0) }
        #expect(figure(index, "n-annotations") == annotations)
        for n in [1, 1_000, 2_000] {
            let dom = try Browser.dom(report.appendingPathComponent(String(format: "docs/d%05d.html", n)))
            checkDocumentPage(dom, record: records[n - 1])
        }
        let size = try FileManager.default.attributesOfItem(atPath: report.appendingPathComponent("index.html").path)
        #expect((size[.size] as? Int ?? 0) < 2_000_000)
        let stats = try Browser.screenshot(report.appendingPathComponent("index.html"), width: 390, height: 844)
        #expect(stats.colours > 8 && stats.inked > 0.02, "\(stats)")
        #expect(try networkURLs(in: report) == [])
    }
}
