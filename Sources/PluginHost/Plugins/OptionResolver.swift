// OptionResolver: each selected plugin's options from `--set NAME.OPTION=VALUE`, then
// quarry.toml, then the defaults; every unknown name or wrong value is an error before any
// document is read.
import DocumentModel

public enum OptionResolver {
    /// Resolves options.
    ///
    /// - Parameters:
    ///   - plugins: the selected plugins.
    ///   - catalog: every plugin found (a `--set` for a plugin found but not selected is an error).
    ///   - sets: `NAME.OPTION=VALUE` texts from the command line.
    ///   - file: typed values from quarry.toml by plugin and option; options of plugins not
    ///     selected are ignored, those of plugins that don't exist are errors.
    /// - Returns: each selected plugin's options, in declaration order.
    public static func resolve(
        plugins: [PluginManifest], catalog: PluginCatalog, sets: [String], file: [String: [String: JSONValue]] = [:],
        fileName: String = "quarry.toml"
    ) throws(OptionError) -> [String: JSONObject] {
        var values: [String: [String: JSONValue]] = [:]
        for (pluginName, options) in file.sorted(by: { $0.key < $1.key }) {
            guard let plugin = catalog.plugin(pluginName) else {
                throw OptionError(
                    message:
                        "\(fileName): options for '\(pluginName)', which is not a plugin in the plugin folders\(hint(pluginName, catalog))"
                )
            }
            guard plugins.contains(where: { $0.name == pluginName }) else { continue }
            for (name, value) in options.sorted(by: { $0.key < $1.key }) {
                let spec = try spec(plugin, name, source: "\(fileName) [options.\(pluginName)]")
                do {
                    values[pluginName, default: [:]][name] = try spec.check(value)
                } catch {
                    throw OptionError(message: "\(fileName) [options.\(pluginName)]: \(error.message)")
                }
            }
        }
        for set in sets {
            guard let equals = set.firstIndex(of: "="), let dot = set[..<equals].firstIndex(of: ".") else {
                throw OptionError(message: "--set '\(set)': expected PLUGIN.OPTION=VALUE")
            }
            let pluginName = String(set[..<dot])
            let name = String(set[set.index(after: dot)..<equals])
            let text = String(set[set.index(after: equals)...])
            guard let plugin = catalog.plugin(pluginName) else {
                throw OptionError(
                    message: "--set \(pluginName).\(name): no plugin named '\(pluginName)'\(hint(pluginName, catalog))")
            }
            guard plugins.contains(where: { $0.name == pluginName }) else {
                throw OptionError(message: "--set \(pluginName).\(name): plugin '\(pluginName)' is not selected")
            }
            let spec = try spec(plugin, name, source: "--set \(pluginName).\(name)")
            do {
                values[pluginName, default: [:]][name] = try spec.parse(text)
            } catch {
                throw OptionError(message: "--set \(pluginName).\(name): \(error.message)")
            }
        }
        var resolved: [String: JSONObject] = [:]
        for plugin in plugins {
            var object = JSONObject()
            for option in plugin.options {
                if let value = values[plugin.name]?[option.name] ?? option.defaultValue { object[option.name] = value }
            }
            resolved[plugin.name] = object
        }
        return resolved
    }

    static func spec(_ plugin: PluginManifest, _ name: String, source: String) throws(OptionError) -> OptionSpec {
        if let spec = plugin.option(name) { return spec }
        let names = plugin.options.map(\.name)
        let close = suggestion(for: name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
        let list = names.isEmpty ? "it has no options" : "its options: " + names.joined(separator: ", ")
        throw OptionError(message: "\(source): plugin '\(plugin.name)' has no option '\(name)'\(close); \(list)")
    }

    static func hint(_ name: String, _ catalog: PluginCatalog) -> String {
        suggestion(for: name, in: catalog.plugins.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
