// `quarry eval PATH`, `quarry script`, `quarry repl` and `quarry api`, end to end through the binary.
import Foundation
import QuarryTestSupport
import Testing

@Suite struct LuaCommandTests {
    let fixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures")
    func fixture(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    @Test func evalRunsOncePerDocument() throws {
        let result = try TestSupport.quarry([
            "eval", "#doc.sentences, doc.meta.title", fixture("harbour.txt"), fixture("briefing.txt"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("== harbour.txt\n"))
        #expect(result.stdout.contains("== briefing.txt\n"))
        #expect(result.stdout.contains("\"HARBOUR TALKS STALL\""))
        #expect(result.stdout.contains("\"Council Briefing\""))
    }

    @Test func evalPrintsSpansAndTables() throws {
        let result = try TestSupport.quarry([
            "eval", "doc.quotes[1], doc.quotes[1].inner:context(2)", fixture("briefing.txt"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                Quote[80..101] ""is balanced at last.""
                {
                  left = "the budget \\"",
                  match = "is balanced at last.",
                  right = "\\" Critics were"
                }

                """)
    }

    @Test func spansOfAnotherDocumentAreRefused() throws {
        let code =
            "if keep then local ok, err = pcall(doc.annotate, doc, 'X', keep) return err end keep = doc.tokens[1] return 'kept'"
        let result = try TestSupport.quarry(["eval", code, fixture("harbour.txt"), fixture("briefing.txt")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("doc:annotate: argument 2 is a span of another document"))
    }

    @Test func evalReadsStandardInput() throws {
        let result = try TestSupport.quarry(["eval", "#doc:tokens{kind = 'word'}", "-"], stdin: "One two three. Four!")
        #expect(result.stdout == "4\n")
    }

    @Test func evalReportsAFailingDocumentAndGoesOn() throws {
        let result = try TestSupport.quarry([
            "eval", "assert(doc.id ~= 'harbour.txt', 'no harbours') return doc.id", fixture("harbour.txt"),
            fixture("briefing.txt"),
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("harbour.txt: (eval):1: no harbours"))
        #expect(result.stdout.contains("\"briefing.txt\""))
        let missing = try TestSupport.quarry(["eval", "1", fixture("nope.txt")])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nope.txt: no such file"))
    }

    @Test func scriptWithProcessAndFinish() throws {
        let result = try TestSupport.quarry([
            "script", fixture("scripts/who-said.lua"), fixture("harbour.txt"), fixture("briefing.txt"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("harbour.txt: 2 quotes; "))
        #expect(result.stdout.contains("Clara Voss"))
        #expect(result.stdout.contains("briefing.txt: 1 quotes; "))
        #expect(result.stdout.contains("Ines Duarte"))
    }

    @Test func scriptArguments() throws {
        let script = try TestSupport.folder(with: ["a.lua": "print(args.person, args.count, args.none)"])
        let result = try TestSupport.quarry([
            "script", script.appendingPathComponent("a.lua").path, "--arg", "person=Ines Duarte", "--arg", "count=3",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "Ines Duarte\t3\tnil\n")
        let bad = try TestSupport.quarry(["script", script.appendingPathComponent("a.lua").path, "--arg", "nothing"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("expected NAME=VALUE"))
    }

    @Test func scriptIteratingDocuments() throws {
        let result = try TestSupport.quarry([
            "script", fixture("scripts/loop.lua"), fixture("harbour.txt"), fixture("briefing.txt"),
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("harbour.txt\t"))
        #expect(lines[2].hasPrefix("total\t"))
    }

    @Test func scriptGetsTheRecordsOfAJSONLinesFileInOrder() throws {
        let records = (1...300).map { #"{"id": "r\#($0)", "text": "Record number \#($0) of the file."}"# }.joined(
            separator: "\n")
        let folder = try TestSupport.folder(with: [
            "ids.lua": "local ids = {}\nfunction process(doc) ids[#ids + 1] = doc.id end\n"
                + "function finish() return #ids .. ' ' .. ids[1] .. ' ' .. ids[2] .. ' ' .. ids[#ids] end\n",
            "records.jsonl": records + "\n",
        ])
        let result = try TestSupport.quarry([
            "script", folder.appendingPathComponent("ids.lua").path,
            folder.appendingPathComponent("records.jsonl").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("300 records.jsonl#1 records.jsonl#2 records.jsonl#300"), "\(result.stdout)")
    }

    @Test func scriptFailuresNameTheDocumentAndLine() throws {
        let result = try TestSupport.quarry([
            "script", fixture("scripts/broken.lua"), fixture("harbour.txt"), fixture("briefing.txt"),
        ])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains(
                "briefing.txt: Tests/EndToEndTests/Fixtures/scripts/broken.lua:2: cannot handle briefing.txt"))
        #expect(result.stderr.contains("1 document failed"))
    }

    @Test func replReadsLinesFromStandardInput() throws {
        let input =
            "local x = 20\nfunction twice(n)\n  return n * 2\nend\ntwice(21)\n:doc quarry.text.len\n#doc.quotes\nerror('oops')\n:quit\n"
        let result = try TestSupport.quarry(["repl", fixture("briefing.txt")], stdin: input)
        #expect(result.status == 0)
        #expect(result.stdout.contains("42\n"))
        #expect(result.stdout.contains("quarry.text.len(s) → integer"))
        #expect(result.stdout.contains("1\n"))
        #expect(result.stderr.contains("stdin:1: oops"))
    }

    @Test func evalSelectRunsThePluginsBeforeTheSnippet() throws {
        let plugins = fixtures.appendingPathComponent("run/plugins").path
        let corpus = fixtures.appendingPathComponent("run/corpus")
        let doc01 = corpus.appendingPathComponent("doc01.txt").path
        let doc03 = corpus.appendingPathComponent("doc03.txt").path
        let result = try TestSupport.quarry([
            "eval", "-r", "--plugins", plugins, "--select", "after+", "--set", "counter.label=n",
            "return doc:get('n'), doc:get('caps'), #doc:annotations{type = 'CAP'}", doc01,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(result.stdout)")
        #expect((Int(lines[0]) ?? 0) > 5, "counter ran with its --set option: \(result.stdout)")
        #expect(lines[1] == lines[2] && (Int(lines[1]) ?? 0) > 0, "after saw flaky's annotations: \(result.stdout)")

        // a plugin that fails: its error (document, plugin, file:line), then the snippet with what the others did
        let failed = try TestSupport.quarry([
            "eval", "-r", "--plugins", plugins, "--select", "after+", "return doc:get('words'), doc:get('caps')", doc03,
        ])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("doc03.txt: plugin flaky failed (process): "), "\(failed.stderr)")
        #expect(failed.stderr.contains("flaky.lua:7: document 3 is a multiple of three"), "\(failed.stderr)")
        #expect(failed.stdout.hasSuffix("nil\n"), "after was skipped: \(failed.stdout)")
        #expect(!failed.stdout.hasPrefix("nil"), "counter's field is there: \(failed.stdout)")

        let noDocuments = try TestSupport.quarry(["eval", "--plugins", plugins, "--select", "counter", "1"])
        #expect(noDocuments.status == 2)
        #expect(noDocuments.stderr.contains("give the documents"))
        let setAlone = try TestSupport.quarry(["eval", "--set", "counter.min=2", "1", doc01])
        #expect(setAlone.status == 2)
        #expect(setAlone.stderr.contains("--set needs --select"))
        let unknown = try TestSupport.quarry([
            "eval", "--plugins", plugins, "--select", "counter", "--set", "counter.nope=1", "1", doc01,
        ])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("nope"), "\(unknown.stderr)")
    }

    @Test func replSelectListsPluginsAndAnnotations() throws {
        let plugins = fixtures.appendingPathComponent("run/plugins").path
        let doc01 = fixtures.appendingPathComponent("run/corpus/doc01.txt").path
        let result = try TestSupport.quarry(
            ["repl", "--plugins", plugins, "--select", "flaky+", doc01],
            stdin: ":plugins\n:annotations CAP\n:annotations NONE\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("counter\nflaky\n"), "\(result.stdout)")
        #expect(result.stdout.contains("CAP [flaky] \"Lisbon\" {\"len\":6}"), "\(result.stdout)")
        #expect(result.stdout.contains("no NONE annotations"))
        let plain = try TestSupport.quarry(["repl", doc01], stdin: ":plugins\n")
        #expect(plain.stdout.contains("no plugins ran"))
    }

    @Test func replLoadsAPluginAsARunDoesAndReloadsIt() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = folder.appendingPathComponent("Plugins")
        let tagger = plugins.appendingPathComponent("tagger")
        try FileManager.default.createDirectory(at: tagger, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: plugins.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try Data("return {pattern = [[\\b[A-Z][a-z]+\\b]]}\n".utf8).write(
            to: plugins.appendingPathComponent("lib/shared.lua"))
        func writeTagger(_ type: String) throws {
            try Data(
                """
                local shared = require("shared")
                return {name = "tagger", description = "Tags capitalized words.",
                  process = function(doc, ctx) for m in doc:find(shared.pattern) do doc:annotate("\(type)", m) end end}
                """.utf8
            ).write(to: tagger.appendingPathComponent("init.lua"))
        }
        try writeTagger("CAP")
        let doc01 = fixtures.appendingPathComponent("run/corpus/doc01.txt").path
        let initFile = tagger.appendingPathComponent("init.lua").path
        let script = folder.appendingPathComponent("edit.lua").path
        try Data("return 40 + 2\n".utf8).write(to: URL(fileURLWithPath: script))
        let first = try TestSupport.quarry(
            ["repl", doc01], stdin: ":load \(initFile)\n#doc:annotations{type = 'CAP'}\n:plugins\n:load \(script)\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("ran tagger on doc01.txt: "), "\(first.stdout)")
        #expect(!first.stdout.contains("\n0\n"), "the plugin's require resolved from Plugins/lib: \(first.stdout)")
        #expect(first.stdout.contains("tagger\n"))
        #expect(first.stdout.contains("42\n"), "a file that is no plugin runs at the prompt: \(first.stdout)")

        // :reload takes the edited file; a broken plugin file is an error naming it, and the prompt goes on
        try writeTagger("CAPITAL")
        let reloaded = try TestSupport.quarry(
            ["repl", doc01],
            stdin: ":reload\n:load \(initFile)\n#doc:annotations{type = 'CAPITAL'} > 0\n")
        #expect(reloaded.stderr.contains("nothing was loaded yet"))
        #expect(reloaded.stdout.contains("true\n"), "\(reloaded.stdout)")
        try Data("return {name = 'tagger', process = function(doc end}\n".utf8).write(
            to: URL(fileURLWithPath: initFile))
        let broken = try TestSupport.quarry(["repl", doc01], stdin: ":load \(initFile)\n1 + 1\n")
        #expect(broken.stderr.contains("init.lua"), "\(broken.stderr)")
        #expect(broken.stdout.contains("2\n"))
    }

    @Test func apiPrintsTheCommittedReferenceAndStub() throws {
        let markdown = try TestSupport.quarry(["api", "--markdown"])
        let committed = try String(
            contentsOf: TestSupport.repositoryRoot.appendingPathComponent("docs/lua-api.md"), encoding: .utf8)
        #expect(markdown.stdout == committed)
        let stub = try TestSupport.quarry(["api", "--stub"])
        #expect(stub.stdout.hasPrefix("---@meta quarry"))
        let one = try TestSupport.quarry(["api", "doc:find"])
        #expect(one.stdout.contains("Unicode regular expression"))
    }
}
