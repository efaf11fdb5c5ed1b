// Runs the Lua-written tests of the API (Tests/PluginHostTests/Lua/*.lua) against a fixture
// document, each test in a fresh VM, and checks that together they cover every API entry.
import DocumentModel
import Foundation
import LuaBridge
import QuarryTestSupport
import Testing
import TextAnalysis

@testable import PluginHost

enum LuaTestHarness {
    static let folder = TestSupport.repositoryRoot.appendingPathComponent("Tests/PluginHostTests")
    static let files = ["doc.lua", "annotations.lua", "utilities.lua", "reports.lua"]

    static let helpers = """
        local function show(v) if type(v) == "string" then return string.format("%q", v) end return tostring(v) end
        function expect(condition, message)
          if not condition then error("expectation failed: " .. tostring(message), 2) end
        end
        function expect_eq(actual, expected, message)
          if actual ~= expected then
            error(("expected %s, got %s%s"):format(show(expected), show(actual),
              message and (" (" .. tostring(message) .. ")") or ""), 2)
          end
        end
        function expect_error(fn, pattern)
          local ok, err = pcall(fn)
          if ok then error("expected an error matching '" .. pattern .. "'", 2) end
          if not tostring(err):find(pattern) then
            error("error '" .. tostring(err) .. "' does not match '" .. pattern .. "'", 2)
          end
        end
        """

    static func fixtureDocument() throws -> Document {
        let path = folder.appendingPathComponent("Fixtures/harbour.txt").path
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return try Analyzer.analyze(bytes: bytes, id: "harbour.txt", path: path)
    }

    /// A fresh session with the helpers, the fixture bound as `doc`, and a captured log.
    static func session(log: @escaping (String) -> Void) throws -> ScriptSession {
        let session = try ScriptSession(
            configuration: LuaVM.Configuration(), name: "test", folder: folder.appendingPathComponent("Fixtures").path)
        session.runtime.logHandler = { plugin, level, message in log("\(level.rawValue) \(plugin): \(message)") }
        _ = try session.vm.run(helpers, chunkName: "helpers", environment: session.environment)
        try session.bind(try fixtureDocument())
        return session
    }

    /// The test file's table: `api` (names it covers) and `tests` (name → function).
    static func load(_ file: String, in session: ScriptSession) throws -> LuaRef {
        let path = folder.appendingPathComponent("Lua/\(file)").path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let chunk = try session.vm.load(
            source, chunkName: "Tests/PluginHostTests/Lua/\(file)", environment: session.environment)
        _ = try session.vm.call(chunk, lenient: true)
        return chunk
    }

    static func listing(_ file: String) throws -> (api: [String], tests: [String]) {
        let session = try self.session(log: { _ in })
        let path = folder.appendingPathComponent("Lua/\(file)").path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let results = try session.vm.run(source, chunkName: file, environment: session.environment, limits: nil)
        guard case .object(let table)? = results.first.map({ $0 }) ?? nil else { return ([], []) }
        let api: [String] = if case .array(let names)? = table["api"] { names.compactMap(\.stringValue) } else { [] }
        let tests: [String] = if case .object(let map)? = table["tests"] { map.keys.sorted() } else { [] }
        return (api, tests)
    }

    static var cases: [String] {
        files.flatMap { file in ((try? listing(file).tests) ?? ["<could not list>"]).map { "\(file):\($0)" } }
    }
}

@Suite struct LuaAPITests {
    @Test(arguments: LuaTestHarness.cases)
    func luaTest(_ name: String) throws {
        let parts = name.split(separator: ":", maxSplits: 1).map(String.init)
        let (file, test) = (parts[0], parts[1])
        var lines: [String] = []
        let session = try LuaTestHarness.session(log: { lines.append($0) })
        try session.environment.set(
            "test_log",
            session.vm.function("test_log") { call in
                try call.push(.array(lines.map { .string($0) }))
            })
        let path = LuaTestHarness.folder.appendingPathComponent("Lua/\(file)").path
        let source = try String(contentsOfFile: path, encoding: .utf8)
        let suite = try session.vm.load(
            source, chunkName: "Tests/PluginHostTests/Lua/\(file)", environment: session.environment)
        let runner = try session.vm.load(
            "local suite = ...; return suite().tests[\(LuaValue.string(test).description)]()",
            chunkName: "runner", environment: session.environment)
        do {
            _ = try session.vm.call(runner, arguments: [.ref(suite)], lenient: true)
        } catch let error as LuaError {
            Issue.record("\(file) \(test): \(error.fullDescription)")
        }
        #expect(session.vm.stackTop == 0)
    }

    @Test func theLuaTestsCoverEveryAPIEntry() throws {
        var covered = Set<String>()
        for file in LuaTestHarness.files { covered.formUnion(try LuaTestHarness.listing(file).api) }
        // ctx is exercised by the plugin tests (PluginCatalogTests), where plugins run.
        let declared = Set(QuarryAPI.entries.filter { $0.owner != "Context" }.map(\.name))
        #expect(declared.subtracting(covered).sorted() == [], "declared but covered by no Lua test file")
        #expect(covered.subtracting(declared).sorted() == [], "listed in a Lua test file but not declared")
    }
}
