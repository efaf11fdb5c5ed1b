// The plugin layer: manifests and their errors, option specs, selection expressions and order,
// option resolution, and PluginSet (order, isolation of failures, ctx, confinement, limits).
// Fixture plugins live in Tests/PluginHostTests/Fixtures/plugins-*/.
import DocumentModel
import Foundation
import LuaBridge
import LuaShim
import PluginShim
import QuarryTestSupport
import Testing
import TextAnalysis

@testable import PluginHost

enum PluginFixtures {
    static let root = TestSupport.repositoryRoot.appendingPathComponent("Tests/PluginHostTests/Fixtures")
    static func folder(_ name: String) -> String { root.appendingPathComponent(name).path }

    static func catalog(_ folders: String...) -> PluginCatalog {
        PluginCatalog.discover(folders: folders.map(folder), hasher: { "bytes-\($0.count)" })
    }

    static func problem(_ catalog: PluginCatalog, _ file: String) -> PluginError? {
        catalog.problems.first { $0.file.hasSuffix("/" + file) }
    }

    static func document(_ text: String, id: String = "doc") throws -> Document {
        try Analyzer.analyze(text: text, id: id)
    }

    /// A manifest with only what selection and ordering look at.
    static func manifest(_ name: String, categories: [String] = [], requires: [String] = []) -> PluginManifest {
        PluginManifest(
            name: name, version: "1.0.0", kind: .extract, description: "", categories: categories, author: nil,
            license: nil,
            requires: requires, options: [], hasApplies: false, hasSetup: false, hasProcess: true, hasFinish: false,
            file: "\(name).lua", folder: ".", pluginsFolder: ".", source: [], hash: "")
    }

    static func set(
        _ names: [String], options: [String: JSONObject] = [:], settings: PluginSet.Settings = PluginSet.Settings()
    ) throws -> PluginSet {
        let catalog = catalog("plugins-good")
        let plugins = try PluginSelection.order(names.map { catalog.plugin($0)! })
        var all = options
        for plugin in plugins where all[plugin.name] == nil { all[plugin.name] = plugin.defaultOptions }
        return try PluginSet(plugins: plugins, options: all, settings: settings)
    }
}

/// The plugin layer's tests, grouped by concept.
@Suite struct PluginCatalogTests {}

// MARK: - Manifests

extension PluginCatalogTests {
    @Suite struct Manifests {
        let bad = PluginFixtures.catalog("plugins-bad")

        @Test func anUnknownFieldNamesFileAndFieldWithASuggestion() throws {
            let error = try #require(PluginFixtures.problem(bad, "typo.lua"))
            #expect(error.field == "proces")
            #expect(error.description.contains("typo.lua: field 'proces': unknown field (did you mean 'process'?)"))
            let option = try #require(PluginFixtures.problem(bad, "option-typo.lua"))
            #expect(option.field == "options.limit.defualt")
            #expect(option.message.contains("did you mean 'default'?"))
        }

        @Test func aSyntaxErrorNamesTheFileAndLine() throws {
            let error = try #require(PluginFixtures.problem(bad, "syntax.lua"))
            #expect(error.field == nil)
            #expect(error.message.contains("syntax error"))
            #expect(error.message.contains("syntax.lua:5"))
        }

        @Test func aManifestMustBeATable() throws {
            let error = try #require(PluginFixtures.problem(bad, "number.lua"))
            #expect(error.message == "a plugin must return a table (its manifest), got number")
        }

        @Test func fieldValuesAreChecked() throws {
            let kind = try #require(PluginFixtures.problem(bad, "kind.lua"))
            #expect(kind.field == "kind")
            #expect(kind.message.contains("'extrakt'"))
            let value = try #require(PluginFixtures.problem(bad, "bad-default.lua"))
            #expect(value.field == "options.limit.default")
            #expect(value.message.contains("must be an integer, got \"ten\""))
            let choice = try #require(PluginFixtures.problem(bad, "no-choices.lua"))
            #expect(choice.field == "options.mode.choices")
            #expect(bad.plugins.isEmpty)
        }

        @Test func theFirstPluginOfANameWinsAndShadowsTheLaterOnes() throws {
            let catalog = PluginFixtures.catalog("plugins-dup-a", "plugins-dup-b")
            #expect(catalog.plugins.map(\.name) == ["same"])
            #expect(catalog.plugins[0].version == "0.0.0")
            #expect(catalog.problems.isEmpty)
            let shadow = try #require(catalog.shadowed.first)
            #expect(shadow.winner.hasSuffix("plugins-dup-a/same.lua"))
            #expect(shadow.hidden.hasSuffix("plugins-dup-b/same.lua"))
        }

        @Test func aPluginsHashCoversItsDataFilesAndTheSharedLibrary() throws {
            let root = try TestSupport.folder(with: [
                "p/init.lua": "return {name = 'p', process = function() end}",
                "p/data/words.tsv": "a\n",
                "lib/helper.lua": "return {}",
            ])
            func hashes() -> (String, String) {
                let plugin = PluginCatalog.discover(
                    folders: [root.path], hasher: { $0.map(String.init).joined(separator: ",") }
                ).plugins[0]
                return (plugin.hash, plugin.folderHash)
            }
            let first = hashes()
            try Data("b\n".utf8).write(to: root.appendingPathComponent("p/data/words.tsv"))
            let second = hashes()
            #expect(second.0 != first.0)
            #expect(second.1 != first.1)
            try Data("return {x = 1}".utf8).write(to: root.appendingPathComponent("lib/helper.lua"))
            let third = hashes()
            #expect(third.0 != second.0)
            #expect(third.1 == second.1)
        }

        @Test func aMissingFolderIsAProblem() {
            let catalog = PluginFixtures.catalog("no-such-folder")
            #expect(catalog.problems.first?.message == "plugin folder not found")
        }

        @Test func aValidManifestIsReadWithItsFolderAndFunctions() throws {
            let good = PluginFixtures.catalog("plugins-good")
            #expect(good.problems.isEmpty, "\(good.problems)")
            let probe = try #require(good.plugin("ctx-probe"))
            #expect(probe.folder.hasSuffix("plugins-good/ctx-probe"))
            #expect(probe.hasProcess && probe.hasFinish && !probe.hasSetup)
            #expect(probe.hash.hasPrefix("bytes-"))
            let picky = try #require(good.plugin("picky"))
            #expect(picky.hasApplies)
            #expect(picky.folder == picky.pluginsFolder)
        }
    }
}

// MARK: - Option specs and resolution

extension PluginCatalogTests {
    @Suite struct Options {
        let catalog = PluginFixtures.catalog("plugins-options")

        @Test func eachTypeParsesAndChecks() throws {
            let typed = try #require(catalog.plugin("typed"))
            #expect(typed.defaultOptions["threshold"] == .double(0.5))
            #expect(typed.defaultOptions["words"] == .array(["a", "b"]))
            #expect(typed.defaultOptions["extra"] == nil)
            #expect(try typed.option("label")!.parse(" x ") == .string(" x "))
            #expect(try typed.option("threshold")!.parse("0.25") == .double(0.25))
            #expect(try typed.option("limit")!.parse("7") == .int(7))
            #expect(try typed.option("strict")!.parse("yes") == .bool(true))
            #expect(try typed.option("words")!.parse("x, y") == .array(["x", "y"]))
            #expect(try typed.option("mode")!.parse("slow") == .string("slow"))
            #expect(try typed.option("threshold")!.check(.int(1)) == .double(1))
            #expect(throws: OptionError.self) { try typed.option("threshold")!.parse("1.5") }
            #expect(throws: OptionError.self) { try typed.option("limit")!.parse("0") }
            #expect(throws: OptionError.self) { try typed.option("limit")!.parse("2.5") }
            #expect(throws: OptionError.self) { try typed.option("strict")!.parse("maybe") }
            do {
                _ = try typed.option("mode")!.parse("medium")
                Issue.record("a value outside the choices was accepted")
            } catch {
                #expect(error.message == "option 'mode' must be one of 'fast', 'slow', got 'medium'")
            }
        }

        @Test func setBeatsFileBeatsDefault() throws {
            let typed = try #require(catalog.plugin("typed"))
            let resolved = try OptionResolver.resolve(
                plugins: [typed], catalog: catalog, sets: ["typed.limit=9"],
                file: ["typed": ["limit": .int(5), "label": .string("from file")]])
            let options = try #require(resolved["typed"])
            #expect(options["limit"] == .int(9))
            #expect(options["label"] == .string("from file"))
            #expect(options["threshold"] == .double(0.5))
        }

        @Test func unknownNamesAndWrongTypesAreErrorsNamingThem() throws {
            let typed = try #require(catalog.plugin("typed"))
            func message(_ sets: [String], file: [String: [String: JSONValue]] = [:]) -> String {
                do {
                    _ = try OptionResolver.resolve(plugins: [typed], catalog: catalog, sets: sets, file: file)
                    return "no error"
                } catch {
                    return error.message
                }
            }
            #expect(message(["typd.limit=1"]).contains("no plugin named 'typd' (did you mean 'typed'?)"))
            #expect(message(["typed.limt=1"]).contains("has no option 'limt' (did you mean 'limit'?)"))
            #expect(
                message(["typed.limit=many"]).contains(
                    "--set typed.limit: option 'limit' must be an integer >= 1, got 'many'"))
            #expect(message(["plain.x=1"]).contains("plugin 'plain' is not selected"))
            #expect(message(["typed"]).contains("expected PLUGIN.OPTION=VALUE"))
            #expect(
                message([], file: ["typed": ["strict": .string("no")]]).contains(
                    "quarry.toml [options.typed]: option 'strict' must be true or false"))
            #expect(message([], file: ["nobody": ["x": .int(1)]]).contains("'nobody', which is not a plugin"))
        }
    }
}

// MARK: - Selection and order

extension PluginCatalogTests {
    @Suite struct Selection {
        let catalog = PluginCatalog(plugins: [
            PluginFixtures.manifest("entities", categories: ["default", "people"]),
            PluginFixtures.manifest("quotes", categories: ["default"], requires: ["entities"]),
            PluginFixtures.manifest("slow-index", categories: ["slow"]),
            PluginFixtures.manifest("summary", categories: ["report"], requires: ["quotes"]),
        ])

        func names(_ expression: String) throws -> [String] {
            try PluginSelection.select(catalog, expression: expression).map(\.name)
        }

        @Test func namesCategoriesGlobsAndBooleans() throws {
            #expect(try names("entities") == ["entities"])
            #expect(try names("default") == ["entities", "quotes"])
            #expect(try names("slow-*") == ["slow-index"])
            #expect(try names("default or slow") == ["entities", "quotes", "slow-index"])
            #expect(try names("not slow and not report") == ["entities", "quotes"])
            #expect(try names("(people or slow) and not slow-index") == ["entities"])
            #expect(try names("*") == ["entities", "quotes", "slow-index", "summary"])
        }

        @Test func aTermThatLooksLikeATypoIsRefusedAnAbsentCategoryIsReported() throws {
            do {
                _ = try PluginSelection.select(catalog, expression: "default and not qoutes")
                Issue.record("a typo was accepted")
            } catch {
                #expect(
                    error == .unknownTerm(term: "qoutes", suggestion: "quotes", expression: "default and not qoutes"))
                #expect(error.message(option: "--select").contains("did you mean 'quotes'?"))
            }
            #expect(try names("default and not experimental") == ["entities", "quotes"])
            let parsed = try PluginSelection.parse("default and not experimental or slow-* or nothing-*")
            #expect(PluginSelection.unmatchedTerms(parsed, in: catalog) == ["experimental", "nothing-*"])
        }

        @Test func aParseErrorShowsThePosition() {
            do {
                _ = try PluginSelection.parse("default and (slow or")
                Issue.record("parsed")
            } catch {
                #expect(error.offset == 20)
                #expect(error.description.contains("at position 21"))
                #expect(error.description.hasSuffix("\n  " + String(repeating: " ", count: 20) + "^"))
            }
            #expect(throws: SelectionError.self) { try PluginSelection.parse("default and and slow") }
            #expect(throws: SelectionError.self) { try PluginSelection.parse("default )") }
        }

        @Test func orderIsTopologicalAndStable() throws {
            let plugins = [
                PluginFixtures.manifest("c", requires: ["b"]), PluginFixtures.manifest("a"),
                PluginFixtures.manifest("b", requires: ["a"]), PluginFixtures.manifest("d"),
            ]
            #expect(try PluginSelection.order(plugins).map(\.name) == ["a", "b", "c", "d"])
            #expect(try names("summary or quotes or entities") == ["entities", "quotes", "summary"])
        }

        @Test func aCycleIsNamed() {
            let plugins = [
                PluginFixtures.manifest("x", requires: ["y"]), PluginFixtures.manifest("y", requires: ["z"]),
                PluginFixtures.manifest("z", requires: ["x"]),
            ]
            #expect(throws: SelectionError.self) { try PluginSelection.order(plugins) }
            do {
                _ = try PluginSelection.order(plugins)
            } catch {
                #expect("\(error)" == "plugins require each other in a cycle: x → y → z → x")
            }
        }

        @Test func anUnselectedRequirementSaysHowToSelectIt() {
            do {
                _ = try names("quotes")
                Issue.record("selected")
            } catch {
                #expect(
                    "\(error)".contains(
                        "plugin 'quotes' requires 'entities', which is not selected; select it too, e.g. 'quotes or entities'"
                    ))
                let error = error as? SelectionError
                #expect(
                    error?.message(option: "--select").contains("select it too, e.g. --select 'quotes or entities'")
                        == true)
            }
            let missing = PluginCatalog(plugins: [PluginFixtures.manifest("lonely", requires: ["ghost"])])
            do {
                _ = try PluginSelection.select(missing, expression: "lonely")
            } catch {
                #expect("\(error)".contains("'ghost', which is not in the plugin folders"))
            }
            #expect(throws: SelectionError.self) { try names("nothing-matches") }
        }
    }
}

// MARK: - PluginSet

extension PluginCatalogTests {
    @Suite struct Sets {
        func status(_ outcome: ProcessOutcome, _ name: String) -> PluginStatus? {
            outcome.statuses.first { $0.plugin == name }?.status
        }

        @Test func laterPluginsSeeEarlierAnnotations() throws {
            let set = try PluginFixtures.set(["second", "first"])
            #expect(set.plugins.map(\.name) == ["first", "second"])
            let outcome = set.process(try PluginFixtures.document("Clara met Omar in Lisbon."))
            #expect(outcome.failures.isEmpty)
            #expect(outcome.statuses.map(\.plugin) == ["first", "second"])
            #expect(outcome.document.annotations.query(type: "CAPS").count == 3)
            #expect(outcome.document.features["caps"] == .int(3))
        }

        @Test func aFailingPluginSkipsItsDependentsForThatDocumentOnly() throws {
            let set = try PluginFixtures.set(["fragile", "after-fragile"])
            let failed = set.process(try PluginFixtures.document("It went boom."))
            #expect(status(failed, "fragile") == .failed)
            #expect(status(failed, "after-fragile") == .skipped)
            let failure = try #require(failed.failures.first)
            #expect(failure.phase == .process)
            #expect(failure.message.contains("boom found"))
            #expect(failure.location?.hasSuffix("fragile.lua:5") == true)
            let fine = set.process(try PluginFixtures.document("All quiet."))
            #expect(status(fine, "fragile") == .ok)
            #expect(status(fine, "after-fragile") == .ok)
            #expect(fine.document.features["after"] == .bool(true))
        }

        @Test func appliesFalseIsNotApplicable() throws {
            let set = try PluginFixtures.set(["picky"])
            let skipped = set.process(try PluginFixtures.document("Nothing here."))
            #expect(status(skipped, "picky") == .notApplicable)
            #expect(skipped.document.features["picky"] == nil)
            let applied = set.process(try PluginFixtures.document("Please apply."))
            #expect(status(applied, "picky") == .ok)
        }

        @Test func aSetupFailureFailsEveryDocumentForThatPlugin() throws {
            let set = try PluginFixtures.set(["bad-setup", "first"])
            for text in ["One.", "Two."] {
                let outcome = set.process(try PluginFixtures.document(text))
                #expect(status(outcome, "bad-setup") == .failed)
                #expect(status(outcome, "first") == .ok)
                #expect(outcome.failures.first?.phase == .setup)
                #expect(outcome.failures.first?.message.contains("no word list") == true)
            }
        }

        @Test func ctxOptionsAreReadOnlyAndEmitTakesOnlyJSON() throws {
            let set = try PluginFixtures.set(["ctx-probe"], options: ["ctx-probe": ["x": .int(5)]])
            let options = set.process(try PluginFixtures.document("set-option"))
            #expect(options.failures.first?.message.contains("ctx.options is read-only") == true)
            let function = set.process(try PluginFixtures.document("emit-function"))
            #expect(function.failures.first?.message.contains("not JSON-like") == true)
            let record = set.process(try PluginFixtures.document("emit-record", id: "r1"))
            #expect(record.failures.isEmpty)
            #expect(record.records["ctx-probe"] == [.object(["id": "r1", "x": 5])])
        }

        @Test func recordChunksReachFinishAsTheGeneralPathReadsThem() throws {
            // Chunks the C reader takes, and ones it leaves to the general path (bytes that are not
            // UTF-8, deep nesting): finish sees the same records as from the parsed values.
            let deep = String(repeating: "[", count: 250) + "1" + String(repeating: "]", count: 250)
            let chunks: [String] = [
                #"[{"a":1,"b":[1,null,3],"s":"x\"y\u00e9\ud83d\ude00 \ud800 end","f":1.5,"e":-2.5e-3,"z":-0}]"#,
                #"[{"big":9223372036854775808,"max":9223372036854775807,"min":-9223372036854775808,"dup":1,"dup":2}]"#,
                #"[ [1, 2] , "plain", true, false, {"deep": {"x": {"y": []}}}, {} ]"#,
                "[\"caf\u{E9} \u{201C}q\u{201D}\"]",
                "[" + deep + "]",
                "[]",
            ]
            var bytes = chunks.map { Array($0.utf8) }
            bytes.append([0x5B, 0x22, 0x61, 0xFF, 0x62, 0x22, 0x5D])  // ["a\xFFb"]: not UTF-8
            var values: [JSONValue] = []
            for chunk in bytes {
                guard case .array(let items) = try JSONParser.parse(bytes: chunk) else {
                    Issue.record("not an array"); return
                }
                values += items
            }
            func dump(_ finish: (PluginSet) -> [PluginFailure]) throws -> String {
                let output = try TestSupport.temporaryFolder()
                defer { try? FileManager.default.removeItem(at: output) }
                let set = try PluginFixtures.set(
                    ["records-dump"], settings: PluginSet.Settings(outputFolder: output.path))
                let failures = finish(set)
                #expect(failures.isEmpty, "\(failures)")
                return try String(contentsOf: output.appendingPathComponent("records.json"), encoding: .utf8)
            }
            let fromChunks = try dump { $0.finish(recordChunks: ["records-dump": bytes]) }
            let fromValues = try dump { $0.finish(records: ["records-dump": values]) }
            #expect(fromChunks == fromValues)
            #expect(
                fromChunks.contains(#""big":9223372036854775808.0"#)
                    || fromChunks.contains(#""big":9.223372036854776e+18"#), "\(fromChunks)")
            #expect(fromChunks.contains(#""min":-9223372036854775808"#))
            #expect(fromChunks.contains(#""dup":2"#))
            #expect(fromChunks.contains("x\\\"yé😀 \u{FFFD} end"), "\(fromChunks)")
            #expect(fromChunks.contains("a\u{FFFD}b"))
            // a chunk that is no JSON array fails that finish, naming the plugin's records
            let output = try TestSupport.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: output) }
            let set = try PluginFixtures.set(["records-dump"], settings: PluginSet.Settings(outputFolder: output.path))
            let failures = set.finish(recordChunks: ["records-dump": [Array("{\"a\": 1}".utf8)]])
            #expect(
                failures.first?.message.contains("the records of records-dump are not a JSON array") == true,
                "\(failures)")
        }

        @Test func emittedRecordsAreWrittenAsTheGeneralConversionWritesThem() throws {
            // The direct writer against read-then-write, value by value; the ones it leaves to the
            // general path say so (false) and are still converted (or refused) there.
            let vm = try LuaVM()
            let L = vm.rawState
            let written: [(String, Bool)] = [
                ("{b = 1, a = 'x', c = {1, 2, 3}, d = {}, e = true, f = 2.5, g = -0.0, h = 1e300, i = -7}", true),
                ("{text = 'quote \\\"here\\\" and \\n a line, caf\\195\\169', ['k with space'] = false}", true),
                ("{list = {{1}, {a = {b = {c = 'deep'}}}}, n = math.maxinteger, m = math.mininteger}", true),
                ("'a plain string'", true), ("42", true), ("3.25", true), ("false", true),
                ("{bad = 'not \\255 utf8'}", true),
                ("{1, 2, nil, 4}", false),  // a hole: general path
                ("{[1] = 'a', x = 'b'}", false),  // mixed keys
                ("{['caf\\195\\169'] = 1}", false),  // a non-ASCII key
                ("{x = 0/0}", false),  // NaN: refused by the general path too
                ("{f = print}", false),
            ]
            for (source, direct) in written {
                _ = try vm.run("value = " + source, chunkName: "value.lua")
                lua_getglobal(L, "value")
                defer { lua_settop(L, 0) }
                var w = JSONWriter()
                let ok = JSONBridge.write(L, -1, into: &w)
                #expect(ok == direct, "\(source)")
                #expect(lua_gettop(L) == 1, "the stack is left as it was")
                if ok {
                    var reference = JSONWriter()
                    reference.value(try JSONBridge.read(L, -1, path: "record"))
                    #expect(w.string == reference.string, "\(source)")
                }
            }
            // a cycle is left to the general path, which names it
            _ = try vm.run("value = {} value.self = value", chunkName: "cycle.lua")
            lua_getglobal(L, "value")
            var w = JSONWriter()
            #expect(!JSONBridge.write(L, -1, into: &w))
            #expect(throws: JSONBridge.Failure.self) { try JSONBridge.read(L, -1, path: "record") }
            lua_settop(L, 0)
        }

        @Test func theCReaderTakesWhatTheRunnerWritesAndRefusesTheRest() throws {
            let vm = try LuaVM()
            let L = vm.rawState
            /// Appends a chunk to a fresh list through qp_append_json_records: the count, or nil on error.
            func append(_ chunk: [UInt8], after n: Int = 0) -> Int? {
                lua_createtable(L, 0, 0)
                let list = lua_gettop(L)
                defer { lua_settop(L, list - 1) }
                return chunk.withUnsafeBytes { raw in
                    lua_pushcclosure(L, qp_append_json_records, 0)
                    lua_pushvalue(L, list)
                    lua_pushlightuserdata(L, UnsafeMutableRawPointer(mutating: raw.baseAddress))
                    lua_pushinteger(L, lua_Integer(raw.count))
                    lua_pushinteger(L, lua_Integer(n))
                    return qs_pcall_host(L, 4, 1) == LUA_OK ? Int(lua_tointegerx(L, -1, nil)) : nil
                }
            }
            #expect(append(Array(#"[{"a":[1,2.5,"x\u00e9"]},"s",true,null,-0]"#.utf8)) == 5)
            #expect(append(Array("[]".utf8), after: 7) == 7)
            #expect(append(Array(#"["caf\#u{E9}"]"#.utf8)) == 1)
            #expect(append([0x5B, 0x22, 0x61, 0xFF, 0x22, 0x5D]) == nil)  // not UTF-8: left to the general path
            #expect(
                append(
                    Array(("[" + String(repeating: "[", count: 201) + String(repeating: "]", count: 201) + "]").utf8))
                    == nil)
            #expect(append(Array(#"{"a": 1}"#.utf8)) == nil)
            #expect(append(Array("[1,]".utf8)) == nil)
            #expect(append(Array("[1] x".utf8)) == nil)
            #expect(append(Array(#"["unterminated]"#.utf8)) == nil)
            #expect(vm.stackTop == 0)
        }

        @Test func writeIsRefusedInProcessAndConfinedInFinish() throws {
            let output = try TestSupport.temporaryFolder()
            let outside = try TestSupport.temporaryFolder()
            defer {
                try? FileManager.default.removeItem(at: output)
                try? FileManager.default.removeItem(at: outside)
            }
            try FileManager.default.createSymbolicLink(
                atPath: output.appendingPathComponent("link").path, withDestinationPath: outside.path)
            let set = try PluginFixtures.set(["ctx-probe"], settings: PluginSet.Settings(outputFolder: output.path))
            let process = set.process(try PluginFixtures.document("write"))
            #expect(process.failures.first?.message.contains("only available in finish") == true)

            let paths = [
                "../../etc/passwd", "/tmp/absolute.txt", "link/escape.txt", "sub/ok.txt", "results.jsonl", "Run.json",
                "errors.jsonl", "run.log",
            ]
            let failures = set.finish(records: ["ctx-probe": paths.map { .object(["path": .string($0)]) }])
            #expect(failures.isEmpty, "\(failures)")
            let log = try String(contentsOf: output.appendingPathComponent("log.txt"), encoding: .utf8).split(
                separator: "\n")
            #expect(log.count == 8)
            #expect(log[0].contains("no '..', no absolute path"))
            #expect(log[1].contains("no '..', no absolute path"))
            #expect(log[2].contains("outside the output folder"))
            #expect(log[3] == "sub/ok.txt ok")
            // the run's own files are never a plugin's to write
            for line in log[4...] { #expect(line.contains("one of the run's own files"), "\(line)") }
            for name in ["results.jsonl", "Run.json", "errors.jsonl", "run.log"] {
                #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(name).path), "\(name)")
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
            #expect(set.writtenFiles == ["sub/ok.txt", "log.txt"])
        }

        @Test func aWriteThatFailsOnTheWriterQueueIsAFinishFailureNamingTheFile() throws {
            // "dir" is a folder once "dir/x.txt" is written: writing a file named "dir" fails when the queue
            // renames it into place, after ctx:write returned; the next write or the end of finish says so
            let output = try TestSupport.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: output) }
            let set = try PluginFixtures.set(["ctx-probe"], settings: PluginSet.Settings(outputFolder: output.path))
            let failures = set.finish(records: [
                "ctx-probe": ["dir/x.txt", "dir"].map { .object(["path": .string($0)]) }
            ])
            #expect(failures.count == 1, "\(failures)")
            #expect(failures.first?.phase == .finish)
            #expect(failures.first?.message.contains("'dir': cannot write") == true, "\(failures)")
            #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("dir/x.txt").path))
            // no temporary file is left behind
            let left = try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.contains(".part-") }
            #expect(left.isEmpty, "\(left)")
        }

        @Test func readIsConfinedToThePluginFolderAndAllowedFolders() throws {
            let allowed = try TestSupport.folder(with: ["shared.txt": "shared words"])
            defer { try? FileManager.default.removeItem(at: allowed) }
            let set = try PluginFixtures.set(["ctx-probe"], settings: PluginSet.Settings(allowRead: [allowed.path]))
            let own = set.process(try PluginFixtures.document("read-own"))
            #expect(own.document.features["read"] == .string("from the plugin folder\n"))
            let shared = set.process(try PluginFixtures.document("read-allowed"))
            #expect(shared.document.features["read"] == .string("shared words"))
            let out = set.process(try PluginFixtures.document("read-out"))
            #expect(out.failures.first?.message.contains("outside the folders this plugin may read") == true)
        }

        @Test func limitsFailOneDocumentAndTheNextStillWorks() throws {
            var instructions = LuaVM.Configuration()
            instructions.instructionLimit = 2_000_000
            let counted = try PluginFixtures.set(
                ["ctx-probe"], settings: PluginSet.Settings(configuration: instructions))
            let looped = counted.process(try PluginFixtures.document("loop"))
            #expect(looped.failures.first?.kind == .lua(.instructionLimit))
            let next = counted.process(try PluginFixtures.document("fine"))
            #expect(next.failures.isEmpty)
            #expect(next.document.features["done"] == .bool(true))

            var clock = LuaVM.Configuration()
            clock.timeout = 0.3
            clock.instructionLimit = nil
            let timed = try PluginFixtures.set(["ctx-probe"], settings: PluginSet.Settings(configuration: clock))
            let slow = timed.process(try PluginFixtures.document("loop"))
            #expect(slow.failures.first?.kind == .lua(.timeout))
            let after = timed.process(try PluginFixtures.document("fine"))
            #expect(after.failures.isEmpty)
        }
    }
}

// MARK: - Stack balance

extension PluginCatalogTests {
    @Suite struct StackBalance {
        @Test func processAndFinishLeaveTheStackEmptyWhateverThePluginsDo() throws {
            let output = try TestSupport.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: output) }
            // plugins that succeed, fail, are not applicable, skip dependents, emit and write reports
            let set = try PluginFixtures.set(
                ["first", "second", "fragile", "after-fragile", "picky", "bad-setup", "ctx-probe", "records-dump"],
                options: ["ctx-probe": ["x": .int(1)]], settings: PluginSet.Settings(outputFolder: output.path))
            for text in [
                "Clara met Omar in Lisbon.", "It went boom.", "Please apply.", "emit-record", "emit-function",
                "set-option", "",
            ] {
                _ = set.process(try PluginFixtures.document(text))
                #expect(set.stackTop == 0, "after process of \(text.debugDescription)")
            }
            _ = set.finish(records: ["records-dump": [.int(1), .object(["a": "b"])]])
            #expect(set.stackTop == 0, "after finish with values")
            _ = set.finish(recordChunks: ["records-dump": [Array("[1,2]".utf8), Array("{\"not\": \"a list\"}".utf8)]])
            #expect(set.stackTop == 0, "after finish with chunks, one refused")
        }
    }
}

// MARK: - Finished documents

extension PluginCatalogTests {
    @Suite struct FinishedDocuments {
        @Test func writingToADocumentKeptFromAnEarlierOneIsAnErrorNamingIt() throws {
            let folder = try TestSupport.folder(with: [
                "keeps-doc.lua": """
                local kept
                return {name = "keeps-doc", version = "1.0.0", kind = "extract", description = "Keeps doc.",
                  process = function(doc, ctx)
                    if kept then
                      doc:set("earlier_id", kept.id)  -- reading a kept document is fine
                      kept:set("late", true)
                    end
                    kept = doc
                  end}
                """
            ])
            defer { try? FileManager.default.removeItem(at: folder) }
            let catalog = PluginCatalog.discover(folders: [folder.path], hasher: { "bytes-\($0.count)" })
            let plugins = try PluginSelection.order([try #require(catalog.plugin("keeps-doc"))])
            let set = try PluginSet(
                plugins: plugins, options: ["keeps-doc": JSONObject()], settings: PluginSet.Settings())
            let first = set.process(try PluginFixtures.document("One.", id: "first"))
            #expect(first.failures.isEmpty)
            let second = set.process(try PluginFixtures.document("Two.", id: "second"))
            let failure = try #require(second.failures.first)
            #expect(failure.message.contains("document 'first' is finished"), "\(failure.message)")
            #expect(first.document.features["late"] == nil)
        }
    }
}

// MARK: - Plugin files are bytes

extension PluginCatalogTests {
    @Suite struct SourceBytes {
        @Test func aPluginFileIsLoadedAsTheBytesItIs() throws {
            // a Latin-1 "é" (one byte, 0xE9) in a string literal stays one byte, in the manifest and in process
            let folder = try TestSupport.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let source =
                Array("local e = \"".utf8) + [0xE9]
                + Array(
                    """
                    "
                    return {name = "latin", version = "1.0.0", kind = "extract", description = "len " .. #e,
                      process = function(doc, ctx) doc:set("length", #e); doc:set("byte", e:byte()) end}
                    """.utf8)
            try Data(source).write(to: folder.appendingPathComponent("latin.lua"))
            let catalog = PluginCatalog.discover(folders: [folder.path], hasher: { "bytes-\($0.count)" })
            let plugin = try #require(catalog.plugin("latin"), "\(catalog.problems)")
            #expect(plugin.description == "len 1")
            let set = try PluginSet(
                plugins: [plugin], options: ["latin": JSONObject()], settings: PluginSet.Settings())
            let outcome = set.process(try PluginFixtures.document("Text.", id: "d"))
            #expect(outcome.failures.isEmpty)
            #expect(outcome.document.features["length"] == .int(1))
            #expect(outcome.document.features["byte"] == .int(0xE9))
        }
    }
}
