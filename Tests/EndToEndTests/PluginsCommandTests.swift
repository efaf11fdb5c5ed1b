// `quarry plugins list | info | new | test | docs`, end to end through the built binary, on small
// plugin folders written for each test.
import Foundation
import QuarryTestSupport
import Testing

@Suite struct PluginsCommandTests {
    static let entities = """
        -- Finds capitalised words.
        return {
          name = "entities", version = "1.2.0", kind = "extract",
          description = "Finds capitalised words.", categories = {"default", "people"},
          author = "Quarry tests", license = "MIT",
          options = {
            min = {type = "integer", default = 2, min = 1, doc = "Shortest word."},
            mode = {type = "choice", choices = {"strict", "loose"}, default = "loose", doc = "How to match."},
          },
          process = function(doc, ctx)
            for m in doc:find([[\\b\\p{Lu}\\p{Ll}+]]) do
              if #m.text >= ctx.options.min then doc:annotate("CAP", m) end
            end
          end,
        }
        """

    static let entitiesSpec = """
        describe("entities", function()
          it("finds capitalised words", function()
            local r = run("Clara met Omar.")
            expect(#r.annotations).to_be(2)
          end)
          it("honours min", function()
            expect(#run("Al met Omar.", {min = 3}).annotations).to_be(1)
          end)
        end)
        """

    func plugins(_ files: [String: String]) throws -> URL {
        try TestSupport.folder(with: files)
    }

    @Test func listShowsATableOrJSONAndReportsBrokenPlugins() throws {
        let folder = try plugins(["entities.lua": Self.entities, "broken.lua": "return {name = 'broken', proces = 1}"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TestSupport.quarry(["plugins", "list", "--plugins", folder.path])
        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("NAME      VERSION  KIND     FROM       CATEGORIES      DESCRIPTION") == true)
        #expect(lines.contains("entities  1.2.0    extract  --plugins  default,people  Finds capitalised words."))
        #expect(lines.contains("  --plugins  \(folder.path)"))
        #expect(result.stderr.contains("broken.lua: field 'proces': unknown field (did you mean 'process'?)"))

        // QUARRY_PLUGINS comes first in the search path; from a folder with no ./Plugins, with an empty user folder.
        let elsewhere = try TestSupport.temporaryFolder()
        let json = try TestSupport.quarry(
            ["plugins", "list", "--json"],
            environment: ["QUARRY_PLUGINS": folder.path, "XDG_DATA_HOME": elsewhere.path],
            currentDirectory: elsewhere)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]]
        #expect(decoded?.count == 1)
        #expect(decoded?.first?["name"] as? String == "entities")
        #expect(decoded?.first?["categories"] as? [String] == ["default", "people"])

        let missing = try TestSupport.quarry([
            "plugins", "list", "--plugins", folder.appendingPathComponent("nope").path,
        ])
        #expect(missing.status == 2)
    }

    @Test func infoShowsTheManifestAndOptions() throws {
        let folder = try plugins(["entities.lua": Self.entities])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TestSupport.quarry(["plugins", "info", "entities", "--plugins", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("entities 1.2.0 (extract)\n  Finds capitalised words.\n"))
        for line in [
            "  author      Quarry tests", "  license     MIT", "  functions   process", "  categories  default, people",
        ] {
            #expect(result.stdout.contains(line + "\n"), "\(line)")
        }
        #expect(result.stdout.contains("  min     integer  2        ≥ 1            Shortest word."))
        #expect(result.stdout.contains("  mode    choice   loose    strict, loose  How to match."))

        let typo = try TestSupport.quarry(["plugins", "info", "entites", "--plugins", folder.path])
        #expect(typo.status == 2)
        #expect(typo.stderr.contains("no plugin named 'entites' (did you mean 'entities'?)"))
    }

    @Test func newScaffoldsEachKindAndTheScaffoldPassesItsSpecs() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for kind in ["extract", "score", "report"] {
            let made = try TestSupport.quarry([
                "plugins", "new", "my-\(kind)", "--kind", kind, "--plugins", folder.path,
            ])
            #expect(made.status == 0, "\(made.stderr)")
            for file in ["init.lua", "spec/my-\(kind)_spec.lua", "spec/fixtures/sample.txt"] {
                #expect(
                    FileManager.default.fileExists(atPath: folder.appendingPathComponent("my-\(kind)/\(file)").path))
            }
            let tested = try TestSupport.quarry(["plugins", "test", "my-\(kind)", "--plugins", folder.path])
            #expect(tested.status == 0, "\(tested.stdout)\(tested.stderr)")
            #expect(tested.stdout.hasSuffix(" passed, 0 failed\n"))
        }
        let info = try TestSupport.quarry(["plugins", "info", "my-score", "--plugins", folder.path])
        #expect(info.stdout.contains("per_hundred"))
        // a scaffold is a draft (it joins no default run) unless --default asks for it
        let draft = try String(contentsOf: folder.appendingPathComponent("my-extract/init.lua"), encoding: .utf8)
        #expect(draft.contains(#"categories = {"draft"}"#))
        let ready = try TestSupport.quarry(["plugins", "new", "ready", "--default", "--plugins", folder.path])
        #expect(ready.status == 0, "\(ready.stderr)")
        let readyFile = try String(contentsOf: folder.appendingPathComponent("ready/init.lua"), encoding: .utf8)
        #expect(readyFile.contains(#"categories = {"default"}"#))

        let again = try TestSupport.quarry(["plugins", "new", "my-score", "--kind", "score", "--plugins", folder.path])
        #expect(again.status == 2)
        #expect(again.stderr.contains("already exists"))
        let invalid = try TestSupport.quarry(["plugins", "new", "Bad Name", "--plugins", folder.path])
        #expect(invalid.status == 2)
        let kind = try TestSupport.quarry(["plugins", "new", "fine", "--kind", "summarise", "--plugins", folder.path])
        #expect(kind.status == 2)
    }

    @Test func testReportsPassesAndFailuresWithExitCodes() throws {
        let failing = """
            describe("entities", function()
              it("expects too much", function()
                expect(#run("Clara met Omar.").annotations).to_be(5)
              end)
            end)
            """
        let folder = try plugins([
            "entities.lua": Self.entities, "spec/entities_spec.lua": Self.entitiesSpec,
            "other.lua": "return {name = 'other', process = function() end}", "spec/other_spec.lua": failing,
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let passing = try TestSupport.quarry(["plugins", "test", "entities", "--plugins", folder.path])
        #expect(passing.status == 0, "\(passing.stdout)\(passing.stderr)")
        #expect(
            passing.stdout == "✔ entities › finds capitalised words\n✔ entities › honours min\n2 passed, 0 failed\n")

        let all = try TestSupport.quarry(["plugins", "test", "--plugins", folder.path])
        #expect(all.status == 1)
        let spec = "spec/other_spec.lua"
        #expect(all.stdout.contains("✘ entities › expects too much: expected 5, got 0 (\(spec):3)\n"))
        #expect(
            all.stdout.contains(
                "\nFailures:\n\n1) other: entities › expects too much\n   expected 5, got 0\n   at \(spec):3\n"))
        #expect(all.stdout.hasSuffix("\n2 passed, 1 failed\n"))

        let unknown = try TestSupport.quarry(["plugins", "test", "entitis", "--plugins", folder.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("did you mean 'entities'?"))
        let empty = try plugins(["lonely.lua": "return {name = 'lonely', process = function() end}"])
        defer { try? FileManager.default.removeItem(at: empty) }
        let none = try TestSupport.quarry(["plugins", "test", "--plugins", empty.path])
        #expect(none.status == 2)
        #expect(none.stderr.contains("no specs found"))
    }

    @Test func specsMayCallTheWholeQuarryAPIInsideIt() throws {
        // Each API module called inside it(): the spec's runtime lives as long as its tests run (it was
        // freed after loading, and the first quarry.* call inside it() stopped the process).
        let spec = """
            describe("the quarry API in specs", function()
              it("text", function() expect(quarry.text.lower("ÉTÉ")).to_equal("été") end)
              it("json", function() expect(quarry.json.encode({a = 1})).to_equal('{"a":1}') end)
              it("csv", function() expect(#quarry.csv.decode("x\\n1\\n2\\n")).to_equal(2) end)
              it("markdown", function() expect(quarry.markdown.table({{"a"}})).to_match("a") end)
              it("phrases", function() expect(#quarry.phrases{"port strike", "flood"}).to_equal(2) end)
              it("log and versions", function()
                quarry.log.info("from a spec")
                expect(quarry.at_least("1.0")).to_be(true)
                expect(quarry.version).to_be_truthy()
              end)
              it("run, then the API on its result", function()
                local r = run("Clara met Omar.")
                expect(quarry.text.lower(r.annotations[1].type)).to_equal("caps")
              end)
            end)
            """
        let plugin = """
            return {name = "api-probe", version = "1.0.0", kind = "extract", description = "Marks capitals.",
              process = function(doc, ctx)
                for _, t in ipairs(doc.tokens) do if t.capitalized then doc:annotate("CAPS", t) end end
              end}
            """
        let folder = try plugins(["api-probe.lua": plugin, "spec/api-probe_spec.lua": spec])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TestSupport.quarry(["plugins", "test", "api-probe", "--plugins", folder.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasSuffix("7 passed, 0 failed\n"), "\(result.stdout)")
    }

    @Test func docsDescribeEveryPlugin() throws {
        let folder = try plugins([
            "entities.lua": Self.entities,
            "lonely.lua": "return {name = 'lonely', requires = {'entities'}, process = function() end}",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let printed = try TestSupport.quarry(["plugins", "docs", "--plugins", folder.path])
        #expect(printed.status == 0, "\(printed.stderr)")
        #expect(printed.stdout.hasPrefix("# Plugins\n"))
        #expect(printed.stdout.contains("## entities\n\nFinds capitalised words.\n"))
        #expect(printed.stdout.contains("| `min` | integer (≥ 1) | `2` | Shortest word. |"))
        #expect(printed.stdout.contains("- **requires**: `entities`"))
        let out = folder.appendingPathComponent("PLUGINS.md")
        let written = try TestSupport.quarry(["plugins", "docs", "--plugins", folder.path, "--out", out.path])
        #expect(written.stdout.isEmpty)
        #expect(try String(contentsOf: out, encoding: .utf8) == printed.stdout)
    }
}
