// PluginRoot: one folder of the plugin search path and where it came from (`--plugins`, QUARRY_PLUGINS,
// quarry.toml, the project's Plugins/, the user's folder, the standard plugins). PluginCatalog looks
// through the roots in order; the first plugin of a name wins and shadows the later ones.

/// A folder plugins are looked for in, and which part of the search path it is.
public struct PluginRoot: Sendable, Equatable {
    /// Where a root comes from, in search order.
    public enum Origin: String, Sendable, CaseIterable {
        /// `--plugins DIR`.
        case option
        /// `QUARRY_PLUGINS`.
        case environment
        /// quarry.toml's `plugins`.
        case config
        /// The project's `./Plugins`.
        case project
        /// The user's folder (`$XDG_DATA_HOME/quarry/plugins`).
        case user
        /// The standard plugins, installed with the binary (`PREFIX/share/quarry/plugins`).
        case system

        /// How `quarry plugins list` names it.
        public var label: String {
            switch self {
            case .option: "--plugins"
            case .environment: "QUARRY_PLUGINS"
            case .config: "quarry.toml"
            case .project: "project"
            case .user: "user"
            case .system: "standard"
            }
        }
    }

    public var path: String
    public var origin: Origin

    public init(_ path: String, _ origin: Origin) {
        self.path = path
        self.origin = origin
    }

    /// Its shared module folder.
    public var libraryFolder: String { path.hasSuffix("/") ? path + "lib" : path + "/lib" }
}

/// A plugin hidden by one of the same name earlier in the search path.
public struct ShadowedPlugin: Sendable, Equatable {
    public var name: String
    /// The file of the plugin that won, and its root.
    public var winner: String
    public var winnerOrigin: PluginRoot.Origin
    public var winnerFolderHash: String
    /// The hidden plugin's file and root.
    public var hidden: String
    public var hiddenOrigin: PluginRoot.Origin
    public var hiddenFolderHash: String

    /// Whether a plugin of the user's or the project's hides a different standard plugin (worth a warning).
    public var hidesAStandardPlugin: Bool { hiddenOrigin == .system && winnerFolderHash != hiddenFolderHash }
}
