// Unit tests for the Scoring target: span matching, type and feature figures, alias normalisation,
// --where, floors, gold-file checks, and the brat and CoNLL importers.
import DocumentModel
import Testing
@testable import Scoring

private func span(_ type: String, _ start: Int, _ end: Int, _ features: JSONObject = [:]) -> LabeledSpan {
    LabeledSpan(type: type, start: start, end: end, features: features)
}

private func gold(_ lines: String, key: DocumentKey = .id) throws -> GoldFile {
    try GoldFile(bytes: Array(lines.utf8), path: "gold.jsonl", key: key)
}

private func results(_ lines: String) throws -> ResultsFile {
    try ResultsFile(bytes: Array(lines.utf8), path: "results.jsonl")
}

private func error(_ body: () throws -> Void) -> String {
    do { try body() } catch let e as ScoringError { return e.description } catch { return "other: \(error)" }
    return "no error"
}

@Suite struct MatchingTests {
    @Test func exactNeedsBothEnds() {
        let g = [span("P", 0, 5), span("P", 10, 15), span("P", 20, 25)]
        let s = [span("P", 0, 5), span("P", 10, 14), span("P", 30, 35)]
        let pairs = SpanMatcher.match(gold: g, system: s, mode: .exact)
        #expect(pairs.map { [$0.gold, $0.system] } == [[0, 0]])
    }

    @Test func exactPairsEqualSpansOnce() {
        let g = [span("P", 0, 5), span("P", 0, 5)]
        let s = [span("P", 0, 5)]
        #expect(SpanMatcher.match(gold: g, system: s, mode: .exact).count == 1)
    }

    @Test func overlapTakesLargestOverlapFirst() {
        // X overlaps A by 5 and B by 3; Y overlaps A by 4. X–A is taken first; Y and B stay alone.
        let g = [span("P", 0, 10), span("P", 12, 20)]
        let s = [span("P", 0, 4), span("P", 5, 15)]
        let pairs = SpanMatcher.match(gold: g, system: s, mode: .overlap)
        #expect(pairs.map { [$0.gold, $0.system] } == [[0, 1]])
    }

    @Test func overlapTiesAreDeterministic() {
        // Both halves overlap the gold span by 5 with the same distance: the earlier system span wins,
        // whatever order the system spans come in.
        let g = [span("P", 0, 10)]
        let a = [span("P", 0, 5), span("P", 5, 10)]
        #expect(SpanMatcher.match(gold: g, system: a, mode: .overlap).map(\.system) == [0])
        let b = [span("P", 5, 10), span("P", 0, 5)]
        #expect(SpanMatcher.match(gold: g, system: b, mode: .overlap).map(\.system) == [1])
        // Touching spans do not overlap; identical empty spans do.
        #expect(SpanMatcher.match(gold: [span("P", 0, 5)], system: [span("P", 5, 9)], mode: .overlap).isEmpty)
        #expect(SpanMatcher.match(gold: [span("P", 4, 4)], system: [span("P", 4, 4)], mode: .overlap).count == 1)
    }
}

@Suite struct FigureTests {
    let goldFile = """
        {"id": "a", "sha256": "aa", "annotations": [{"type": "PERSON", "start": 10, "end": 15, "features": {"speaker": "Mira"}}, {"type": "PERSON", "start": 0, "end": 5, "features": {"speaker": "Ana Ros"}}, {"type": "PERSON", "start": 20, "end": 25, "features": {}}, {"type": "PLACE", "start": 40, "end": 45}]}
        {"id": "b", "sha256": "bb", "annotations": [{"type": "PLACE", "start": 0, "end": 4}]}
        {"id": "c", "sha256": "cc", "annotations": [{"type": "PERSON", "start": 1, "end": 2}]}
        """
    let resultsFile = """
        {"id": "a", "sha256": "aa", "status": "ok", "annotations": [{"id": 1, "layer": "x", "type": "PERSON", "start": 0, "end": 5, "text": "Ana R", "features": {"speaker": "ana   ROS "}}, {"id": 2, "layer": "x", "type": "PERSON", "start": 10, "end": 15, "text": "Mira.", "features": {"speaker": "M. Tal"}}, {"id": 3, "layer": "x", "type": "PERSON", "start": 20, "end": 25, "text": "Bobby", "features": {"speaker": "Bo"}}, {"id": 4, "layer": "x", "type": "PERSON", "start": 30, "end": 35, "text": "Xeno.", "features": {"speaker": null}}, {"id": 5, "layer": "x", "type": "OTHER", "start": 0, "end": 1, "text": "A", "features": {}}]}
        {"id": "b", "sha256": "bb", "status": "ok", "annotations": [{"id": 1, "layer": "x", "type": "PLACE", "start": 0, "end": 4, "text": "Tovi", "features": {}}]}
        {"id": "z", "sha256": "zz", "status": "ok", "annotations": []}
        """

    @Test func typeFiguresAndTotal() throws {
        let report = try Scorer.score(
            gold: try gold(goldFile), results: try results(resultsFile),
            options: ScoreOptions(features: ["speaker"]))
        #expect(report.types.map(\.type) == ["PERSON", "PLACE"])
        // PERSON: gold 3 in a + 1 in c (missing), system 4; 3 exact matches.
        let person = report.types[0].counts
        #expect(person == Counts(gold: 4, system: 4, correct: 3))
        #expect(person.precision == 0.75 && person.recall == 0.75 && person.f1 == 0.75)
        let place = report.types[1].counts
        #expect(place == Counts(gold: 2, system: 1, correct: 1))
        #expect(report.total == Counts(gold: 6, system: 5, correct: 4))
        #expect(report.total.f1 == 8.0 / 11.0)
        #expect(report.missingDocuments.map(\.document) == ["c"])
        #expect(report.unscoredResults == 1)
        #expect(report.misses.map { "\($0.document) \($0.span.start)" } == ["a 40"])
        #expect(report.falseHits.map { "\($0.document) \($0.span.start)" } == ["a 30"])
    }

    @Test func featureFiguresFollowTheDefinition() throws {
        // speaker: system items 3 (null is no value), gold items 2 (+0 from c); correct 1 (Ana Ros).
        let plain = try Scorer.score(
            gold: try gold(goldFile), results: try results(resultsFile),
            options: ScoreOptions(features: ["speaker"]))
        let speaker = try #require(plain.counts(type: "PERSON", feature: "speaker"))
        #expect(speaker == Counts(gold: 2, system: 3, correct: 1))
        #expect(
            plain.mismatches.map {
                "\($0.gold.start) \($0.goldValue?.description ?? "-") \($0.systemValue?.description ?? "-")"
            }
                == ["10 \"Mira\" \"M. Tal\"", "20 - \"Bo\""])
        // With an alias, M. Tal is Mira.
        let aliases = try AliasTable(text: "# who is who\nm. tal\tMIRA\n", path: "aliases.tsv")
        let aliased = try Scorer.score(
            gold: try gold(goldFile), results: try results(resultsFile),
            options: ScoreOptions(features: ["speaker"], aliases: aliases))
        #expect(aliased.counts(type: "PERSON", feature: "speaker") == Counts(gold: 2, system: 3, correct: 2))
    }

    @Test func overlapMatchingAndTypeSelection() throws {
        let g = try gold(
            #"{"id": "a", "annotations": [{"type": "P", "start": 0, "end": 10}, {"type": "Q", "start": 0, "end": 3}]}"#)
        let r = try results(
            #"{"id": "a", "annotations": [{"type": "P", "start": 2, "end": 12, "text": "", "features": {}}]}"#)
        let exact = try Scorer.score(gold: g, results: r, options: ScoreOptions(types: ["P"]))
        #expect(exact.types.map(\.type) == ["P"])
        #expect(exact.total == Counts(gold: 1, system: 1, correct: 0))
        let overlap = try Scorer.score(gold: g, results: r, options: ScoreOptions(types: ["P"], match: .overlap))
        #expect(overlap.total == Counts(gold: 1, system: 1, correct: 1))
    }

    @Test func whereScoresOneValueApart() throws {
        let g = try gold(
            #"{"id": "a", "annotations": [{"type": "QUOTE", "start": 0, "end": 9, "features": {"direct": true}}, {"type": "QUOTE", "start": 20, "end": 30, "features": {"direct": false}}]}"#
        )
        let r = try results(
            #"{"id": "a", "annotations": [{"type": "QUOTE", "start": 0, "end": 9, "text": "", "features": {"direct": true}}, {"type": "QUOTE", "start": 40, "end": 50, "text": "", "features": {"direct": false}}]}"#
        )
        let direct = try Scorer.score(
            gold: g, results: r, options: ScoreOptions(conditions: [try FeatureCondition(parsing: "direct=true")]))
        #expect(direct.total == Counts(gold: 1, system: 1, correct: 1))
        let indirect = try Scorer.score(
            gold: g, results: r, options: ScoreOptions(conditions: [try FeatureCondition(parsing: "direct=FALSE")]))
        #expect(indirect.total == Counts(gold: 1, system: 1, correct: 0))
        #expect(error { _ = try FeatureCondition(parsing: "direct") }.contains("FEATURE=VALUE"))
    }

    @Test func undefinedFiguresAndTheF1Definition() {
        #expect(Counts(gold: 0, system: 0, correct: 0).f1 == nil)
        #expect(Counts(gold: 3, system: 0, correct: 0).precision == nil)
        #expect(Counts(gold: 3, system: 0, correct: 0).f1 == 0)
        #expect(Counts(gold: 4, system: 2, correct: 2).f1 == 2.0 / 3.0)
    }

    @Test func hintsWhenIdsDoNotMatch() throws {
        let g = try gold(#"{"id": "story", "sha256": "AB12", "annotations": []}"#)
        let r = try results(#"{"id": "news/story.txt", "sha256": "ab12", "annotations": []}"#)
        let report = try Scorer.score(gold: g, results: r, options: ScoreOptions())
        #expect(report.hints.count == 2)
        #expect(report.hints[0].contains("use --by sha256"))
        #expect(report.hints[1].contains("'news/story.txt'"))
        let bySHA = try Scorer.score(
            gold: try gold(#"{"id": "story", "sha256": "AB12", "annotations": []}"#, key: .sha256),
            results: r, options: ScoreOptions(key: .sha256))
        #expect(bySHA.missingDocuments.isEmpty && bySHA.hints.isEmpty)
    }

    @Test func textsGiveContextAndCheckOffsets() throws {
        let g = try gold(#"{"id": "a", "annotations": [{"type": "P", "start": 4, "end": 7, "text": "Ana"}]}"#)
        let r = try results(#"{"id": "a", "annotations": []}"#)
        let report = try Scorer.score(gold: g, results: r, options: ScoreOptions(), texts: ["a": "Hi, Ana\nsaid."])
        #expect(report.misses.first?.context == ScoreReport.Context(left: "Hi, ", text: "Ana", right: "\nsaid."))
        #expect(ScoreReport.render(report.misses[0].context!) == "Hi, [Ana] said.")
        let shifted = try Scorer.score(gold: g, results: r, options: ScoreOptions(), texts: ["a": "Hello Ana!"])
        #expect(shifted.warnings.first?.contains("gold.jsonl:1: a: gold P 4-7 has text \"Ana\"") == true)
        #expect(
            error { _ = try Scorer.score(gold: g, results: r, options: ScoreOptions(), texts: ["a": "Hi"]) }
                == "gold.jsonl:1: a: P 4-7 ends past the end of the document (--docs), which has 2 code points")
    }
}

@Suite struct AliasTests {
    @Test func normalisesCaseAndSpace() {
        let table = AliasTable()
        #expect(table.comparable(.string("  Ana\t ROS ")) == "ana ros")
        #expect(table.comparable(.bool(true)) == "true")
        #expect(table.comparable(.int(3)) == "3")
    }

    @Test func readsTSVAndJSON() throws {
        let tsv = try AliasTable(text: "\u{FEFF}Kiev\tKyiv\r\n\n# comment\nthe  Mayor\tAna Ros\n", path: "a.tsv")
        #expect(tsv.comparable(.string("KIEV")) == "kyiv")
        #expect(tsv.comparable(.string("The Mayor")) == "ana ros")
        let json = try AliasTable(text: #" {"Kiev": "Kyiv"}"#, path: "a.json")
        #expect(json.comparable(.string("kiev")) == "kyiv")
        #expect(
            error { _ = try AliasTable(text: "Kiev Kyiv\n", path: "a.tsv") } == "a.tsv:1: expected alias<TAB>canonical")
        #expect(error { _ = try AliasTable(text: #"{"Kiev": 3}"#, path: "a.json") }.contains("must be a string"))
    }
}

@Suite struct FloorTests {
    let report: ScoreReport

    init() throws {
        let g = try gold(
            #"{"id": "a", "annotations": [{"type": "P", "start": 0, "end": 4, "features": {"s": "x"}}, {"type": "P", "start": 5, "end": 9}]}"#
        )
        let r = try results(
            #"{"id": "a", "annotations": [{"type": "P", "start": 0, "end": 4, "text": "", "features": {"s": "x"}}]}"#)
        report = try Scorer.score(gold: g, results: r, options: ScoreOptions(features: ["s"]))
    }

    @Test func parsesSpecs() throws {
        let total = try Floor(parsing: "f1=0.6")
        #expect(total.type == nil && total.metric == .f1 && total.minimum == 0.6)
        let feature = try Floor(parsing: "P.s.precision=1")
        #expect(feature.type == "P" && feature.feature == "s" && feature.metric == .precision)
        #expect(error { _ = try Floor(parsing: "P.fscore=0.5") }.contains("unknown figure"))
        #expect(error { _ = try Floor(parsing: "f1=1.5") }.contains("between 0 and 1"))
        #expect(error { _ = try Floor(parsing: "f1") }.contains("SPEC=VALUE"))
    }

    @Test func checksFigures() throws {
        // P: gold 2, system 1, correct 1: precision 1, recall 0.5, F1 0.667.
        #expect(try Floor(parsing: "precision=1").isMet(by: report))
        #expect(try Floor(parsing: "recall=0.5").isMet(by: report))
        #expect(!(try Floor(parsing: "P.f1=0.7").isMet(by: report)))
        #expect(try Floor(parsing: "P.s.f1=1").isMet(by: report))
        #expect(
            error { try Floor(parsing: "Q.f1=0.5").validate(against: report) }.contains(
                "no type Q is scored (types: P)"))
        #expect(
            error { try Floor(parsing: "P.t.f1=0.5").validate(against: report) }.contains("feature t is not compared"))
    }
}

@Suite struct GoldFileTests {
    @Test func sortsSpansAndWarnsAboutOverlaps() throws {
        let g = try gold(
            #"{"id": "a", "text_sha256": "ignored", "annotations": [{"type": "P", "start": 5, "end": 12}, {"type": "P", "start": 3, "end": 9}, {"type": "Q", "start": 4, "end": 6}]}"#
        )
        #expect(g.documents[0].spans.map(\.start) == [3, 4, 5])
        #expect(g.warnings == ["gold.jsonl:1: a: P spans overlap: 3-9 and 5-12 (both are scored)"])
    }

    @Test func namesFileAndLineOfBadInput() {
        #expect(
            error { _ = try gold("{\"id\": \"a\"}\n{\"id\": \"b\", \"annotations\": [}\n") }.hasPrefix(
                "gold.jsonl:2: invalid JSON"))
        #expect(
            error { _ = try gold(#"{"id": "a", "annotations": [{"type": "P", "start": -1, "end": 3}]}"#) }
                == #"gold.jsonl:1: annotation 1: "start" is negative (-1)"#)
        #expect(
            error { _ = try gold(#"{"id": "a", "annotations": [{"type": "P", "start": 5, "end": 3}]}"#) }
                == "gold.jsonl:1: annotation 1 (P): start 5 is after end 3")
        #expect(error { _ = try gold("\n  \n") } == "gold.jsonl: no documents in the gold file")
        #expect(
            error { _ = try gold("{\"id\": \"a\"}\n{\"id\": \"a\"}") }
                == "gold.jsonl:2: document a is already on line 1")
        #expect(error { _ = try gold(#"{"id": "a"}"#, key: .sha256) }.contains("no \"sha256\" in this document"))
        #expect(error { _ = try gold("[1]") } == "gold.jsonl:1: expected a JSON object")
    }
}

@Suite struct ImportTests {
    @Test func bratWithCRLFTextIsRemapped() throws {
        // Raw code points: "Ana Ros" 0-7, CR LF 7-9, "visited" 9-16, "Tovik" 17-22, "Lake" 28-32, "Orm" 33-36.
        let txt = Array("Ana Ros\r\nvisited Tovik and\r\nLake Orm.\r\n".utf8)
        let text = try NormalizedOffsets(bytes: txt, path: "story.txt")
        let ann = """
            T1\tPERSON 0 7\tAna Ros
            T2\tLOCATION 17 22\tTovik
            T3\tLOCATION 28 32;33 36\tLake Orm
            A1\tRole T1 mayor
            A2\tNegated T2
            N1\tReference T1 Wiki:42\tAna Ros
            R1\tLives Arg1:T1 Arg2:T2
            E1\tVisit:T1
            #1\tAnnotatorNotes T1\tchecked
            """
        let result = try BratImporter.convert(
            ann: ann, path: "in/story.ann", text: text, textPath: "in/story.txt", sha256: "ff")
        let doc = try #require(result.documents.first)
        #expect(doc.id == "story" && doc.sha256 == "ff")
        #expect(
            doc.spans.map { "\($0.type) \($0.start)-\($0.end) \($0.text ?? "-")" }
                == ["PERSON 0-7 Ana Ros", "LOCATION 16-21 Tovik", "LOCATION 26-34 -"])
        #expect(doc.spans[2].parts == [26..<30, 31..<34])
        #expect(doc.spans[0].features == ["Role": "mayor", "norm": "Wiki:42"])
        #expect(doc.spans[1].features == ["Negated": true])
        #expect(result.skipped == ["relations": 1, "events": 1, "notes": 1])
        #expect(result.warnings.count == 1 && result.warnings[0].contains("converted"), "\(result.warnings)")
        #expect(
            doc.goldLine.hasPrefix(
                #"{"id":"story","sha256":"ff","annotations":[{"type":"PERSON","start":0,"end":7,"text":"Ana Ros""#))
    }

    @Test func bratErrorsNameTheLine() {
        #expect(
            error { _ = try BratImporter.convert(ann: "T1\tPERSON 0 x\tAna", path: "a.ann") }.hasPrefix(
                "a.ann:1: T1: offsets must be"))
        #expect(
            error { _ = try BratImporter.convert(ann: "T1\tPERSON 0 3\tAna\nA1\tRole T9 x", path: "a.ann") }
                == "a.ann:2: A1 refers to T9, which is not defined in this file")
        #expect(
            error { _ = try BratImporter.convert(ann: "X1\tfoo", path: "a.ann") }.hasPrefix(
                "a.ann:1: not a brat annotation line"))
        let text = try? NormalizedOffsets(bytes: Array("Ana".utf8), path: "a.txt")
        #expect(
            error {
                _ = try BratImporter.convert(ann: "T1\tPERSON 0 9\tAna", path: "a.ann", text: text, textPath: "a.txt")
            }
            .contains("past the end of a.txt (3 characters)"))
        let warned = try? BratImporter.convert(ann: "T1\tPERSON 0 3\tBob", path: "a.ann", text: text, textPath: "a.txt")
        #expect(warned?.warnings == [#"a.ann:1: T1: the text "Bob" differs from a.txt at 0-3: "Ana""#])
    }

    static let conll = """
        -DOCSTART- -X- O O

        Ana NNP B-PER
        Ros NNP I-PER
        visited VBD O
        Tovik NNP S-LOC
        . . O

        I-tagged I-ORG
        run I-ORG
        here O
        """

    @Test func conllWithoutText() throws {
        let result = try CoNLLImporter.convert(conll: Self.conll, path: "x/news.conll", hash: { "h\($0.count)" })
        let doc = try #require(result.documents.first)
        #expect(result.documents.count == 1)
        #expect(doc.id == "news")
        #expect(doc.text == "Ana Ros visited Tovik .\nI-tagged run here")
        #expect(doc.sha256 == "h41")
        #expect(
            doc.spans.map { "\($0.type) \($0.start)-\($0.end) \($0.text!)" }
                == ["PER 0-7 Ana Ros", "LOC 16-21 Tovik", "ORG 24-36 I-tagged run"])
        #expect(result.notes.count == 1)
    }

    @Test func conllSchemes() throws {
        let bioes = "A B-X\nB E-X\nC S-X\nD S-X\nE B-X\nF O\nG I-X\n\nH E-Y\n"
        let spans = try CoNLLImporter.convert(conll: bioes, path: "t.conll").documents[0].spans
        #expect(spans.map { $0.text! } == ["A B", "C", "D", "E", "G", "H"])
        let docs = try CoNLLImporter.convert(conll: "-DOCSTART- O\n\nA B-X\n\n-DOCSTART- O\n\nB B-Y\n", path: "t.conll")
            .documents
        #expect(docs.map(\.id) == ["t#1", "t#2"])
    }

    @Test func conllAlignsToText() throws {
        let text = try NormalizedOffsets(
            bytes: Array("\u{FEFF}Ana Ros visited\r\nTovik (today).".utf8), path: "news.txt")
        let conll = "Ana B-PER\nRos I-PER\nvisited O\nTovik B-LOC\n-LRB- O\ntoday O\n-RRB- O\n. O\n"
        let result = try CoNLLImporter.convert(
            conll: conll, path: "news.conll", text: text, textPath: "news.txt", sha256: "s")
        let doc = try #require(result.documents.first)
        #expect(doc.id == "news" && doc.sha256 == "s" && doc.text == nil)
        #expect(
            doc.spans.map { "\($0.type) \($0.start)-\($0.end) \($0.text!)" } == ["PER 0-7 Ana Ros", "LOC 16-21 Tovik"])
        #expect(
            error {
                _ = try CoNLLImporter.convert(
                    conll: "Ana B-PER\nBob O\n", path: "n.conll", text: text, textPath: "news.txt")
            }
                == #"n.conll:2: token "Bob" not found in news.txt at code point 4, where the text has "Ros visited\nTovik (today).""#
        )
    }

    @Test func conllErrorsNameTheLine() {
        #expect(
            error { _ = try CoNLLImporter.convert(conll: "Ana B-PER\nRos\n", path: "a.conll") }.hasPrefix(
                "a.conll:2: expected a token and a tag"))
        #expect(
            error { _ = try CoNLLImporter.convert(conll: "Ana B_PER\n", path: "a.conll") }.hasPrefix(
                "a.conll:1: bad tag 'B_PER'"))
    }
}

// MARK: - Text overlap (quarry score --pages)

@Suite struct TextOverlapTests {
    @Test func wordsAreLettersNumbersAndUnderscores() {
        #expect(
            TextOverlap.words("Fish & chips, £5.50 each—snake_case; naïve Ελλάδα 東京") == [
                "Fish", "chips", "5", "50", "each", "snake_case", "naïve", "Ελλάδα", "東京",
            ])
        #expect(TextOverlap.words("  ... ") == [])
        #expect(TextOverlap.words("end") == ["end"])
    }

    @Test func gramsAreAMultisetAndKeepCase() {
        let g = TextOverlap.grams("a b c d a b c d", n: 4)
        #expect(g["a b c d"] == 2)
        #expect(g["b c d a"] == 1)
        #expect(g.values.reduce(0, +) == 5)
        #expect(TextOverlap.grams("A b c d", n: 4)["a b c d"] == nil)
        #expect(TextOverlap.grams("too short", n: 4).isEmpty)
        #expect(TextOverlap.grams("one two", n: 1) == ["one": 1, "two": 1])
    }

    @Test func precisionRecallAndF1() {
        // reference 6 words → 3 grams; extracted adds 2 words of furniture → 5 grams, 3 shared
        let f = TextOverlap.compare(
            extracted: "one two three four five six Share Close", reference: "one two three four five six")
        #expect(f.reference == 3 && f.extracted == 5 && f.common == 3)
        #expect(f.precision == 0.6)
        #expect(f.recall == 1)
        #expect(abs(f.f1 - 0.75) < 1e-12)
        // a repeated gram counts only as often as the reference has it
        let twice = TextOverlap.compare(extracted: "a b c d a b c d", reference: "a b c d")
        #expect(twice.common == 1 && twice.precision == 0.2)
    }

    @Test func emptySides() {
        let both = TextOverlap.compare(extracted: "", reference: "")
        #expect(both.f1 == 1 && both.precision == 1 && both.recall == 1)
        let nothingExtracted = TextOverlap.compare(extracted: "", reference: "one two three four")
        #expect(nothingExtracted.f1 == 0 && nothingExtracted.recall == 0 && nothingExtracted.precision == 1)
        let nothingExpected = TextOverlap.compare(extracted: "one two three four", reference: "")
        #expect(nothingExpected.f1 == 0 && nothingExpected.precision == 0)
    }

    @Test func pageMeansLowestAndFloors() throws {
        var scores = PageScores()
        scores.add(name: "good", extracted: "w1 w2 w3 w4 w5", reference: "w1 w2 w3 w4 w5")
        scores.add(name: "half", extracted: "w1 w2 w3 w4 x1 x2 x3 x4", reference: "w1 w2 w3 w4")
        scores.add(name: "empty-reference", extracted: "", reference: "tiny")
        #expect(scores.pages.count == 3)
        #expect(scores.ranked.map(\.name) == ["half", "empty-reference", "good"])
        #expect(scores.lowest?.name == "half", "a page whose reference is empty is not the lowest")
        let half = 2.0 * 1 / 6
        #expect(abs((scores.f1 ?? 0) - (1 + half + 1) / 3) < 1e-12)
        #expect(try scores.value(of: Floor(parsing: "min.f1=0.5")) == half)
        #expect(try !scores.isMet(Floor(parsing: "min.f1=0.5")))
        #expect(try scores.isMet(Floor(parsing: "recall=1")))
        #expect(error { _ = try scores.value(of: Floor(parsing: "PERSON.f1=0.5")) }.contains("min.f1"))
        let text = scores.renderText(worst: 2)
        #expect(text.contains("pages 3, word 4-grams"))
        #expect(text.contains("lowest F1 0.333 (half)"))
        #expect(text.contains("worst pages:\n  half"))
        #expect(!text.contains("  good "), "only the two worst are listed")
        guard case .object(let json) = scores.json(floors: [try Floor(parsing: "f1=0.9")]) else {
            Issue.record("not an object"); return
        }
        #expect(json["lowest"] == .string("half"))
        #expect(json["by_page"].flatMap { if case .array(let a) = $0 { a.count } else { nil } } == 3)
        #expect(PageScores().f1 == nil)
    }
}
