// `quarry map` and `quarry reduce` end to end: map outputs reduced in any order give the bytes of
// `quarry run` (results, errors, reports), also with the records for finish in records files
// (`map --records`); broken input lines become failed documents naming their
// line without stopping the stream; paths only under --allow-read; reduce refuses a truncated line,
// a missing or duplicated document, and lines made with other options, naming file and line.
import DocumentModel
import Foundation
import QuarryTestSupport
import Testing

@Suite struct MapReduceTests {
    static let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/run")
    var plugins: String { Self.fixtures.appendingPathComponent("plugins").path }
    var pluginFlags: [String] { ["--plugins", plugins, "--select", "counter or flaky or after"] }

    /// Text files written for this test, named so the walk's order is their order.
    func corpus() throws -> (URL, [String]) {
        var files: [String: String] = [:]
        let words = ["harbour", "ledger", "Lisbon", "council", "shipment", "auditors", "quarterly", "river"]
        for n in 1...11 {
            files[String(format: "doc%02d.txt", n)] =
                "Report \(n). " + (0..<(n % 5 + 3)).map { words[($0 + n * 2) % words.count] }.joined(separator: " ")
                + "."
        }
        let folder = try TestSupport.folder(with: files)
        return (folder, files.keys.sorted())
    }

    func inputLines(_ folder: URL, _ names: [String]) -> [String] {
        names.map { #"{"id": "\#($0)", "path": "\#(folder.appendingPathComponent($0).path)"}"# }
    }

    func map(_ lines: [String], _ extra: [String] = []) throws -> ProcessResult {
        try TestSupport.quarry(
            ["map"] + pluginFlags + ["--jobs", "2", "--quiet"] + extra, stdin: lines.joined(separator: "\n") + "\n",
            timeout: 120)
    }

    func reduce(_ files: [URL], out: URL, _ extra: [String] = []) throws -> ProcessResult {
        try TestSupport.quarry(
            ["reduce"] + files.map(\.path) + pluginFlags + ["--out", out.path, "--quiet"] + extra, timeout: 120)
    }

    func bytes(_ url: URL) -> Data? { FileManager.default.contents(atPath: url.path) }

    /// The corpus run once by `quarry run` (into work/single), and its map input lines with their places (seq).
    func referenceRun() throws -> (folder: URL, work: URL, single: URL, lines: [String]) {
        let (folder, names) = try corpus()
        let work = try TestSupport.temporaryFolder()
        let single = work.appendingPathComponent("single")
        let run = try TestSupport.quarry(
            ["run", folder.path] + pluginFlags + ["--out", single.path, "--quiet", "--jobs", "2"], timeout: 120)
        #expect(run.status == 1, "flaky fails some documents: \(run.stderr)")
        let lines = inputLines(folder, names).enumerated().map { index, line in
            String(line.dropLast()) + #", "seq": \#(index)}"#
        }
        return (folder, work, single, lines)
    }

    @Test func mapThenReduceIsByteIdenticalToRun() throws {
        let (folder, work, single, lines) = try referenceRun()
        // Two map workers, each given a part of the input with the documents' places (seq).
        var outputs: [URL] = []
        for (n, part) in [Array(lines[0..<4]), Array(lines[4...])].enumerated() {
            let mapped = try map(part, ["--allow-read", folder.path])
            #expect(mapped.status == 1 || mapped.status == 0, "\(mapped.stderr)")
            #expect(mapped.stdout.split(separator: "\n").count == part.count, "a line per document")
            let file = work.appendingPathComponent("part\(n).jsonl")
            // Reduce takes the lines in any order.
            try (mapped.stdout.split(separator: "\n").reversed().joined(separator: "\n") + "\n").write(
                to: file, atomically: true, encoding: .utf8)
            outputs.append(file)
        }
        let reduced = work.appendingPathComponent("reduced")
        let result = try reduce(outputs.reversed(), out: reduced)
        #expect(result.status == 1, "\(result.stderr)")
        for file in ["results.jsonl", "errors.jsonl", "counts/summary.md"] {
            let a = bytes(single.appendingPathComponent(file)), b = bytes(reduced.appendingPathComponent(file))
            #expect(a != nil && a == b, "\(file) differs")
        }
        let schema = try SchemaValidator(file: "docs/schemas/run.schema.json")
        #expect(
            schema.problems(json: try String(contentsOf: reduced.appendingPathComponent("run.json"), encoding: .utf8))
                == [])
    }

    @Test func mapWithARecordsFileThenReduceIsByteIdenticalToRun() throws {
        let (folder, work, single, lines) = try referenceRun()
        // Two map workers, each with its records file; the second keeps its records in its lines.
        var outputs: [URL] = []
        for (n, part) in [Array(lines[0..<6]), Array(lines[6...])].enumerated() {
            let records = work.appendingPathComponent("records\(n).jsonl")
            let mapped = try map(part, ["--allow-read", folder.path] + (n == 0 ? ["--records", records.path] : []))
            #expect(mapped.status == 1 || mapped.status == 0, "\(mapped.stderr)")
            let out = mapped.stdout.split(separator: "\n")
            #expect(out.count == part.count, "a line per document")
            if n == 0 {
                #expect(!out.contains { $0.contains(#""records":{"#) }, "no records in the results lines")
                #expect(out.allSatisfy { $0.contains(#""records_at":"#) })
                let recordLines = try String(contentsOf: records, encoding: .utf8).split(separator: "\n")
                #expect(recordLines.count == part.count && recordLines.allSatisfy { $0.contains(#""counter":[{"#) })
                outputs.append(records)
            }
            let file = work.appendingPathComponent("part\(n).jsonl")
            try (out.reversed().joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            outputs.append(file)
        }
        // Records files and outputs in any order, together and against the combined form.
        for (name, files) in [("reduced", outputs), ("reversed", outputs.reversed())] {
            let reduced = work.appendingPathComponent(name)
            let result = try reduce(files, out: reduced)
            #expect(result.status == 1, "\(result.stderr)")
            for file in ["results.jsonl", "errors.jsonl", "counts/summary.md"] {
                let a = bytes(single.appendingPathComponent(file)), b = bytes(reduced.appendingPathComponent(file))
                #expect(a != nil && a == b, "\(name): \(file) differs")
            }
        }

        // Refusals, naming the file and line, or the records file.
        let unwritable = try map(
            Array(lines[0..<1]), ["--allow-read", folder.path, "--records", "/nonexistent/r.jsonl"])
        #expect(unwritable.status == 2)
        #expect(unwritable.stderr.contains("--records /nonexistent/r.jsonl: cannot write"), "\(unwritable.stderr)")
        let out = work.appendingPathComponent("refused")
        let withoutRecords = try reduce([outputs[1], outputs[2]], out: out)
        #expect(withoutRecords.status == 2)
        #expect(
            withoutRecords.stderr.contains("part0.jsonl:") && withoutRecords.stderr.contains("reduce was not given"),
            "\(withoutRecords.stderr)")
        let onlyRecords = try reduce([outputs[0], outputs[2]], out: out)
        #expect(onlyRecords.status == 2)
        #expect(
            onlyRecords.stderr.contains("records0.jsonl:1: records of document seq 0 (doc 0) match no results line"),
            "\(onlyRecords.stderr)")
        let recordLines = try String(contentsOf: outputs[0], encoding: .utf8).split(separator: "\n")
        let cut = work.appendingPathComponent("cut.jsonl")
        try (recordLines.dropLast().joined(separator: "\n") + "\n" + recordLines.last!.prefix(30)).write(
            to: cut, atomically: true, encoding: .utf8)
        let truncated = try reduce([cut, outputs[1], outputs[2]], out: out)
        #expect(truncated.status == 2)
        #expect(
            truncated.stderr.contains("cut.jsonl:\(recordLines.count): the line is cut off"), "\(truncated.stderr)")
    }

    @Test func brokenLinesBecomeFailedDocumentsAndTheStreamGoesOn() throws {
        let (folder, names) = try corpus()
        let outside = try TestSupport.folder(with: ["secret.txt": "Not for map workers."])
        let lines =
            [
                #"{"id": "a", "text": "Report one. The harbour council met."}"#,
                "{not json",
                "\u{01}\u{02}\u{FFFD}binary",
                #"{"id": "b", "format": "txt"}"#,
                #"{"id": "c", "path": "\#(outside.appendingPathComponent("secret.txt").path)"}"#,
                #"{"id": "d", "text": "x", "path": "/etc/hostname"}"#,
                #"{"id": "e", "bytes_base64": "\#(Data("Report five. Lisbon.".utf8).base64EncodedString())", "metadata": {"title": "Five"}}"#,
                #"{"id": "f", "text": "A text.", "format": "nope"}"#,
            ] + inputLines(folder, [names[0]])
        let mapped = try map(lines, ["--allow-read", folder.path])
        #expect(mapped.status == 1)
        let out = try mapped.stdout.split(separator: "\n").map { line -> JSONObject in
            guard case .object(let object) = try JSONParser.parse(String(line)) else { return JSONObject() }
            return object
        }
        #expect(out.count == lines.count, "a line per input line")
        #expect(out.map { $0["seq"] } == (0..<lines.count).map { .int($0) }, "input order")
        func result(_ i: Int) -> JSONObject {
            if case .object(let r)? = out[i]["result"] { return r }
            return JSONObject()
        }
        func message(_ i: Int) -> String {
            guard case .array(let errors)? = result(i)["errors"], case .object(let e)? = errors.first else { return "" }
            return e["message"]?.stringValue ?? ""
        }
        #expect(result(0)["status"] == "ok")
        #expect(message(1).contains("line 2") && message(1).contains("not a JSON object"), "\(message(1))")
        #expect(message(2).contains("line 3") && message(2).contains("binary"), "\(message(2))")
        #expect(message(3).contains("line 4") && message(3).contains("neither text"), "\(message(3))")
        #expect(message(4).contains("line 5") && message(4).contains("outside the --allow-read"), "\(message(4))")
        #expect(message(5).contains("one of text"), "\(message(5))")
        #expect(result(6)["status"] == "ok" && result(6)["title"] == "Five")
        #expect(message(7).contains("unknown format 'nope'"), "\(message(7))")
        #expect(result(8)["status"] == "ok" && result(8)["id"] == .string(names[0]))
        // Without --allow-read no path is read at all.
        let refused = try map([inputLines(folder, [names[0]])[0]])
        #expect(refused.stdout.contains("needs --allow-read"), "\(refused.stdout)")
    }

    @Test func reduceRefusesDamagedOrForeignInput() throws {
        let (folder, names) = try corpus()
        let work = try TestSupport.temporaryFolder()
        let mapped = try map(inputLines(folder, names), ["--allow-read", folder.path])
        let lines = mapped.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == names.count)
        let out = work.appendingPathComponent("out")
        func file(_ name: String, _ text: String) throws -> URL {
            let url = work.appendingPathComponent(name)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return url
        }
        let whole = try file("whole.jsonl", lines.joined(separator: "\n") + "\n")
        let cut = try file("cut.jsonl", lines.joined(separator: "\n") + "\n" + String(lines[0].prefix(40)))
        let truncated = try reduce([cut], out: out)
        #expect(truncated.status == 2)
        #expect(
            truncated.stderr.contains("cut.jsonl:\(lines.count + 1)") && truncated.stderr.contains("truncated"),
            "\(truncated.stderr)")

        let twice = try reduce([whole, try file("again.jsonl", lines[3] + "\n")], out: out)
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("document seq 3 (doc 0) is twice"), "\(twice.stderr)")

        let gap = try reduce(
            [
                try file(
                    "gap.jsonl",
                    lines.enumerated().filter { $0.offset != 2 }.map(\.element)
                        .joined(separator: "\n") + "\n")
            ], out: out)
        #expect(gap.status == 2)
        #expect(gap.stderr.contains("no line for document seq 2"), "\(gap.stderr)")

        let other = try reduce([whole], out: out, ["--set", "counter.min=6"])
        #expect(other.status == 2)
        #expect(other.stderr.contains("whole.jsonl:1") && other.stderr.contains("other plugins"), "\(other.stderr)")

        let junk = try reduce([try file("junk.jsonl", #"{"id": "x"}"# + "\n")], out: out)
        #expect(junk.status == 2)
        #expect(junk.stderr.contains("junk.jsonl:1: not a line of `quarry map`"), "\(junk.stderr)")

        #expect(try reduce([whole], out: out).status == 1, "the whole output reduces")
    }
}
