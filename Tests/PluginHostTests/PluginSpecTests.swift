// PluginSpecRunner: finding spec files, the spec library's matchers and hooks, `run` and `finish`
// on fixture plugins (Tests/PluginHostTests/Fixtures/plugins-specs), failures with file and line.
import Foundation
import LuaBridge
import QuarryTestSupport
import Testing

@testable import PluginHost

@Suite struct PluginSpecTests {
    let catalog = PluginFixtures.catalog("plugins-specs")

    func results(_ name: String, configuration: LuaVM.Configuration = LuaVM.Configuration()) throws -> [SpecResult] {
        let runner = PluginSpecRunner(catalog: catalog, configuration: configuration)
        runner.printHandler = { _ in }
        return runner.run(try #require(catalog.plugin(name)))
    }

    @Test func findsSpecFilesForFolderAndSingleFilePlugins() throws {
        #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        let greeter = try #require(catalog.plugin("greeter"))
        #expect(
            PluginSpecRunner.specFiles(for: greeter).map { ($0 as NSString).lastPathComponent } == ["greeter_spec.lua"])
        let single = try #require(catalog.plugin("needs-greeter"))
        #expect(
            PluginSpecRunner.specFiles(for: single).first?.hasSuffix("plugins-specs/spec/needs-greeter_spec.lua")
                == true)
    }

    @Test func aPassingSpecWithEveryMatcherRunAndFinish() throws {
        let results = try results("greeter")
        #expect(
            results.map(\.fullName) == [
                "greeter › annotates greetings in text", "greeter › reads fixtures and takes options",
                "greeter › has matchers",
                "greeter › gives read-only results", "greeter › runs finish",
            ])
        for result in results {
            #expect(result.status == .passed, "\(result.fullName): \(result.message ?? "") \(result.location ?? "")")
        }
    }

    @Test func failuresNameTheLineAndTheRunGoesOn() throws {
        var configuration = LuaVM.Configuration()
        configuration.timeout = 0.5
        let results = try results("needs-greeter", configuration: configuration)
        let byName = Dictionary(results.map { ($0.names.last!, $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byName["sees what greeter did"]?.status == .passed)
        let failed = try #require(byName["fails on purpose"])
        #expect(failed.status == .failed)
        #expect(failed.message == "expected 3, got 2")
        #expect(failed.location?.hasSuffix("needs-greeter_spec.lua:9") == true)
        let raised = try #require(byName["raises on purpose"])
        #expect(raised.message?.contains("attempt to index a nil value") == true)
        #expect(raised.location?.hasSuffix("needs-greeter_spec.lua:14") == true)
        #expect(byName["is not written yet"]?.status == .skipped)
        #expect(byName["loops"]?.status == .failed)
        #expect(byName["loops"]?.message?.contains("time limit") == true)
        #expect(byName["still runs after a loop"]?.status == .passed)
    }

    @Test func aBrokenSpecFileIsOneFailure() throws {
        let folder = try TestSupport.folder(with: [
            "p/init.lua": "return {name = 'p', process = function() end}",
            "p/spec/p_spec.lua": "describe('p', function()\n  it('x', function() end\nend)",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalog = PluginCatalog.discover(folders: [folder.path], hasher: { _ in "" })
        let runner = PluginSpecRunner(catalog: catalog)
        let results = runner.run(try #require(catalog.plugin("p")))
        #expect(results.count == 1)
        #expect(results.first?.status == .failed)
        #expect(results.first?.message?.contains("could not load the spec") == true)
        #expect(results.first?.location?.hasSuffix("p_spec.lua:3:1") == true)
    }
}
