// QuarryConfig: the project's quarry.toml — plugin folders, default selection, jobs, output
// folder, folders plugins may read, plugin options, plugin registries and trusted sources — with
// errors that name the file, line and key. The user's config (`$XDG_CONFIG_HOME/quarry/config.toml`)
// may name registries and trusted sources too; the project's win by name.
import DocumentModel
import Foundation
import PluginHost
import PluginPackages
import TOMLKit

/// Settings from quarry.toml in the working directory (all optional).
struct QuarryConfig {
    static let fileName = "quarry.toml"

    var path: String?
    var pluginFolders: [String] = []
    var select: String?
    var jobs: Int?
    var out: String?
    var allowRead: [String] = []
    var timeout: Double?
    var memory: Int?
    /// Plugin → option → value, checked against the plugins' specs later.
    var options: [String: [String: JSONValue]] = [:]
    /// Team registries by name, in the order named (the project's, then the user's).
    var registries: [Registry] = []
    /// Sources installed without asking: registry names, or the start of a source (`file:///srv/team/`).
    var trusted: [String] = []

    static let keys = [
        "plugins", "select", "jobs", "out", "allow_read", "timeout", "memory", "options", "registries", "trusted",
    ]
    /// The keys of the user's config file.
    static let userKeys = ["registries", "trusted"]

    /// The user's config file: `$XDG_CONFIG_HOME/quarry/config.toml`, default `~/.config/quarry/config.toml`.
    static func userConfigPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return (config as NSString).appendingPathComponent("quarry/config.toml")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".config/quarry/config.toml")
    }

    /// Reads `quarry.toml` from the working directory, if there is one.
    static func load(from folder: String = FileManager.default.currentDirectoryPath) throws -> QuarryConfig {
        let path = (folder as NSString).appendingPathComponent(fileName)
        var config = QuarryConfig()
        if let data = FileManager.default.contents(atPath: path) {
            config = try parse(String(decoding: data, as: UTF8.self), path: path)
        }
        let userPath = userConfigPath()
        if let data = FileManager.default.contents(atPath: userPath) {
            let user = try parse(String(decoding: data, as: UTF8.self), path: userPath, allowed: userKeys)
            for registry in user.registries where !config.registries.contains(where: { $0.name == registry.name }) {
                config.registries.append(registry)
            }
            config.trusted += user.trusted
        }
        return config
    }

    static func parse(_ text: String, path: String, allowed: [String] = keys) throws -> QuarryConfig {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw CommandFailure.usage(
                "\(path):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        }
        var config = QuarryConfig(path: path)
        let base = (path as NSString).deletingLastPathComponent
        func fail(_ key: String, _ expected: String) -> CommandFailure {
            CommandFailure.usage("\(path): '\(key)' must be \(expected)")
        }
        func resolve(_ folder: String) -> String {
            folder.hasPrefix("/") ? folder : (base as NSString).appendingPathComponent(folder)
        }
        func strings(_ key: String) throws -> [String] {
            guard let value = table[key] else { return [] }
            if let s = value.string { return [s] }
            guard let array = value.array else { throw fail(key, "a string or a list of strings") }
            return try array.map { item in
                guard let s = item.string else { throw fail(key, "a list of strings") }
                return s
            }
        }
        for key in table.keys where !allowed.contains(key) {
            let close = suggestion(for: key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            throw CommandFailure.usage(
                "\(path): unknown key '\(key)'\(close); known keys: \(allowed.joined(separator: ", "))")
        }
        config.pluginFolders = try strings("plugins").map(resolve)
        config.allowRead = try strings("allow_read").map(resolve)
        config.trusted = try strings("trusted")
        if let value = table["registries"] {
            guard let registries = value.table else {
                throw fail("registries", "a table of NAME = \"folder or git URL\"")
            }
            for name in registries.keys.sorted() {
                guard let location = registries[name]?.string, !location.isEmpty else {
                    throw fail("registries.\(name)", "a folder or a git URL")
                }
                guard name.range(of: "^[a-z0-9][a-z0-9_-]*$", options: .regularExpression) != nil else {
                    throw fail("registries.\(name)", "named with lower-case letters, digits, '-' and '_'")
                }
                let isGit =
                    (try? PackageSource.parse(location)).map {
                        if case .git = $0.location { true } else { false }
                    } ?? false
                config.registries.append(Registry(name: name, location: isGit ? location : resolve(location)))
            }
        }
        if let value = table["select"] {
            guard let s = value.string else { throw fail("select", "a string such as \"default and not slow\"") }
            config.select = s
        }
        if let value = table["jobs"] {
            guard let n = value.int, n >= 1 else { throw fail("jobs", "a positive integer") }
            config.jobs = n
        }
        if let value = table["out"] {
            guard let s = value.string else { throw fail("out", "a folder name") }
            config.out = resolve(s)
        }
        if let value = table["timeout"] {
            guard let d = value.double ?? value.int.map(Double.init), d > 0, d.isFinite else {
                throw fail("timeout", "a positive number of seconds")
            }
            config.timeout = d
        }
        if let value = table["memory"] {
            guard let n = value.int, n > 0, n <= LuaLimitOptions.maxMemory else {
                throw fail("memory", "a positive number of megabytes, at most \(LuaLimitOptions.maxMemory)")
            }
            config.memory = n
        }
        if let value = table["options"] {
            guard let plugins = value.table else { throw fail("options", "a table of [options.PLUGIN] tables") }
            for plugin in plugins.keys {
                guard let options = plugins[plugin]?.table else {
                    throw fail("options.\(plugin)", "a table of option = value")
                }
                var values: [String: JSONValue] = [:]
                for name in options.keys {
                    guard let item = options[name], let json = json(item) else {
                        throw fail("options.\(plugin).\(name)", "a string, number, boolean or list")
                    }
                    values[name] = json
                }
                config.options[plugin] = values
            }
        }
        return config
    }

    static func json(_ value: TOMLValueConvertible) -> JSONValue? {
        switch value.type {
        case .string: return value.string.map { .string($0) }
        case .int: return value.int.map { .int($0) }
        case .double: return value.double.map { .double($0) }
        case .bool: return value.bool.map { .bool($0) }
        case .array:
            guard let array = value.array else { return nil }
            var items: [JSONValue] = []
            for item in array {
                guard let converted = json(item) else { return nil }
                items.append(converted)
            }
            return .array(items)
        default: return nil
        }
    }
}
