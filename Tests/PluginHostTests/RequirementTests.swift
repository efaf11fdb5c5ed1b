// `requires` items with version constraints: parsing (`entities >= 1.2, < 2`, `^`, `~`, bare versions),
// what each operator accepts, the manifest error for a bad constraint, and selection refusing a plugin
// whose requirement's version does not fit, naming both plugins and the version found.
import Foundation
import PluginHost
import QuarryTestSupport
import Testing
import Version

@Suite struct RequirementTests {
    func allows(_ constraint: String, _ version: String) throws -> Bool {
        let parsed = try #require(VersionConstraint.parse(constraint), "\(constraint)")
        return parsed.allows(try #require(VersionConstraint.version(version)))
    }

    @Test func constraintsAcceptWhatTheirOperatorsSay() throws {
        #expect(try allows(">= 1.2, < 2", "1.2.0"))
        #expect(try allows(">= 1.2, < 2", "1.9.3"))
        #expect(try !allows(">= 1.2, < 2", "2.0.0"))
        #expect(try !allows(">= 1.2, < 2", "1.1.9"))
        #expect(try allows("^1.2", "1.7.0"))
        #expect(try !allows("^1.2", "2.0.0"))
        #expect(try allows("^0.2.1", "0.2.9"))
        #expect(try !allows("^0.2.1", "0.3.0"))
        #expect(try allows("~1.2.3", "1.2.9"))
        #expect(try !allows("~1.2.3", "1.3.0"))
        #expect(try allows("1.0", "1.0.0"))
        #expect(try allows("== 1.0.0", "1.0.0"))
        #expect(try !allows("> 1.0.0", "1.0.0"))
        #expect(try allows("<= 1.0.0", "1.0.0"))
        #expect(try !allows(">= 1.0.0", "1.0.0-beta.1"))
        #expect(VersionConstraint.parse(">= x") == nil)
        #expect(VersionConstraint.parse(">= 1.2,") == nil)
        #expect(VersionConstraint.parse("") == nil)
    }

    @Test func requirementsAreANameAndAnOptionalConstraint() throws {
        let plain = try Requirement.parse("entities").get()
        #expect(plain.name == "entities" && plain.constraint == nil)
        let ranged = try Requirement.parse("entities >= 1.2, < 2").get()
        #expect(ranged.name == "entities")
        #expect(ranged.constraint?.terms.count == 2)
        #expect(ranged.description == "entities >= 1.2, < 2")
        #expect(try Requirement.parse("quote-index^1.0").get().name == "quote-index")
        guard case .failure(let error) = Requirement.parse("entities >= one") else {
            Issue.record("accepted a bad constraint")
            return
        }
        #expect(error.message.contains("'>= one' in 'entities >= one' is not a version constraint"))
    }

    func catalog(_ files: [String: String]) throws -> PluginCatalog {
        let folder = try TestSupport.folder(with: files)
        return PluginCatalog.discover(folders: [folder.path], hasher: { "h\($0.count)" })
    }

    @Test func selectionChecksTheRequiredVersionAndManifestsNameABadConstraint() throws {
        let good = try catalog([
            "entities.lua": "return {name = 'entities', version = '1.3.0', process = function() end}",
            "brief.lua": "return {name = 'brief', requires = {'entities >= 1.2, < 2'}, process = function() end}",
        ])
        #expect(good.problems.isEmpty)
        #expect(try PluginSelection.select(good, expression: "brief or entities").map(\.name) == ["entities", "brief"])

        let old = try catalog([
            "entities.lua": "return {name = 'entities', version = '1.0.0', process = function() end}",
            "brief.lua": "return {name = 'brief', requires = {'entities >= 1.2, < 2'}, process = function() end}",
        ])
        #expect {
            try PluginSelection.select(old, expression: "brief or entities")
        } throws: { error in
            "\(error)".hasPrefix("plugin 'brief' requires 'entities >= 1.2, < 2', but entities is 1.0.0 (")
        }

        let bad = try catalog([
            "brief.lua": "return {name = 'brief', requires = {'entities >> 1'}, process = function() end}"
        ])
        let problem = try #require(bad.problems.first)
        #expect(problem.field == "requires")
        #expect(problem.message.hasPrefix("item 1: '>> 1' in 'entities >> 1' is not a version constraint"))
    }

    @Test func aPlusSelectsAPluginAndWhatItRequiresTransitively() throws {
        let plugins = try catalog([
            "entities.lua": "return {name = 'entities', version = '1.3.0', process = function() end}",
            "quotes.lua": "return {name = 'quotes', requires = {'entities'}, process = function() end}",
            "brief.lua": "return {name = 'brief', requires = {'quotes'}, process = function() end}",
            "tone.lua": "return {name = 'tone', process = function() end}",
        ])
        #expect(
            try PluginSelection.select(plugins, expression: "brief+").map(\.name) == ["entities", "quotes", "brief"])
        #expect(
            try PluginSelection.select(plugins, expression: "brief+ or tone").map(\.name).sorted()
                == ["brief", "entities", "quotes", "tone"])
        #expect(try PluginSelection.select(plugins, expression: "quotes+ and not quotes").map(\.name) == ["entities"])
        #expect(try PluginSelection.parse("brief+").description == "brief+")
        #expect(throws: SelectionError.self) { try PluginSelection.parse("+") }
        // Without the plus, the requirement must be selected by name.
        #expect {
            try PluginSelection.select(plugins, expression: "brief")
        } throws: { error in
            "\(error)".contains("requires 'quotes', which is not selected")
        }
    }

    @Test func theHostAPIGateRefusesAPluginMadeForAnotherAPI() throws {
        let plugins = try catalog([
            "fits.lua": "return {name = 'fits', quarry = '>= 1.0, < 2', process = function() end}",
            "future.lua": "return {name = 'future', quarry = '>= 9', process = function() end}",
            "typo.lua": "return {name = 'typo', quarry = 'one', process = function() end}",
        ])
        #expect(plugins.plugin("fits")?.hostRequirement?.text == ">= 1.0, < 2")
        let problems = Dictionary(
            plugins.problems.map { (($0.file as NSString).lastPathComponent, $0) }, uniquingKeysWith: { a, _ in a })
        let future = try #require(problems["future.lua"])
        #expect(future.field == "quarry")
        #expect(future.message.hasPrefix("needs Quarry's Lua API >= 9; this quarry has API \(QuarryAPI.apiVersion)"))
        #expect(try #require(problems["typo.lua"]).message.contains("'one' is not a version constraint"))
    }

    @Test func declaredReadsAndWritesAreGlobsAndNothingDeclaredAllowsAll() throws {
        let plugins = try catalog([
            "brief.lua": """
            return {name = 'brief', reads = {'lists/*.tsv'}, writes = {'brief.md', 'brief/*'},
                    finish = function() end}
            """,
            "open.lua": "return {name = 'open', finish = function() end}",
        ])
        let brief = try #require(plugins.plugin("brief"))
        #expect(brief.declaresWrite("brief.md") && brief.declaresWrite("brief/a/b.html"))
        #expect(!brief.declaresWrite("other.md") && !brief.declaresWrite("brief.md.bak"))
        #expect(brief.declaresRead("lists/people.tsv") && !brief.declaresRead("secrets.txt"))
        let open = try #require(plugins.plugin("open"))
        #expect(open.declaresWrite("anything/at/all.html") && open.declaresRead("x"))
    }
}
