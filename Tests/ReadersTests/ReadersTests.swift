// Tests of the Readers target: every format's fixture (text, blocks, metadata, source map), the HTML
// main-content quality floors, encodings, detection, the corpus walk, SHA-256, and bad input.
import DocumentModel
import Foundation
import Testing

@testable import Readers

/// The fixtures folder, found from this file's path.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

/// Reads a fixture (or bytes) through the registry.
func read(_ name: String, options: ReaderOptions = ReaderOptions()) -> [ReadResult] {
    let path = fixture(name)
    return ReaderRegistry(options: options).read(CorpusEntry(id: (path as NSString).lastPathComponent, path: path))
}

func readOne(_ name: String, options: ReaderOptions = ReaderOptions()) throws -> Document {
    let results = read(name, options: options)
    #expect(results.count == 1)
    if case .failure(let f)? = results.first { Issue.record("\(f)") }
    return try #require(results.first?.document)
}

func readBytes(_ bytes: [UInt8], name: String, options: ReaderOptions = ReaderOptions()) -> [ReadResult] {
    ReaderRegistry(options: options).read(bytes: bytes, id: name, path: name, fileName: name)
}

func texts(_ doc: Document, _ kind: BlockKind) -> [String] {
    doc.blocks.blocks.filter { $0.kind == kind }.map { doc.text(of: $0.range) }
}

// MARK: - HTML main content

/// Word 4-grams of a text (lower-cased words of letters and digits).
func fourGrams(_ text: String) -> [String: Int] {
    let words = text.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    var grams: [String: Int] = [:]
    if words.count < 4 { return grams }
    for i in 0...(words.count - 4) { grams[words[i..<(i + 4)].joined(separator: " "), default: 0] += 1 }
    return grams
}

@Suite struct HTMLExtractionQuality {
    static let pages = [
        "harbor-gazette", "valley-courier", "northern-ledger", "metro-wire", "coastal-times", "science-desk",
    ]

    @Test(arguments: pages)
    func precisionAndRecallOfWord4Grams(page: String) throws {
        let doc = try readOne("html/\(page).html")
        let expected = try String(contentsOfFile: fixture("html/\(page).expected.txt"), encoding: .utf8)
        let got = fourGrams(doc.text), want = fourGrams(expected)
        var overlap = 0
        for (g, n) in got { overlap += min(n, want[g] ?? 0) }
        let precision = Double(overlap) / Double(max(got.values.reduce(0, +), 1))
        let recall = Double(overlap) / Double(max(want.values.reduce(0, +), 1))
        #expect(precision >= 0.9, "\(page): precision \(precision)")
        #expect(recall >= 0.9, "\(page): recall \(recall)")
    }

    @Test func averageIsHigh() throws {
        var p = 0.0, r = 0.0
        for page in Self.pages {
            let doc = try readOne("html/\(page).html")
            let expected = try String(contentsOfFile: fixture("html/\(page).expected.txt"), encoding: .utf8)
            let got = fourGrams(doc.text), want = fourGrams(expected)
            var overlap = 0
            for (g, n) in got { overlap += min(n, want[g] ?? 0) }
            p += Double(overlap) / Double(max(got.values.reduce(0, +), 1))
            r += Double(overlap) / Double(max(want.values.reduce(0, +), 1))
        }
        #expect(p / Double(Self.pages.count) >= 0.95)
        #expect(r / Double(Self.pages.count) >= 0.95)
    }

    @Test func mainContentOffKeepsEverything() throws {
        let doc = try readOne("html/harbor-gazette.html", options: ReaderOptions(htmlMainContent: false))
        #expect(doc.text.contains("We use cookies"))
        #expect(doc.text.contains("About time. My mooring"))
        #expect(doc.text.contains("Fishermen split"))
        let main = try readOne("html/harbor-gazette.html")
        #expect(!main.text.contains("We use cookies"))
        #expect(!main.text.contains("About time"))
        #expect(!main.text.contains("Most read"))
        #expect(!main.text.contains("Share this article"))
        #expect(!main.text.contains("Refinance your boat"))
    }
}

/// A main-content fixture (Fixtures/html/main/) read with main-content extraction on or off.
private func mainFixture(_ name: String, main: Bool = true) throws -> Document {
    try readOne("html/main/\(name).html", options: ReaderOptions(htmlMainContent: main))
}

@Suite struct MainContentBehaviourTests {
    @Test func furnitureIsRemovedAndTheArticleKept() throws {
        let doc = try mainFixture("furniture")
        for gone in [
            "You might also like", "Bridge tolls", "More stories", "Lifeboat crew", "All rights reserved",
            "newsletter", "Home", "About us",
        ] {
            #expect(!doc.text.contains(gone), "\(gone)")
        }
        let lines = doc.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for label in ["Share", "Close", "Caption"] { #expect(!lines.contains(label), "\(label)") }
        #expect(
            doc.text.components(separatedBy: "The Marlow crossing at dawn").count == 2, "the caption once, not twice")
        #expect(texts(doc, .heading) == ["Ferry timetable cut again as crews run short"])
        #expect(texts(doc, .paragraph).count == 4)
        #expect(doc.warnings.isEmpty, "\(doc.warnings)")
        let whole = try mainFixture("furniture", main: false)
        for kept in ["You might also like", "All rights reserved", "Sport", "Share"] {
            #expect(whole.text.contains(kept), "--html-main off keeps \(kept)")
        }
    }

    @Test func theTextOfInlineLinksIsKept() throws {
        let doc = try mainFixture("furniture")
        // The link's class names it "related", yet its text is part of the sentence.
        #expect(doc.text.contains("to their day. Iris Odell, who chairs the passengers' association"))
        // A sentence that is mostly one link stays; a paragraph that is a list of links goes.
        let html = """
            <html><body><article>
            <p>The first paragraph of the story is long enough to be counted as the article's own text, surely.</p>
            <p>Read <a href="/s">the full statement from the harbour master and the council's reply to it</a>.</p>
            <p><a href="/a">Weather</a> | <a href="/b">Tides</a> | <a href="/c">Traffic</a></p>
            <p>The second paragraph of the story is also long enough to be counted as the article's own text.</p>
            </article></body></html>
            """
        let d = try #require(readBytes(Array(html.utf8), name: "links.html").first?.document)
        #expect(d.text.contains("Read the full statement from the harbour master"))
        #expect(!d.text.contains("Tides"))
    }

    @Test func aGalleryOfManyCaptionsDoesNotBeatTheArticleAroundIt() throws {
        // 24 list items of heading + caption hold more text than the article's three paragraphs; a paragraph
        // in a list item is one entry of many.
        let doc = try mainFixture("gallery-in-article")
        #expect(doc.text.contains("Night buses will run along the coast road again from Monday"))
        #expect(doc.text.contains("would be shared with the hospital trust"))
        let first = try #require(texts(doc, .paragraph).first)
        #expect(first.hasPrefix("Night buses will run"), "\(first)")
        // Ten titled entries or more in a list, under a boilerplate name ("widget"): a gallery, removed.
        #expect(!doc.text.contains("Photograph"))
        #expect(!doc.text.contains("Readers' pictures of the week"))
        #expect(try mainFixture("gallery-in-article", main: false).text.contains("Photograph 24 of the gallery"))
    }

    @Test func anArticleBodyWhoseIdMentionsSharingIsKept() throws {
        // The article spans two containers, so the one holding both is chosen; inside it, the first
        // container's id says "share" but its names also say article and it holds prose: it stays.
        let paragraph = { (n: String) in
            "<p>The \(n) paragraph of the story, about the harbour and the council, is long enough to count.</p>"
        }
        let html = """
            <html><body><div class="page">
            <div class="article-body" id="share-tools-root">\(paragraph("first"))\(paragraph("second"))\(paragraph("third"))</div>
            <div class="story-continued">\(paragraph("fourth"))\(paragraph("fifth"))</div>
            </div></body></html>
            """
        let d = try #require(readBytes(Array(html.utf8), name: "share-id.html").first?.document)
        #expect(texts(d, .paragraph).count == 5)
        #expect(d.text.contains("The first paragraph of the story"))
    }

    @Test func shortArticleNamesMatchWholeWordsOnly() {
        // "text" names an article ("text-wrapper"), not "context-full".
        #expect(MainContentExtractor.nameWeight("text-wrapper") > 0)
        #expect(MainContentExtractor.nameWeight("media-widget context-full") < 0)
    }

    @Test func anArticleInAnUnusualContainerIsFound() throws {
        let doc = try mainFixture("unusual-container")
        #expect(texts(doc, .paragraph).count == 4)
        #expect(doc.text.hasPrefix("The keeper's log for the week of the great storm"))
        #expect(doc.text.hasSuffix("count its barnacles."))
        for gone in ["Index", "Archive", "Privacy", "2023"] { #expect(!doc.text.contains(gone), "\(gone)") }
        #expect(doc.warnings.isEmpty, "\(doc.warnings)")
    }

    @Test(arguments: ["login-wall", "link-list"])
    func aPageWithNoArticleKeepsLittleAndWarns(page: String) throws {
        let doc = try mainFixture(page)
        #expect(doc.text.count < 80, "\(doc.text)")
        for navigation in ["Markets", "Opinion", "Front page", "County", "Council approves", "Terms of use"] {
            #expect(!doc.text.contains(navigation), "\(navigation)")
        }
        #expect(doc.warnings.contains { $0.hasPrefix("main-content extraction found no article") }, "\(doc.warnings)")
        let whole = try mainFixture(page, main: false)
        #expect(whole.text.count > 150)
        #expect(whole.warnings.isEmpty)
    }

    @Test func furnitureLines() {
        for line in ["Close", "Share this article", " Caption ", "Hide caption", "ADVERTISEMENT", "© 2024 The Post"] {
            #expect(PageFurniture.isFurnitureLine(line), "\(line)")
        }
        #expect(PageFurniture.isFurnitureLine("Sign up for our newsletter and get the best stories in your inbox."))
        #expect(PageFurniture.isFurnitureLine("Copyright 2023 Example Media. All rights reserved."))
        for line in [
            "Close to the harbour, the new pontoon opened.", "Share prices fell 3%.",
            "© Provided by a news agency: the minister said on Monday that the budget, which had been delayed twice, would be published in full before the summer recess.",
            "The newsletter, founded in 1990, closed last year.",
        ] {
            #expect(!PageFurniture.isFurnitureLine(line), "\(line)")
        }
        #expect(PageFurniture.isLinkList("Weather | Tides | Traffic", linkShare: 0.8))
        #expect(PageFurniture.isLinkList("Police appeal after a second break-in at the allotments", linkShare: 0.95))
        #expect(
            !PageFurniture.isLinkList(
                "Read the full statement from the harbour master and the council.", linkShare: 0.8))
        #expect(!PageFurniture.isLinkList("Mostly words, one link.", linkShare: 0.2))
        #expect(PageFurniture.key("Share  this — Article!") == "sharethisarticle")
    }

    @Test func theASCIIKeyAgreesWithTheGeneralPath() {
        // Generated ASCII texts (a fixed linear congruential sequence): the fast path equals the Unicode path.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<500 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(state % 40) {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                bytes.append(UInt8(truncatingIfNeeded: (state >> 33) % 0x7F))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(PageFurniture.key(text) == PageFurniture.unicodeKey(text), "\(bytes)")
        }
        #expect(PageFurniture.key("Ça «va» 2") == "çava2")
    }

    @Test func slugIdsAreNotClassHints() {
        #expect(MainContentExtractor.significantNames("section sharing-with-a-single-developer") == "section")
        #expect(MainContentExtractor.significantNames("share-bar top") == "share-bar top")
        #expect(MainContentExtractor.significantNames("menu-item one-two-three-four-five") == "menu-item")
    }
}

@Suite struct HTMLReaderTests {
    @Test func metadataFromMetaOpenGraphAndJSONLD() throws {
        let doc = try readOne("html/harbor-gazette.html")
        #expect(doc.format == "html")
        #expect(doc.metadata.title == "Harbor council approves floating breakwater after three years of delays")
        #expect(doc.metadata.authors == ["Lena Hartmann"])
        #expect(doc.metadata.date == "2024-02-27T21:40:00Z")
        #expect(doc.metadata.url == "https://harbor-gazette.example/local/breakwater-approved")
        #expect(doc.metadata.language == "en-GB")
        #expect(doc.metadata.extra["site_name"] == .string("The Harbor Gazette"))
        #expect(
            doc.metadata.extra["description"]
                == .string("Council votes six to one for a floating breakwater off the north quay."))
        #expect(doc.metadata.sha256?.count == 64)
    }

    @Test func jsonLDArticleFromGraphsListsAndNestedObjects() throws {
        let graph = #"""
            {"@context": "https://schema.org", "@graph": [
              {"@type": "WebSite", "name": "Not an article"},
              {"@type": ["Thing", "NewsArticle"], "headline": "  Floods   reach the delta ",
               "datePublished": "2024-03-01", "dateModified": 20240302, "description": "Water\nrising",
               "mainEntityOfPage": {"@id": "https://example.test/floods"}, "articleSection": "Weather",
               "publisher": {"@type": "Organization", "name": "Delta Post"},
               "author": [{"@type": "Person", "name": "Ana  Ruiz"}, "Ben Ode", {"name": 7}, ["Cy Lee"]]}
            ]}
            """#
        let article = try #require(HTMLReader.jsonLDArticle(["not json at all", "[1, 2]", graph]))
        #expect(article.type == "NewsArticle")
        #expect(article.headline == "Floods reach the delta")
        #expect(article.datePublished == "2024-03-01")
        #expect(article.dateModified == nil, "a number is not a date")
        #expect(article.description == "Water rising")
        #expect(article.url == "https://example.test/floods")
        #expect(article.section == "Weather")
        #expect(article.publisher == "Delta Post")
        #expect(article.authors == ["Ana Ruiz", "Ben Ode", "Cy Lee"])

        let plain = try #require(
            HTMLReader.jsonLDArticle([#"[{"@type": "Report", "name": "Annual report", "url": "u", "publisher": "P"}]"#])
        )
        #expect(plain.headline == "Annual report")
        #expect(plain.url == "u")
        #expect(plain.publisher == nil, "a publisher that is not an object")
        #expect(
            HTMLReader.jsonLDArticle([#"{"@type": ["NewsArticle", 3]}"#]) == nil, "a list of types holds strings only")
        #expect(HTMLReader.jsonLDArticle([#""NewsArticle""#, "{}"]) == nil)
    }

    @Test func blocksAndElementPaths() throws {
        let doc = try readOne("html/harbor-gazette.html")
        #expect(
            texts(doc, .heading) == [
                "Harbor council approves floating breakwater after three years of delays", "Fishermen split",
            ])
        #expect(texts(doc, .caption) == ["The north quay after the February storm, when three moorings broke loose."])
        #expect(texts(doc, .paragraph).count == 6)
        for i in 0..<doc.blocks.count {
            guard case .elementPath(let p)? = doc.sourceMap.blockLocations[i] else {
                Issue.record("block \(i) has no element path"); continue
            }
            #expect(p.hasPrefix("/html/body/"))
        }
        let h1 = try #require(doc.blocks.blocks.firstIndex { $0.kind == .heading })
        #expect(doc.sourceMap.blockLocations[h1] == .elementPath("/html/body/div[2]/article[1]/header[1]/h1[1]"))
        #expect(doc.quotations.count >= 1)
    }

    @Test func tablesListsQuotesAndCode() throws {
        let valley = try readOne("html/valley-courier.html")
        #expect(valley.blocks.blocks.filter { $0.kind == .row }.count == 4)
        #expect(texts(valley, .cell).prefix(3) == ["Variety", "2023 (tonnes)", "2024 (tonnes)"])
        #expect(valley.metadata.authors == ["Priya Ramanathan"])
        let metro = try readOne("html/metro-wire.html")
        #expect(texts(metro, .item).count == 3)
        #expect(metro.metadata.authors == ["Sam Delacroix"])
        #expect(metro.metadata.date == "2024-06-02")
        #expect(metro.metadata.language == "en-US")
        let ledger = try readOne("html/northern-ledger.html")
        #expect(ledger.blocks.blocks.contains { $0.kind == .blockquote })
        #expect(!ledger.text.contains("Read more"))
        let science = try readOne("html/science-desk.html")
        #expect(
            texts(science, .code) == [
                "keep = [r for r in recordings\n        if r.rain_mm_24h < 1.0 and r.flow_db > 35]"
            ])
        #expect(!science.text.contains("Rivers under the road"))
    }

    @Test func legacyEncodingFromMetaCharset() throws {
        let doc = try readOne("html/northern-ledger.html")
        #expect(doc.metadata.encoding == "windows-1252")
        #expect(doc.text.contains("Mill town’s last foundry"))
        #expect(doc.text.contains("Menéndez"))
    }

    @Test func layoutTablesBreaksAndEntities() throws {
        let doc = try readOne("html/coastal-times.html")
        #expect(texts(doc, .paragraph).contains { $0.hasPrefix("Logbooks kept by three generations") })
        #expect(!doc.text.contains("Tide tables"))
        let html =
            "<html><body><p>Fish &amp; chips&nbsp;cost &pound;5<br>each</p><script>var x = 1;</script><style>p{}</style><template><p>hidden</p></template><p hidden>secret</p><p style=\"display: none\">gone</p></body></html>"
        let d = try #require(
            readBytes(Array(html.utf8), name: "x.html", options: ReaderOptions(htmlMainContent: false)).first?.document)
        #expect(d.text == "Fish & chips\u{A0}cost £5\neach")
    }

    @Test(.timeLimit(.minutes(2))) func twoHundredThousandNestedElements() throws {
        // libxml2 reads any depth (XML_PARSE_HUGE); the DOM, the extractor and the emitter never recurse.
        let before = "<p>Before the deep part of the page, a paragraph long enough to be counted as text.</p>"
        let after = "<p>After the deep part of the page, another paragraph long enough to be counted.</p>"
        let html =
            "<html><body>" + before + String(repeating: "<div>", count: 200_000) + "deep text"
            + String(repeating: "</div>", count: 200_000) + after + "</body></html>"
        for main in [true, false] {
            let results = readBytes(Array(html.utf8), name: "deep.html", options: ReaderOptions(htmlMainContent: main))
            #expect(results.count == 1)
            let doc = try #require(results.first?.document)
            #expect(doc.text.contains("Before the deep part"))
            #expect(doc.text.contains("After the deep part"), "nothing after the deep part is lost")
            if !main { #expect(doc.text.contains("deep text")) }
            #expect(doc.warnings.contains { $0.contains("nested 200002 deep") }, "\(doc.warnings)")
        }
    }

    @Test(.timeLimit(.minutes(3))) func hundredMegabyteSingleLinePage() throws {
        // One line of 100 MB: minified script and style, a data attribute, navigation, and an article.
        var page = "<!DOCTYPE html><html><head><title>One line</title><style>"
        page += String(repeating: ".c{color:red}", count: 1_000_000)
        page += "</style></head><body><div class=\"nav\"><a href=\"/\">Home</a> <a href=\"/n\">News</a></div>"
        page += "<div data-state=\"" + String(repeating: "x", count: 30_000_000) + "\"></div><script>"
        page += String(repeating: "var a=1;", count: 7_000_000) + "</script><article>"
        let paragraph =
            "<p>The committee met on a wet Tuesday, and the minutes, which ran to eleven pages, recorded every objection.</p>"
        page += String(repeating: paragraph, count: 20_000) + "</article></body></html>"
        let bytes = Array(page.utf8)
        #expect(bytes.count >= 100_000_000)
        #expect(!bytes.contains(0x0A))
        let registry = ReaderRegistry(options: ReaderOptions(), maxBytes: 200_000_000)
        let results = registry.read(bytes: bytes, id: "line.html", path: "line.html", fileName: "line.html")
        let doc = try #require(results.first?.document)
        #expect(doc.text.hasPrefix("The committee met on a wet Tuesday"))
        #expect(doc.blocks.blocks.filter { $0.kind == .paragraph }.count == 20_000)
        #expect(!doc.text.contains("Home"))
        #expect(!doc.text.contains("var a=1"))
    }

    @Test func truncatedAndEmptyPages() {
        let page = try! String(contentsOfFile: fixture("html/harbor-gazette.html"), encoding: .utf8)
        let truncated = Array(page.utf8.prefix(page.utf8.count / 2))
        let results = readBytes(truncated, name: "cut.html")
        #expect(results.count == 1)
        #expect(results.first?.document?.text.contains("Port Wenham") == true)
        let empty = readBytes(Array("<html></html>".utf8), name: "e.html")
        #expect(empty.count == 1)
    }
}

// MARK: - Markdown

@Suite struct MarkdownReaderTests {
    @Test func blocksFrontMatterAndPositions() throws {
        let doc = try readOne("md/field-notes.md")
        #expect(doc.format == "md")
        #expect(doc.metadata.title == "Field notes from the Orrin estuary survey")
        #expect(doc.metadata.authors == ["Hanna Kivi", "Tomás Ibarra"])
        #expect(doc.metadata.date == "2024-05-11")
        #expect(doc.metadata.language == "en")
        #expect(doc.metadata.extra["tags"] == .array(["estuary", "birds", "survey"]))
        #expect(doc.metadata.extra["draft"] == .bool(false))
        #expect(texts(doc, .heading) == ["Orrin estuary survey", "Species counted"])
        #expect(
            texts(doc, .paragraph).first
                == "The spring count ran over three mornings, starting at the north hide before sunrise. Counts were lower than last year."
        )
        #expect(texts(doc, .cell).count == 9)
        #expect(
            texts(doc, .item) == [
                "Waders on the mudflats", "Curlew roosting at high tide", "Wildfowl on the open water",
            ])
        #expect(texts(doc, .code) == ["count = sum(tally.values())"])
        #expect(doc.blocks.blocks.contains { $0.kind == .blockquote })
        #expect(doc.sourceMap.blockLocations[0] == .lineColumn(line: 12, column: 1))
        let nested = try #require(doc.blocks.blocks.firstIndex { $0.kind == .item && $0.level == 2 })
        #expect(doc.sourceMap.blockLocations[nested] == .lineColumn(line: 25, column: 5))
        #expect(!doc.text.contains("draft"))
    }

    @Test func badFrontMatterAndTruncation() {
        let md = "---\ntitle: [unclosed\n---\n# Heading\n\nText here.\n"
        let doc = readBytes(Array(md.utf8), name: "bad.md").first?.document
        #expect(doc?.warnings.contains { $0.contains("front matter") } == true)
        #expect(doc?.text == "Heading\n\nText here.")
        let cut = Array("# Title\n\n```\nunclosed code".utf8)
        #expect(readBytes(cut, name: "cut.md").first?.document != nil)
    }
}

// MARK: - Records

@Suite struct RecordReaderTests {
    @Test func jsonLinesWithOneBadLine() throws {
        let results = read("records/wire.jsonl")
        #expect(results.count == 4)
        let docs = results.compactMap(\.document)
        #expect(docs.map(\.id) == ["wire.jsonl#1", "wire.jsonl#2", "wire.jsonl#4"])
        #expect(docs[0].metadata.title == "Bridge reopens after repairs")
        #expect(docs[0].metadata.date == "2024-03-02")
        #expect(docs[0].metadata.extra["section"] == .string("local"))
        #expect(docs[0].metadata.extra["id"] == .string("w-101"))
        #expect(docs[1].text == "The central library will open until nine on weekdays from April.")
        #expect(docs[2].metadata.authors == ["R. Osei"])
        #expect(docs[2].sourceMap.blockLocations[0] == .lineColumn(line: 5, column: 1))
        let failure = try #require(results[2].failure)
        #expect(failure.location == "line 3")
        #expect(failure.id == "wire.jsonl#3")
        #expect(failure.description.contains("wire.jsonl: line 3: invalid JSON"))
    }

    @Test func idAndTextFieldOptions() throws {
        let results = read("records/wire.jsonl", options: ReaderOptions(textField: "title", idField: "id"))
        let docs = results.compactMap(\.document)
        #expect(docs.map(\.id) == ["w-101", "w-102"])
        #expect(docs[0].text == "Bridge reopens after repairs")
    }

    @Test func jsonArray() throws {
        let json = "[\n {\"text\": \"First record.\", \"n\": 1},\n {\"text\": \"Second record.\", \"ok\": true}\n]"
        let results = readBytes(Array(json.utf8), name: "a.json")
        #expect(results.compactMap(\.document).map(\.text) == ["First record.", "Second record."])
        let broken = "[\n {\"text\": \"First record.\"},\n {\"text\": \"Second\n"
        let r2 = readBytes(Array(broken.utf8), name: "b.json")
        #expect(r2.first?.document?.text == "First record.")
        #expect(r2.last?.failure != nil)
    }

    @Test func csvWithEmbeddedNewlinesAndRaggedRows() throws {
        let results = read("records/letters.csv")
        #expect(results.count == 5)
        let docs = results.compactMap(\.document)
        #expect(docs.count == 3)
        #expect(
            docs[1].text
                == "I write about the bus shelters.\nHalf of them have no roof, and the other half have no timetable.")
        #expect(docs[1].metadata.authors == ["Ken Abara"])
        #expect(docs[2].metadata.extra["field5"] == .string("extra value"))
        #expect(docs[2].warnings.contains { $0.contains("5 fields") })
        #expect(docs[2].sourceMap.blockLocations[0] == .lineColumn(line: 5, column: 1))
        #expect(results[3].failure?.location == "line 6")
        #expect(results[4].failure?.message.contains("unterminated") == true)
    }

    @Test func csvWithoutTextColumnAndSemicolons() {
        let r = readBytes(Array("a,b\n1,2\n".utf8), name: "x.csv")
        #expect(r.count == 1)
        #expect(r.first?.failure?.message.contains("no text column") == true)
        let semi = readBytes(Array("title;text\nOne;Hello there.\n".utf8), name: "s.csv")
        #expect(semi.first?.document?.text == "Hello there.")
        #expect(semi.first?.document?.metadata.title == "One")
    }
}

// MARK: - Encodings and detection

@Suite struct EncodingAndDetectionTests {
    @Test func utf8BOMAndUTF16() throws {
        let text = "Café au lait\nsecond line\n"
        let bom = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        let d1 = try #require(readBytes(bom, name: "a.txt").first?.document)
        #expect(d1.text.hasPrefix("Café"))
        #expect(d1.metadata.encoding == "utf-8")
        var le: [UInt8] = [0xFF, 0xFE]
        for u in text.utf16 { le.append(UInt8(u & 0xFF)); le.append(UInt8(u >> 8)) }
        let d2 = try #require(readBytes(le, name: "b.txt").first?.document)
        #expect(d2.text.hasPrefix("Café au lait"))
        #expect(d2.metadata.encoding == "utf-16le")
        var be: [UInt8] = [0xFE, 0xFF]
        for u in text.utf16 { be.append(UInt8(u >> 8)); be.append(UInt8(u & 0xFF)) }
        let d3 = try #require(readBytes(be, name: "c.txt").first?.document)
        #expect(d3.metadata.encoding == "utf-16be")
        #expect(d3.text.contains("second line"))
    }

    @Test func legacyEncodingsAreDetected() throws {
        let latin1: [UInt8] =
            Array("Le garçon a mangé une crêpe à la crème; ".utf8).isEmpty
            ? []
            : Array("Le gar".utf8) + [0xE7] + Array("on a mang".utf8) + [0xE9] + Array(" une cr".utf8) + [0xEA]
                + Array("pe ".utf8) + [0xE0] + Array(" la cr".utf8) + [0xE8] + Array("me, dit-il \u{22}".utf8) + [0x93]
                + Array("bonjour".utf8) + [0x94] + Array(".\n".utf8)
        let doc = try #require(readBytes(latin1, name: "fr.txt").first?.document)
        #expect(doc.text.contains("garçon a mangé une crêpe à la crème"))
        #expect(["windows-1252", "iso-8859-15", "iso-8859-1"].contains(doc.metadata.encoding ?? ""))
        #expect(doc.warnings.contains { $0.contains("not UTF-8") })
    }

    @Test func detectionByContentAndExtension() {
        func format(_ s: String, _ name: String) -> DocumentFormat? {
            FormatDetector.detect(Array(s.utf8), fileName: name).format
        }
        #expect(format("<!DOCTYPE html><html><body>x</body></html>", "page") == .html)
        #expect(format("  <html><p>x</p></html>", "") == .html)
        #expect(format("{\"text\": \"a\"}\n{\"text\": \"b\"}\n", "data") == .jsonl)
        #expect(format("[{\"text\": \"a\"}]", "data") == .json)
        #expect(format("From: a@example.org\nTo: b@example.org\nSubject: hi\n\nbody\n", "") == .eml)
        #expect(format("# Title\n", "notes.md") == .md)
        #expect(format("plain words\n", "notes") == .txt)
        #expect(format("%PDF-1.4\n...", "x.bin") == .pdf)
        let pdfThatIsHTML = FormatDetector.detect(
            Array("<!doctype html><html><body><p>Not a PDF at all.</p></body></html>".utf8), fileName: "report.pdf")
        #expect(pdfThatIsHTML.format == .html)
        #expect(pdfThatIsHTML.warning?.contains("named .pdf") == true)
        let zip = FormatDetector.detect([0x50, 0x4B, 0x03, 0x04] + [UInt8](repeating: 0, count: 40), fileName: "a.zip")
        #expect(zip.format == nil)
        #expect(zip.unsupported?.contains("ZIP") == true)
        let png = readBytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0], name: "pic.dat")
        #expect(png.first?.failure?.message == "unsupported format: a PNG image")
        let binary = readBytes([0x00, 0x01, 0x02, 0x03, 0x00, 0xFF, 0x00, 0x10], name: "blob")
        #expect(binary.first?.failure?.message.hasPrefix("unsupported format") == true)
    }

    @Test func formatOverride() {
        let md = readBytes(
            Array("# Heading\n\nBody text.\n".utf8), name: "notes.txt", options: ReaderOptions(format: .md))
        #expect(md.first?.document?.format == "md")
        #expect(md.first?.document?.blocks.blocks.first?.kind == .heading)
    }
}

// MARK: - Corpus and hashing

@Suite struct CorpusTests {
    @Test func sha256KnownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        // Collections without contiguous storage, slices and strings hash the same bytes.
        #expect(
            SHA256.hex(repeatElement(UInt8(0x61), count: 1_000_000))
                == SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)))
        #expect(SHA256.hex(Array("xabcx".utf8)[1..<4]) == SHA256.hex(Array("abc".utf8)))
        #expect(SHA256.hex("abc") == SHA256.hex(Array("abc".utf8)))
    }

    @Test func globs() {
        #expect(Glob("*.html").matchesFile("news/a.html"))
        #expect(!Glob("*.html").matchesFile("news/a.htm"))
        #expect(Glob("news/**/*.md").matches("news/a.md"))
        #expect(Glob("news/**/*.md").matches("news/x/y/a.md"))
        #expect(!Glob("news/*.md").matches("news/x/a.md"))
        #expect(Glob("[ab]?.txt").matches("a1.txt"))
        #expect(!Glob("[!ab]?.txt").matches("a1.txt"))
    }

    @Test func walkSortedHiddenFiltersSizeAndLoops() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let files = [
            "b.txt": "b", "a.md": "# a", "sub/c.html": "<p>c</p>", "sub/deeper/d.txt": "d", ".hidden.txt": "h",
            ".git/config": "x", "big.txt": String(repeating: "x", count: 2000), "skip.log": "l",
        ]
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try FileManager.default.createSymbolicLink(
            atPath: root.appendingPathComponent("sub/deeper/loop").path,
            withDestinationPath: root.path)
        let items = Array(Corpus(paths: [root.path], options: CorpusOptions(exclude: ["*.log"], maxBytes: 1000)))
        var ids: [String] = []
        var skipped: [String] = []
        for item in items {
            switch item {
            case .entry(let e): ids.append(e.id)
            case .skipped(let p, _): skipped.append((p as NSString).lastPathComponent)
            case .failure(let p, let m): Issue.record("\(p): \(m)")
            }
        }
        // Files the folder listing shows as regular are not stat'ed by the walk: the size cap is
        // applied when they are read, and the registry reports them as skipped, not broken.
        #expect(ids == ["a.md", "b.txt", "big.txt", "sub/c.html", "sub/deeper/d.txt"])
        #expect(skipped.isEmpty)
        let big = items.compactMap { item -> CorpusEntry? in
            if case .entry(let e) = item, e.id == "big.txt" { e } else { nil }
        }
        let read = ReaderRegistry(maxBytes: 1000).read(big[0])
        #expect(read.count == 1 && read.first?.failure?.skipReason == "larger than --max-bytes (2000 > 1000 bytes)")
        // A file named on the command line is checked by the walk itself.
        let named = Array(
            Corpus(paths: [root.appendingPathComponent("big.txt").path], options: CorpusOptions(maxBytes: 1000)))
        #expect(
            named == [
                .skipped(
                    path: root.appendingPathComponent("big.txt").path,
                    reason: "larger than --max-bytes (2000 > 1000 bytes)")
            ])
        let globbed = Corpus(paths: [root.path + "/**/*.txt"]).compactMap { item -> String? in
            if case .entry(let e) = item { return e.id } else { return nil }
        }
        #expect(globbed == ["b.txt", "big.txt", "sub/deeper/d.txt"])
        let included = Corpus(paths: [root.path], options: CorpusOptions(include: ["sub/**"])).compactMap {
            item -> String? in
            if case .entry(let e) = item { return e.id } else { return nil }
        }
        #expect(included == ["sub/c.html", "sub/deeper/d.txt"])
        let missing = Array(Corpus(paths: [root.path + "/nope.txt"]))
        #expect(missing == [.failure(path: root.path + "/nope.txt", message: "no such file or folder")])
        let single = Array(Corpus(paths: [root.appendingPathComponent("sub/c.html").path]))
        if case .entry(let e)? = single.first { #expect(e.id == "c.html") } else { Issue.record("no entry") }
    }
}

// MARK: - Email

@Suite struct EmailReaderTests {
    @Test func multipartWithMixedEncodingsAndAttachment() throws {
        let doc = try readOne("email/flood-copy.eml")
        #expect(doc.format == "eml")
        #expect(doc.metadata.title == "Flood warning – final copy")
        #expect(doc.metadata.authors == ["Renée Dubóis"])
        #expect(doc.metadata.date == "2024-03-12T18:05:09+01:00")
        #expect(doc.metadata.extra["message_id"] == .string("<20240312.1805.flood@riverside-post.example>"))
        #expect(doc.metadata.extra["cc"] == .array(["archive@riverside-post.example"]))
        #expect(doc.text.hasPrefix("Here is the final copy of the flood story for tomorrow’s front page.\n\nThe river"))
        #expect(!doc.text.contains("<p>"))
        #expect(doc.text.contains("Sandbags outside the café on Mill Street – photo by José Ruiz."))
        #expect(doc.metadata.encoding == "utf-8, windows-1252")
        let attachment: JSONValue = ["filename": "weir.jpg", "content_type": "image/jpeg", "size": 1024]
        #expect(doc.metadata.extra["attachments"] == .array([attachment]))
    }

    @Test func mboxMessagesAndABrokenOne() throws {
        let results = read("email/desk.mbox")
        #expect(results.count == 3)
        let docs = results.compactMap(\.document)
        #expect(docs.map(\.id) == ["desk.mbox#1", "desk.mbox#2"])
        #expect(docs[0].text.contains("\nFrom now on we meet"))
        #expect(docs[1].text == "Homepage notes\n\nPlease keep headlines under seventy characters.")
        #expect(results[2].failure?.location == "line 19")
    }

    @Test func truncatedMessage() {
        let bytes = try! Array(Data(contentsOf: URL(fileURLWithPath: fixture("email/flood-copy.eml"))))
        for cut in [40, bytes.count / 3, bytes.count / 2, bytes.count - 30] {
            let r = readBytes(Array(bytes.prefix(cut)), name: "cut.eml")
            #expect(r.count == 1)
        }
    }
}

// MARK: - DOCX

@Suite struct DOCXReaderTests {
    @Test func stylesListsTablesNotesAndBoxes() throws {
        let doc = try readOne("docx/ferry-review.docx")
        #expect(doc.format == "docx")
        #expect(doc.metadata.title == "Quarterly review of the ferry service")
        #expect(doc.metadata.authors == ["Agnes Whitlow"])
        #expect(doc.metadata.date == "2024-04-03T09:15:00Z")
        #expect(doc.metadata.extra["modified"] == .string("2024-04-05T16:40:00Z"))
        #expect(texts(doc, .title) == ["Quarterly review of the ferry service"])
        #expect(doc.blocks.blocks.filter { $0.kind == .heading }.map(\.level) == [1, 2, 3])
        #expect(
            texts(doc, .item) == [
                "fog in the outer channel", "an engine fault on the Marian in February",
                "a replacement part that took nine days to arrive",
            ])
        #expect(doc.blocks.blocks.filter { $0.kind == .item }.map(\.level) == [1, 1, 2])
        #expect(texts(doc, .cell) == ["Month", "Passengers", "January", "18,204", "February", "16,950"])
        #expect(doc.text.contains("Sailings ran on time on 94 per cent of days this quarter, up from 89 per cent."))
        #expect(doc.text.contains("Fares stay the same.\tNext review in July.\nSigned for the board."))
        #expect(doc.text.contains("Box: the timetable changes on 1 June."))
        #expect(doc.text.components(separatedBy: "Box: the timetable").count == 2)
        #expect(doc.text.contains("Measured at the Port Wenham terminal."))
        #expect(doc.text.contains("Figures are provisional."))
        #expect(!doc.text.contains("deleted"))
        #expect(!doc.text.contains("HEADER TEXT"))
        #expect(!doc.text.contains("PAGE"))
        #expect(doc.sourceMap.blockLocations[0] == .elementPath("word/document.xml#/w:body/w:p[1]"))
    }

    @Test func malformedNotDocxBombAndCorrupt() throws {
        let malformed = read("docx/malformed.docx")
        #expect(malformed.count == 1)
        if let doc = malformed.first?.document {
            #expect(doc.warnings.contains { $0.contains("malformed") })
        } else {
            #expect(malformed.first?.failure?.message.contains("word/document.xml") == true)
        }
        #expect(read("docx/not-a-docx.docx").first?.failure?.message.contains("not a DOCX") == true)
        #expect(read("docx/bomb.docx").first?.failure?.message.contains("zip bomb") == true)
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("docx/ferry-review.docx"))))
        for cut in [10, bytes.count / 2, bytes.count - 10] {
            let r = readBytes(Array(bytes.prefix(cut)), name: "cut.docx")
            #expect(r.count == 1)
            #expect(r.first?.failure != nil || r.first?.document != nil)
        }
        let ole = readBytes(
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 512), name: "secret.docx")
        #expect(ole.first?.failure?.message.contains("encrypted") == true)
    }
}

// MARK: - PDF

@Suite struct PDFReaderTests {
    @Test func pagesParagraphsRunningLinesAndMetadata() throws {
        let doc = try readOne("pdf/harbour-report.pdf")
        #expect(doc.format == "pdf")
        #expect(doc.metadata.title == "Annual Report 2023")
        #expect(doc.metadata.authors == ["Harbour Authority"])
        #expect(doc.metadata.extra["pages"] == .int(3))
        #expect(doc.text.contains("removing some 40,000 cubic metres"))
        #expect(doc.text.contains("due to finish in the spring, weather permitting."))
        #expect(!doc.text.contains("Annual Report 2023"))
        #expect(!doc.text.contains("Page 2 of 3"))
        let paragraphs = texts(doc, .paragraph)
        #expect(paragraphs.first == "Dredging and maintenance")
        #expect(paragraphs.last == "Income from harbour dues covered running costs for the first time since 2019.")
        #expect(doc.sourceMap.blockLocations[0] == .page(1))
        #expect(doc.sourceMap.blockLocations[doc.blocks.count - 1] == .page(3))
    }

    @Test func noTextLayerHTMLInDisguiseAndTruncation() throws {
        let scanned = try readOne("pdf/scanned.pdf")
        #expect(scanned.text.isEmpty)
        #expect(scanned.warnings.contains { $0.contains("no text layer") })
        let html = try readOne("pdf/really-html.pdf")
        #expect(html.format == "html")
        #expect(html.warnings.first?.contains("named .pdf") == true)
        let forced = read("pdf/really-html.pdf", options: ReaderOptions(format: .pdf))
        #expect(forced.first?.failure?.message == "not a PDF file (no %PDF- header)")
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("pdf/harbour-report.pdf"))))
        let cut = readBytes(Array(bytes.prefix(bytes.count / 2)), name: "cut.pdf")
        #expect(cut.count == 1)
    }

    @Test func layoutHelpers() {
        #expect(PageLayout.join(["an experi-", "ment that", "worked"]) == "an experiment that worked")
        #expect(PageLayout.join(["well-", "Known"]) == "well- Known")
        #expect(PageLayout.isPageNumber("Page 3 of 12"))
        #expect(PageLayout.isPageNumber("- 4 -"))
        #expect(!PageLayout.isPageNumber("In 2019 we"))
    }
}
