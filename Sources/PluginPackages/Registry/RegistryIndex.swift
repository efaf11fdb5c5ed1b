// RegistryIndex: a team registry's `index.toml` — one `[[package]]` table per published version of a
// plugin (name, version, where its package is, the archive's SHA-256 or the git commit, and what the
// manifest says: description, categories, author, requires, the Lua API it needs). A registry is data,
// not a server: a shared folder or a git repository holding this file and the archives.
import Foundation
import PluginHost
import TOMLKit
import Version

/// The versions a registry offers.
public struct RegistryIndex: Sendable, Equatable {
    public static let fileName = "index.toml"

    /// One published version of a plugin. Immutable once published.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var version: String
        /// The package: a path relative to the registry's root (an archive it holds), or a git URL.
        public var source: String
        public var sha256: String?
        public var commit: String?
        public var description: String = ""
        public var categories: [String] = []
        public var author: String?
        public var requires: [String] = []
        /// The Lua API versions the plugin works with (its manifest's `quarry`).
        public var quarry: String?
        /// When it was published (ISO 8601, UTC).
        public var published: String?

        public init(name: String, version: String, source: String) {
            self.name = name
            self.version = version
            self.source = source
        }

        /// The version as a semantic version (nil when the index holds one that is not).
        public var semanticVersion: Version? { VersionConstraint.version(version) }

        /// Whether the plugin works with this quarry's Lua API.
        public var fitsThisQuarry: Bool {
            guard let quarry else { return true }
            guard let constraint = VersionConstraint.parse(quarry),
                let have = VersionConstraint.version(QuarryAPI.apiVersion)
            else { return false }
            return constraint.allows(have)
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    /// The versions of `name`, newest first.
    public func versions(of name: String) -> [Entry] {
        entries.filter { $0.name == name }.sorted { a, b in
            switch (a.semanticVersion, b.semanticVersion) {
            case (let x?, let y?): x > y
            case (nil, _?): false
            case (_?, nil): true
            case (nil, nil): a.version > b.version
            }
        }
    }

    /// The entry of `name` at exactly `version`.
    public func entry(_ name: String, version: String) -> Entry? {
        entries.first { $0.name == name && $0.version == version }
    }

    /// The newest version of `name` that `constraint` allows (any, when nil) and that works with this quarry.
    /// Pre-releases are chosen only when the constraint names one or when asked for exactly.
    public func best(_ name: String, constraint: VersionConstraint?) -> Entry? {
        versions(of: name).first { entry in
            guard entry.fitsThisQuarry, let version = entry.semanticVersion else { return false }
            guard let constraint else { return version.prereleaseIdentifiers.isEmpty }
            return constraint.allows(version)
                && (version.prereleaseIdentifiers.isEmpty
                    || constraint.terms.contains { !$0.version.prereleaseIdentifiers.isEmpty })
        }
    }

    /// Adds a version, keeping entries sorted by name, then version.
    public mutating func add(_ entry: Entry) {
        entries.append(entry)
        entries.sort { a, b in
            if a.name != b.name { return a.name < b.name }
            if let x = a.semanticVersion, let y = b.semanticVersion { return x < y }
            return a.version < b.version
        }
    }

    // MARK: - Reading

    /// Reads `index.toml` at `path`; a registry without one is empty.
    public static func read(at path: String) throws(PackageError) -> RegistryIndex {
        guard let data = FileManager.default.contents(atPath: path) else { return RegistryIndex() }
        return try parse(String(decoding: data, as: UTF8.self), path: path)
    }

    static func parse(_ text: String, path: String) throws(PackageError) -> RegistryIndex {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw PackageError(.badInput, path, "line \(error.source.begin.line): \(error.description)")
        } catch {
            throw PackageError(.badInput, path, "\(error)")
        }
        for key in table.keys where !["format", "package"].contains(key) {
            throw PackageError(.badInput, path, "unknown key '\(key)' (an index holds `format` and [[package]] tables)")
        }
        if let format = table["format"], format.int != 1 {
            throw PackageError(.badInput, path, "format \(format) is not one this quarry reads (1)")
        }
        guard let items = table["package"]?.array ?? (table["package"] == nil ? [] : nil) else {
            throw PackageError(.badInput, path, "'package' must be an array of [[package]] tables")
        }
        var index = RegistryIndex()
        for (number, item) in items.enumerated() {
            let at = "package \(number + 1)"
            guard let package = item.table else { throw PackageError(.badInput, path, "\(at) is not a table") }
            func string(_ key: String, required: Bool = false) throws(PackageError) -> String? {
                guard let value = package[key] else {
                    if required { throw PackageError(.badInput, path, "\(at): '\(key)' is missing") }
                    return nil
                }
                guard let text = value.string else {
                    throw PackageError(.badInput, path, "\(at): '\(key)' must be a string")
                }
                return text
            }
            func strings(_ key: String) throws(PackageError) -> [String] {
                guard let value = package[key] else { return [] }
                guard let array = value.array else {
                    throw PackageError(.badInput, path, "\(at): '\(key)' must be a list of strings")
                }
                var out: [String] = []
                for element in array {
                    guard let text = element.string else {
                        throw PackageError(.badInput, path, "\(at): '\(key)' must be a list of strings")
                    }
                    out.append(text)
                }
                return out
            }
            let name = try string("name", required: true)!
            let version = try string("version", required: true)!
            guard VersionConstraint.version(version) != nil else {
                throw PackageError(.badInput, path, "\(at) (\(name)): '\(version)' is not a version such as \"1.2.0\"")
            }
            var entry = Entry(name: name, version: version, source: try string("source", required: true)!)
            entry.sha256 = try string("sha256")
            entry.commit = try string("commit")
            if entry.sha256 == nil && entry.commit == nil {
                throw PackageError(
                    .badInput, path, "\(at) (\(name) \(version)): needs a 'sha256' (an archive) or a 'commit' (git)")
            }
            entry.description = try string("description") ?? ""
            entry.categories = try strings("categories")
            entry.author = try string("author")
            entry.requires = try strings("requires")
            entry.quarry = try string("quarry")
            entry.published = try string("published")
            if index.entry(name, version: version) != nil {
                throw PackageError(.badInput, path, "\(at): \(name) \(version) is listed twice")
            }
            index.entries.append(entry)
        }
        return index
    }

    // MARK: - Writing

    /// The index as TOML, one `[[package]]` per version, sorted by name then version.
    public var toml: String {
        var out = "# A Quarry plugin registry: one [[package]] per published version. Written by\n"
        out += "# `quarry plugins publish`; a published version is never changed.\n"
        out += "format = 1\n"
        for entry in entries {
            out += "\n[[package]]\n"
            out += "name = \(PluginLock.quoted(entry.name))\n"
            out += "version = \(PluginLock.quoted(entry.version))\n"
            out += "source = \(PluginLock.quoted(entry.source))\n"
            if let sha = entry.sha256 { out += "sha256 = \(PluginLock.quoted(sha))\n" }
            if let commit = entry.commit { out += "commit = \(PluginLock.quoted(commit))\n" }
            if !entry.description.isEmpty { out += "description = \(PluginLock.quoted(entry.description))\n" }
            if !entry.categories.isEmpty { out += "categories = \(Self.list(entry.categories))\n" }
            if let author = entry.author { out += "author = \(PluginLock.quoted(author))\n" }
            if !entry.requires.isEmpty { out += "requires = \(Self.list(entry.requires))\n" }
            if let quarry = entry.quarry { out += "quarry = \(PluginLock.quoted(quarry))\n" }
            if let published = entry.published { out += "published = \(PluginLock.quoted(published))\n" }
        }
        return out
    }

    static func list(_ items: [String]) -> String {
        "[" + items.map(PluginLock.quoted).joined(separator: ", ") + "]"
    }
}
