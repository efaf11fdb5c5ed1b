// RunSettings: everything a batch run needs, decided before any document is read.
import DocumentModel
import LuaBridge
import PluginHost
import Readers

/// How to run a batch.
public struct RunSettings: Sendable {
    public var paths: [String]
    public var readerOptions: ReaderOptions
    public var corpusOptions: CorpusOptions
    /// Selected plugins, in run order.
    public var plugins: [PluginManifest]
    /// Each plugin's resolved options.
    public var options: [String: JSONObject]
    public var plugin: PluginSet.Settings
    public var jobs: Int
    public var outputFolder: String
    public var resume: Bool
    public var force: Bool
    public var failFast: Bool
    /// Only this shard's documents (`--shard I/N`): the run leaves a shard folder for `quarry merge`
    /// (with order.jsonl, and no finish).
    public var shard: Shard?
    /// The shard folders (or map outputs) a merge or reduce put together, recorded in run.json.
    public var mergedFrom: [String] = []
    /// The command line, recorded in run.json.
    public var arguments: [String]
    public var quarryVersion: String

    public init(
        paths: [String], readerOptions: ReaderOptions = ReaderOptions(), corpusOptions: CorpusOptions = CorpusOptions(),
        plugins: [PluginManifest], options: [String: JSONObject], plugin: PluginSet.Settings, jobs: Int,
        outputFolder: String, resume: Bool = false, force: Bool = false, failFast: Bool = false,
        shard: Shard? = nil, mergedFrom: [String] = [], arguments: [String] = [],
        quarryVersion: String = QuarryAPI.quarryVersion
    ) {
        self.paths = paths
        self.readerOptions = readerOptions
        self.corpusOptions = corpusOptions
        self.plugins = plugins
        self.options = options
        self.plugin = plugin
        self.jobs = jobs
        self.outputFolder = outputFolder
        self.resume = resume
        self.force = force
        self.failFast = failFast
        self.shard = shard
        self.mergedFrom = mergedFrom
        self.arguments = arguments
        self.quarryVersion = quarryVersion
    }

    /// What must be the same for `--resume` to reuse results: Quarry's and the API's versions,
    /// the plugins (name, version, source hash, options) and the reader options.
    public var fingerprint: String {
        var object = JSONObject()
        object["quarry"] = .string(quarryVersion)
        object["api"] = .string(QuarryAPI.apiVersion)
        object["plugins"] = .array(
            plugins.map { plugin in
                var p = JSONObject()
                p["name"] = .string(plugin.name)
                p["version"] = .string(plugin.version)
                p["hash"] = .string(plugin.hash)
                p["options"] = .object(options[plugin.name] ?? JSONObject())
                return .object(p)
            })
        var reader = JSONObject()
        reader["format"] = readerOptions.format.map { .string($0.rawValue) } ?? .null
        reader["html_main"] = .bool(readerOptions.htmlMainContent)
        reader["text_field"] = readerOptions.textField.map { .string($0) } ?? .null
        reader["id_field"] = readerOptions.idField.map { .string($0) } ?? .null
        if let metadata = readerOptions.metadata { reader["metadata_sha256"] = .string(metadata.sha256) }
        object["reader"] = .object(reader)
        return JSONValue.object(object).description
    }
}
