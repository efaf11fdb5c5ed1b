// `quarry plugins list | info NAME | new NAME | test [NAME ...] | docs`: what is in the plugin
// folders, a new plugin from a template, the plugins' Lua specs, and Markdown docs from manifests.
import ArgumentParser
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Readers

struct Plugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, inspect, create, test and document plugins.",
        discussion: """
            Plugins are looked for, first match wins per name: --plugins DIR (repeatable; replaces the \
            rest), QUARRY_PLUGINS (colon-separated), quarry.toml's `plugins`, ./Plugins, the user's folder \
            ($XDG_DATA_HOME/quarry/plugins, default ~/.local/share/quarry/plugins), the standard plugins \
            installed with quarry (<bin>/../share/quarry/plugins).
            """,
        subcommands: [
            List.self, Info.self, New.self, Test.self, Docs.self, Install.self, Remove.self, Verify.self, Update.self,
            Outdated.self, Search.self, Publish.self, Pack.self,
        ]
    )
}

extension PluginCatalog {
    /// The plugin called `name`, or a usage failure with a "did you mean" hint (or the load error).
    func require(_ name: String) throws -> PluginManifest {
        if let plugin = plugin(name) { return plugin }
        if let problem = problems.first(where: { Plugins.name(ofFile: $0.file) == name }) {
            throw CommandFailure.failed("plugin '\(name)' could not be loaded: \(problem)")
        }
        let hint = suggestion(for: name, in: plugins.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
        let known = plugins.isEmpty ? "no plugins found" : "plugins: " + plugins.map(\.name).joined(separator: ", ")
        throw CommandFailure.usage("no plugin named '\(name)'\(hint); \(known)")
    }

    /// Reports the plugins that could not be loaded on standard error; returns how many.
    @discardableResult
    func reportProblems() -> Int {
        for problem in problems { Terminal.error(problem.description) }
        return problems.count
    }
}

extension Plugins {
    /// The plugin name a file stands for: `x.lua` → x, `x/init.lua` → x.
    static func name(ofFile file: String) -> String {
        let url = URL(fileURLWithPath: file)
        if url.lastPathComponent == "init.lua" { return url.deletingLastPathComponent().lastPathComponent }
        return url.deletingPathExtension().lastPathComponent
    }

    /// `requires` as written, constraints included.
    static func requirements(of plugin: PluginManifest) -> [String] {
        plugin.requirements.isEmpty ? plugin.requires : plugin.requirements.map(\.description)
    }

    /// Left-aligned columns separated by two spaces; the last column is not padded.
    static func columns(_ rows: [[String]], indent: String = "") -> String {
        guard let width = rows.map(\.count).max() else { return "" }
        var widths = Array(repeating: 0, count: width)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            var line = indent
            for (i, cell) in row.enumerated() {
                line += i == row.count - 1 ? cell : cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    // MARK: - list

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the plugins: name, version, kind, categories, description.",
            discussion:
                "Plugins that could not be loaded are reported on standard error (file, field, message) and make the exit code 1."
        )

        @OptionGroup var folders: PluginFolderOptions

        @Flag(help: "Print a JSON array of objects.")
        var json = false

        func run() throws {
            let catalog = try folders.catalog()
            let shadows = Dictionary(grouping: catalog.shadowed, by: \.name)
            if json {
                let objects = catalog.plugins.map { plugin -> String in
                    var object: JSONObject = [
                        "name": .string(plugin.name), "version": .string(plugin.version),
                        "kind": .string(plugin.kind.rawValue),
                        "categories": .array(plugin.categories.map { .string($0) }),
                        "description": .string(plugin.description),
                        "requires": .array(Plugins.requirements(of: plugin).map { .string($0) }),
                    ]
                    object["file"] = .string(plugin.file)
                    object["origin"] = .string(plugin.origin.label)
                    object["folder_hash"] = .string(plugin.folderHash)
                    object["shadows"] = .array(
                        (shadows[plugin.name] ?? []).map { shadow in
                            .object(["file": .string(shadow.hidden), "origin": .string(shadow.hiddenOrigin.label)])
                        })
                    return "  " + JSONValue.object(object).description
                }
                print(objects.isEmpty ? "[]" : "[\n" + objects.joined(separator: ",\n") + "\n]")
            } else if catalog.plugins.isEmpty {
                print("No plugins in \(try folders.roots().map(\.path).joined(separator: ", ")).")
            } else {
                let rows =
                    [["NAME", "VERSION", "KIND", "FROM", "CATEGORIES", "DESCRIPTION"]]
                    + catalog.plugins.map {
                        [
                            $0.name, $0.version, $0.kind.rawValue, $0.origin.label,
                            $0.categories.joined(separator: ","), $0.description,
                        ]
                    }
                print(Plugins.columns(rows))
                var roots: [PluginRoot] = []
                for root in try folders.roots() where !roots.contains(where: { $0.path == root.path }) {
                    roots.append(root)
                }
                print("\nSearch path (first match wins):")
                print(Plugins.columns(roots.map { [$0.origin.label, $0.path] }, indent: "  "))
                if !catalog.shadowed.isEmpty {
                    print("\nShadowed:")
                    print(
                        Plugins.columns(
                            catalog.shadowed.map { shadow in
                                [
                                    shadow.name,
                                    "\(shadow.winner) (\(shadow.winnerOrigin.label)) hides \(shadow.hidden) (\(shadow.hiddenOrigin.label))"
                                        + (shadow.winnerFolderHash == shadow.hiddenFolderHash ? ", identical" : ""),
                                ]
                            }, indent: "  "))
                }
            }
            let problems = catalog.reportProblems()
            if problems > 0 {
                throw CommandFailure.failed("\(problems) plugin\(problems == 1 ? "" : "s") could not be loaded")
            }
        }
    }

    // MARK: - info

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a plugin's manifest, options and functions.")

        @Argument(help: "The plugin's name.")
        var name: String

        @OptionGroup var folders: PluginFolderOptions

        func run() throws {
            let catalog = try folders.catalog()
            let plugin = try catalog.require(name)
            var out = "\(plugin.name) \(plugin.version) (\(plugin.kind.rawValue))\n"
            if !plugin.description.isEmpty { out += "  \(plugin.description)\n" }
            let functions = [
                ("applies", plugin.hasApplies), ("setup", plugin.hasSetup), ("process", plugin.hasProcess),
                ("finish", plugin.hasFinish),
            ].filter(\.1).map(\.0)
            let none = "—"
            let facts: [[String]] = [
                ["categories", plugin.categories.isEmpty ? none : plugin.categories.joined(separator: ", ")],
                ["author", plugin.author ?? none],
                ["license", plugin.license ?? none],
                [
                    "requires",
                    plugin.requires.isEmpty
                        ? none
                        : Plugins.requirements(of: plugin).joined(
                            separator: plugin.requirements.contains { $0.constraint != nil } ? "; " : ", "),
                ],
                ["functions", functions.joined(separator: ", ")],
                ["reads", plugin.reads.isEmpty ? none : plugin.reads.joined(separator: ", ")],
                ["writes", plugin.writes.isEmpty ? none : plugin.writes.joined(separator: ", ")],
                ["file", plugin.file],
                ["folder", plugin.folder],
                ["from", plugin.origin.label],
                ["hash", plugin.folderHash],
            ]
            out += "\n" + Plugins.columns(facts, indent: "  ") + "\n"
            if plugin.options.isEmpty {
                out += "\nOptions: none\n"
            } else {
                out += "\nOptions (--set \(plugin.name).OPTION=VALUE):\n"
                var rows: [[String]] = [["OPTION", "TYPE", "DEFAULT", "ACCEPTS", "DOC"]]
                for option in plugin.options {
                    rows.append([
                        option.name, option.type.rawValue, option.defaultValue.map(PluginDocs.show) ?? none,
                        PluginDocs.accepts(option) ?? "", option.doc,
                    ])
                }
                out += Plugins.columns(rows, indent: "  ") + "\n"
            }
            print(out, terminator: "")
        }
    }

    // MARK: - docs

    struct Docs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write Markdown documentation of the plugins from their manifests.")

        @OptionGroup var folders: PluginFolderOptions

        @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
        var out: String?

        func run() throws {
            let catalog = try folders.catalog()
            let text = PluginDocs.markdown(catalog.plugins)
            if let out {
                do {
                    try Data(text.utf8).write(to: URL(fileURLWithPath: out))
                } catch {
                    throw CommandFailure.cannotRun("\(out): cannot write: \(error.localizedDescription)")
                }
            } else {
                print(text, terminator: "")
            }
            let problems = catalog.reportProblems()
            if problems > 0 {
                throw CommandFailure.failed("\(problems) plugin\(problems == 1 ? "" : "s") could not be loaded")
            }
        }
    }
}
