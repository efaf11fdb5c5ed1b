// `quarry eval --select` and `quarry repl --select`: the selected plugins, with their options, run on each
// document before the snippet or the prompt, so that `doc:annotations{}` and `doc:get` show their work.
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Readers

/// The plugins a snippet runs after, in their own VM (the snippet's VM stays the script's).
final class SnippetPlugins {
    let pluginSet: PluginSet
    /// The selected plugins' names, in run order.
    var names: [String] { pluginSet.plugins.map(\.name) }

    /// nil without --select; a usage error for --set without --select.
    static func make(_ pick: PluginPickFlags, configuration: LuaVM.Configuration) throws -> SnippetPlugins? {
        guard let select = pick.select else {
            if !pick.sets.isEmpty { throw CommandFailure.usage("--set needs --select: name the plugins to run first") }
            return nil
        }
        let config = try QuarryConfig.load()
        let (plugins, options) = try Run.choosePlugins(
            pluginFolders: pick.pluginFolders, select: select, sets: pick.sets, locked: false, config: config,
            configuration: configuration)
        let set = try PluginSet(
            plugins: plugins, options: options,
            settings: PluginSet.Settings(configuration: configuration, outputFolder: nil, allowRead: config.allowRead))
        set.logHandler = { (plugin: String, level: LogLevel, message: String) in
            Terminal.write("[\(level.rawValue)] \(plugin): \(message)\n")
        }
        return SnippetPlugins(pluginSet: set)
    }

    private init(pluginSet: PluginSet) { self.pluginSet = pluginSet }

    /// The plugin whose file is `path` (a single-file plugin or a plugin folder's `init.lua`) and the plugins
    /// it requires, found in its plugins folder as a run finds them (so its `require`s resolve from its folder
    /// and the folder's `lib/`), with default options; nil when the file is no plugin of that folder.
    static func loading(file path: String, configuration: LuaVM.Configuration) throws -> SnippetPlugins? {
        let file = URL(fileURLWithPath: path).standardizedFileURL
        let isInit = file.lastPathComponent == "init.lua"
        let name =
            isInit ? file.deletingLastPathComponent().lastPathComponent : file.deletingPathExtension().lastPathComponent
        let pluginsFolder =
            isInit ? file.deletingLastPathComponent().deletingLastPathComponent() : file.deletingLastPathComponent()
        let catalog = PluginCatalog.discover(
            folders: [pluginsFolder.path], configuration: configuration, hasher: { SHA256.hex($0) })
        guard let manifest = catalog.plugin(name),
            URL(fileURLWithPath: manifest.packagePath).standardizedFileURL.path
                == (isInit ? file.deletingLastPathComponent().path : file.path)
        else {
            // a plugin folder's init.lua that does not load is an error; any other file may be a script
            if isInit, let problem = catalog.problems.first(where: { $0.file.hasSuffix(file.lastPathComponent) }) {
                throw CommandFailure.failed(problem.description)
            }
            return nil
        }
        let plugins: [PluginManifest]
        do throws(SelectionError) {
            plugins = try PluginSelection.select(catalog, expression: "\(manifest.name)+")
        } catch {
            throw CommandFailure.usage(error.message(option: ":load"))
        }
        let options = try OptionResolver.resolve(plugins: plugins, catalog: catalog, sets: [])
        let set = try PluginSet(
            plugins: plugins, options: options,
            settings: PluginSet.Settings(configuration: configuration, outputFolder: nil, allowRead: []))
        set.logHandler = { (plugin: String, level: LogLevel, message: String) in
            Terminal.write("[\(level.rawValue)] \(plugin): \(message)\n")
        }
        return SnippetPlugins(pluginSet: set)
    }

    /// Runs the plugins on a document and returns it with their annotations and fields. A plugin that fails is
    /// reported (document, plugin, phase, file:line) and the document keeps what the others did.
    func apply(_ document: Document) -> (document: Document, failures: Int) {
        let outcome = pluginSet.process(document)
        for failure in outcome.failures {
            // (a Lua error's message starts with its file:line already)
            let place = failure.location.map { failure.message.hasPrefix($0) ? "" : "\($0): " } ?? ""
            Terminal.error(
                "\(document.id): plugin \(failure.plugin) failed (\(failure.phase.rawValue)): \(place)\(failure.message)"
            )
        }
        return (outcome.document, outcome.failures.count)
    }
}
