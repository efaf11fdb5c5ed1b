// PluginManifest: what a plugin file declares (name, version, kind, categories, requires, typed
// options, which functions it has), validated field by field, with its source and hash.
import DocumentModel
import Foundation

/// What a plugin does, as its manifest says.
public enum PluginKind: String, Sendable, CaseIterable {
    case extract, score, report
}

/// A validated plugin manifest and the source it came from.
public struct PluginManifest: Sendable, Equatable {
    public var name: String
    public var version: String
    public var kind: PluginKind
    public var description: String
    public var categories: [String]
    public var author: String?
    public var license: String?
    public var requires: [String]
    public var options: [OptionSpec]
    public var hasApplies: Bool
    public var hasSetup: Bool
    public var hasProcess: Bool
    public var hasFinish: Bool
    /// The plugin's file (`Plugins/x.lua` or `Plugins/x/init.lua`).
    public var file: String
    /// Its own folder: data files, `require` modules, `spec/` (for a single file: the plugins folder).
    public var folder: String
    /// The plugins folder it was found in (`lib/` there is shared by all plugins).
    public var pluginsFolder: String
    /// The file's bytes, compiled by every worker (so a file edited mid-run changes nothing). A chunk is
    /// bytes: string literals that are not UTF-8 stay as they are.
    public var source: [UInt8]
    /// The plugin's identity, recorded in run.json and checked on `--resume`: SHA-256 over its folder
    /// hash and the hashes of the shared `lib/` folders `require` may load from (`FolderHash`).
    public var hash: String
    /// SHA-256 of the plugin's own files (its folder; a single-file plugin: its file), as `quarry.lock` records it.
    public var folderHash: String = ""
    /// Which part of the search path it came from.
    public var origin: PluginRoot.Origin = .option
    /// The shared module folders `require` looks in after the plugin's own folder, in search order
    /// (its plugins folder's `lib/` first); nil: only its plugins folder's `lib/`.
    public var libraryFolders: [String]? = nil
    /// `requires` as written: each name with the versions it accepts (`entities >= 1.2, < 2`).
    public var requirements: [Requirement] = []
    /// Files the plugin declares it reads (`reads`, globs relative to its read roots); shown on install.
    public var reads: [String] = []
    /// Files the plugin declares it writes (`writes`, globs relative to the output folder); shown on install.
    public var writes: [String] = []
    /// The versions of Quarry's Lua API the plugin works with (`quarry = ">= 1.0"`), checked at load.
    public var hostRequirement: VersionConstraint?

    /// Whether `name` is a file the plugin may write: anything when it declares no `writes`, else a
    /// name matching one of the globs (`*` matches across folders).
    public func declaresWrite(_ name: String) -> Bool {
        writes.isEmpty || writes.contains { fnmatch($0, name, 0) == 0 }
    }

    /// Whether `name` is a file the plugin may read (`reads`, the same way as `declaresWrite`).
    public func declaresRead(_ name: String) -> Bool {
        reads.isEmpty || reads.contains { fnmatch($0, name, 0) == 0 }
    }

    /// The plugin's own files: its folder, or its file when it is a single-file plugin.
    public var packagePath: String {
        (file == "init.lua" || file.hasSuffix("/init.lua")) && folder != pluginsFolder ? folder : file
    }

    /// The folders `require` looks in: the plugin's folder, then the shared `lib/` folders.
    public var requireRoots: [String] {
        var roots = [folder]
        let libs = libraryFolders ?? [pluginsFolder.hasSuffix("/") ? pluginsFolder + "lib" : pluginsFolder + "/lib"]
        for lib in libs where lib != folder && !roots.contains(lib) { roots.append(lib) }
        return roots
    }

    /// The option spec called `name`.
    public func option(_ name: String) -> OptionSpec? { options.first { $0.name == name } }

    /// The defaults of the options that have one, in declaration order.
    public var defaultOptions: JSONObject {
        var object = JSONObject()
        for option in options { if let value = option.defaultValue { object[option.name] = value } }
        return object
    }
}

/// A plugin that could not be loaded: its file, the field at fault (if any) and what is wrong.
public struct PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var field: String?
    public var message: String

    public init(file: String, field: String? = nil, message: String) {
        self.file = file
        self.field = field
        self.message = message
    }

    public var description: String {
        if let field { return "\(file): field '\(field)': \(message)" }
        return message.hasPrefix(file) ? message : "\(file): \(message)"
    }
}

/// The edit distance between two short strings, for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = Swift.min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo ("did you mean").
public func suggestion(for word: String, in candidates: [String]) -> String? {
    let scored: [(String, Int)] = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }
    let sorted = scored.sorted { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    let limit: Int = Swift.max(2, word.count / 3)
    guard let best = sorted.first, best.1 <= limit else { return nil }
    return best.0
}
