// PluginLock: quarry.lock, next to quarry.toml — per installed plugin its name, version, source, the
// resolved git commit or archive SHA-256, where it is installed, its folder hash and every file's hash
// (so `quarry plugins verify` can name the files that differ). TOML, written sorted, read with TOMLKit.
import Foundation
import PluginHost
import TOMLKit

/// The installed plugins a project pins.
public struct PluginLock: Sendable, Equatable {
    public static let fileName = "quarry.lock"

    /// Where a plugin is installed.
    public enum Scope: String, Sendable, Equatable {
        /// The project's `Plugins/`.
        case project
        /// The user's folder.
        case user
    }

    /// One installed plugin.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var version: String
        public var source: String
        public var commit: String?
        public var sha256: String?
        public var scope: Scope
        public var folderHash: String
        /// Relative path → SHA-256 of the installed files.
        public var files: [String: String]
        /// The versions asked for (`install NAME@^1.2`): what `update` stays within (nil: any).
        public var constraint: String?

        public init(
            name: String, version: String, source: String, commit: String?, sha256: String?, scope: Scope,
            folderHash: String, files: [String: String], constraint: String? = nil
        ) {
            self.constraint = constraint
            self.name = name
            self.version = version
            self.source = source
            self.commit = commit
            self.sha256 = sha256
            self.scope = scope
            self.folderHash = folderHash
            self.files = files
        }
    }

    public var plugins: [Entry]

    public init(plugins: [Entry] = []) { self.plugins = plugins.sorted { $0.name < $1.name } }

    public func entry(_ name: String) -> Entry? { plugins.first { $0.name == name } }

    /// Adds or replaces the entry of a plugin.
    public mutating func record(_ entry: Entry) {
        plugins.removeAll { $0.name == entry.name }
        plugins.append(entry)
        plugins.sort { $0.name < $1.name }
    }

    public mutating func remove(_ name: String) { plugins.removeAll { $0.name == name } }

    // MARK: - Reading

    /// The lock at `path`, or nil when there is none.
    public static func read(at path: String) throws(PackageError) -> PluginLock? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: String(decoding: data, as: UTF8.self))
        } catch let error as TOMLParseError {
            throw PackageError(.badInput, path, "line \(error.source.begin.line): \(error.description)")
        } catch {
            throw PackageError(.badInput, path, "\(error)")
        }
        var lock = PluginLock()
        guard let items = table["plugin"]?.array ?? (table["plugin"] == nil ? [] : nil) else {
            throw PackageError(.badInput, path, "'plugin' must be an array of [[plugin]] tables")
        }
        for (index, item) in items.enumerated() {
            guard let plugin = item.table else {
                throw PackageError(.badInput, path, "plugin \(index + 1) is not a table")
            }
            func string(_ key: String) throws(PackageError) -> String {
                guard let value = plugin[key]?.string else {
                    throw PackageError(.badInput, path, "plugin \(index + 1): '\(key)' is missing or not a string")
                }
                return value
            }
            guard let scope = Scope(rawValue: try string("scope")) else {
                throw PackageError(.badInput, path, "plugin \(index + 1): 'scope' must be \"project\" or \"user\"")
            }
            var files: [String: String] = [:]
            if let table = plugin["files"]?.table {
                for key in table.keys { files[key] = table[key]?.string }
            }
            lock.record(
                Entry(
                    name: try string("name"), version: try string("version"), source: try string("source"),
                    commit: plugin["commit"]?.string, sha256: plugin["sha256"]?.string, scope: scope,
                    folderHash: try string("folder_hash"), files: files, constraint: plugin["constraint"]?.string))
        }
        return lock
    }

    // MARK: - Writing

    /// The lock as TOML: entries by name, files by path.
    public var toml: String {
        var out =
            "# quarry.lock: the plugins `quarry plugins install` installed, pinned. Commit it; `quarry plugins install`\n"
        out +=
            "# with no arguments restores exactly this, `quarry plugins verify` checks the installed files against it.\n"
        out += "version = 1\n"
        for entry in plugins {
            out += "\n[[plugin]]\n"
            out += "name = \(Self.quoted(entry.name))\n"
            out += "version = \(Self.quoted(entry.version))\n"
            out += "source = \(Self.quoted(entry.source))\n"
            if let constraint = entry.constraint { out += "constraint = \(Self.quoted(constraint))\n" }
            if let commit = entry.commit { out += "commit = \(Self.quoted(commit))\n" }
            if let sha = entry.sha256 { out += "sha256 = \(Self.quoted(sha))\n" }
            out += "scope = \(Self.quoted(entry.scope.rawValue))\n"
            out += "folder_hash = \(Self.quoted(entry.folderHash))\n"
            out += "\n[plugin.files]\n"
            for path in entry.files.keys.sorted() {
                out += "\(Self.quoted(path)) = \(Self.quoted(entry.files[path]!))\n"
            }
        }
        return out
    }

    /// Writes the lock to `path` atomically (a temporary file renamed over it).
    public func write(to path: String) throws(PackageError) {
        do {
            try Data(toml.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw PackageError(.cannotRun, path, "cannot write the lock: \(error.localizedDescription)")
        }
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    // MARK: - Checking

    /// What differs between a locked plugin and its installed folder: "file: changed/missing/added", or the
    /// folder missing altogether.
    public static func differences(
        _ entry: Entry, installedAt folder: String,
        hasher: ([UInt8]) -> String
    ) -> [String] {
        guard isFolder(folder) else { return ["not installed (no folder \(folder))"] }
        guard let actual = try? FolderHash.of(folder, hasher: hasher) else { return ["cannot read \(folder)"] }
        if actual.hash == entry.folderHash { return [] }
        let expected = FolderHash(files: entry.files, hasher: hasher)
        let files = expected.differences(from: actual).map { "\($0.path): \($0.change)" }
        return files.isEmpty ? ["the folder hash differs"] : files
    }
}
