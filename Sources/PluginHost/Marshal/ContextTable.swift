// The `ctx` table a plugin's functions receive: read-only `options` and `plugin`, and `emit`, `write`
// and `read`, bound to the plugin's records buffer, the run's output folder and its read roots.
import DocumentModel
import Foundation
import LuaBridge
import LuaShim

extension PluginSet {
    /// Builds a plugin's `ctx` table; returns a reference to its read-only proxy.
    func makeContext(_ manifest: PluginManifest, state: State) throws -> LuaRef {
        let L = vm.rawState
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        lua_createtable(L, 0, 6)
        let ctx = lua_gettop(L)
        try vm.push(JSONBridge.lua(.object(options[manifest.name] ?? JSONObject())))
        if lua_type(L, -1) != LUA_TTABLE {
            lua_settop(L, -2)
            lua_createtable(L, 0, 0)
        }
        try runtime.wrapReadonly(L, name: "ctx.options")
        lua_setfield(L, ctx, "options")
        try vm.push(
            .object([
                "name": .string(manifest.name), "version": .string(manifest.version),
                "kind": .string(manifest.kind.rawValue),
                "folder": .string(manifest.folder), "file": .string(manifest.file),
            ]))
        try runtime.wrapReadonly(L, name: "ctx.plugin")
        lua_setfield(L, ctx, "plugin")
        vm.pushFunction("ctx:emit") { call in
            guard !call.isNil(2) else { throw call.argumentError(2, "a record (a table, string, number or boolean)") }
            let mark = state.records.bytes.count
            if state.recordCount > 0 { state.records.byte(0x2C) }
            // Written straight from the Lua value; anything the direct writer leaves (a function, a
            // cycle, mixed keys...) goes through the general conversion, which also words the errors.
            if !JSONBridge.write(call.rawState, 2, into: &state.records) {
                state.records.bytes.removeSubrange(mark...)
                let record = try call.jsonArgument(2, path: "record")
                if state.recordCount > 0 { state.records.byte(0x2C) }
                state.records.value(record)
            }
            // the records wait in the host until the document is done: they count against --memory
            let grown = state.records.bytes.count - mark
            guard call.vm.chargeHostMemory(grown) else {
                state.records.bytes.removeSubrange(mark...)
                throw call.error(
                    "memory limit of \(call.vm.memoryLimitText) exceeded: the records emitted for this document count against --memory"
                )
            }
            state.recordsCharged += grown
            state.recordCount += 1
            return 0
        }
        lua_setfield(L, ctx, "emit")
        vm.pushFunction("ctx:write") { [unowned self] call in
            guard state.inFinish else {
                throw call.error(
                    "only available in finish(records, ctx); in process, pass data to finish with ctx:emit")
            }
            let name = try call.string(2)
            guard manifest.declaresWrite(name) else {
                throw call.error(
                    "'\(name)' is not among the files plugin '\(manifest.name)' declares it writes (writes = {\(Self.quotedList(manifest.writes))})"
                )
            }
            let contents = try call.bytes(3)
            return call.push(try self.outputFiles.write(name: name, contents: contents, call: call))
        }
        lua_setfield(L, ctx, "write")
        vm.pushFunction("ctx:read") { [unowned self] call in
            let name = try call.string(2)
            guard manifest.declaresRead(name) else {
                throw call.error(
                    "'\(name)' is not among the files plugin '\(manifest.name)' declares it reads (reads = {\(Self.quotedList(manifest.reads))})"
                )
            }
            self.outputFiles.wait()
            let roots = [manifest.folder] + self.settings.allowRead
            let path: String
            do {
                path = try FileAccess.resolve(name, roots: roots, call: call)
            } catch let error as LuaError where error.message.contains("not found") {
                call.pushNil()
                call.push(error.message)
                return 2
            }
            // a file larger than what is left under --memory is refused before it is read
            if let left = call.vm.memoryLeft,
                let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > left
            {
                throw call.error(
                    "'\(name)' is \(Self.megabytes(size)), more than the \(Self.megabytes(left)) left under the memory limit of \(call.vm.memoryLimitText) (--memory)"
                )
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                call.pushNil()
                call.push("ctx:read: cannot read '\(name)'")
                return 2
            }
            return try call.push(.bytes(Array(data)))  // the file's bytes, as Lua's io would read them
        }
        lua_setfield(L, ctx, "read")
        try runtime.wrapReadonly(L, name: "ctx")
        return vm.reference(at: -1)
    }

    /// A size for a message: "2048.0 MB".
    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

    /// `"a", "b"` for a message quoting a manifest's list.
    static func quotedList(_ items: [String]) -> String {
        items.map { "\"\($0)\"" }.joined(separator: ", ")
    }
}
