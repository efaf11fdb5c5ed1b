// PluginSearchPath: where every command that reads plugins looks for them, first match wins per name:
// `--plugins DIR` (replaces the rest) › QUARRY_PLUGINS › quarry.toml's `plugins` › ./Plugins › the user's
// folder › the standard plugins next to the binary. `PluginFolderOptions` is the one loader commands use.
import ArgumentParser
import Foundation
import LuaBridge
import PluginHost
import Readers

/// The plugin search path of this process.
enum PluginSearchPath {
    /// The user's plugin folder: `$XDG_DATA_HOME/quarry/plugins`, default `~/.local/share/quarry/plugins`.
    static func userFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            return (data as NSString).appendingPathComponent("quarry/plugins")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/quarry/plugins")
    }

    /// The standard plugins installed with the binary: `<bin>/../share/quarry/plugins`.
    static var systemFolder: String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        let bin = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        return bin.deletingLastPathComponent().appendingPathComponent("share/quarry/plugins").path
    }

    /// The project's plugin folder, where `quarry plugins install` puts plugins (next to quarry.toml).
    static let projectFolder = "Plugins"

    /// The roots in search order. Folders the user named must exist; the implicit ones are skipped when absent.
    static func roots(
        given: [String], config: QuarryConfig,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> [PluginRoot] {
        var roots: [PluginRoot] = []
        if !given.isEmpty {
            roots = given.map { PluginRoot($0, .option) }
        } else {
            if let variable = environment["QUARRY_PLUGINS"] {
                roots += variable.split(separator: ":").map { PluginRoot(String($0), .environment) }
            }
            roots += config.pluginFolders.map { PluginRoot($0, .config) }
        }
        for root in roots where !isFolder(root.path) {
            let from =
                root.origin == .config
                ? " (named in \(config.path ?? QuarryConfig.fileName))"
                : root.origin == .environment ? " (named in QUARRY_PLUGINS)" : ""
            throw CommandFailure.usage("plugin folder not found: \(root.path)\(from)")
        }
        if !given.isEmpty { return roots }
        let implicit = [
            PluginRoot(projectFolder, .project), PluginRoot(userFolder(environment: environment), .user),
            PluginRoot(systemFolder, .system),
        ]
        roots += implicit.filter { isFolder($0.path) }
        return roots
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// "the project's ./Plugins, the user's folder ... " for messages when no plugin folder exists.
    static func describeImplicit(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        "./\(projectFolder), \(userFolder(environment: environment)), \(systemFolder)"
    }
}

/// Which plugins and with which options: `--plugins`, `--select` and `--set`, shared by run, map, reduce,
/// eval and repl.
struct PluginPickFlags: ParsableArguments {
    @OptionGroup var pluginFolders: PluginFolderOptions

    @Option(
        help: ArgumentHelp(
            "Which plugins: names, categories, globs with and/or/not (run's default: \"default\").",
            valueName: "expr"))
    var select: String?

    @Option(
        name: .customLong("set"), help: ArgumentHelp("A plugin option (repeatable).", valueName: "plugin.option=value"))
    var sets: [String] = []
}

/// The `--plugins DIR` option and the one plugin loader of the commands that read plugins.
struct PluginFolderOptions: ParsableArguments {
    @Option(
        name: .customLong("plugins"),
        help: ArgumentHelp(
            "A plugin folder (repeatable; replaces the search path: QUARRY_PLUGINS, quarry.toml, ./Plugins, the user's and the standard plugins).",
            valueName: "DIR"))
    var folders: [String] = []

    /// The search path, with quarry.toml read from the working directory.
    func roots(config: QuarryConfig? = nil) throws -> [PluginRoot] {
        try PluginSearchPath.roots(given: folders, config: config ?? QuarryConfig.load())
    }

    /// The catalog of the search path; warns when a plugin hides a different standard plugin.
    func catalog(config: QuarryConfig? = nil, configuration: LuaVM.Configuration? = nil) throws -> PluginCatalog {
        let roots = try roots(config: config)
        guard !roots.isEmpty else {
            throw CommandFailure.usage(
                "no plugin folder found (looked in \(PluginSearchPath.describeImplicit())); give --plugins DIR, set QUARRY_PLUGINS, or install Quarry with `make install`"
            )
        }
        var limits = LuaVM.Configuration()
        limits.timeout = 10
        let catalog = PluginCatalog.discover(
            roots: roots, configuration: configuration ?? limits, hasher: { SHA256.hex($0) })
        for shadow in catalog.shadowed where shadow.hidesAStandardPlugin {
            Terminal.warning(
                "plugin '\(shadow.name)' at \(shadow.winner) (\(shadow.winnerOrigin.label)) shadows the standard plugin at \(shadow.hidden)"
            )
        }
        return catalog
    }
}
