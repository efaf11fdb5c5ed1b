// ResultWriter, ResumePlan and RunFolder: lines in the order given, whole lines only, counts and
// records for the summary and finish, fail-fast, and what --resume keeps of an earlier run
// (a torn last line included).
import DocumentModel
import Foundation
import Testing

@testable import BatchRunner

@Suite struct ResultWriterTests {
    @Test func writesLinesErrorsAndCounts() throws {
        let folder = try freshFolder()
        defer { folder.close() }
        var writer = ResultWriter(folder: folder)
        var withRecords = resultLine("a")
        withRecords["records"] = ["p": [1, "x"], "q": "not a list"]
        try writer.write(entry(0, [doc(withRecords, bytes: 10, seconds: ["p": 0.5])]))
        try writer.write(
            entry(
                1,
                [
                    doc(
                        resultLine("b", status: "failed", errors: [errorValue("boom"), errorValue("bang")]), bytes: 5,
                        seconds: ["p": 0.25, "q": 1])
                ]))
        var skipped = doc(resultLine("c", status: "skipped"))
        skipped.skipped = true
        try writer.write(entry(2, [skipped]))
        writer.entryDone()
        #expect(contents(folder.resultsURL).isEmpty, "small writes wait for a flush")
        try writer.flush()

        #expect(try ids(folder.resultsURL) == ["a", "b", "c"])
        #expect(contents(folder.resultsURL).hasSuffix("}\n"))
        let errors = contents(folder.errorsURL).split(separator: "\n")
        #expect(errors.count == 2)
        #expect(errors.first?.hasPrefix(#"{"document":"b","path":"b","plugin":"p","phase":"process""#) == true)
        let summary = writer.summary
        #expect(
            (summary.documents, summary.ok, summary.failed, summary.skipped, summary.bytes, summary.files) == (
                2, 1, 1, 1, 15, 1
            ))
        #expect(!summary.stoppedEarly)
        #expect(writer.pluginSeconds == ["p": 0.75, "q": 1])
        #expect(
            writer.records.inMemory.mapValues { $0.map { String(decoding: $0, as: UTF8.self) } } == [
                "p": [#"[1,"x"]"#]
            ],
            "only lists of records go to finish")
    }

    @Test func flushesOnceEnoughIsWaiting() throws {
        let folder = try freshFolder()
        defer { folder.close() }
        var writer = ResultWriter(folder: folder)
        let big = resultLine(
            "big", extra: ["text": .string(String(repeating: "x", count: ResultWriter.flushThreshold))])
        try writer.write(entry(0, [doc(resultLine("small"))]))
        #expect(contents(folder.resultsURL).isEmpty)
        try writer.write(entry(1, [doc(big)]))
        #expect(try ids(folder.resultsURL) == ["small", "big"], "written without a flush")
    }

    @Test func failFastStopsAtTheFirstFailureAndWritesIt() throws {
        let folder = try freshFolder()
        defer { folder.close() }
        var writer = ResultWriter(folder: folder, failFast: true)
        try writer.write(entry(0, [doc(resultLine("a"))]))
        #expect(!writer.summary.stoppedEarly)
        try writer.write(entry(1, [doc(resultLine("b", status: "failed", errors: [errorValue("boom")]))]))
        #expect(writer.summary.stoppedEarly)
        #expect(try ids(folder.resultsURL) == ["a", "b"], "flushed at the stop")
        #expect(try ids(folder.errorsURL) == ["b"])
    }

    // MARK: - Torn lines and resume

    /// A folder holding an earlier run's results.jsonl and run.json (with a fingerprint).
    func earlierRun(_ lines: [JSONObject], tail: String = "") throws -> RunFolder {
        let folder = try freshFolder()
        for line in lines { try folder.append(results: ResultEncoder.bytes(line), errors: []) }
        folder.close()
        if !tail.isEmpty {
            let handle = try FileHandle(forWritingTo: folder.resultsURL)
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(tail.utf8))
            try handle.close()
        }
        return folder
    }

    @Test func aTornLastLineIsNotKept() throws {
        let folder = try earlierRun([resultLine("a"), resultLine("b")], tail: #"{"id":"c","path":"c","sta"#)
        let kept = try folder.keptLines()
        #expect(kept.map(\.id) == ["a", "b"])
        #expect(
            kept.last?.end
                == UInt64(ResultEncoder.bytes(resultLine("a")).count + ResultEncoder.bytes(resultLine("b")).count))
        try folder.openForWriting(keepingResultsBytes: kept.last?.end ?? 0, keptErrors: [])
        defer { folder.close() }
        var writer = ResultWriter(folder: folder, resume: ResumePlan(kept: kept))
        try writer.write(entry(0, [doc(resultLine("a"))]))
        try writer.write(entry(1, [doc(resultLine("b"))]))
        try writer.write(entry(2, [doc(resultLine("c"))]))
        try writer.flush()
        try writer.finish()
        #expect(try ids(folder.resultsURL) == ["a", "b", "c"], "the torn bytes are gone, every line parses")
    }

    @Test func aLineThatIsNotAnObjectEndsWhatIsKept() throws {
        let folder = try earlierRun([resultLine("a")], tail: "[1,2]\n")
        #expect(try folder.keptLines().map(\.id) == ["a"])
    }

    @Test func resumeKeepsTheMatchingPrefixAndRewritesFromTheFirstDifference() throws {
        let b = resultLine("b", status: "failed", errors: [errorValue("old")])
        let folder = try earlierRun([resultLine("a"), b, resultLine("c")])
        let kept = try folder.keptLines()
        try folder.openForWriting(
            keepingResultsBytes: kept.last?.end ?? 0,
            keptErrors: kept.flatMap { ResultEncoder.errorLines(of: $0.object) })
        defer { folder.close() }
        #expect(try ids(folder.errorsURL) == ["b"])
        var writer = ResultWriter(folder: folder, resume: ResumePlan(kept: kept))
        try writer.write(entry(0, [doc(resultLine("a"))]))
        try writer.write(entry(1, [doc(b)]))
        try writer.write(entry(2, [doc(resultLine("d", status: "failed", errors: [errorValue("new")]))]))
        try writer.flush()
        try writer.finish()
        #expect(try ids(folder.resultsURL) == ["a", "b", "d"])
        #expect(try ids(folder.errorsURL) == ["b", "d"])
        #expect(writer.summary.documents == 3, "kept lines count as documents of this run")
    }

    @Test func linesOfTheEarlierRunBeyondTheCorpusAreCut() throws {
        let folder = try earlierRun([
            resultLine("a"), resultLine("b"), resultLine("gone", status: "failed", errors: [errorValue("x")]),
        ])
        let kept = try folder.keptLines()
        try folder.openForWriting(
            keepingResultsBytes: kept.last?.end ?? 0,
            keptErrors: kept.flatMap { ResultEncoder.errorLines(of: $0.object) })
        defer { folder.close() }
        var writer = ResultWriter(folder: folder, resume: ResumePlan(kept: kept))
        try writer.write(entry(0, [doc(resultLine("a"))]))
        try writer.write(entry(1, [doc(resultLine("b"))]))
        try writer.flush()
        #expect(try ids(folder.resultsURL) == ["a", "b", "gone"], "nothing differed yet")
        try writer.finish()
        #expect(try ids(folder.resultsURL) == ["a", "b"])
        #expect(contents(folder.errorsURL).isEmpty)
    }

    @Test func aReusedDocumentTakesTheEarlierLine() throws {
        var old = resultLine("a")
        old["features"] = ["n": 7]
        old["records"] = ["p": [["k": 1]]]
        let folder = try earlierRun([old])
        let kept = try folder.keptLines()
        try folder.openForWriting(keepingResultsBytes: kept.last?.end ?? 0, keptErrors: [])
        defer { folder.close() }
        var writer = ResultWriter(folder: folder, resume: ResumePlan(kept: kept))
        try writer.write(entry(0, [DocOutput(id: "a", line: nil, reused: true, bytes: 3)]))
        try writer.write(entry(1, [doc(resultLine("b"))]))
        try writer.flush()
        try writer.finish()
        #expect(
            contents(folder.resultsURL)
                == String(decoding: ResultEncoder.bytes(old) + ResultEncoder.bytes(resultLine("b")), as: UTF8.self))
        #expect(writer.summary.reused == 1)
        #expect(writer.records.inMemory["p"]?.count == 1, "a reused document's records still go to finish")
    }

    // MARK: - ResumePlan

    func place(_ plan: inout ResumePlan, _ id: String, _ bytes: [UInt8]) -> ResumePlan.Placement {
        plan.place(id: id, bytes: bytes)
    }

    @Test func resumeDecisions() throws {
        let folder = try earlierRun([resultLine("a"), resultLine("b")])
        defer { folder.close() }
        let kept = try folder.keptLines()
        let a = ResultEncoder.bytes(resultLine("a")), b = ResultEncoder.bytes(resultLine("b"))

        var plan = ResumePlan(kept: kept)
        #expect(place(&plan, "a", a) == .alreadyWritten)
        #expect(place(&plan, "b", a) == .append(restartKeeping: 1), "same id, other bytes")
        #expect(place(&plan, "c", a) == .append(restartKeeping: nil), "cut once only")
        #expect(plan.keptAtEnd == nil)

        plan = ResumePlan(kept: kept)
        #expect(place(&plan, "b", b) == .append(restartKeeping: 0), "another document first")

        plan = ResumePlan(kept: kept)
        #expect(place(&plan, "a", a) == .alreadyWritten)
        #expect(plan.keptAtEnd == 1)
        #expect(plan.end(ofFirst: 1) == UInt64(a.count))
        #expect(plan.end(ofFirst: 0) == 0)

        plan = ResumePlan()
        #expect(place(&plan, "a", a) == .append(restartKeeping: nil), "nothing kept: append")
        #expect(plan.keptAtEnd == nil)
    }

    @Test func reuseNeedsTheSameIdAndContent() throws {
        let folder = try earlierRun([resultLine("a"), resultLine("nohash", extra: ["sha256": nil])])
        defer { folder.close() }
        let reuse = ReuseIndex(try folder.keptLines())
        var document = Document(id: "a", text: "x")
        #expect(!reuse.canReuse(document), "no hash")
        document.metadata.sha256 = "sha-a"
        #expect(reuse.canReuse(document))
        document.metadata.sha256 = "sha-other"
        #expect(!reuse.canReuse(document), "content changed")
        document.id = "nohash"
        #expect(!reuse.canReuse(document))
    }

    // MARK: - The folder

    @Test func theFolderRefusesToReplaceARunUnlessTold() throws {
        let folder = try earlierRun([resultLine("a")])
        #expect(throws: RunError.self) { try folder.prepare(resume: false, force: false) }
        do {
            try folder.prepare(resume: false, force: false)
        } catch {
            #expect(error.kind == .configuration)
            #expect(
                error.description.hasSuffix("already holds a run; use --resume to continue it or --force to replace it")
            )
        }
        try folder.prepare(resume: true, force: false)
        #expect(folder.holdsRun)
        try folder.prepare(resume: false, force: true)
        #expect(!folder.holdsRun, "--force clears the run")
    }
}
