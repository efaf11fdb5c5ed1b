// Registry: a team registry named in quarry.toml (or the user's config) — a shared folder, or a git
// repository cloned for each use — holding `index.toml` and the published archives under `packages/`.
// It resolves `NAME@CONSTRAINT` to one published version and its package source, and publishes a
// plugin folder as a new version (refusing to change one already published).
import Foundation
import PluginHost

/// A registry by name and location.
public struct Registry: Sendable, Equatable {
    public var name: String
    /// A folder, or a git URL (`file://`, `https://`, `ssh://`, `git@host:path`, `*.git`).
    public var location: String

    public init(name: String, location: String) {
        self.name = name
        self.location = location
    }

    public var isGit: Bool {
        guard case .git = (try? PackageSource.parse(location))?.location else { return false }
        return true
    }

    /// The registry's files, read: its root folder (a clone for git) and index.
    public func open(scratchParent: String) throws(PackageError) -> OpenRegistry {
        guard isGit else {
            guard isFolder(location) else {
                throw PackageError(.badInput, "registry '\(name)'", "no such folder \(location)")
            }
            let index = try RegistryIndex.read(
                at: (location as NSString).appendingPathComponent(RegistryIndex.fileName))
            return OpenRegistry(registry: self, root: location, index: index, scratch: nil)
        }
        let scratch = (scratchParent as NSString).appendingPathComponent(".quarry-registry-\(UUID().uuidString)")
        let root = (scratch as NSString).appendingPathComponent("registry")
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        } catch {
            throw PackageError(
                .cannotRun, scratchParent, "cannot create a temporary folder: \(error.localizedDescription)")
        }
        do throws(PackageError) {
            try Git(source: "registry '\(name)'").clone(url: location, into: root)
            let index = try RegistryIndex.read(at: (root as NSString).appendingPathComponent(RegistryIndex.fileName))
            return OpenRegistry(registry: self, root: root, index: index, scratch: scratch)
        } catch {
            try? FileManager.default.removeItem(atPath: scratch)
            throw error
        }
    }
}

/// A registry's files at hand. `close()` removes a clone.
public struct OpenRegistry: Sendable {
    public var registry: Registry
    public var root: String
    public var index: RegistryIndex
    var scratch: String?

    public func close() {
        if let scratch { try? FileManager.default.removeItem(atPath: scratch) }
    }

    /// The package source of a published version: an archive inside the registry, or a git URL pinned to
    /// its commit.
    public func source(of entry: RegistryIndex.Entry) throws(PackageError) -> PackageSource {
        let parsed = try PackageSource.parse(entry.source)
        switch parsed.location {
        case .git:
            guard let commit = entry.commit else {
                throw PackageError(
                    .badInput, "registry '\(registry.name)'",
                    "\(entry.name) \(entry.version) has a git source and no commit")
            }
            return parsed.pinned(commit: commit)
        case .zip(let path), .tarGz(let path), .folder(let path):
            guard !path.hasPrefix("/"), !path.split(separator: "/").contains("..") else {
                throw PackageError(
                    .badInput, "registry '\(registry.name)'",
                    "\(entry.name) \(entry.version): '\(entry.source)' is not a path inside the registry")
            }
            return try PackageSource.parse(
                (root as NSString).appendingPathComponent(path) + (parsed.subfolder.map { "#" + $0 } ?? ""))
        case .registry:
            throw PackageError(
                .badInput, "registry '\(registry.name)'",
                "\(entry.name) \(entry.version): '\(entry.source)' is not a package")
        }
    }

    /// Where `publish` puts a version's archive, relative to the root.
    public static func archivePath(name: String, version: String) -> String {
        "packages/\(name)/\(name)-\(version).tar.gz"
    }

    /// What publishing did.
    public enum Published: Sendable, Equatable {
        case added(RegistryIndex.Entry)
        /// The same version with the same bytes was already there.
        case alreadyThere(RegistryIndex.Entry)
    }

    /// Adds `manifest`'s plugin (packed from `folder`) as a new version: the archive under `packages/`, then
    /// the index (a git registry: committed and pushed). A published version never changes: the same
    /// version with other content is refused.
    public func publish(
        _ manifest: PluginManifest, folder: String, hasher: ([UInt8]) -> String, now: Date = Date()
    ) throws(PackageError) -> Published {
        let archive = try PackageArchive.pack(folder, top: "\(manifest.name)-\(manifest.version)")
        let sha = hasher(archive)
        if let existing = index.entry(manifest.name, version: manifest.version) {
            if existing.sha256 == sha { return .alreadyThere(existing) }
            throw PackageError(
                .badInput, "\(manifest.name) \(manifest.version)",
                "already published in registry '\(registry.name)' with other content (sha256 \(existing.sha256 ?? existing.commit ?? "?")); a published version never changes: raise `version` in the manifest and publish again"
            )
        }
        let relative = Self.archivePath(name: manifest.name, version: manifest.version)
        var entry = RegistryIndex.Entry(name: manifest.name, version: manifest.version, source: relative)
        entry.sha256 = sha
        entry.description = manifest.description
        entry.categories = manifest.categories
        entry.author = manifest.author
        entry.requires = manifest.requirements.map(\.description)
        entry.quarry = manifest.hostRequirement?.text
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        entry.published = formatter.string(from: now)
        var updated = index
        updated.add(entry)
        let archivePath = (root as NSString).appendingPathComponent(relative)
        let indexPath = (root as NSString).appendingPathComponent(RegistryIndex.fileName)
        do {
            try FileManager.default.createDirectory(
                atPath: (archivePath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(archive).write(to: URL(fileURLWithPath: archivePath), options: .atomic)
            try Data(updated.toml.utf8).write(to: URL(fileURLWithPath: indexPath), options: .atomic)
        } catch {
            throw PackageError(
                .cannotRun, "registry '\(registry.name)'", "cannot write to \(root): \(error.localizedDescription)")
        }
        if scratch != nil {
            try Git(source: "registry '\(registry.name)'").commitAndPush(
                in: root, files: [relative, RegistryIndex.fileName],
                message: "publish \(manifest.name) \(manifest.version)")
        }
        return .added(entry)
    }
}
