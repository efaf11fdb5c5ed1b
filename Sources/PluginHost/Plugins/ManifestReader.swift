// ManifestReader: runs a plugin file in a sandboxed environment of its own and checks the table
// it returns against the manifest's field → type map, naming the file and field in every error.
import DocumentModel
import Foundation
import LuaBridge

enum ManifestReader {
    static let fields: [String] = [
        "name", "version", "kind", "description", "categories", "author", "license", "requires", "options",
        "reads", "writes", "quarry", "applies", "setup", "process", "finish",
    ]
    static let optionFields: [String] = ["type", "default", "doc", "min", "max", "choices"]

    /// The plugin's name from its path: `x.lua` → x, `x/init.lua` → x.
    static func nameFromPath(_ file: String) -> String {
        let url = URL(fileURLWithPath: file)
        if url.lastPathComponent == "init.lua" { return url.deletingLastPathComponent().lastPathComponent }
        return url.deletingPathExtension().lastPathComponent
    }

    /// Evaluates the file in `vm` and validates what it returns.
    static func read(
        file: String, source: [UInt8], folder: String, pluginsFolder: String, hash: String, vm: LuaVM,
        runtime: QuarryRuntime, libraryFolders: [String]? = nil, nameFromManifest: Bool = false
    ) throws(PluginError) -> PluginManifest {
        var expectedName = nameFromPath(file)
        let table: [String: LuaValue]
        do {
            let context = PluginScope(name: expectedName, folder: folder)
            let environment = try vm.makeEnvironment(
                name: expectedName, requireRoots: [folder] + (libraryFolders ?? [pluginsFolder + "/lib"]))
            try runtime.install(in: environment, plugin: context)
            let results = try vm.run(bytes: source, chunkName: file, environment: environment)
            switch results.first {
            case .object(let map)?: table = map
            case .array(let items)? where items.isEmpty: table = [:]
            case let other?:
                throw PluginError(
                    file: file, message: "a plugin must return a table (its manifest), got \(other.typeName)")
            case nil:
                throw PluginError(file: file, message: "a plugin must return a table (its manifest), got nothing")
            }
        } catch let error as PluginError {
            throw error
        } catch let error as LuaError {
            throw PluginError(
                file: file, message: error.kind == .syntax ? "syntax error: \(error.description)" : error.message)
        } catch {
            throw PluginError(file: file, message: "\(error)")
        }

        for key in table.keys.sorted() where !fields.contains(key) {
            let hint = suggestion(for: key, in: fields).map { " (did you mean '\($0)'?)" } ?? ""
            throw PluginError(
                file: file, field: key, message: "unknown field\(hint); known fields: \(fields.joined(separator: ", "))"
            )
        }
        func string(_ key: String, default value: String? = nil) throws(PluginError) -> String? {
            switch table[key] {
            case nil, .nil?: return value
            case .string(let s)?: return s
            case let other?:
                throw PluginError(file: file, field: key, message: "must be a string, got \(other.typeName)")
            }
        }
        func strings(_ key: String) throws(PluginError) -> [String] {
            switch table[key] {
            case nil, .nil?: return []
            case .array(let items)?:
                var out: [String] = []
                for (i, item) in items.enumerated() {
                    guard case .string(let s) = item else {
                        throw PluginError(
                            file: file, field: key, message: "item \(i + 1) must be a string, got \(item.typeName)")
                    }
                    out.append(s)
                }
                return out
            case .object(let map)? where map.isEmpty: return []
            case let other?:
                throw PluginError(file: file, field: key, message: "must be a list of strings, got \(other.typeName)")
            }
        }
        func isFunction(_ key: String) throws(PluginError) -> Bool {
            switch table[key] {
            case nil, .nil?: return false
            case .opaque(let type, _)? where type == "function": return true
            case let other?:
                throw PluginError(file: file, field: key, message: "must be a function, got \(other.typeName)")
            }
        }

        let name = try string("name", default: expectedName)!
        if nameFromManifest { expectedName = name }
        guard name.range(of: "^[a-z0-9][a-z0-9_-]*$", options: .regularExpression) != nil else {
            throw PluginError(
                file: file, field: "name",
                message: "'\(name)' is not a plugin name (lower-case letters, digits, '-' and '_')")
        }
        guard name == expectedName else {
            throw PluginError(
                file: file, field: "name",
                message: "'\(name)' differs from the file's name '\(expectedName)'; rename one of them")
        }
        let version = try string("version", default: "0.0.0")!
        guard version.range(of: "^[0-9]+(\\.[0-9]+){0,2}([-+][0-9A-Za-z.-]+)?$", options: .regularExpression) != nil
        else {
            throw PluginError(file: file, field: "version", message: "'\(version)' is not a version such as \"1.2.0\"")
        }
        let kindText = try string("kind", default: "extract")!
        guard let kind = PluginKind(rawValue: kindText) else {
            throw PluginError(
                file: file, field: "kind", message: "must be one of extract, score, report, got '\(kindText)'")
        }
        let categories = try strings("categories")
        var requirements: [Requirement] = []
        for (i, item) in try strings("requires").enumerated() {
            switch Requirement.parse(item) {
            case .success(let requirement): requirements.append(requirement)
            case .failure(let error):
                throw PluginError(file: file, field: "requires", message: "item \(i + 1): \(error.message)")
            }
        }
        let requires = requirements.map(\.name)
        if requires.contains(name) {
            throw PluginError(file: file, field: "requires", message: "a plugin cannot require itself")
        }
        let options = try readOptions(table["options"], file: file)
        var manifest = PluginManifest(
            name: name, version: version, kind: kind, description: try string("description", default: "")!,
            categories: categories, author: try string("author"), license: try string("license"), requires: requires,
            options: options, hasApplies: try isFunction("applies"), hasSetup: try isFunction("setup"),
            hasProcess: try isFunction("process"), hasFinish: try isFunction("finish"), file: file, folder: folder,
            pluginsFolder: pluginsFolder, source: source, hash: hash)
        manifest.libraryFolders = libraryFolders
        manifest.requirements = requirements
        manifest.reads = try strings("reads")
        manifest.writes = try strings("writes")
        if let text = try string("quarry") {
            guard let constraint = VersionConstraint.parse(text) else {
                throw PluginError(
                    file: file, field: "quarry",
                    message: "'\(text)' is not a version constraint such as \">= 1.0\" or \"^1.0\"")
            }
            guard let have = VersionConstraint.version(QuarryAPI.apiVersion), constraint.allows(have) else {
                throw PluginError(
                    file: file, field: "quarry",
                    message:
                        "needs Quarry's Lua API \(constraint.text); this quarry has API \(QuarryAPI.apiVersion) (update quarry, or install a version of '\(name)' made for it)"
                )
            }
            manifest.hostRequirement = constraint
        }
        guard manifest.hasProcess || manifest.hasFinish else {
            throw PluginError(
                file: file, message: "a plugin needs a `process(doc, ctx)` or a `finish(records, ctx)` function")
        }
        return manifest
    }

    static func readOptions(_ value: LuaValue?, file: String) throws(PluginError) -> [OptionSpec] {
        guard let value, value != .nil else { return [] }
        let map: [String: LuaValue]
        switch value {
        case .object(let m): map = m
        case .array(let items) where items.isEmpty: return []
        default:
            throw PluginError(
                file: file, field: "options", message: "must be a table of option name → {type = ..., default = ...}")
        }
        var specs: [OptionSpec] = []
        for name in map.keys.sorted() {
            let field = "options.\(name)"
            guard name.range(of: "^[A-Za-z_][A-Za-z0-9_-]*$", options: .regularExpression) != nil else {
                throw PluginError(file: file, field: field, message: "'\(name)' is not an option name")
            }
            guard case .object(let spec) = map[name]! else {
                throw PluginError(
                    file: file, field: field, message: "must be a table {type = ..., default = ..., doc = ...}")
            }
            for key in spec.keys.sorted() where !optionFields.contains(key) {
                let hint = suggestion(for: key, in: optionFields).map { " (did you mean '\($0)'?)" } ?? ""
                throw PluginError(file: file, field: "\(field).\(key)", message: "unknown field\(hint)")
            }
            guard case .string(let typeName)? = spec["type"], let type = OptionType(rawValue: typeName) else {
                throw PluginError(
                    file: file, field: "\(field).type",
                    message: "must be one of \(OptionType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var option = OptionSpec(name: name, type: type)
            if case .string(let doc)? = spec["doc"] { option.doc = doc }
            option.min = spec["min"]?.doubleValue
            option.max = spec["max"]?.doubleValue
            if spec["min"] != nil && option.min == nil {
                throw PluginError(file: file, field: "\(field).min", message: "must be a number")
            }
            if spec["max"] != nil && option.max == nil {
                throw PluginError(file: file, field: "\(field).max", message: "must be a number")
            }
            if type == .choice {
                guard case .array(let items)? = spec["choices"], !items.isEmpty,
                    items.allSatisfy({ $0.stringValue != nil })
                else {
                    throw PluginError(
                        file: file, field: "\(field).choices", message: "a choice needs a list of strings")
                }
                option.choices = items.map { $0.stringValue! }
            }
            if let given = spec["default"], given != .nil {
                do {
                    option.defaultValue = try option.check(try JSONBridge.json(given))
                } catch let error as OptionError {
                    throw PluginError(file: file, field: "\(field).default", message: error.message)
                } catch {
                    throw PluginError(file: file, field: "\(field).default", message: "\(error)")
                }
            }
            specs.append(option)
        }
        return specs
    }
}
