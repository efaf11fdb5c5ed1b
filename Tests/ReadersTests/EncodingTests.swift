// Tests of encoding detection: every fixture in Fixtures/encodings (texts written in UTF-8, encoded by
// Scripts/make-encoding-fixtures.sh) decodes exactly; generated texts in each code page; the code-page
// tables against iconv; the shortcut of a clean proposal against full scoring; mixed files; HTML whose
// declared charset is wrong.
import DocumentModel
import Foundation
import QuarryTestSupport
import Testing

@testable import Readers

private let encodingFixtures = fixtures.appendingPathComponent("encodings")

/// The manifest's (text, encoding) pairs.
private let manifest: [(text: String, encoding: String)] = {
    let url = encodingFixtures.appendingPathComponent("manifest.txt")
    let lines = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n") ?? []
    return lines.filter { !$0.hasPrefix("#") }.compactMap { line in
        let parts = line.split(separator: " ")
        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
    }
}()

private func source(_ text: String) throws -> [UInt8] {
    Array(try Data(contentsOf: encodingFixtures.appendingPathComponent("source/\(text).txt")))
}

private func encoded(_ text: String, _ encoding: String) throws -> [UInt8] {
    Array(try Data(contentsOf: encodingFixtures.appendingPathComponent("encoded/\(text).\(encoding).txt")))
}

/// `text` in `encoding` through iconv, or nil when the encoding lacks one of its characters.
func encode(_ text: String, _ encoding: String) -> [UInt8]? {
    let cd = iconv_open(encoding.uppercased(), "UTF-8")
    if cd == iconv_t(bitPattern: -1) { return nil }
    defer { iconv_close(cd) }
    var input = Array(text.utf8).map { CChar(bitPattern: $0) }
    var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
    var inLeft = input.count
    var outLeft = output.count
    let r = input.withUnsafeMutableBufferPointer { inBuf in
        output.withUnsafeMutableBufferPointer { outBuf in
            var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
            var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                .assumingMemoryBound(to: CChar.self)
            return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
        }
    }
    if r == -1 { return nil }
    return Array(output[0..<(output.count - outLeft)])
}

@Suite struct EncodingFixtureTests {
    @Test func theManifestListsEveryEncoding() {
        let encodings = Set(manifest.map(\.encoding))
        for e in [
            "iso-8859-1", "windows-1252", "iso-8859-15", "windows-1250", "iso-8859-2", "windows-1251", "koi8-r",
            "koi8-u", "iso-8859-5", "windows-1253", "iso-8859-7",
        ] {
            #expect(encodings.contains(e), "no fixture in \(e)")
        }
        #expect(manifest.count >= 40)
    }

    /// The committed bytes are the sources in their encodings (the script was run after the last edit).
    @Test func fixturesAreTheirSourcesEncoded() throws {
        for (text, encoding) in manifest {
            let utf8 = String(decoding: try source(text), as: UTF8.self)
            #expect(encode(utf8, encoding) == (try encoded(text, encoding)), "\(text).\(encoding)")
        }
    }

    @Test func everyFixtureDecodesExactly() throws {
        for (text, encoding) in manifest {
            let bytes = try encoded(text, encoding)
            let decoded = TextDecoder.decode(bytes)
            let expected = try source(text)
            #expect(
                decoded.bytes == expected,
                "\(text).\(encoding) read as \(decoded.encoding): \(String(decoding: decoded.bytes.prefix(120), as: UTF8.self))"
            )
            #expect(decoded.warnings.first?.hasPrefix("not UTF-8") == true)
            // The name reported reads the bytes the same way.
            let again = TextDecoder.transcode(bytes[...], from: decoded.encoding.uppercased(), name: decoded.encoding)
            #expect(again.bytes == expected, "\(text).\(encoding): \(decoded.encoding)")
        }
    }

    /// The issue's case: a short Latin-1 story that libuchardet takes for a Central European code page.
    @Test func aShortLatin1StoryKeepsItsAccents() throws {
        let bytes = try encoded("en-short", "iso-8859-1")
        let doc = try #require(readBytes(bytes, name: "story.txt").first?.document)
        #expect(doc.text.contains("Tomás Araújo"))
        #expect(doc.text.contains("São Paulo"))
        #expect(doc.metadata.encoding == "windows-1252")
        // A guess that reads the same as windows-1252 goes by that name.
        let cafe = try #require(encode("The café opened on Monday.\n", "iso-8859-1"))
        #expect(TextDecoder.decode(cafe).encoding == "windows-1252")
        let italian = try #require(readBytes(try encoded("it-short", "windows-1252"), name: "it.txt").first?.document)
        #expect(italian.text.contains("Cefalù"))
        #expect(italian.warnings.first?.contains("ibm852") == true || italian.metadata.encoding == "windows-1252")
    }
}

// MARK: - Generated texts

/// Random texts made of the words of one fixture language, in each code page that can hold them.
private struct GeneratedCase {
    let language: String
    let encoding: String
    let text: String
    let bytes: [UInt8]
}

private func generatedCases(count: Int, minWords: Int, maxWords: Int, seed: UInt64) throws -> [GeneratedCase] {
    let languages: [(String, [String], [String])] = [
        ("fr", ["fr-long", "fr-short"], ["windows-1252", "iso-8859-15"]),
        ("es", ["es-long", "es-short"], ["windows-1252"]),
        ("pt", ["pt-long", "pt-short"], ["windows-1252"]),
        ("de", ["de-long", "de-short"], ["windows-1252", "iso-8859-15"]),
        ("it", ["it-long", "it-short"], ["windows-1252"]),
        ("pl", ["pl-long", "pl-short"], ["windows-1250", "iso-8859-2"]),
        ("cs", ["cs-long", "cs-short"], ["windows-1250", "iso-8859-2"]),
        ("hu", ["hu-long", "hu-short"], ["windows-1250", "iso-8859-2"]),
        ("ru", ["ru-long", "ru-news", "ru-short"], ["windows-1251", "koi8-r", "iso-8859-5"]),
        ("uk", ["uk-long", "uk-short"], ["windows-1251", "koi8-u"]),
        ("bg", ["bg-long", "bg-short"], ["windows-1251", "koi8-r"]),
        ("el", ["el-long", "el-short"], ["windows-1253", "iso-8859-7"]),
    ]
    var rng = SeededGenerator(seed: seed)
    var cases: [GeneratedCase] = []
    for (language, texts, encodings) in languages {
        var words: [String] = []
        for t in texts {
            words += String(decoding: try source(t), as: UTF8.self).split(separator: " ").map(String.init)
        }
        for encoding in encodings {
            let usable = words.filter { encode($0, encoding) != nil }
            for _ in 0..<count {
                let n = Int.random(in: minWords...maxWords, using: &rng)
                let text = (0..<n).map { _ in usable.randomElement(using: &rng)! }.joined(separator: " ")
                cases.append(
                    GeneratedCase(language: language, encoding: encoding, text: text, bytes: encode(text, encoding)!))
            }
        }
    }
    return cases
}

@Suite struct GeneratedEncodingTests {
    @Test func generatedTextsDecodeExactly() throws {
        var failures: [String] = []
        let cases = try generatedCases(count: 12, minWords: 25, maxWords: 120, seed: 17)
        for c in cases {
            let d = TextDecoder.decode(c.bytes)
            if d.bytes != Array(c.text.utf8) {
                failures.append("\(c.language) \(c.encoding) → \(d.encoding): \(c.text.prefix(80))")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count): \(failures.prefix(5))")
    }

    /// A proposal that reads cleanly where no other family's code page does is taken without scoring the
    /// others (the shortcut): on generated texts, with every candidate proposed, the text it gives is always
    /// the text the full scoring gives.
    @Test func theShortcutGivesTheTextFullScoringGives() throws {
        var shortcuts = 0
        for c in try generatedCases(count: 6, minWords: 3, maxWords: 60, seed: 29) {
            let sample = EncodingChooser.sample(c.bytes[...])
            for page in SingleBytePage.candidates {
                let ranked = EncodingChooser.rank(sample: sample, proposal: page.name, source: .detected)
                let best = try #require(ranked.first).page.name
                let chosen = EncodingChooser.choose(c.bytes[...], proposal: page.name, source: .detected).name
                let viaChoice = TextDecoder.transcode(c.bytes[...], from: chosen.uppercased(), name: chosen)
                let general = TextDecoder.transcode(c.bytes[...], from: best.uppercased(), name: best)
                #expect(
                    viaChoice.bytes == general.bytes,
                    "\(c.language) \(c.encoding): \(page.name) → \(chosen), not \(best)")
                if EncodingChooser.isSettled(sample: sample, proposal: page) { shortcuts += 1 }
            }
        }
        #expect(shortcuts > 50)
    }

    /// The code-page tables the scores read agree with iconv, byte for byte.
    @Test func codePageTablesAgreeWithIconv() throws {
        let names = SingleBytePage.candidateNames + ["ibm852", "ibm866", "mac-cyrillic", "iso-8859-13", "windows-1257"]
        var rng = SeededGenerator(seed: 5)
        for name in names {
            let page = try #require(SingleBytePage.named(name), "\(name)")
            let bytes = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var viaTable: [UInt8] = []
            for b in bytes {
                if page.classes[Int(b)].kind == .undefined {
                    viaTable += [0xEF, 0xBF, 0xBD]
                } else {
                    UTF8.encode(Unicode.Scalar(page.scalars[Int(b)])!) { viaTable.append($0) }
                }
            }
            #expect(TextDecoder.transcode(bytes[...], from: name.uppercased(), name: name).bytes == viaTable, "\(name)")
        }
        #expect(SingleBytePage.named("shift_jis") == nil)
        #expect(SingleBytePage.named("no-such-encoding") == nil)
    }
}

// MARK: - Scores

@Suite struct ReadingScoreTests {
    private func score(_ text: String) -> ReadingScore {
        var s = ReadingScore()
        for u in text.unicodeScalars { s.add(CharacterClass.of(u.value)) }
        s.endWord()
        return s
    }

    @Test func faultsAreCountedWhereTheyShow() {
        #expect(score("Ara˙jo").symbolsInWords == 1)
        #expect(score("s± ¶wiat").symbolsTouchingLetters == 2)
        #expect(score("trиs cafй").mixedScriptLetters == 2)
        #expect(score("пРИВЕТ").caseBreaks == 1)
        #expect(score("PARíS").caseBreaks == 2)
        #expect(score("a\u{85}b").controls == 1)
        #expect(score("l’homme d’État, Paris–Lyon").isClean)
        #expect(score("Zoë, São Paulo, Renée").faultCost == 0)
        #expect(score("Привет, мир! Это обычный текст.").isClean)
    }

    @Test func lettersFitALanguage() {
        #expect(score("très café à la fenêtre").bestLanguage().name == "French")
        #expect(score("Łódź, żółć, gęślą").bestLanguage().name == "Polish")
        #expect(score("Příliš žluťoučký kůň").bestLanguage().name == "Czech")
        #expect(score("Ґудзь і їжак є").bestLanguage().name == "Ukrainian")
        #expect(score("trčs café ŕ la fenętre").bestLanguage().foreign > 0)
        // The same Russian text, and a permutation of its letters (read in the wrong Cyrillic code page).
        let russian = "после восьми вечера до дома можно добраться только на такси"
        let right = score(russian)
        let koi8 = SingleBytePage.named("koi8-r")!
        let misread = String(
            String.UnicodeScalarView(encode(russian, "windows-1251")!.map { Unicode.Scalar(koi8.scalars[Int($0)])! }))
        #expect(misread != russian)
        let wrong = score(misread.lowercased())
        #expect(right.total() > wrong.total() + 20)
    }

    @Test func theSampleKeepsTheWordsWithNonASCIIBytes() {
        let text =
            Array(String(repeating: "plain words here ", count: 200).utf8) + [0x63, 0x61, 0x66, 0xE9]
            + Array(" and more".utf8)
        let sample = EncodingChooser.sample(text[...])
        #expect(sample.count < 80)
        #expect(sample.contains(0xE9))
        let big = [UInt8](repeating: 0xE9, count: 100_000)
        #expect(EncodingChooser.sample(big[...]).count <= EncodingChooser.sampleLimit + 64)
    }
}

// MARK: - Mixed files and wrong declarations

@Suite struct MixedEncodingTests {
    private func latin1(_ s: String) -> [UInt8] { encode(s, "windows-1252")! }

    @Test func utf8WithLatin1LinesKeepsBoth() throws {
        let lines = [
            "Harbour notes — written in UTF-8 with “quotes” and Zoë’s café.",
            "Ce paragraphe vient d’un vieux fichier : élèves, crème brûlée, à bientôt.",
            "Back to UTF-8: São Paulo, Zürich, naïve.",
            "Encore un : garçon, façade, où est-il ?",
            "",
        ]
        var bytes = Array((lines[0] + "\n").utf8)
        bytes += latin1(lines[1] + "\n")
        bytes += Array((lines[2] + "\n").utf8)
        bytes += latin1(lines[3] + "\n")
        let d = TextDecoder.decode(bytes)
        #expect(String(decoding: d.bytes, as: UTF8.self) == lines.joined(separator: "\n"))
        #expect(d.encoding == "utf-8, windows-1252")
        #expect(d.warnings.first == "mixed encodings: 2 lines (the first is line 2) not UTF-8, read as windows-1252")
        let doc = try #require(readBytes(bytes, name: "notes.txt").first?.document)
        #expect(doc.text.contains("crème brûlée"))
        #expect(doc.text.contains("Zoë’s café"))
    }

    @Test func utf8WithCyrillicCodePageLines() throws {
        let utf8Line = "Сводка: погода в Москве, 5 °C — облачно.\n"
        let legacyLine = "Вчера в городе открыли новую библиотеку для детей и взрослых.\n"
        let bytes = Array(utf8Line.utf8) + encode(legacyLine, "windows-1251")! + Array(utf8Line.utf8)
        let d = TextDecoder.decode(bytes)
        #expect(String(decoding: d.bytes, as: UTF8.self) == utf8Line + legacyLine + utf8Line)
        #expect(d.encoding == "utf-8, windows-1251")
    }

    @Test func oneLongUTF8LineWithAStrayByte() {
        // A single-line file (minified, say) in UTF-8 with one windows-1252 nbsp pasted in.
        let before = String(repeating: "Der Bürgermeister sagte „gut“. ", count: 50)
        let bytes = Array(before.utf8) + [0x31, 0x30, 0xA0] + Array("€ später.".utf8)
        let d = TextDecoder.decode(bytes)
        #expect(String(decoding: d.bytes, as: UTF8.self) == before + "10\u{A0}€ später.")
        #expect(d.warnings.first?.hasPrefix("mixed encodings: 1 line") == true)
    }

    @Test func aLegacyFileWithChanceUTF8PairsIsNotMixed() throws {
        // In windows-1251, "Ві" is C2 B3: a valid UTF-8 sequence (³) by chance.
        let text = "Від Львова до Києва. Віра і Віктор їдуть поїздом, їм весело.\n"
        let bytes = try #require(encode(text, "windows-1251"))
        #expect(bytes.contains(0xC2))
        let d = TextDecoder.decode(bytes)
        #expect(String(decoding: d.bytes, as: UTF8.self) == text)
        #expect(d.encoding == "windows-1251")
    }

    @Test func htmlDeclaringLatin1ButUTF8() throws {
        let page =
            "<html><head><meta charset=\"iso-8859-1\"><title>Café</title></head><body><p>Crème brûlée for Zoë.</p></body></html>"
        let doc = try #require(
            readBytes(Array(page.utf8), name: "a.html", options: ReaderOptions(htmlMainContent: false)).first?
                .document)
        #expect(doc.text == "Crème brûlée for Zoë.")
        #expect(doc.metadata.encoding == "utf-8")
        #expect(doc.warnings.contains("declares charset iso-8859-1 but its bytes are UTF-8; read as UTF-8"))
    }

    @Test func htmlDeclaringUTF8ButWindows1252() throws {
        let page =
            "<html><head><meta charset=\"utf-8\"><title>Notes</title></head><body><p>Crème brûlée for Zoë, “fresh” at 4 €.</p></body></html>"
        let bytes = try #require(encode(page, "windows-1252"))
        let doc = try #require(
            readBytes(bytes, name: "b.html", options: ReaderOptions(htmlMainContent: false)).first?.document)
        #expect(doc.text == "Crème brûlée for Zoë, “fresh” at 4 €.")
        #expect(doc.metadata.encoding == "windows-1252")
        #expect(doc.warnings.first == "declares charset utf-8 but is not valid UTF-8")
    }

    @Test func htmlDeclaringUTF8MostlyUTF8WithA1252Paragraph() throws {
        let head = "<html><head><meta charset=\"utf-8\"></head><body><p>Zoë’s “café” — open.</p>\n"
        let tail = "<p>Vieux texte : élève, où, à côté.</p></body></html>\n"
        let bytes = Array(head.utf8) + encode(tail, "windows-1252")!
        let doc = try #require(
            readBytes(bytes, name: "c.html", options: ReaderOptions(htmlMainContent: false)).first?.document)
        #expect(doc.text == "Zoë’s “café” — open.\n\nVieux texte : élève, où, à côté.")
        #expect(doc.warnings.contains { $0.hasPrefix("mixed encodings: 1 line (the first is line 2)") })
    }

    @Test func aMixedPageReadsItsStrayBytesInTheDeclaredCodePage() throws {
        // Hungarian reads the same in windows-1250 and ISO-8859-2: the declaration names it.
        let head = "<html><head><meta charset=\"iso-8859-2\"></head><body><p>Zoë’s “café” — open.</p>\n"
        let tail = "<p>A győri önkormányzat döntött, hogy felújítják a hídját.</p></body></html>\n"
        let bytes = Array(head.utf8) + encode(tail, "iso-8859-2")!
        let doc = try #require(
            readBytes(bytes, name: "f.html", options: ReaderOptions(htmlMainContent: false)).first?.document)
        #expect(doc.text == "Zoë’s “café” — open.\n\nA győri önkormányzat döntött, hogy felújítják a hídját.")
        #expect(doc.metadata.encoding == "utf-8, iso-8859-2")
    }

    @Test func htmlDeclaringTheWrongCodePage() throws {
        // Declares windows-1251, but the bytes are a Polish page in windows-1250.
        let page =
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1251\"></head><body><p>Rybacy z Tolkmicka mówią, że ten sezon był zły. Łodzie stoją w porcie, a źródła dochodu się kurczą.</p></body></html>"
        let bytes = try #require(encode(page, "windows-1250"))
        let doc = try #require(
            readBytes(bytes, name: "d.html", options: ReaderOptions(htmlMainContent: false)).first?.document)
        #expect(doc.text.contains("mówią, że ten sezon był zły. Łodzie stoją"))
        #expect(doc.metadata.encoding == "windows-1250")
        #expect(doc.warnings.first?.hasPrefix("declares charset windows-1251 but reads as windows-1250") == true)
        // A right declaration is kept without a word.
        let right = try #require(encode(page.replacingOccurrences(of: "1251", with: "1250"), "windows-1250"))
        let ok = try #require(
            readBytes(right, name: "e.html", options: ReaderOptions(htmlMainContent: false)).first?.document)
        #expect(ok.metadata.encoding == "windows-1250")
        #expect(ok.warnings.isEmpty)
    }
}
