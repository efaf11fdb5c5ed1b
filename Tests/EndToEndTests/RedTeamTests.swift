// Red-team reproductions, end to end: inputs built to break a reader or a run, each one bounded in time.
// A damaged document fails alone with a message; what a reader warned about reaches results.jsonl and
// the summary.
import DocumentModel
import Foundation
import QuarryTestSupport
import Testing

@Suite struct RedTeamTests {
    static let docx = TestSupport.repositoryRoot.appendingPathComponent(
        "Tests/ReadersTests/Fixtures/docx/ferry-review.docx")

    func results(_ out: URL) throws -> [String: JSONObject] {
        let text = try String(contentsOf: out.appendingPathComponent("results.jsonl"), encoding: .utf8)
        var byID: [String: JSONObject] = [:]
        for line in text.split(separator: "\n") {
            guard case .object(let object) = try JSONParser.parse(String(line)) else { continue }
            byID[object["id"]?.stringValue ?? ""] = object
        }
        return byID
    }

    /// Memory the host holds for a plugin counts against `--memory`: features, annotations and records
    /// stop at the limit with a message, and `ctx:read` refuses a file larger than what is left, before
    /// reading it. The run's own peak (run.json) stays far below what the loops would take unbounded.
    @Test func hostMemoryHeldForAPluginCountsAgainstItsLimit() throws {
        let folder = try TestSupport.folder(with: [
            "corpus/a.txt": "A short note about the harbour.\n",
            "hog/hog.lua": """
            local what
            return {name = "hog", options = {what = {type = "string", default = "set"}},
              setup = function(ctx) what = ctx.options.what end,
              process = function(doc, ctx)
                if what == "set" then
                  local s = string.rep("x", 1 << 20)
                  for i = 1, 100000 do doc:set("k" .. i, s) end
                elseif what == "annotate" then
                  local span = doc:span(1, 1)
                  for i = 1, 30000000 do doc:annotate("X", span, {n = i}) end
                elseif what == "emit" then
                  local s = string.rep("y", 1024)
                  for i = 1, 3000000 do ctx:emit(s) end
                elseif what == "read" then
                  ctx:read("big.bin")
                end
              end}
            """,
        ])
        // a sparse file of 2 GiB: reading it whole would need that much memory
        let big = folder.appendingPathComponent("hog/big.bin")
        #expect(FileManager.default.createFile(atPath: big.path, contents: nil))
        let handle = try FileHandle(forWritingTo: big)
        try handle.truncate(atOffset: 2 << 30)
        try handle.close()
        for (what, message) in [
            ("set", "doc:set: memory limit of 64 MiB exceeded: the document's features and annotations count"),
            ("annotate", "doc:annotate: memory limit of 64 MiB exceeded: the document's annotations and features"),
            ("emit", "ctx:emit: memory limit of 64 MiB exceeded: the records emitted for this document count"),
            ("read", "ctx:read: 'big.bin' is 2048.0 MB, more than the"),
        ] {
            let out = folder.appendingPathComponent("out-\(what)")
            let result = try TestSupport.quarry(
                [
                    "run", folder.appendingPathComponent("corpus").path, "--plugins",
                    folder.appendingPathComponent("hog").path, "--select", "hog", "--set", "hog.what=\(what)",
                    "--memory", "64", "--out", out.path, "--quiet", "--jobs", "1",
                ], timeout: 120)
            #expect(result.status == 1, "\(what): \(result.stderr)")
            let line = try #require(try results(out)["a.txt"])
            #expect(line["status"] == "failed", "\(what)")
            #expect("\(line["errors"] ?? .null)".contains(message), "\(what): \(line["errors"] ?? .null)")
            let record = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
            let peak = Int(record.split(separator: "\"peak_memory_bytes\": ").last?.prefix { $0.isNumber } ?? "") ?? 0
            #expect(peak > 0 && peak < 400 << 20, "\(what): peak \(peak) bytes")
        }
    }

    /// A DOCX whose directory offset points far past its end (and one whose first local-header offset
    /// does): each fails alone, the rest of the folder is read, and `--resume` does not trip on them.
    @Test func aCorruptDOCXFailsAloneAndTheRunCompletes() throws {
        let folder = try TestSupport.temporaryFolder()
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        var bytes = try Array(Data(contentsOf: Self.docx))
        let signature: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
        let candidates = Array(stride(from: bytes.count - 22, through: 0, by: -1))
        let end = try #require(candidates.first { Array(bytes[$0..<$0 + 4]) == signature })
        var offset = bytes
        offset.replaceSubrange((end + 16)..<(end + 20), with: [0x00, 0xFF, 0xFF, 0xFF])
        try Data(offset).write(to: corpus.appendingPathComponent("a-offset.docx"))
        let central = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16
        bytes.replaceSubrange((central + 42)..<(central + 46), with: [0xF0, 0xFF, 0xFF, 0xFF])
        try Data(bytes).write(to: corpus.appendingPathComponent("b-local.docx"))
        try "A calm note about the harbour.".write(
            to: corpus.appendingPathComponent("c-note.txt"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let first = try TestSupport.quarry(["run", corpus.path, "--out", out.path, "--quiet"], timeout: 120)
        #expect(first.status == 1, "some documents failed: \(first.stderr)")
        let lines = try results(out)
        #expect(lines.count == 3)
        for id in ["a-offset.docx", "b-local.docx"] {
            #expect(lines[id]?["status"] == "failed", "\(id)")
            guard case .array(let errors)? = lines[id]?["errors"], case .object(let error)? = errors.first else {
                Issue.record("no error for \(id)")
                continue
            }
            #expect(error["message"]?.stringValue?.contains("not a readable ZIP archive") == true, "\(error)")
        }
        #expect(lines["c-note.txt"]?["status"] == "ok")
        let again = try TestSupport.quarry(
            ["run", corpus.path, "--out", out.path, "--resume", "--quiet"], timeout: 120)
        #expect(again.status == 1, "\(again.stderr)")
        #expect(try results(out).count == 3)
    }

    /// A DOCX whose main part is malformed is read as far as it goes: the run says so in the document's
    /// results line and in the summary (before, the warning was dropped and the document looked whole).
    @Test func readerWarningsReachTheResultsAndTheSummary() throws {
        let folder = try TestSupport.temporaryFolder()
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: Self.docx.deletingLastPathComponent().appendingPathComponent("malformed.docx"),
            to: corpus.appendingPathComponent("malformed.docx"))
        try "Plain words.".write(to: corpus.appendingPathComponent("plain.txt"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let run = try TestSupport.quarry(["run", corpus.path, "--out", out.path], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try results(out)
        guard case .array(let warnings)? = lines["malformed.docx"]?["warnings"] else {
            Issue.record("no warnings in \(String(describing: lines["malformed.docx"]))")
            return
        }
        #expect(warnings.contains { $0.stringValue?.contains("malformed") == true }, "\(warnings)")
        #expect(lines["plain.txt"]?["warnings"] == nil)
        #expect(run.stderr.contains("1 document read with warnings"), "\(run.stderr)")
        #expect(run.stderr.contains("malformed.docx: word/document.xml is malformed"), "\(run.stderr)")
    }

    /// File names are bytes: names that are not UTF-8 (a Latin-1 é, a folder with 0xFF) are read, shown
    /// as `\xHH` in ids and paths (so two such names stay apart), and the run resumes over them.
    @Test func fileNamesThatAreNotUTF8AreRead() throws {
        let folder = try TestSupport.temporaryFolder()
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        func write(_ name: [UInt8], _ text: String) {
            let path = Array(corpus.path.utf8) + name + [0]
            let file = path.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { fopen($0.baseAddress!, "w") }
            }
            guard let file else {
                Issue.record("cannot create \(name)")
                return
            }
            fputs(text, file)
            fclose(file)
        }
        write(Array("/caf".utf8) + [0xE9] + Array(".txt".utf8), "A Latin-1 name.")
        write(Array("/caf".utf8) + [0xE8] + Array(".txt".utf8), "Another Latin-1 name.")
        let sub = Array(corpus.path.utf8) + Array("/d".utf8) + [0xFF, 0]
        _ = sub.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { mkdir($0.baseAddress!, 0o755) } }
        write(Array("/d".utf8) + [0xFF] + Array("/inside.txt".utf8), "Inside a folder.")
        let out = folder.appendingPathComponent("out")
        let run = try TestSupport.quarry(["run", corpus.path, "--out", out.path, "--quiet"], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = try results(out)
        #expect(Set(lines.keys) == ["caf\\xE8.txt", "caf\\xE9.txt", "d\\xFF/inside.txt"], "\(lines.keys)")
        for (id, line) in lines { #expect(line["status"] == "ok", "\(id): \(line)") }
        let again = try TestSupport.quarry(
            ["run", corpus.path, "--out", out.path, "--resume", "--quiet"], timeout: 120)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try results(out).count == 3)
    }

    /// A misspelt plugin in `--select` is refused with a suggestion (it used to run the plugin it meant to
    /// leave out); a glob matching no file is a failed line, not a silent empty run.
    @Test func aMisspeltSelectionAndAGlobMatchingNothing() throws {
        let folder = try TestSupport.temporaryFolder()
        try "Plain words.".write(to: folder.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        let out = folder.appendingPathComponent("out")
        let typo = try TestSupport.quarry(
            ["run", folder.path + "/a.txt", "--select", "default and not tnoe", "--out", out.path, "--quiet"])
        #expect(typo.status == 2)
        #expect(
            typo.stderr.contains("'tnoe' in 'default and not tnoe' is no plugin name or category"), "\(typo.stderr)")
        #expect(typo.stderr.contains("did you mean 'tone'?"))
        let absent = try TestSupport.quarry(
            ["run", folder.path + "/a.txt", "--select", "default and not slow", "--out", out.path, "--force"])
        #expect(absent.status == 0, "\(absent.stderr)")
        #expect(absent.stderr.contains("--select: 'slow' matches no plugin name or category here"))
        let glob = try TestSupport.quarry(["run", folder.path + "/*.zzz", "--out", out.path, "--force", "--quiet"])
        #expect(glob.status == 1, "\(glob.stderr)")
        let line = try results(out)[folder.path + "/*.zzz"]
        #expect(line?["status"] == "failed")
        #expect("\(String(describing: line))".contains("no files match"))
    }

    /// `math.random` is seeded per document and plugin: two runs, with `--jobs 1` and `--jobs 3`, draw
    /// the same numbers; two documents, or two plugins on one document, draw different ones.
    @Test func mathRandomIsTheSameOnEveryRun() throws {
        let folder = try TestSupport.temporaryFolder()
        let plugins = folder.appendingPathComponent("plugins")
        let corpus = folder.appendingPathComponent("corpus")
        for url in [plugins, corpus] {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        for name in ["dice", "coin"] {
            try """
            return {
              name = "\(name)", version = "0.1.0", categories = {"default"}, description = "Draws numbers.",
              process = function(doc, ctx) doc:set("\(name)", {math.random(1000000), math.random(1000000)}) end,
            }
            """.write(to: plugins.appendingPathComponent("\(name).lua"), atomically: true, encoding: .utf8)
        }
        for n in 1...6 {
            try "Document number \(n).".write(
                to: corpus.appendingPathComponent("d\(n).txt"), atomically: true, encoding: .utf8)
        }
        func draws(jobs: String) throws -> [String] {
            let out = folder.appendingPathComponent("out-\(jobs)")
            let run = try TestSupport.quarry(
                ["run", corpus.path, "--plugins", plugins.path, "--jobs", jobs, "--out", out.path, "--quiet"])
            #expect(run.status == 0, "\(run.stderr)")
            return try String(contentsOf: out.appendingPathComponent("results.jsonl"), encoding: .utf8)
                .split(separator: "\n").map { line in
                    guard case .object(let o) = try JSONParser.parse(String(line)),
                        case .object(let features)? = o["features"]
                    else { return "" }
                    return "\(features["dice"] ?? .null) \(features["coin"] ?? .null)"
                }
        }
        let one = try draws(jobs: "1")
        #expect(one.count == 6)
        #expect(try draws(jobs: "3") == one)
        #expect(Set(one).count == 6, "documents draw different numbers: \(one)")
        let pair = one[0].split(separator: " ", maxSplits: 1)
        #expect(pair.count == 2 && pair[0] != pair[1], "two plugins draw different numbers: \(one[0])")
    }

    /// A long host call checks the call's deadline as it goes: 1.5 million phrases under `--timeout 1`
    /// stop near the second (they ran on for about 8 s, the timeout reported after the work).
    @Test func aLongHostCallStopsAtTheTimeout() throws {
        let started = ContinuousClock.now
        let result = try TestSupport.quarry(
            [
                "eval", "--timeout", "1",
                "local t = {} for i = 1, 1500000 do t[i] = 'the same phrase' end return #quarry.phrases(t)",
            ], timeout: 60)
        let elapsed = ContinuousClock.now - started
        #expect(result.status != 0)
        #expect(result.stderr.contains("time limit"), "\(result.stderr)")
        #expect(elapsed < .seconds(5), "stopped after \(elapsed)")
    }

    /// JSON Lines that are not UTF-8 are read, and every record says so (they were read as Latin-1 without
    /// a word); control characters in a file name are shown escaped, never sent to the terminal.
    @Test func latin1JSONLinesWarnAndControlCharactersAreEscaped() throws {
        let folder = try TestSupport.temporaryFolder()
        let records = folder.appendingPathComponent("records.jsonl")
        try Data(Array(#"{"id":"a","text":"caf"#.utf8) + [0xE9] + Array(#" au lait"}"#.utf8) + [0x0A])
            .write(to: records)
        let jsonl = try TestSupport.quarry(["inspect", records.path])
        #expect(jsonl.status == 0, "\(jsonl.stderr)")
        #expect(jsonl.stdout.contains("café au lait"))
        #expect(jsonl.stderr.contains("the file is not UTF-8 (JSON should be)"), "\(jsonl.stderr)")
        let name = folder.appendingPathComponent("a\u{1B}[31mred\rname.txt")
        try "Plain.".write(to: name, atomically: true, encoding: .utf8)
        let escaped = try TestSupport.quarry(["inspect", name.path])
        #expect(escaped.status == 0, "\(escaped.stderr)")
        #expect(!escaped.stdout.contains("\u{1B}") && !escaped.stdout.contains("\r"))
        #expect(escaped.stdout.contains(#"a\x1B[31mred\x0Dname.txt"#), "\(escaped.stdout)")
    }

    /// A folder walk says what it passes over: a FIFO (never opened: reading it would block the run) and a
    /// dangling symbolic link are skipped lines with their reason, not silence.
    @Test func aFIFOAndADanglingLinkAreSkippedWithAReason() throws {
        let folder = try TestSupport.temporaryFolder()
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        try "Text.".write(to: corpus.appendingPathComponent("a.txt"), atomically: true, encoding: .utf8)
        #expect(mkfifo(corpus.appendingPathComponent("pipe.txt").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: corpus.appendingPathComponent("link.txt").path, withDestinationPath: "nowhere.txt")
        let out = folder.appendingPathComponent("out")
        let run = try TestSupport.quarry(["run", corpus.path, "--out", out.path, "--quiet"], timeout: 60)
        #expect(run.status == 0, "\(run.stderr)")
        let text = try String(contentsOf: out.appendingPathComponent("results.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 3, "\(text)")
        #expect(
            lines.contains { $0.contains("pipe.txt") && $0.contains("not a regular file (a FIFO, socket or device)") })
        #expect(lines.contains { $0.contains("link.txt") && $0.contains("a symbolic link to nothing (dangling)") })
    }
}
