// MapLine and reduce's index: a results line written by `quarry map --records` and its records line put
// back together give the results line's bytes, on generated documents (both encoder paths, lines with
// and without records); reduce pairs records with their results lines and names file and line when a
// records line has no results line, a results line has no records, or records are twice.
import DocumentModel
import Foundation
import QuarryTestSupport
import Readers
import Testing

@testable import BatchRunner
@testable import PluginHost

@Suite struct MapLineTests {
    /// Every kind of results line: the fast path, the general path (a failure), read failures, skipped.
    static func lines(seed: UInt64) -> [EncodedLine] {
        var generator = ResultEncoderTests.Generator(random: SeededGenerator(seed: seed))
        var lines: [EncodedLine] = []
        for n in 0..<120 {
            var outcome = generator.outcome()
            if n % 3 == 1 {
                outcome.failures = [
                    PluginFailure(plugin: "alpha", phase: .process, kind: .lua(.runtime), message: "bad", location: nil)
                ]
            }
            lines.append(ResultEncoder.encoded(outcome))
        }
        lines.append(EncodedLine(ResultEncoder.skipped(id: "s", path: "s", reason: "too large")))
        lines.append(
            EncodedLine(ResultEncoder.line(for: ReadFailure(id: "r", path: "r", message: "unreadable"))))
        return lines
    }

    func object(_ bytes: ArraySlice<UInt8>) -> JSONObject {
        guard case .object(let object)? = try? JSONParser.parse(bytes: Array(bytes)) else { return JSONObject() }
        return object
    }

    @Test(arguments: 0..<4)
    func aResultAndItsRecordsGoBackTogetherByteForByte(seed: UInt64) {
        let writer = MapLine.Writer(tag: "t")
        for (n, line) in Self.lines(seed: seed).enumerated() {
            var inline: [UInt8] = []
            var none: [UInt8]? = nil
            writer.write(seq: n, doc: 1, line: line, results: &inline, records: &none)
            #expect(MapLine.result(in: Array(inline.dropLast())).map(Array.init) == Array(line.bytes.dropLast()))
            #expect(MapLine.Header(object(inline.dropLast()))?.kind == .result(recordsAt: nil))

            var results: [UInt8] = []
            var records: [UInt8]? = []
            writer.write(seq: n, doc: 1, line: line, results: &results, records: &records)
            let header = MapLine.Header(object(results.dropLast()))
            #expect(header?.seq == n && header?.doc == 1 && header?.run == "t")
            let result = MapLine.result(in: Array(results.dropLast()))!
            guard let member = line.recordsMember else {
                #expect(records == [], "a line without records stays whole")
                #expect(header?.kind == .result(recordsAt: nil))
                #expect(Array(result) == Array(line.bytes.dropLast()))
                continue
            }
            #expect(header?.kind == .result(recordsAt: member.lowerBound))
            #expect(object(result)["records"] == nil, "the result leaves its records out")
            #expect(records!.last == 0x0A && records!.dropLast().last == 0x7D, "one records line")
            let recordsLine = Array(records!.dropLast())
            #expect(MapLine.Header(object(recordsLine[...]))?.kind == .records)
            let joined = MapLine.joined(
                result: result, records: MapLine.records(in: recordsLine)!, at: member.lowerBound)
            #expect(joined == Array(line.bytes.dropLast()), "seed \(seed), line \(n)")
        }
    }

    @Test func recordsGoBackOnlyBetweenMembers() {
        let result = Array(#"{"id":"a","features":{"x":1},"errors":[]}"#.utf8)[...]
        let records = Array(#"{"p":[1]}"#.utf8)[...]
        #expect(
            MapLine.joined(result: result, records: records, at: 28).map { String(decoding: $0, as: UTF8.self) }
                == #"{"id":"a","features":{"x":1},"records":{"p":[1]},"errors":[]}"#)
        #expect(MapLine.joined(result: result, records: records, at: 26) == nil, "inside a value")
        #expect(MapLine.joined(result: result, records: records, at: 0) == nil)
        #expect(MapLine.joined(result: result, records: records, at: result.count) == nil)
    }

    // MARK: - Reduce's index

    /// Map lines of documents 0..<count (with --records), one file of results, one of records.
    func mapped(_ count: Int, tag: String) -> (results: [String], records: [String]) {
        let writer = MapLine.Writer(tag: tag)
        var results: [String] = []
        var records: [String] = []
        for seq in 0..<count {
            let line = EncodedLine(
                resultLine("doc\(seq)", extra: ["records": .object(["p": .array([.int(seq)])])]))
            var r: [UInt8] = []
            var rec: [UInt8]? = []
            writer.write(seq: seq, doc: 0, line: line, results: &r, records: &rec)
            results.append(String(decoding: r.dropLast(), as: UTF8.self))
            records.append(String(decoding: rec!.dropLast(), as: UTF8.self))
        }
        return (results, records)
    }

    func reduceIndex(_ files: [String: [String]]) throws -> Result<
        (results: [ReduceRun.Place], records: [ReduceRun.Place]), RunError
    > {
        let folder = try TestSupport.folder(with: files.mapValues { $0.joined(separator: "\n") + "\n" })
        let paths = files.keys.sorted().map { folder.appendingPathComponent($0).path }
        let reduce = ReduceRun(settings: settings(), files: paths)
        do throws(RunError) {
            return .success(try reduce.index())
        } catch {
            return .failure(error)
        }
    }

    func message(_ result: Result<(results: [ReduceRun.Place], records: [ReduceRun.Place]), RunError>) -> String {
        if case .failure(let error) = result { return error.description }
        return ""
    }

    @Test func reducePairsRecordsWithTheirResultsInAnyFileOrder() throws {
        let (results, records) = mapped(5, tag: MapRun.tag(settings()))
        let indexed = try reduceIndex([
            "a.jsonl": [records[3], results[0], records[1]], "b.jsonl": [results[4], records[0], results[2]],
            "c.jsonl": [records[4], results[3], results[1], records[2]],
        ]).get()
        #expect(indexed.results.map(\.seq) == [0, 1, 2, 3, 4])
        #expect(indexed.results.allSatisfy { $0.recordsAt != nil })
        #expect(indexed.records.map(\.seq) == [0, 1, 2, 3, 4], "records in the order of their results lines")
    }

    @Test func reduceNamesRecordsWithoutResultsAndResultsWithoutRecords() throws {
        let (results, records) = mapped(3, tag: MapRun.tag(settings()))
        let orphan = message(
            try reduceIndex([
                "r.jsonl": results,
                "s.jsonl": records + [records[0].replacingOccurrences(of: #""seq":0"#, with: #""seq":7"#)],
            ]))
        #expect(orphan.contains("s.jsonl:4: records of document seq 7 (doc 0) match no results line"), "\(orphan)")
        let missing = message(try reduceIndex(["r.jsonl": results, "s.jsonl": [records[0], records[2]]]))
        #expect(
            missing.contains("r.jsonl:2: the records of document seq 1 (doc 0) were written to a records file"),
            "\(missing)")
        let twice = message(try reduceIndex(["r.jsonl": results, "s.jsonl": records, "t.jsonl": [records[1]]]))
        #expect(
            twice.contains("records of document seq 1 (doc 0) are twice: ") && twice.contains("/s.jsonl:2 and ")
                && twice.hasSuffix("/t.jsonl:1"), "\(twice)")
        let cut = message(
            try reduceIndex(["r.jsonl": results, "s.jsonl": [records[0], String(records[1].prefix(30)), records[2]]]))
        #expect(cut.contains("s.jsonl:2: not JSON: the line is damaged or cut off"), "\(cut)")
    }
}
