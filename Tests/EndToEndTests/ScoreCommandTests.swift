// End-to-end: `quarry score` through the built binary, on made-up documents (Fixtures/score/docs), a
// hand-written run (Fixtures/score/run/results.jsonl) and gold file with hand-computed figures, a brat
// .ann/.txt pair with CRLF line ends and a decomposed é, a CoNLL file, and every kind of bad input.
import Foundation
import QuarryTestSupport
import Testing

private let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/score")

/// Runs `quarry score` in the fixtures folder, so that paths in the output are short.
private func score(_ arguments: [String], in folder: URL = fixtures) throws -> ProcessResult {
    try TestSupport.quarry(["score"] + arguments, currentDirectory: folder)
}

/// The table row that starts with `label` (the type or `  .feature`), split into its columns.
/// Runs `quarry score` in `folder` and checks its exit status and that standard error says `message`.
private func expectFailure(
    _ args: [String], in folder: URL, status: Int32, _ message: String, sourceLocation: SourceLocation
) throws {
    let r = try score(args, in: folder)
    #expect(r.status == status, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(message), "\(r.stderr)", sourceLocation: sourceLocation)
}

private func row(_ stdout: String, _ label: String) -> [String] {
    guard let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix(label + " ") }) else { return [] }
    return line.split(separator: " ").map(String.init)
}

private func json(_ stdout: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any])
}

@Suite struct ScoreCommandTests {
    // Hand-computed figures of Fixtures/score (exact matching):
    //   PERSON   gold 6 (3 + 2 + 1 in the missing mill-closure.txt), system 4, TP 3 (Ana Ros, Ros, Lena Brandt):
    //            P 3/4, R 3/6, F1 6/10. Piet ≠ Piet Valk; Brandt missed.
    //   LOCATION gold 3, system 3 (Monday is a false hit), TP 2 (Tovik, Orm Island): 2/3 each.
    //   QUOTE    gold 2, system 2, TP 2.
    //   total    gold 11, system 9, TP 7: P 0.778, R 0.636, F1 14/20.
    //   PERSON.canonical: gold items 6, system items 4, correct 2 (ana ros = Ana Ros; Ros ≠ Ana Ros).
    //   QUOTE.speaker: gold items 2, system items 1 (null is no value), correct 1.
    @Test func figuresOfAHandComputedCase() throws {
        let r = try score(["gold.jsonl", "run", "--feature", "canonical", "--feature", "speaker"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(row(r.stdout, "PERSON") == ["PERSON", "6", "4", "3", "1", "3", "0.750", "0.500", "0.600"])
        #expect(row(r.stdout, "  .canonical") == [".canonical", "6", "4", "2", "2", "4", "0.500", "0.333", "0.400"])
        #expect(row(r.stdout, "LOCATION") == ["LOCATION", "3", "3", "2", "1", "1", "0.667", "0.667", "0.667"])
        #expect(row(r.stdout, "QUOTE") == ["QUOTE", "2", "2", "2", "0", "0", "1.000", "1.000", "1.000"])
        #expect(row(r.stdout, "  .speaker") == [".speaker", "2", "1", "1", "0", "1", "1.000", "0.500", "0.667"])
        #expect(row(r.stdout, "total") == ["total", "11", "9", "7", "2", "4", "0.778", "0.636", "0.700"])
        #expect(
            r.stdout.contains(
                "documents: 3 in the gold, 2 scored, 1 missing from the results, 1 in the results without gold (not scored)"
            ))
        #expect(r.stdout.contains("  mill-closure.txt (gold.jsonl:3): 2 annotations"))
        #expect(r.stdout.contains(#"  harbour-talks.txt  109-118  PERSON  "Piet Valk"  {"canonical":"Piet Valk"}"#))
        #expect(r.stdout.contains(#"  harbour-talks.txt  43-49  LOCATION  "Monday""#))
        #expect(r.stdout.contains(#"      canonical: gold "Ana Ros", system "Ros""#))
        #expect(r.stdout.contains(#"      speaker: gold "Lena Brandt", system none"#))
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func theHandWrittenRunIsAValidResultsFile() throws {
        let schema = try SchemaValidator(file: "docs/schemas/result.schema.json")
        let lines = try String(contentsOf: fixtures.appendingPathComponent("run/results.jsonl"), encoding: .utf8)
        for line in lines.split(separator: "\n") { #expect(schema.problems(json: String(line)) == []) }
    }

    @Test func aliasesOverlapWhereAndQuiet() throws {
        let aliased = try score(["gold.jsonl", "run", "--feature", "canonical", "--aliases", "aliases.tsv", "--quiet"])
        #expect(
            row(aliased.stdout, "  .canonical") == [".canonical", "6", "4", "3", "1", "3", "0.750", "0.500", "0.600"])
        #expect(!aliased.stdout.contains("Misses"))
        // Overlap: Piet matches Piet Valk.
        let overlap = try score(["gold.jsonl", "run", "--match", "overlap", "--quiet"])
        #expect(row(overlap.stdout, "PERSON") == ["PERSON", "6", "4", "4", "0", "2", "1.000", "0.667", "0.800"])
        #expect(row(overlap.stdout, "total") == ["total", "11", "9", "8", "1", "3", "0.889", "0.727", "0.800"])
        let direct = try score(["gold.jsonl", "run", "--type", "QUOTE", "--where", "direct=true", "--quiet"])
        #expect(row(direct.stdout, "QUOTE") == ["QUOTE", "1", "1", "1", "0", "0", "1.000", "1.000", "1.000"])
        #expect(row(direct.stdout, "PERSON").isEmpty)
        let indirect = try score([
            "gold.jsonl", "run", "--type", "QUOTE", "--where", "direct=false", "--feature", "speaker",
        ])
        #expect(row(indirect.stdout, "  .speaker") == [".speaker", "1", "0", "0", "0", "1", "-", "0.000", "0.000"])
    }

    @Test func docsGiveContextThroughTheReaders() throws {
        let r = try score(["gold.jsonl", "run", "--docs", "docs", "--format", "txt", "--show", "1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(
            r.stdout.contains(
                #"      Ana Ros met dock workers in Tovik on [Monday]. "We will reopen the harbour," Ros\#n"#))
        #expect(r.stdout.contains("  … 1 more (--show N to list more)"))
        // The gold LOCATION without a text gets it from the document.
        #expect(!r.stdout.contains("text unknown"))
        let without = try score(["gold.jsonl", "run", "--show", "all"])
        #expect(!without.stdout.contains("[Monday]"))
    }

    @Test func jsonReportAndFloors() throws {
        let r = try score([
            "gold.jsonl", "run", "--json", "--feature", "speaker", "--min", "QUOTE.f1=1", "--min", "f1=0.7",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let report = try json(r.stdout)
        let total = try #require(report["total"] as? [String: Any])
        #expect(total["tp"] as? Int == 7 && total["fp"] as? Int == 2 && total["fn"] as? Int == 4)
        #expect(total["precision"] as? Double == 0.7778 && total["f1"] as? Double == 0.7)
        let types = try #require(report["types"] as? [String: [String: Any]])
        let speaker = try #require((types["QUOTE"]?["features"] as? [String: [String: Any]])?["speaker"])
        #expect(speaker["recall"] as? Double == 0.5)
        #expect((report["misses"] as? [[String: Any]])?.count == 2)
        #expect((report["false_hits"] as? [[String: Any]])?.first?["text"] as? String == "Monday")
        #expect((report["floors"] as? [[String: Any]])?.allSatisfy { $0["met"] as? Bool == true } == true)

        let failed = try score([
            "gold.jsonl", "run", "--quiet", "--min", "f1=0.8", "--min", "PERSON.recall=0.5", "--min",
            "LOCATION.precision=0.9",
        ])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("floor not met: f1 is 0.700, below 0.8"))
        #expect(failed.stderr.contains("floor not met: LOCATION.precision is 0.667, below 0.9"))
        #expect(!failed.stderr.contains("PERSON.recall"))
        let unknownType = try score(["gold.jsonl", "run", "--min", "PERSN.f1=0.5"])
        #expect(unknownType.status == 2)
        #expect(unknownType.stderr.contains("no type PERSN is scored (types: LOCATION, PERSON, QUOTE)"))
        let unknownFigure = try score(["gold.jsonl", "run", "--min", "PERSON.f2=0.5"])
        #expect(unknownFigure.status == 2)
        #expect(unknownFigure.stderr.contains("unknown figure"))
        let unknownFeature = try score(["gold.jsonl", "run", "--min", "PERSON.canonical.f1=0.5"])
        #expect(unknownFeature.status == 2)
        #expect(unknownFeature.stderr.contains("give it with --feature canonical"))
    }

    @Test func bratImportIsRemappedToWhatQuarryRunReads() throws {
        let work = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let gold = work.appendingPathComponent("council.jsonl").path
        let imported = try score(["--import", "brat", "brat", "--out", gold])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(
            imported.stderr.contains(
                "council.txt: Quarry's normalization changes this text (converted 2 CRLF line ends to LF; applied NFC"))
        #expect(imported.stderr.contains("1 document, 5 annotations written to"))
        #expect(imported.stderr.contains("skipped (notes: 1, relations: 1)"))
        let line = try String(contentsOfFile: gold, encoding: .utf8)
        // Piet Valk is at 57-66 of the raw .txt (after one CRLF), 56-65 of the text quarry run reads; Café Lund
        // (a decomposed é) at 70-80 raw, 69-78 read.
        #expect(
            line.contains(#"{"type":"PERSON","start":56,"end":65,"text":"Piet Valk","features":{"Confirmed":true}}"#))
        #expect(line.contains(#"{"type":"ORGANIZATION","start":69,"end":78,"text":"Café Lund","features":{}}"#))
        #expect(line.contains(#""parts":[[19,25],[30,37]]"#))
        #expect(line.contains(#""features":{"Role":"councillor"}"#) && line.contains(#""norm":"Geo:7""#))

        // A real run over the .txt finds the same offsets: every name matches, by SHA-256.
        let out = work.appendingPathComponent("run")
        let run = try TestSupport.quarry([
            "run", fixtures.appendingPathComponent("brat/council.txt").path, "--plugins",
            fixtures.appendingPathComponent("plugins").path, "--select", "gazetteer",
            "--out", out.path, "--quiet",
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let scored = try score([
            gold, out.path, "--by", "sha256", "--type", "PERSON", "--type", "LOCATION", "--type", "ORGANIZATION",
        ])
        #expect(scored.status == 0, "\(scored.stderr)")
        #expect(row(scored.stdout, "total") == ["total", "4", "4", "4", "0", "0", "1.000", "1.000", "1.000"])
        // By id, brat's id (the file name without extension) is not quarry run's: the hint says what to do.
        let byID = try score([gold, out.path])
        #expect(byID.stdout.contains("1 missing from the results"))
        #expect(
            byID.stderr.contains(
                "hint: 1 of the 1 missing documents match a document of the results by SHA-256: use --by sha256"))
    }

    @Test func conllImportWithAndWithoutText() throws {
        let work = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let gold = work.appendingPathComponent("ferry.jsonl").path
        let aligned = try score([
            "--import", "conll", "conll/ferry-notes.conll", "--text", "docs/ferry-notes.txt", "--out", gold,
        ])
        #expect(aligned.status == 0, "\(aligned.stderr)")
        let scored = try score([gold, "run", "--by", "sha256", "--quiet"])
        #expect(row(scored.stdout, "PERSON") == ["PERSON", "2", "1", "1", "0", "1", "1.000", "0.500", "0.667"])
        #expect(row(scored.stdout, "total") == ["total", "3", "2", "2", "0", "1", "1.000", "0.667", "0.800"])

        let joined = try score(["--import", "conll", "conll/ferry-notes.conll"])
        #expect(joined.status == 0, "\(joined.stderr)")
        #expect(
            joined.stderr.contains("no --text: offsets are into the tokens joined by single spaces, a sentence a line"))
        #expect(joined.stdout.contains(#"{"type":"PERSON","start":49,"end":60,"text":"Lena Brandt","features":{}}"#))
        #expect(
            joined.stdout.contains(
                #""text":"The ferry to Orm Island resumed on Friday , said Lena Brandt of the port office .\nBrandt warned"#
            ))
    }

    @Test func badGoldInputIsReportedWithFileAndLine() throws {
        let harbour = #"{"id": "harbour-talks.txt", "annotations": [{"type": "PERSON", "start": 6, "end": 13}]}"#
        let folder = try TestSupport.folder(with: [
            "malformed.jsonl": harbour + "\n{\"id\": \"ferry-notes.txt\", \"annotations\": [\n",
            "empty.jsonl": "\n\n",
            "negative.jsonl": #"{"id": "a", "annotations": [{"type": "PERSON", "start": -2, "end": 3}]}"#,
            "reversed.jsonl": "\n" + #"{"id": "a", "annotations": [{"type": "PERSON", "start": 9, "end": 3}]}"#,
            "past.jsonl":
                #"{"id": "harbour-talks.txt", "annotations": [{"type": "PERSON", "start": 490, "end": 500}]}"#,
            "overlapping.jsonl":
                #"{"id": "harbour-talks.txt", "annotations": [{"type": "PERSON", "start": 6, "end": 13}, {"type": "PERSON", "start": 10, "end": 20}]}"#,
            "stems.jsonl":
                #"{"id": "harbour-talks", "sha256": "8d36d85b47fbbe9a4748f5884f03b1ca9ef55372ad53eb2dd0371262e0d3002c", "annotations": []}"#,
            "wrong-sha.jsonl": #"{"id": "harbour-talks.txt", "sha256": "0000", "annotations": []}"#,
            "run-without-results/run.json": "{}",
            "bad-results/results.jsonl":
                #"{"id": "harbour-talks.txt", "annotations": [{"type": "PERSON", "start": 6}]}"#,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = fixtures.appendingPathComponent("run").path
        func check(
            _ args: [String], status: Int32, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            try expectFailure(args, in: folder, status: status, message, sourceLocation: sourceLocation)
        }
        try check(["malformed.jsonl", run], status: 2, "malformed.jsonl:2: invalid JSON")
        try check(["empty.jsonl", run], status: 2, "empty.jsonl: no documents in the gold file")
        try check(["negative.jsonl", run], status: 2, #"negative.jsonl:1: annotation 1: "start" is negative (-2)"#)
        try check(
            ["reversed.jsonl", run], status: 2, "reversed.jsonl:2: annotation 1 (PERSON): start 9 is after end 3")
        try check(
            ["past.jsonl", run, "--docs", fixtures.appendingPathComponent("docs").path], status: 2,
            "past.jsonl:1: harbour-talks.txt: PERSON 490-500 ends past the end of the document (--docs), which has 138 code points"
        )
        try check(
            ["overlapping.jsonl", run, "--quiet"], status: 0,
            "overlapping.jsonl:1: harbour-talks.txt: PERSON spans overlap: 6-13 and 10-20 (both are scored)")
        try check(
            ["stems.jsonl", run], status: 0,
            "hint: 1 of the 1 missing documents match a document of the results by SHA-256: use --by sha256")
        try check(
            ["stems.jsonl", run], status: 0, "gold id 'harbour-talks' looks like the results' 'harbour-talks.txt'")
        try check(
            ["wrong-sha.jsonl", run, "--by", "sha256"], status: 0, "match a document of the results by id: use --by id")
        try check(
            ["stems.jsonl", "run-without-results"], status: 2, "run-without-results: no results.jsonl in this folder")
        try check(
            ["overlapping.jsonl", "bad-results"], status: 2,
            #"bad-results/results.jsonl:1: annotation 1: missing "end""#)
        try check(["nothing.jsonl", run], status: 2, "nothing.jsonl: no such file")
        try check(["stems.jsonl", run, "--match", "fuzzy"], status: 2, "--match takes exact or overlap")
        try check(["stems.jsonl"], status: 2, "give the gold file and the results")
        try check(["stems.jsonl", run, "--where", "direct"], status: 2, "--where takes FEATURE=VALUE")
        try check(["stems.jsonl", run, "--show", "lots"], status: 2, "--show takes a number")

        let overlapping = try score(["overlapping.jsonl", run, "--quiet"], in: folder)
        #expect(row(overlapping.stdout, "PERSON") == ["PERSON", "2", "3", "1", "2", "1", "0.333", "0.500", "0.400"])
    }

    @Test func badImportInputIsReportedWithFileAndLine() throws {
        let folder = try TestSupport.folder(with: [
            "bad/offsets.ann": "T1\tPERSON 0 3\tAna\nT2\tPERSON 4 x\tRos\n",
            "bad/offsets.txt": "Ana Ros\n",
            "past/past.ann": "T1\tPERSON 0 30\tAna\n",
            "past/past.txt": "Ana Ros\n",
            "dangling/d.ann": "T1\tPERSON 0 3\tAna\nA1\tRole T7 mayor\n",
            "lonely/lonely.ann": "T1\tPERSON 0 3\tAna\n",
            "tags.conll": "Ana B-PER\nRos I-PER\nsaid OUT\n",
            "columns.conll": "Ana B-PER\nRos\n",
            "text.txt": "Ana Ros said so.\n",
            "mismatch.conll": "Ana B-PER\nRos I-PER\nshouted O\n",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        func check(
            _ args: [String], status: Int32, _ message: String, sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            try expectFailure(args, in: folder, status: status, message, sourceLocation: sourceLocation)
        }
        try check(["--import", "brat", "bad"], status: 2, "bad/offsets.ann:2: T2: offsets must be START END")
        try check(
            ["--import", "brat", "past/past.ann"], status: 2,
            "past/past.ann:1: T1: offsets 0-30 are past the end of past/past.txt (8 characters)")
        try check(
            ["--import", "brat", "dangling"], status: 2,
            "dangling/d.ann:2: A1 refers to T7, which is not defined in this file")
        try check(["--import", "brat", "lonely"], status: 0, "lonely/lonely.ann: no lonely.txt beside it")
        try check(["--import", "brat", "text.txt"], status: 2, "text.txt: not a brat .ann file")
        try check(["--import", "conll", "tags.conll"], status: 2, "tags.conll:3: bad tag 'OUT'")
        try check(["--import", "conll", "columns.conll"], status: 2, "columns.conll:2: expected a token and a tag")
        try check(
            ["--import", "conll", "mismatch.conll", "--text", "text.txt"], status: 2,
            #"mismatch.conll:3: token "shouted" not found in text.txt at code point 8, where the text has "said so.\n""#
        )
        try check(["--import", "xml", "text.txt"], status: 2, "--import takes brat or conll")
    }

    @Test func helpExplainsEveryOption() throws {
        let r = try TestSupport.quarry(["score", "--help"])
        #expect(r.status == 0)
        for option in [
            "--by", "--type", "--match", "--where", "--feature", "--aliases", "--docs", "--show", "--quiet",
            "--json", "--min", "--import", "--out", "--text", "--id-field", "--format",
        ] {
            #expect(r.stdout.contains(option), "\(option)")
        }
        #expect(r.stdout.contains("precision = correct / system"))
    }
}
