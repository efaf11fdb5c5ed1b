// Scale-out end to end: `quarry run --shard I/N` then `quarry merge` gives the bytes of one run for
// N = 1, 2, 3 (files and the records of a JSON Lines file); merge refuses shards that do not belong
// together (another option, a missing or duplicated shard, one killed half-way) and names the
// difference; --resume completes a killed shard.
import DocumentModel
import Foundation
import QuarryTestSupport
import Testing

@Suite struct ScaleOutTests {
    static let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/run")
    var plugins: String { Self.fixtures.appendingPathComponent("plugins").path }

    /// A corpus of text files and a JSON Lines file of records, written for this test.
    func corpus() throws -> URL {
        var files: [String: String] = [:]
        let words = ["harbour", "ledger", "Lisbon", "council", "shipment", "auditors", "quarterly", "river"]
        for n in 1...14 {
            let text = (0..<(n * 3 % 11 + 4)).map { words[($0 * n + n) % words.count] }.joined(separator: " ")
            files[String(format: "doc%02d.txt", n)] = "Report \(n). " + text + "."
        }
        files["records.jsonl"] =
            (1...9).map { n in
                #"{"id": "rec-\#(n)", "text": "Record \#(n) names the \#(words[n % words.count]) and the \#(words[(n + 3) % words.count])."}"#
            }.joined(separator: "\n") + "\n"
        return try TestSupport.folder(with: files)
    }

    func run(_ corpus: URL, out: URL, _ extra: [String] = []) throws -> ProcessResult {
        try TestSupport.quarry(
            [
                "run", corpus.path, "--plugins", plugins, "--select", "counter or flaky or after", "--out", out.path,
                "--quiet", "--jobs", "2",
            ] + extra, timeout: 120)
    }

    func merge(_ shards: [URL], out: URL, _ extra: [String] = []) throws -> ProcessResult {
        try TestSupport.quarry(
            ["merge"] + shards.map(\.path) + ["--plugins", plugins, "--out", out.path, "--quiet"] + extra, timeout: 120)
    }

    func bytes(_ url: URL) -> Data? { FileManager.default.contents(atPath: url.path) }

    @Test(arguments: [1, 2, 3]) func mergedShardsAreByteIdenticalToOneRun(count: Int) throws {
        let corpus = try corpus()
        let work = try TestSupport.temporaryFolder()
        let single = work.appendingPathComponent("single")
        #expect(try run(corpus, out: single).status == 1, "flaky fails every third document")
        var shards: [URL] = []
        var lines = 0
        for index in 0..<count {
            let folder = work.appendingPathComponent("shard\(index)")
            let result = try run(corpus, out: folder, ["--shard", "\(index)/\(count)"])
            #expect([0, 1].contains(result.status), "\(result.stderr)")
            #expect(bytes(folder.appendingPathComponent("counts/summary.md")) == nil, "a shard runs no finish")
            lines +=
                String(decoding: bytes(folder.appendingPathComponent("results.jsonl")) ?? Data(), as: UTF8.self)
                .split(separator: "\n").count
            shards.append(folder)
        }
        #expect(lines == 23, "each document in exactly one shard")
        let merged = work.appendingPathComponent("merged")
        let result = try merge(shards.reversed(), out: merged)
        #expect(result.status == 1, "failed documents are reported as by run: \(result.stderr)")
        for file in ["results.jsonl", "errors.jsonl", "counts/summary.md"] {
            let a = bytes(single.appendingPathComponent(file)), b = bytes(merged.appendingPathComponent(file))
            #expect(a != nil && a == b, "\(file) differs with \(count) shards")
        }
        let run = try JSONParser.parse(String(contentsOf: merged.appendingPathComponent("run.json"), encoding: .utf8))
        let one = try JSONParser.parse(String(contentsOf: single.appendingPathComponent("run.json"), encoding: .utf8))
        guard case .object(let m) = run, case .object(let o) = one else {
            Issue.record("run.json is not an object")
            return
        }
        #expect(m["counts"] == o["counts"], "the same counts")
        #expect(m["fingerprint"] == o["fingerprint"])
        #expect(m["plugins"] == o["plugins"])
        #expect(m["status"] == "finished")
        let schema = try SchemaValidator(file: "docs/schemas/run.schema.json")
        #expect(
            schema.problems(json: try String(contentsOf: merged.appendingPathComponent("run.json"), encoding: .utf8))
                == [])
        #expect(
            schema.problems(json: try String(contentsOf: shards[0].appendingPathComponent("run.json"), encoding: .utf8))
                == [])
    }

    @Test func mergeRefusesShardsThatDoNotBelongTogether() throws {
        let corpus = try corpus()
        let work = try TestSupport.temporaryFolder()
        func shard(_ spec: String, _ name: String, _ extra: [String] = []) throws -> URL {
            let folder = work.appendingPathComponent(name)
            let result = try run(corpus, out: folder, ["--shard", spec] + extra)
            #expect([0, 1].contains(result.status), "\(result.stderr)")
            return folder
        }
        let a = try shard("0/2", "a"), b = try shard("1/2", "b")
        let other = try shard("1/2", "other", ["--set", "counter.min=6"])
        let out = work.appendingPathComponent("out")

        let missing = try merge([a], out: out)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing shard 1/2"), "\(missing.stderr)")

        let twice = try merge([a, b, b], out: out)
        #expect(twice.status == 2)
        #expect(twice.stderr.contains("shard 1/2 is given twice"), "\(twice.stderr)")

        let options = try merge([a, other], out: out)
        #expect(options.status == 2)
        #expect(options.stderr.contains("plugin 'counter' options"), "\(options.stderr)")

        let three = try shard("2/3", "three")
        let partition = try merge([a, three], out: out)
        #expect(partition.status == 2)
        #expect(partition.stderr.contains("different partitions"), "\(partition.stderr)")

        let notShard = work.appendingPathComponent("plain")
        _ = try run(corpus, out: notShard)
        let plain = try merge([a, notShard], out: out)
        #expect(plain.status == 2)
        #expect(plain.stderr.contains("not a shard folder"), "\(plain.stderr)")

        // A shard killed half-way: run.json still says running and results.jsonl is cut mid-line.
        let killed = try shard("1/2", "killed")
        let runURL = killed.appendingPathComponent("run.json")
        let runText = try String(contentsOf: runURL, encoding: .utf8)
        try runText.replacingOccurrences(of: #""status": "finished""#, with: #""status": "running""#)
            .write(to: runURL, atomically: true, encoding: .utf8)
        let resultsURL = killed.appendingPathComponent("results.jsonl")
        let full = try Data(contentsOf: resultsURL)
        try full.prefix(full.count / 2).write(to: resultsURL)
        let refused = try merge([a, killed], out: out)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("did not finish") && refused.stderr.contains("--resume"), "\(refused.stderr)")
        let resumed = try run(corpus, out: killed, ["--shard", "1/2", "--resume"])
        #expect([0, 1].contains(resumed.status), "\(resumed.stderr)")
        #expect(try Data(contentsOf: resultsURL) == full, "--resume completes the shard")
        let merged = try merge([a, killed], out: out)
        #expect(merged.status == 1, "\(merged.stderr)")
        let single = work.appendingPathComponent("single")
        _ = try run(corpus, out: single)
        #expect(
            bytes(single.appendingPathComponent("results.jsonl")) == bytes(out.appendingPathComponent("results.jsonl")))

        // A plugin whose files changed since the shards ran.
        let changed = try TestSupport.temporaryFolder()
        for name in try FileManager.default.contentsOfDirectory(atPath: plugins) {
            try FileManager.default.copyItem(
                atPath: (plugins as NSString).appendingPathComponent(name),
                toPath: changed.appendingPathComponent(name).path)
        }
        let counter = changed.appendingPathComponent("counter.lua")
        try (String(contentsOf: counter, encoding: .utf8) + "\n-- changed\n").write(
            to: counter, atomically: true, encoding: .utf8)
        let differs = try TestSupport.quarry(
            ["merge", a.path, b.path, "--plugins", changed.path, "--out", work.appendingPathComponent("o2").path],
            timeout: 120)
        #expect(differs.status == 2)
        #expect(differs.stderr.contains("plugin 'counter'") && differs.stderr.contains("differs"), "\(differs.stderr)")
    }

    @Test func badShardSpecsAreUsageErrors() throws {
        let corpus = try corpus()
        let out = try TestSupport.temporaryFolder().appendingPathComponent("o")
        for spec in ["3/3", "1", "a/b", "-1/2", "0/0"] {
            let result = try run(corpus, out: out, ["--shard=\(spec)"])
            #expect(result.status == 2, "\(spec)")
            #expect(result.stderr.contains("--shard takes I/N"), "\(result.stderr)")
        }
    }
}
