// PluginScope: who is calling the API — the plugin (or script) name used as the default annotation
// layer and log tag, and the folders it may read from. (Not the Lua `ctx` table: see ContextTable.swift.)

/// The plugin or script a `quarry` module belongs to.
public struct PluginScope: Sendable, Equatable {
    /// The plugin's name: the default layer of its annotations, the tag of its log lines.
    public var name: String
    /// The plugin's own folder (data files, `require` modules), if it has one.
    public var folder: String?
    /// Extra folders the user allowed it to read (`--allow-read`).
    public var readRoots: [String]

    public init(name: String, folder: String? = nil, readRoots: [String] = []) {
        self.name = name
        self.folder = folder
        self.readRoots = readRoots
    }

    /// The folders file-reading functions may read from, the plugin's own first.
    public var allRoots: [String] { (folder.map { [$0] } ?? []) + readRoots }
}

/// The level of a log line written with `quarry.log`.
public enum LogLevel: String, Sendable, CaseIterable {
    case debug, info, warn, error
}
