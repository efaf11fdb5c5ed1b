// quarry.log and the root functions of `quarry`: log lines tagged with the plugin, the documents of a
// `quarry script`, and the API version check `quarry.at_least`.
import DocumentModel
import Foundation
import LuaBridge

extension QuarryRuntime {
    func log(_ level: LogLevel, _ plugin: PluginScope, _ call: LuaCall) throws -> Int32 {
        var parts: [String] = []
        for i in stride(from: Int32(1), through: call.count, by: 1) {
            let text = try call.vm.string(at: i) ?? call.vm.value(at: i, lenient: true).render(indent: nil)
            parts.append(text)
        }
        logHandler(plugin.name, level, parts.joined(separator: " "))
        return 0
    }

    func documents(_ call: LuaCall) throws -> Int32 {
        guard let source = documentSource else {
            throw call.error("only available in `quarry script` (documents come from its command line)")
        }
        call.vm.pushFunction("quarry.documents iterator") { [unowned self] inner in
            guard let document = try source() else { return inner.pushNil() }
            try inner.vm.push(try self.makeDocument(DocumentHandle(document)))
            return 1
        }
        return 1
    }

    func atLeast(_ call: LuaCall) throws -> Int32 {
        let wanted = try call.string(1)
        guard let want = QuarryAPI.versionParts(wanted) else { throw call.argumentError(1, "a version like \"1.0\"") }
        let have = QuarryAPI.versionParts(QuarryAPI.apiVersion)!
        return call.push(!have.lexicographicallyPrecedes(want))
    }
}
