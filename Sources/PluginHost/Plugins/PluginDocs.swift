// PluginDocs: Markdown documentation of plugins, made from their manifests alone (name, version,
// kind, description, categories, requires, options), for `quarry plugins docs`.
import DocumentModel
import Foundation

public enum PluginDocs {
    /// The Markdown page for a list of plugins: a contents list, then one section per plugin.
    public static func markdown(_ plugins: [PluginManifest], title: String = "Plugins") -> String {
        var out = "# \(title)\n\n"
        guard !plugins.isEmpty else { return out + "No plugins.\n" }
        for plugin in plugins {
            out +=
                "- [`\(plugin.name)`](#\(anchor(plugin.name))) — \(plugin.description.isEmpty ? plugin.kind.rawValue : plugin.description)\n"
        }
        for plugin in plugins { out += "\n" + markdown(plugin) }
        return out
    }

    /// One plugin's section.
    public static func markdown(_ plugin: PluginManifest) -> String {
        var out = "## \(plugin.name)\n\n"
        if !plugin.description.isEmpty { out += plugin.description + "\n\n" }
        var facts: [(String, String)] = [("version", plugin.version), ("kind", plugin.kind.rawValue)]
        if !plugin.categories.isEmpty {
            facts.append(("categories", plugin.categories.map { "`\($0)`" }.joined(separator: ", ")))
        }
        if !plugin.requires.isEmpty {
            facts.append(("requires", plugin.requires.map { "`\($0)`" }.joined(separator: ", ")))
        }
        if let author = plugin.author { facts.append(("author", author)) }
        if let license = plugin.license { facts.append(("license", license)) }
        for (key, value) in facts { out += "- **\(key)**: \(value)\n" }
        out += "\n"
        if plugin.options.isEmpty {
            out += "No options.\n"
        } else {
            out += "| option | type | default | doc |\n|---|---|---|---|\n"
            for option in plugin.options {
                var type = option.type.rawValue
                if let accepts = accepts(option) { type += " (\(accepts))" }
                let value = option.defaultValue.map { "`\(show($0))`" } ?? "—"
                out += "| `\(option.name)` | \(cell(type)) | \(cell(value)) | \(cell(option.doc)) |\n"
            }
            out +=
                "\nSet with `--set \(plugin.name).OPTION=VALUE` or in `quarry.toml` under `[options.\(plugin.name)]`.\n"
        }
        return out
    }

    /// What an option accepts beyond its type: bounds or choices (`0 to 1`, `one of 'a', 'b'`).
    public static func accepts(_ option: OptionSpec) -> String? {
        if option.type == .choice { return option.choices.joined(separator: ", ") }
        switch (option.min, option.max) {
        case let (lo?, hi?): return "\(OptionSpec.show(lo)) to \(OptionSpec.show(hi))"
        case let (lo?, nil): return "≥ \(OptionSpec.show(lo))"
        case let (nil, hi?): return "≤ \(OptionSpec.show(hi))"
        default: return nil
        }
    }

    /// A default value as a user would type it: a bare string, a comma-separated list, JSON otherwise.
    public static func show(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s.isEmpty ? "\"\"" : s
        case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
            return items.compactMap(\.stringValue).joined(separator: ",")
        default: return value.description
        }
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    static func anchor(_ name: String) -> String {
        String(name.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }
}
