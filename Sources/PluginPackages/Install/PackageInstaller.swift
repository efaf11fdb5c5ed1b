// PackageInstaller: installs a plugin package atomically — fetched (PackageFetcher), staged in a hidden
// folder next to the target, its manifest validated, then renamed into place — and removes one. Never
// half a plugin: on any failure the previous installation is left exactly as it was.
import Foundation
import LuaBridge
import PluginHost

/// A package fetched, staged next to its target and validated, not yet in place.
public struct StagedPackage: Sendable {
    public var source: PackageSource
    public var manifest: PluginManifest
    /// The staged folder (hidden, next to the target).
    public var staged: String
    /// Where it will be installed: `<plugins folder>/<name>`.
    public var target: String
    public var scope: PluginLock.Scope
    public var commit: String?
    public var sha256: String?
    public var hash: FolderHash
    /// The versions asked for, for a plugin from a registry (`NAME@^1.2`).
    public var constraint: String?

    /// The lock entry it makes once installed.
    public var lockEntry: PluginLock.Entry {
        PluginLock.Entry(
            name: manifest.name, version: manifest.version, source: source.text, commit: commit, sha256: sha256,
            scope: scope, folderHash: hash.hash, files: hash.files, constraint: constraint)
    }
}

public struct PackageInstaller {
    /// The project's folder (where quarry.toml and quarry.lock are, and `Plugins/`).
    public var projectFolder: String
    /// The user's plugin folder.
    public var userFolder: String
    /// Shared module folders a package's top level may `require` while its manifest is checked.
    public var libraryFolders: [String]
    public var configuration: LuaVM.Configuration
    public var hasher: @Sendable ([UInt8]) -> String

    public init(
        projectFolder: String, userFolder: String, libraryFolders: [String], configuration: LuaVM.Configuration,
        hasher: @escaping @Sendable ([UInt8]) -> String
    ) {
        self.projectFolder = projectFolder
        self.userFolder = userFolder
        self.libraryFolders = libraryFolders
        self.configuration = configuration
        self.hasher = hasher
    }

    /// The plugins folder of a scope.
    public func folder(for scope: PluginLock.Scope) -> String {
        switch scope {
        case .project: (projectFolder as NSString).appendingPathComponent("Plugins")
        case .user: userFolder
        }
    }

    /// The lock's path.
    public var lockPath: String { (projectFolder as NSString).appendingPathComponent(PluginLock.fileName) }

    /// Fetches `source`, stages it next to its target and validates its manifest.
    public func stage(_ source: PackageSource, scope: PluginLock.Scope) throws(PackageError) -> StagedPackage {
        let root = folder(for: scope)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw PackageError(.cannotRun, root, "cannot create the plugins folder: \(error.localizedDescription)")
        }
        let fetched = try PackageFetcher(baseFolder: projectFolder, hasher: hasher).fetch(source, scratchParent: root)
        defer { try? fm.removeItem(atPath: fetched.scratch) }
        let staged = (root as NSString).appendingPathComponent(".quarry-staging-\(UUID().uuidString)")
        do {
            try fm.moveItem(atPath: fetched.folder, toPath: staged)
        } catch {
            throw PackageError(
                .cannotRun, source.text, "cannot stage the package in \(root): \(error.localizedDescription)")
        }
        do throws(PackageError) {
            let manifest: PluginManifest
            do {
                manifest = try PluginCatalog.package(
                    at: staged, libraryFolders: libraryFolders, configuration: configuration,
                    hasher: hasher)
            } catch {
                let cause = error.description.replacingOccurrences(of: staged + "/", with: "")
                    .replacingOccurrences(of: staged, with: "the package")
                throw PackageError(.badInput, source.text, "not a valid plugin package: \(cause)")
            }
            guard !["lib", "spec", "specs"].contains(manifest.name) else {
                throw PackageError(
                    .badInput, source.text, "'\(manifest.name)' is reserved for shared folders; not a plugin name")
            }
            let hash: FolderHash
            do {
                hash = try FolderHash.of(staged, hasher: hasher)
            } catch {
                throw PackageError(
                    .cannotRun, source.text, "cannot read the staged package: \(error.localizedDescription)")
            }
            return StagedPackage(
                source: source, manifest: manifest, staged: staged,
                target: (root as NSString).appendingPathComponent(manifest.name), scope: scope,
                commit: fetched.commit, sha256: fetched.sha256, hash: hash)
        } catch {
            try? fm.removeItem(atPath: staged)
            throw error
        }
    }

    /// Throws a staged package away.
    public func discard(_ package: StagedPackage) {
        try? FileManager.default.removeItem(atPath: package.staged)
    }

    /// Renames a staged package into place, replacing an installed one of the same name (kept until the
    /// new one is in place, and put back if that fails).
    public func install(_ package: StagedPackage) throws(PackageError) {
        let fm = FileManager.default
        let root = (package.target as NSString).deletingLastPathComponent
        let single = (root as NSString).appendingPathComponent(package.manifest.name + ".lua")
        if fm.fileExists(atPath: single) {
            discard(package)
            throw PackageError(
                .badInput, package.source.text,
                "\(single) is a plugin of the same name; remove it before installing '\(package.manifest.name)'")
        }
        var old: String?
        if fm.fileExists(atPath: package.target) {
            let aside = (root as NSString).appendingPathComponent(
                ".quarry-old-\(UUID().uuidString)-\(package.manifest.name)")
            do {
                try fm.moveItem(atPath: package.target, toPath: aside)
            } catch {
                discard(package)
                throw PackageError(
                    .cannotRun, package.target, "cannot replace the installed plugin: \(error.localizedDescription)")
            }
            old = aside
        }
        do {
            try fm.moveItem(atPath: package.staged, toPath: package.target)
        } catch {
            if let old { try? fm.moveItem(atPath: old, toPath: package.target) }
            discard(package)
            throw PackageError(
                .cannotRun, package.target, "cannot move the plugin into place: \(error.localizedDescription)")
        }
        if let old { try? fm.removeItem(atPath: old) }
    }

    /// Cleans up after an install that was killed half-way (call it before staging: it removes staged packages): a plugin set aside (`.quarry-old-UUID-NAME`) whose
    /// replacement never arrived is put back; staging and fetch folders are removed.
    public func recover(_ root: String) {
        let fm = FileManager.default
        for name in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
            let path = (root as NSString).appendingPathComponent(name)
            if name.hasPrefix(".quarry-old-"), name.count > 49 {
                let plugin = String(name.dropFirst(12 + 37))
                let target = (root as NSString).appendingPathComponent(plugin)
                if !fm.fileExists(atPath: target), (try? fm.moveItem(atPath: path, toPath: target)) != nil { continue }
                try? fm.removeItem(atPath: path)
            } else if name.hasPrefix(".quarry-staging-") || name.hasPrefix(".quarry-fetch-")
                || name.hasPrefix(".quarry-registry-")
            {
                try? fm.removeItem(atPath: path)
            }
        }
    }

    /// Removes an installed plugin's folder.
    public func remove(_ name: String, scope: PluginLock.Scope) throws(PackageError) {
        let target = (folder(for: scope) as NSString).appendingPathComponent(name)
        guard isFolder(target) else { throw PackageError(.badInput, name, "not installed in \(folder(for: scope))") }
        do {
            try FileManager.default.removeItem(atPath: target)
        } catch {
            throw PackageError(.cannotRun, target, "cannot remove: \(error.localizedDescription)")
        }
    }
}
