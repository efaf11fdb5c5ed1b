// PackageSource: where a plugin package comes from, parsed from what the user typed — a folder, a
// `.zip` or `.tar.gz` archive, or a git URL (`file://`, `https://`, `ssh://`, `git@host:`) with `@REF`,
// each optionally followed by `#SUB/FOLDER` (a plugin inside a repository or archive of several), or
// `[REGISTRY:]NAME[@CONSTRAINT]`, a plugin from a team registry.
import Foundation
import PluginHost

/// A package source as given on the command line or recorded in quarry.lock.
public struct PackageSource: Sendable, Equatable, CustomStringConvertible {
    public enum Location: Sendable, Equatable {
        case folder(String)
        case zip(String)
        case tarGz(String)
        /// A repository URL and the tag, branch or commit to check out (nil: the default branch's head).
        case git(url: String, ref: String?)
        /// A plugin by name from a registry (nil: any registry configured), at the newest version that
        /// `constraint` allows (nil: the newest).
        case registry(registry: String?, name: String, constraint: String?)
    }

    public var location: Location
    /// A folder inside the repository or archive holding the plugin.
    public var subfolder: String?
    /// The text it was parsed from.
    public var text: String

    public var description: String { text }

    /// Parses `SOURCE[@REF][#SUBFOLDER]` (`@REF` for git URLs only), or `[REGISTRY:]NAME[@CONSTRAINT]`
    /// for a plugin from a registry — a bare name that is not a folder or file here.
    public static func parse(_ text: String, baseFolder: String? = nil) throws(PackageError) -> PackageSource {
        if let registry = try registrySource(text, baseFolder: baseFolder) { return registry }
        var rest = text
        var subfolder: String?
        if let hash = rest.lastIndex(of: "#") {
            subfolder = String(rest[rest.index(after: hash)...])
            rest = String(rest[..<hash])
            let parts = subfolder!.split(separator: "/")
            if subfolder!.isEmpty || subfolder!.hasPrefix("/") || parts.contains("..") {
                throw PackageError(.badInput, text, "'#\(subfolder!)' is not a folder inside the package")
            }
        }
        if rest.hasPrefix("git+") { rest.removeFirst(4) }
        let gitPrefixes = ["file://", "https://", "http://", "ssh://", "git://", "git@"]
        if gitPrefixes.contains(where: { rest.hasPrefix($0) }) || rest.hasSuffix(".git") {
            var ref: String?
            if let at = rest.lastIndex(of: "@"), let slash = rest.lastIndex(where: { $0 == "/" || $0 == ":" }),
                at > slash
            {
                ref = String(rest[rest.index(after: at)...])
                rest = String(rest[..<at])
                if ref!.isEmpty {
                    throw PackageError(.badInput, text, "'@' must be followed by a tag, branch or commit")
                }
            }
            return PackageSource(location: .git(url: rest, ref: ref), subfolder: subfolder, text: text)
        }
        guard !rest.isEmpty else { throw PackageError(.badInput, text, "an empty source") }
        if rest.hasSuffix(".zip") { return PackageSource(location: .zip(rest), subfolder: subfolder, text: text) }
        if rest.hasSuffix(".tar.gz") || rest.hasSuffix(".tgz") {
            return PackageSource(location: .tarGz(rest), subfolder: subfolder, text: text)
        }
        return PackageSource(location: .folder(rest), subfolder: subfolder, text: text)
    }

    /// `[REGISTRY:]NAME[@CONSTRAINT]`, when `text` has that shape and names no file or folder.
    static func registrySource(_ text: String, baseFolder: String?) throws(PackageError) -> PackageSource? {
        let pattern = "^(?:([a-z0-9][a-z0-9_-]*):)?([a-z0-9][a-z0-9_-]*)(?:@([^/:]*))?$"
        guard let match = text.range(of: pattern, options: .regularExpression), match == text.startIndex..<text.endIndex
        else { return nil }
        let path = baseFolder.map { ($0 as NSString).appendingPathComponent(text) } ?? text
        if FileManager.default.fileExists(atPath: path) { return nil }
        var rest = Substring(text)
        var registry: String?
        if let colon = rest.firstIndex(of: ":") {
            registry = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        var constraint: String?
        if let at = rest.firstIndex(of: "@") {
            constraint = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
            guard VersionConstraint.parse(constraint!) != nil else {
                throw PackageError(
                    .badInput, text, "'\(constraint!)' is not a version constraint such as \"^1.2\" or \">= 1.0, < 2\"")
            }
        }
        return PackageSource(
            location: .registry(registry: registry, name: String(rest), constraint: constraint), subfolder: nil,
            text: text)
    }

    /// A registry source, `[REGISTRY:]NAME[@CONSTRAINT]`; with an exact version, as quarry.lock records it.
    public static func registry(_ registry: String?, name: String, constraint: String?) -> PackageSource {
        PackageSource(
            location: .registry(registry: registry, name: name, constraint: constraint), subfolder: nil,
            text: (registry.map { $0 + ":" } ?? "") + name + (constraint.map { "@" + $0 } ?? ""))
    }

    /// The same source pinned to a commit (git), for restoring from the lock.
    public func pinned(commit: String) -> PackageSource {
        guard case .git(let url, _) = location else { return self }
        return PackageSource(
            location: .git(url: url, ref: commit), subfolder: subfolder,
            text: url + "@" + commit + (subfolder.map { "#" + $0 } ?? ""))
    }
}
