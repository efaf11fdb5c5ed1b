// The committed API reference, LuaLS stub and .luarc.json must be what the code generates.
import Foundation
import QuarryTestSupport
import Testing

@testable import PluginHost

@Suite struct DocsTests {
    func committed(_ path: String) throws -> String {
        try String(contentsOf: TestSupport.repositoryRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func referenceIsCurrent() throws {
        #expect(
            try committed("docs/lua-api.md") == APIDocs.markdown(),
            "docs/lua-api.md is stale: run `quarry api --markdown > docs/lua-api.md`")
    }

    @Test func stubIsCurrent() throws {
        #expect(
            try committed("Plugins/quarry.d.lua") == APIDocs.luaLSStub(),
            "Plugins/quarry.d.lua is stale: run `quarry api --stub > Plugins/quarry.d.lua`")
        #expect(try committed("Plugins/.luarc.json") == APIDocs.luarc())
    }

    @Test func everyDeclarationIsComplete() {
        for entry in QuarryAPI.entries {
            #expect(!entry.summary.isEmpty, "\(entry.name) has no summary")
            #expect(QuarryAPI.versionParts(entry.since) != nil, "\(entry.name) has no valid since")
            if entry.kind == .function { #expect(entry.body != nil, "\(entry.name) has no implementation") }
            if entry.kind == .method && (entry.owner == "Doc" || entry.owner == "Span") {
                #expect(entry.body != nil, "\(entry.name) has no implementation")
            }
        }
        let names = QuarryAPI.entries.map(\.name)
        #expect(Set(names).count == names.count, "an API name is declared twice")
    }

    @Test func stubDeclaresEveryPublicName() {
        let stub = APIDocs.luaLSStub()
        for entry in QuarryAPI.entries {
            switch entry.kind {
            case .function: #expect(stub.contains("function \(entry.name)("), "\(entry.name)")
            case .method: #expect(stub.contains("function \(entry.owner):\(entry.member)("), "\(entry.name)")
            case .field: #expect(stub.contains("---@field \(entry.member) "), "\(entry.name)")
            case .value: #expect(stub.contains("\(entry.name) = nil"), "\(entry.name)")
            }
        }
    }
}
