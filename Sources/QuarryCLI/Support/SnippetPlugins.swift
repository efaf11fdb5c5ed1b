// `quarry eval --select` and `quarry repl --select`: the selected plugins, with their options, run on each
// document before the snippet or the prompt, so that `doc:annotations{}` and `doc:get` show their work.
import DocumentModel
import Foundation
import LuaBridge
import PluginHost

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
        set.logHandler = { plugin, level, message in Terminal.write("[\(level.rawValue)] \(plugin): \(message)\n") }
        return SnippetPlugins(pluginSet: set)
    }

    private init(pluginSet: PluginSet) { self.pluginSet = pluginSet }

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
