// SpecDriver: what `run(text_or_fixture, options)` and `finish(records, options)` do in a plugin
// spec — load the plugin (and what it requires) into a PluginSet and turn its outcome into Lua tables.
import DocumentModel
import Foundation
import LuaBridge

final class SpecDriver {
    let plugin: PluginManifest
    let runner: PluginSpecRunner
    /// PluginSets already loaded in this spec file, by their options (setup runs once per set).
    private var sets: [String: PluginSet] = [:]

    init(plugin: PluginManifest, runner: PluginSpecRunner) {
        self.plugin = plugin
        self.runner = runner
    }

    /// `run(text_or_fixture, options)` or `run({text = ..., meta = {date = ...}}, options)`
    /// → {annotations, features, scores, records, errors, status}.
    func run(_ call: LuaCall) throws -> Int32 {
        var input: String
        var meta = JSONObject()
        if call.typeName(1) == "table" {
            guard case .object(let spec) = try call.value(1) else {
                throw call.argumentError(1, "a text, a fixture name, or a table {text = ..., meta = {...}}")
            }
            for key in spec.keys.sorted() where !["text", "fixture", "meta"].contains(key) {
                throw call.error("unknown field '\(key)' in the document table (use text, fixture, meta)")
            }
            guard let given = spec["text"]?.stringValue ?? spec["fixture"]?.stringValue else {
                throw call.error("the document table needs `text` or `fixture`")
            }
            input = given
            if case .object(let m)? = spec["meta"] {
                meta = try call.json { try JSONBridge.object(.object(m), path: "meta") }
            }
        } else {
            input = try call.string(1)
        }
        let options = try options(call, at: 2)
        return try Self.raisingInLua(call) {
            var document = try runner.document(input, plugin: plugin)
            Self.apply(meta, to: &document.metadata)
            let set = try pluginSet(options: options)
            let outcome = set.process(document)
            return try call.push(Self.table(outcome, plugin: plugin.name))
        }
    }

    /// `finish(records, options)` → {files = {name → contents}, errors}.
    func finish(_ call: LuaCall) throws -> Int32 {
        guard plugin.hasFinish else { throw call.error("plugin '\(plugin.name)' has no finish(records, ctx) function") }
        let records: [JSONValue]
        switch try call.json({ try JSONBridge.json(try call.lenientValue(1), path: "records") }) {
        case .array(let items): records = items
        case .object(let object) where object.isEmpty: records = []
        case .null: records = []
        default: throw call.argumentError(1, "a list of records")
        }
        let options = try options(call, at: 2)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-spec-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        return try Self.raisingInLua(call) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let settings = PluginSet.Settings(configuration: runner.configuration, outputFolder: folder.path)
            let set = try PluginSet(plugins: [plugin], options: [plugin.name: options], settings: settings)
            set.logHandler = runner.logHandler
            let failures = set.finish(records: [plugin.name: records])
            var files: [String: LuaValue] = [:]
            for name in set.writtenFiles {
                let data = (try? Data(contentsOf: folder.appendingPathComponent(name))) ?? Data()
                files[name] = .string(String(decoding: data, as: UTF8.self))
            }
            return try call.push(.object(["files": .object(files), "errors": .array(failures.map(Self.table))]))
        }
    }

    /// Runs `body`, turning a spec failure or a host error into a Lua error of this call (a Lua
    /// error raised inside goes on as it is).
    static func raisingInLua(_ call: LuaCall, _ body: () throws -> Int32) throws -> Int32 {
        do {
            return try body()
        } catch let failure as SpecFailure {
            throw call.error(failure.description)
        } catch let error as LuaError {
            throw error
        } catch {
            throw call.error("\(error)")
        }
    }

    /// Sets metadata from a spec's `meta` table: the known fields, the rest as extras.
    static func apply(_ meta: JSONObject, to metadata: inout Metadata) {
        for (key, value) in zip(meta.keys, meta.values) {
            switch key {
            case "title": metadata.title = value.stringValue
            case "date": metadata.date = value.stringValue
            case "url": metadata.url = value.stringValue
            case "language": metadata.language = value.stringValue
            case "authors":
                if case .array(let items) = value { metadata.authors = items.compactMap(\.stringValue) }
            default: metadata.extra[key] = value
            }
        }
    }

    private func options(_ call: LuaCall, at index: Int32) throws -> JSONObject {
        guard !call.isNil(index) else { return plugin.defaultOptions }
        guard call.typeName(index) == "table" else { throw call.argumentError(index, "a table of options") }
        let given = try call.json { try JSONBridge.object(try call.lenientValue(index), path: "options") }
        do {
            return try PluginSpecRunner.options(given, for: plugin)
        } catch let failure as SpecFailure {
            throw call.error(failure.description)
        }
    }

    private func pluginSet(options: JSONObject) throws -> PluginSet {
        let key = JSONValue.object(options).description
        if let set = sets[key] { return set }
        let chain = try runner.chain(for: plugin)
        var all: [String: JSONObject] = [:]
        for member in chain { all[member.name] = member.name == plugin.name ? options : member.defaultOptions }
        let set = try PluginSet(
            plugins: chain, options: all, settings: PluginSet.Settings(configuration: runner.configuration))
        set.logHandler = runner.logHandler
        sets[key] = set
        return set
    }

    // MARK: - Results as Lua tables

    static func table(_ outcome: ProcessOutcome, plugin: String) -> LuaValue {
        let document = outcome.document
        let annotations = document.annotations.query().map { annotation -> LuaValue in
            .object([
                "type": .string(annotation.type), "layer": .string(annotation.layer),
                "text": .string(document.text(of: annotation.range)),
                "start": .int(Int64(annotation.range.start) + 1), "stop": .int(Int64(annotation.range.end)),
                "features": JSONBridge.lua(.object(annotation.features)),
            ])
        }
        var statuses: [String: LuaValue] = [:]
        for entry in outcome.statuses { statuses[entry.plugin] = .string(entry.status.rawValue) }
        return .object([
            "annotations": .array(annotations),
            "features": JSONBridge.lua(.object(document.features)),
            "scores": JSONBridge.lua(.object(document.scores)),
            "records": .array(outcome.records(of: plugin).map(JSONBridge.lua)),
            "errors": .array(outcome.failures.map(table)),
            "status": statuses[plugin] ?? .string("skipped"),
            "statuses": .object(statuses),
        ])
    }

    static func table(_ failure: PluginFailure) -> LuaValue {
        var map: [String: LuaValue] = [
            "plugin": .string(failure.plugin), "phase": .string(failure.phase.rawValue),
            "kind": .string(failure.kind.name),
            "message": .string(failure.message),
        ]
        if let location = failure.location { map["location"] = .string(location) }
        return .object(map)
    }
}
