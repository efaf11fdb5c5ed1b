// `quarry run` end to end: selection and ordering, options, isolation, limits, determinism across
// --jobs, resume after kill -9, output-folder refusal, confinement of ctx:write/ctx:read, bad
// plugins, and every output line against the committed JSON schemas.
import DocumentModel
import Foundation
import QuarryTestSupport
import Testing

@Suite struct RunTests {
    static let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/run")
    var plugins: String { RunTests.fixtures.appendingPathComponent("plugins").path }
    var corpus: String { RunTests.fixtures.appendingPathComponent("corpus").path }

    /// Runs quarry run into a new output folder; returns the result and the folder.
    func run(_ extra: [String], out: URL? = nil, timeout: Double = 120) throws -> (ProcessResult, URL) {
        let folder = try out ?? TestSupport.temporaryFolder().appendingPathComponent("out")
        let result = try TestSupport.quarry(
            ["run", "--plugins", plugins, "--out", folder.path, "--quiet"] + extra, timeout: timeout)
        return (result, folder)
    }

    func lines(_ url: URL) throws -> [JSONObject] {
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard case .object(let object) = try JSONParser.parse(String(line)) else {
                throw CocoaError(.fileReadCorruptFile)
            }
            return object
        }
    }

    @Test func profileSamplesThePluginsLuaCode() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let busy = folder.appendingPathComponent("plugins")
        try FileManager.default.createDirectory(at: busy, withIntermediateDirectories: true)
        try Data(
            """
            local function spin(doc)
              local n = 0
              for _ = 1, 3000000 do n = n + 1 end
              return n
            end
            return {name = "busy", categories = {"default"}, description = "Spins.",
              process = function(doc, ctx) doc:set("n", spin(doc)) end,
              finish = function(records, ctx) end}
            """.utf8
        ).write(to: busy.appendingPathComponent("busy.lua"))
        let out = folder.appendingPathComponent("out")
        let result = try TestSupport.quarry(
            ["run", corpus, "--plugins", busy.path, "--out", out.path, "--quiet", "--profile", "--jobs", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = try String(contentsOf: out.appendingPathComponent("profile.txt"), encoding: .utf8)
        #expect(text.contains("busy/process"), "\(text)")
        #expect(text.contains("spin \(busy.path)/busy.lua:1") || text.contains("spin busy.lua:1"), "\(text)")
        #expect(!text.contains("PARTIAL"))
        let folded = try String(contentsOf: out.appendingPathComponent("profile.folded"), encoding: .utf8)
        let lines = folded.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let parts = line.split(separator: " ")
            // (a sample may fall in the loading of the plugins, before any of their code runs: "quarry/load")
            #expect(
                Int(parts.last ?? "") != nil && (line.hasPrefix("busy/") || line.hasPrefix("quarry/")),
                "a folded line: \(line)")
        }
        // without --profile: no profile files
        let plain = folder.appendingPathComponent("plain")
        _ = try TestSupport.quarry(["run", corpus, "--plugins", busy.path, "--out", plain.path, "--quiet"])
        #expect(!FileManager.default.fileExists(atPath: plain.appendingPathComponent("profile.txt").path))
        // a run that stops early still writes its profile, marked partial
        let stopped = folder.appendingPathComponent("stopped")
        let failing = try TestSupport.quarry([
            "run", corpus, "--plugins", plugins, "--select", "flaky+", "--out", stopped.path, "--quiet", "--profile",
            "--fail-fast", "--jobs", "1",
        ])
        #expect(failing.status != 0)
        let partial = try String(contentsOf: stopped.appendingPathComponent("profile.txt"), encoding: .utf8)
        #expect(partial.contains("PARTIAL: the run stopped early"), "\(partial)")
    }

    @Test func orderOptionsAndIsolation() throws {
        let (result, out) = try run([corpus, "--jobs", "3", "--set", "counter.min=6", "--set", "counter.label=long"])
        #expect(result.status == 1, "some documents fail: \(result.stderr)")
        let results = try lines(out.appendingPathComponent("results.jsonl"))
        #expect(
            results.map { $0["id"]?.stringValue ?? "" }
                == (1...16).map { n in
                    [
                        "doc01.txt", "doc02.txt", "doc03.txt", "doc04.txt", "doc05.txt", "doc06.txt", "doc07.txt",
                        "doc08.txt",
                        "doc09.txt", "doc10.txt", "doc11.txt", "doc12.txt", "doc13-loop.txt", "doc14-memory.txt",
                        "doc15-sleep.txt",
                        "doc16-calm.txt",
                    ][n - 1]
                })
        let doc01 = results[0]
        #expect(doc01["status"] == "ok")
        guard case .object(let statuses)? = doc01["plugins"], case .object(let features)? = doc01["features"] else {
            Issue.record("no plugins or features in \(doc01)")
            return
        }
        #expect(statuses.keys == ["counter", "flaky", "after"], "topological order")
        #expect(features["long"] == .int(5), "words of 6+ letters: Report Analysts Lisbon Monday useful")
        #expect(features["caps"] != nil && features["caps"] != .int(0), "after sees flaky's annotations")
        let doc03 = results[2]
        #expect(doc03["status"] == "failed")
        guard case .object(let failed)? = doc03["plugins"] else { return }
        #expect(failed["flaky"] == "failed")
        #expect(failed["after"] == "skipped")
        #expect(failed["counter"] == "ok")
        let errors = try lines(out.appendingPathComponent("errors.jsonl"))
        #expect(errors.count == 5, "doc03, 06, 09, 12, 15")
        #expect(errors.allSatisfy { $0["plugin"] == "flaky" && $0["phase"] == "process" })
        #expect(errors[0]["location"]?.stringValue?.hasSuffix("flaky.lua:7") == true)
        #expect(errors[0]["message"]?.stringValue?.contains("document 3 is a multiple of three") == true)
        let summary = try String(contentsOf: out.appendingPathComponent("counts/summary.md"), encoding: .utf8)
        #expect(summary.contains("| doc16-calm.txt |"))
        #expect(summary.contains("total: "))
    }

    @Test func everyOutputLineMatchesTheSchemas() throws {
        let (_, out) = try run([corpus, "--jobs", "2"])
        let result = try SchemaValidator(file: "docs/schemas/result.schema.json")
        let error = try SchemaValidator(file: "docs/schemas/error.schema.json")
        let runSchema = try SchemaValidator(file: "docs/schemas/run.schema.json")
        for line in try String(contentsOf: out.appendingPathComponent("results.jsonl"), encoding: .utf8).split(
            separator: "\n")
        {
            #expect(result.problems(json: String(line)) == [], "\(line.prefix(80))")
        }
        for line in try String(contentsOf: out.appendingPathComponent("errors.jsonl"), encoding: .utf8).split(
            separator: "\n")
        {
            #expect(error.problems(json: String(line)) == [])
        }
        let runText = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
        #expect(runSchema.problems(json: runText) == [])
        // The run's own peak memory: more than the binary alone, less than the test's limit of sense.
        if case .object(let run) = try JSONParser.parse(runText), case .object(let timings)? = run["timings"],
            case .int(let peak)? = timings["peak_memory_bytes"]
        {
            #expect(peak > 4 << 20 && peak < 4 << 30, "peak_memory_bytes \(peak)")
        } else {
            Issue.record("run.json has no timings.peak_memory_bytes")
        }
        // Each finish's own time, under its plugin's name (the fixture plugin `counter` has a finish).
        if case .object(let run) = try JSONParser.parse(runText), case .object(let timings)? = run["timings"],
            case .object(let finishes)? = timings["finish_plugins"]
        {
            #expect(finishes.keys == ["counter"], "finish_plugins \(finishes.keys)")
            #expect(finishes.values.allSatisfy { ($0.doubleValue ?? -1) >= 0 })
        } else {
            Issue.record("run.json has no timings.finish_plugins")
        }
        // The validator itself catches a wrong line.
        #expect(!result.problems(json: #"{"id": 1, "path": "x", "status": "maybe"}"#).isEmpty)
    }

    @Test func filesOverTheSizeCapAreSkippedWithTheirReason() throws {
        // Inside a folder the cap applies when the file is read; a file named directly, in the walk.
        let folder = try TestSupport.folder(with: [
            "a.txt": "Short text from Lisbon.", "b.txt": String(repeating: "Lisbon words. ", count: 20),
            "c.jsonl": #"{"text": "A record."}"# + "\n",
        ])
        let named = folder.appendingPathComponent("b.txt").path
        let (result, out) = try run([folder.path, named, "--max-bytes", "100", "--select", "counter"])
        #expect(result.status == 0, "a skipped file is not a failure: \(result.stderr)")
        let results = try lines(out.appendingPathComponent("results.jsonl"))
        #expect(results.map { $0["status"]?.stringValue ?? "" } == ["ok", "skipped", "ok", "skipped"])
        #expect(results[1]["reason"] == "larger than --max-bytes (280 > 100 bytes)")
        #expect(results[1]["path"]?.stringValue == named)
        #expect(results[3]["reason"] == "larger than --max-bytes (280 > 100 bytes)")
        #expect(try lines(out.appendingPathComponent("errors.jsonl")).isEmpty)
    }

    @Test func sameOutputsWhateverTheNumberOfWorkers() throws {
        let (_, one) = try run([corpus, "--jobs", "1"])
        let (_, many) = try run([corpus, "--jobs", "8"])
        for file in ["results.jsonl", "errors.jsonl", "counts/summary.md"] {
            let a = try Data(contentsOf: one.appendingPathComponent(file))
            let b = try Data(contentsOf: many.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between --jobs 1 and --jobs 8")
        }
    }

    @Test func limitsFailOneDocumentAndTheRunGoesOn() throws {
        let (result, out) = try run(
            [
                corpus, "--select", "slowpoke", "--instructions", "20000000", "--timeout", "10",
                "--memory", "64", "--jobs", "2",
            ], timeout: 120)
        #expect(result.status == 1)
        let results = try lines(out.appendingPathComponent("results.jsonl"))
        func status(_ id: String) -> JSONValue? {
            guard case .object(let p)? = results.first(where: { $0["id"]?.stringValue == id })?["plugins"] else {
                return nil
            }
            return p["slowpoke"]
        }
        #expect(status("doc01.txt") == "not-applicable")
        #expect(status("doc16-calm.txt") == "ok")
        #expect(status("doc13-loop.txt") == "failed")
        #expect(status("doc14-memory.txt") == "failed")
        #expect(status("doc15-sleep.txt") == "failed")
        let errors = try lines(out.appendingPathComponent("errors.jsonl"))
        let kinds = Dictionary(
            errors.map { ($0["document"]?.stringValue ?? "", $0["kind"]?.stringValue ?? "") },
            uniquingKeysWith: { a, _ in a })
        #expect(kinds["doc13-loop.txt"] == "instruction-limit")
        #expect(kinds["doc14-memory.txt"] == "memory")
        #expect(["timeout", "instruction-limit"].contains(kinds["doc15-sleep.txt"] ?? ""))
        #expect(
            errors.first { $0["document"] == "doc13-loop.txt" }?["message"]?.stringValue?.contains("slowpoke.lua:")
                == true)
    }

    @Test func selectionExpressions() throws {
        let (only, out) = try run([corpus, "--select", "counter or slow*", "--timeout", "5"])
        #expect(only.status == 1 || only.status == 0, "\(only.stderr)")
        let first = try #require(try lines(out.appendingPathComponent("results.jsonl")).first)
        guard case .object(let statuses)? = first["plugins"] else { return }
        #expect(statuses.keys == ["counter", "slowpoke"])
        let missing = try run([corpus, "--select", "after"]).0
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("plugin 'after' requires 'flaky', which is not selected"))
        let bad = try run([corpus, "--select", "counter and (or flaky"]).0
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("position 14"))
        let none = try run([corpus, "--select", "nothing-here"]).0
        #expect(none.status == 2)
        #expect(none.stderr.contains("no plugin matches"))
    }

    @Test func badOptionsStopBeforeAnyDocument() throws {
        for (set, message) in [
            ("counter.min=many", "option 'min' must be an integer >= 1, got 'many'"),
            ("counter.mn=2", "has no option 'mn' (did you mean 'min'?)"),
            ("countr.min=2", "no plugin named 'countr' (did you mean 'counter'?)"),
            ("counter.min=0", "must be an integer >= 1, got 0"),
            ("nodot", "expected PLUGIN.OPTION=VALUE"),
        ] {
            let (result, out) = try run([corpus, "--set", set])
            #expect(result.status == 2, "\(set)")
            #expect(result.stderr.contains(message), "\(set): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("results.jsonl").path))
        }
    }

    @Test func quarryTomlGivesFoldersSelectionAndOptions() throws {
        let project = try TestSupport.folder(with: [
            "quarry.toml": """
            plugins = ["\(plugins)"]
            select = "counter"
            jobs = 2
            out = "results-here"

            [options.counter]
            min = 7
            """
        ])
        let result = try TestSupport.quarry(["run", corpus, "--quiet"], currentDirectory: project)
        #expect(result.status == 0, "\(result.stderr)")
        let first = try lines(project.appendingPathComponent("results-here/results.jsonl"))[0]
        guard case .object(let features)? = first["features"] else { return }
        #expect(features["words"] == .int(1), "only Analysts has 7+ letters")
        let override = try TestSupport.quarry(
            ["run", corpus, "--quiet", "--force", "--set", "counter.min=1"], currentDirectory: project)
        #expect(override.status == 0)
        let again = try lines(project.appendingPathComponent("results-here/results.jsonl"))[0]
        guard case .object(let f2)? = again["features"] else { return }
        #expect(f2["words"] == .int(17))
        try Data("plugins = 3\n".utf8).write(to: project.appendingPathComponent("quarry.toml"))
        let broken = try TestSupport.quarry(["run", corpus], currentDirectory: project)
        #expect(broken.status == 2)
        #expect(broken.stderr.contains("quarry.toml: 'plugins' must be"))
        try Data("select = \"x\"\n[options\n".utf8).write(to: project.appendingPathComponent("quarry.toml"))
        let syntax = try TestSupport.quarry(["run", corpus], currentDirectory: project)
        #expect(syntax.status == 2)
        #expect(syntax.stderr.contains("quarry.toml:2:"))
    }

    @Test func anExistingRunIsRefusedUnlessResumedOrForced() throws {
        let (first, out) = try run([corpus, "--select", "counter"])
        #expect(first.status == 0)
        let again = try run([corpus, "--select", "counter"], out: out).0
        #expect(again.status == 2)
        #expect(again.stderr.contains("already holds a run"))
        let forced = try run([corpus, "--select", "counter", "--force"], out: out).0
        #expect(forced.status == 0)
        // Other options (or plugin files): nothing earlier is kept, every document is recomputed.
        let other = try run([corpus, "--select", "counter", "--resume", "--set", "counter.min=3"], out: out).0
        #expect(other.status == 0)
        let log = try String(contentsOf: out.appendingPathComponent("run.log"), encoding: .utf8)
        #expect(
            log.contains(
                "the plugins, their files or options, or the reading options (--metadata…) changed since the run there; recomputing every document"
            ))
    }

    @Test func resumeAfterKillAtRandomPointsGivesTheSameFiles() throws {
        let big = try TestSupport.temporaryFolder()
        for i in 0..<400 {
            let text =
                "Item \(i)\n\nThe committee in Brussels met \(i) times. Officials said \"progress\" was made on item \(i).\n"
            try Data(text.utf8).write(to: big.appendingPathComponent(String(format: "d%04d.txt", i)))
        }
        let (reference, full) = try run([big.path, "--jobs", "2"])
        #expect(reference.status == 1)
        for attempt in 0..<3 {
            let out = try TestSupport.temporaryFolder().appendingPathComponent("out")
            let process = Process()
            process.executableURL = TestSupport.quarryBinary
            process.arguments = ["run", "--plugins", plugins, "--out", out.path, "--quiet", "--jobs", "2", big.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32(50_000 + attempt * 120_000 + Int.random(in: 0..<80_000)))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let resumed = try run([big.path, "--jobs", "2", "--resume"], out: out).0
            #expect(resumed.status == 1)
            for file in ["results.jsonl", "errors.jsonl", "counts/summary.md"] {
                let a = try Data(contentsOf: full.appendingPathComponent(file))
                let b = try Data(contentsOf: out.appendingPathComponent(file))
                #expect(a == b, "attempt \(attempt): \(file) differs after resume")
            }
        }
    }

    @Test func aSignalMarksRunJSONInterruptedAndResumeFinishesTheRun() throws {
        let folder = try TestSupport.folder(with: [
            // about 10 ms of Lua a document, so that the run is still going when the signal comes
            "slow/slow.lua": """
            return {name = "slow", process = function(doc)
              local n = 0
              for i = 1, 400000 do n = n + i % 7 end
              doc:set("n", n)
            end}
            """
        ])
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        for i in 0..<300 {
            try Data("Item \(i).\n".utf8).write(to: folder.appendingPathComponent(String(format: "docs/d%04d.txt", i)))
        }
        for (number, name) in [(SIGINT, "SIGINT"), (SIGTERM, "SIGTERM")] {
            let out = folder.appendingPathComponent("out-\(name)")
            let process = Process()
            process.executableURL = TestSupport.quarryBinary
            process.arguments = [
                "run", "--plugins", folder.appendingPathComponent("slow").path, "--select", "slow", "--out", out.path,
                "--quiet", "--jobs", "2", folder.appendingPathComponent("docs").path,
            ]
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            // once run.json says "running", the signal
            for _ in 0..<200
            where
                !((try? String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8))?
                .contains("\"running\"") ?? false)
            {
                usleep(20_000)
            }
            usleep(200_000)
            kill(process.processIdentifier, number)
            process.waitUntilExit()
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationReason == .exit && process.terminationStatus == 128 + number, "\(stderr)")
            #expect(stderr.contains("interrupted by \(name)"), "\(stderr)")
            let record = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
            #expect(record.contains("\"status\": \"interrupted\""), "\(record)")
            #expect(record.contains("\"reason\": \"\(name)\""), "\(record)")
            let resumed = try TestSupport.quarry([
                "run", "--plugins", folder.appendingPathComponent("slow").path, "--select", "slow", "--out", out.path,
                "--quiet", "--jobs", "2", "--resume", folder.appendingPathComponent("docs").path,
            ])
            #expect(resumed.status == 0, "\(resumed.stderr)")
            let finished = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
            #expect(finished.contains("\"status\": \"finished\""))
            #expect(try lines(out.appendingPathComponent("results.jsonl")).count == 300)
        }
    }

    @Test func pluginsCannotWriteOrReadOutsideTheirFolders() throws {
        let (result, out) = try run([corpus, "--select", "escape"])
        #expect(result.status == 1, "finish fails")
        let first = try lines(out.appendingPathComponent("results.jsonl"))[0]
        guard case .object(let features)? = first["features"] else { return }
        #expect(features["write_in_process"]?.stringValue?.contains("only available in finish") == true)
        #expect(features["read_outside"]?.stringValue?.contains("outside the folders this plugin may read") == true)
        let errors = try lines(out.appendingPathComponent("errors.jsonl"))
        #expect(errors.last?["phase"] == "finish")
        #expect(errors.last?["message"]?.stringValue?.contains("no '..'") == true)
        #expect(
            !FileManager.default.fileExists(
                atPath: out.deletingLastPathComponent().appendingPathComponent("../etc/passwd").path)
                || (try? String(contentsOfFile: "/etc/passwd", encoding: .utf8))?.contains("pwned") != true)
        let absolute = try run([corpus, "--select", "escape", "--set", "escape.target=/tmp/quarry-escape.txt"]).1
        #expect(!FileManager.default.fileExists(atPath: "/tmp/quarry-escape.txt"))
        _ = absolute
        // A symbolic link inside the output folder that leads out is refused too.
        let linked = try TestSupport.temporaryFolder().appendingPathComponent("out")
        try FileManager.default.createDirectory(at: linked, withIntermediateDirectories: true)
        let outside = try TestSupport.temporaryFolder()
        try FileManager.default.createSymbolicLink(
            at: linked.appendingPathComponent("link"), withDestinationURL: outside)
        let symlinked = try run([corpus, "--select", "escape", "--set", "escape.target=link/x.txt"], out: linked).0
        #expect(symlinked.status == 1)
        #expect(!FileManager.default.fileExists(atPath: outside.appendingPathComponent("x.txt").path))
    }

    @Test func badPluginsAreReportedWithFileAndLine() throws {
        let bad = RunTests.fixtures.appendingPathComponent("plugins-bad").path
        let result = try TestSupport.quarry([
            "run", "--plugins", bad, corpus, "--out", try TestSupport.temporaryFolder().path + "/o",
        ])
        #expect(result.status == 2)
        #expect(result.stderr.contains("broken.lua:4:"))
        #expect(result.stderr.contains("typo.lua: field 'proces': unknown field (did you mean 'process'?)"))
        #expect(result.stderr.contains("number.lua: a plugin must return a table (its manifest), got number"))
        let a = RunTests.fixtures.appendingPathComponent("plugins-dup/a").path
        let b = RunTests.fixtures.appendingPathComponent("plugins-dup/b").path
        let dup = try TestSupport.quarry([
            "run", "--plugins", a, "--plugins", b, "--select", "same", corpus,
            "--out", try TestSupport.temporaryFolder().path + "/o",
        ])
        #expect(dup.status == 0)  // the first folder's wins: `quarry plugins list` shows what it shadows
        #expect(!dup.stderr.contains("also at"))
    }

    @Test func failFastStopsAtTheFirstFailure() throws {
        let (result, out) = try run([corpus, "--fail-fast", "--jobs", "2"])
        #expect(result.status == 1)
        let results = try lines(out.appendingPathComponent("results.jsonl"))
        #expect(results.last?["id"] == "doc03.txt", "nothing after the first failure is written")
        #expect(results.count == 3)
    }

    @Test func standardInputIsOneDocument() throws {
        let out = try TestSupport.temporaryFolder().appendingPathComponent("out")
        let result = try TestSupport.quarry(
            ["run", "-", "--plugins", plugins, "--select", "counter", "--out", out.path, "--quiet"],
            stdin: "Three small words.\n")
        #expect(result.status == 0, "\(result.stderr)")
        let line = try lines(out.appendingPathComponent("results.jsonl"))
        #expect(line.count == 1)
        #expect(line[0]["id"] == "stdin")
        guard case .object(let features)? = line[0]["features"] else { return }
        #expect(features["words"] == .int(3))
    }

    @Test func readerFailuresFailTheirDocumentOnly() throws {
        let folder = try TestSupport.folder(with: [
            "good.txt": "A fine document.\n",
            "records.jsonl": "{\"text\": \"one\"}\n{not json}\n{\"text\": \"three\"}\n",
        ])
        try Data([0x00, 0x01, 0xFF, 0xFE, 0x00, 0x02, 0x03] + [UInt8](repeating: 0, count: 200)).write(
            to: folder.appendingPathComponent("binary.bin"))
        let (result, out) = try run([folder.path, "--select", "counter"])
        #expect(result.status == 1)
        let results = try lines(out.appendingPathComponent("results.jsonl"))
        let statuses = results.map { "\($0["id"]?.stringValue ?? "?")=\($0["status"]?.stringValue ?? "?")" }
        #expect(statuses.contains("good.txt=ok"))
        #expect(statuses.contains("binary.bin=failed"))
        #expect(statuses.contains("records.jsonl#1=ok"))
        #expect(statuses.contains("records.jsonl#3=ok"))
        #expect(statuses.contains { $0.hasPrefix("records.jsonl#2") && $0.hasSuffix("=failed") })
        let errors = try lines(out.appendingPathComponent("errors.jsonl"))
        #expect(
            errors.contains { $0["phase"] == "read" && $0["document"]?.stringValue?.hasPrefix("records.jsonl") == true }
        )
    }
}
