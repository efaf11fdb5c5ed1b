// Tests for blocks, the fixture article, bad input and properties that hold for any text:
// spans inside the text, ordered, and sentences plus gaps rebuilding the text.
import Testing
#if canImport(Glibc)
    import Glibc
#endif
import DocumentModel
@testable import TextAnalysis

@Suite struct BlockDetectorTests {
    @Test func newswireStructure() {
        let text =
            "MARKETS CLOSE HIGHER\n\nLONDON (Agency) - Shares rose on\nMonday as traders returned.\n    A second paragraph starts\nindented here.\n\nSALVADOR, Feb 26\n\nLast words.\n"
        let d = analyzed(text)
        #expect(d.blocks.blocks.map(\.kind) == [.title, .dateline, .paragraph, .paragraph, .dateline, .paragraph])
        #expect(d.metadata.title == "MARKETS CLOSE HIGHER")
        #expect(d.text(of: d.blocks[1].range) == "LONDON (Agency) -")
        #expect(d.text(of: d.blocks[3].range) == "A second paragraph starts\nindented here.")
    }

    @Test func titleLineHeadingsAndLists() {
        let text =
            "Title: A Quiet Week\n\nIntro text here.\n\nFindings\n\n1. First point\n2) Second point\nspans two lines.\n\na) Third\n\n• Fourth\n\nThe end.\n"
        let d = analyzed(text)
        #expect(d.metadata.title == "A Quiet Week")
        #expect(
            d.blocks.blocks.map(\.kind) == [
                .title, .paragraph, .heading, .list, .item, .item, .item, .item, .paragraph,
            ])
        #expect(d.blocks.children(of: 3) == [4, 5, 6, 7])
        #expect(d.text(of: d.blocks[5].range) == "Second point\nspans two lines.")
    }

    @Test func datelineWithDate() {
        let d = analyzed("KYIV, March 1 (Agency) - Talks resumed. Both sides spoke.")
        #expect(d.blocks.blocks.map(\.kind) == [.dateline, .paragraph])
        #expect(d.sentences.count == 3)
    }

    @Test func inlineListsAreParagraphsAndShortLineStacksSplit() {
        let d = analyzed("Intro text here.\n\n1. One thing. 2. Another thing.\n\n- alone\n\nred apples\nblue plums\n")
        #expect(d.blocks.blocks.map(\.kind) == [.paragraph, .paragraph, .list, .item, .paragraph, .paragraph])
        #expect(d.text(of: d.blocks[1].range) == "1. One thing. 2. Another thing.")
        #expect(d.text(of: d.blocks[3].range) == "alone")
        let lone = analyzed("Intro text here.\n\n1. One thing\n2. Another thing\n")
        #expect(lone.blocks.blocks.map(\.kind) == [.paragraph, .list, .item, .item])
        let prose = analyzed("Intro text here.\n\nA short line\nand its end.\n")
        #expect(prose.blocks.blocks.map(\.kind) == [.paragraph, .paragraph])
        #expect(prose.text(of: prose.blocks[1].range) == "A short line\nand its end.")
    }
}

@Suite struct FixtureArticleTests {
    static func load() throws -> Document {
        let here = #filePath
        let dir = here[..<here.lastIndex(of: "/")!]
        let path = String(dir) + "/Fixtures/news-article.txt"
        guard let f = fopen(path, "rb") else { throw TextAnalysisError.notText(reason: "missing fixture") }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            bytes += buf[0..<n]
        }
        return try Analyzer.analyze(bytes: bytes, id: "fixture", path: path)
    }

    @Test func exactSentences() throws {
        let d = try Self.load()
        let s = (0..<d.sentences.count).map {
            d.text(of: d.sentences.range($0)).split(separator: "\n").joined(separator: " ")
        }
        #expect(
            s == [
                "HARBOUR TOWN VOTES ON NEW BRIDGE",
                "PORTVALE, March 3 (Quarry News) -",
                "Residents of the small harbour town of Portvale will vote on Sunday on a $4.2bn bridge plan, Mayor Ellen J. Marsh said on Tuesday.",
                "\"We have waited long enough,\" Marsh told reporters at 10 a.m. outside the town hall.",
                "\"Is this the right plan?",
                "I believe it is.\"",
                "Dr. Tomas K. Ferro, an engineer who worked on the design for the U.S. firm Ostrand Inc., said the 12-point safety review found no major faults.",
                "He added that costs had risen 3.5% since 2021.",
                "Critics were not convinced.",
                "“Why build it now?” asked Anna Webb, who runs the ferry company.",
                "She said the ferry carried 1,250,000 passengers last year.",
            ])
        #expect(d.metadata.title == "HARBOUR TOWN VOTES ON NEW BRIDGE")
    }

    @Test func exactQuotes() throws {
        let d = try Self.load()
        #expect(
            d.quotations.map { d.text(of: $0.outer).split(separator: "\n").joined(separator: " ") } == [
                "\"We have waited long enough,\"",
                "\"Is this the right plan? I believe it is.\"",
                "“Why build it now?”",
            ])
        #expect(d.quotations.allSatisfy { $0.balanced })
    }

    @Test func jsonAndTreeRender() throws {
        let d = try Self.load()
        let json = d.jsonString()
        #expect(json.contains(#""schema":"quarry.document/1""#))
        #expect(json.contains(#""kind":"dateline""#))
        #expect(d.renderTree().contains("▸ dateline"))
        // Source map: "Residents" is on original line 4, column 1... after the indent-free wrap.
        let off = Int(d.blocks[2].range.start)
        #expect(d.sourceLocation(of: off) == .lineColumn(line: 3, column: 35))
    }
}

@Suite struct BadInputTests {
    @Test func emptyAndWhitespace() throws {
        let e = try Analyzer.analyze(bytes: [UInt8](), id: "empty")
        #expect(e.text.isEmpty && e.blocks.count == 0 && e.sentences.count == 0 && e.tokens.count == 0)
        let w = try Analyzer.analyze(text: "  \n\t\n   \n")
        #expect(w.blocks.count == 0 && w.sentences.count == 0 && w.tokens.count == 0)
    }

    @Test func oneHugeLine() throws {
        let line = String(repeating: "alpha beta, gamma delta ", count: 200_000)  // ~4.8 MB, no newline
        let d = try Analyzer.analyze(text: line)
        #expect(d.blocks.count == 1)
        #expect(d.tokens.count == 1_000_000)
        #expect(d.sentences.count == 1)
    }

    @Test func invalidUTF8GivesAWarningNotACrash() throws {
        let d = try Analyzer.analyze(
            bytes: Array("Good text ".utf8) + [0xC0, 0xAF, 0xFE] + Array(" more text.".utf8), id: "bad")
        #expect(d.text.contains("\u{FFFD}"))
        #expect(d.warnings.contains { $0.contains("invalid UTF-8") })
        #expect(d.sentences.count == 1)
    }
}

@Suite struct PropertyTests {
    static let samples: [String] = {
        var out = [
            "“Nested ‘quotes’ here,” he said. Dr. No left at 5 p.m. on Jan. 3.\n\n- a\n- b\n",
            "Mixed 中文 text, émigré cafés, 😀 and emoji.\r\nCRLF lines\r\nhere!",
            "UNBALANCED \" quote and ‘ single. «Guillemets» too...",
            "  \n\nLeading blank lines\n    indented paragraph\nwrapped line.\n\n\n",
        ]
        // Generated texts: a deterministic mix of pieces.
        let pieces = [
            "The", "U.S.", "said", "“", "”", "\"", "'", "3.5", "$4bn", "e.g.", ".", "?", "!", "\n", "\n\n",
            "    ", "中", "é", "😀", "don't", "—", "(", ")", "www.x.com", "a@b.org", "Mr.", ",", "…",
        ]
        var seed: UInt64 = 42
        for _ in 0..<40 {
            var s = ""
            for _ in 0..<120 {
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                s += pieces[Int(seed >> 33) % pieces.count]
                if (seed >> 20) & 3 != 0 { s += " " }
            }
            out.append(s)
        }
        return out
    }()

    /// Gaps between sentences hold only whitespace and list markers (`-`, `*`, `•`, `1.`, `2)`, `a)`).
    static func isWhitespaceOrListMarkers(_ gap: String) -> Bool {
        gap.split(whereSeparator: { $0.isWhitespace }).allSatisfy { w in
            w == "-" || w == "*" || w == "•"
                || (w.count >= 2 && (w.last == "." || w.last == ")") && w.dropLast().allSatisfy { $0.isNumber })
                || (w.count == 2 && w.last == ")" && w.first!.isLowercase)
        }
    }

    @Test(arguments: samples)
    func spansAreOrderedInsideTheTextAndRebuildIt(_ sample: String) throws {
        let d = try Analyzer.analyze(text: sample)
        let n = UInt32(d.text.utf8.count)
        func checkOrdered(_ starts: [UInt32], _ ends: [UInt32]) {
            var prev: UInt32 = 0
            for i in starts.indices {
                #expect(starts[i] < ends[i])
                #expect(ends[i] <= n)
                #expect(starts[i] >= prev)
                prev = ends[i]
            }
        }
        checkOrdered(d.tokens.starts, d.tokens.ends)
        checkOrdered(d.sentences.starts, d.sentences.ends)
        // Sentences plus the gaps between them rebuild the text, and gaps are whitespace or block text
        // without tokens.
        var rebuilt = ""
        var cursor = 0
        for i in 0..<d.sentences.count {
            let r = d.sentences.range(i)
            let gap = d.text(of: TextRange(cursor, Int(r.start)))
            #expect(Self.isWhitespaceOrListMarkers(gap), "gap \(gap.debugDescription)")
            rebuilt += gap + d.text(of: r)
            cursor = Int(r.end)
        }
        rebuilt += d.text(of: TextRange(cursor, Int(n)))
        #expect(rebuilt == d.text)
        // Every token lies in exactly one sentence, and in that sentence's block.
        for t in 0..<d.tokens.count {
            let s = d.sentenceIndex(ofToken: t)
            #expect(s != nil)
            if let s { #expect(d.sentences.range(s).contains(d.tokens.range(t))) }
        }
        for i in 0..<d.sentences.count {
            #expect(d.blocks[Int(d.sentences.blocks[i])].range.contains(d.sentences.range(i)))
        }
        for q in d.quotations {
            #expect(q.outer.contains(q.inner))
            #expect(q.outer.end <= n)
        }
        // JSON offsets never exceed the code-point length.
        #expect(d.makeCodePointIndex().codePointOffset(Int(n)) == d.text.unicodeScalars.count)
    }
}
