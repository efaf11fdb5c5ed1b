// PluginCatalog: finds plugins in folders (`NAME.lua`, `NAME/init.lua`), reads and validates
// their manifests in one sandboxed VM, and reports every plugin that could not be loaded. Folders are
// searched in order: the first plugin of a name wins; the ones it hides are listed in `shadowed`.
import DocumentModel
import Foundation
import LuaBridge

/// The plugins found in a list of folders.
public struct PluginCatalog: Sendable {
    /// Valid plugins, in discovery order (folder by folder, names sorted).
    public var plugins: [PluginManifest]
    /// Plugins that could not be loaded, and other problems (two plugins with one name in one folder).
    public var problems: [PluginError]
    /// Plugins hidden by one of the same name earlier in the search path.
    public var shadowed: [ShadowedPlugin] = []

    public init(plugins: [PluginManifest] = [], problems: [PluginError] = []) {
        self.plugins = plugins
        self.problems = problems
    }

    /// The plugin called `name`.
    public func plugin(_ name: String) -> PluginManifest? { plugins.first { $0.name == name } }

    /// Finds and loads the plugins of `folders` (each taken as given with `--plugins`).
    public static func discover(
        folders: [String], configuration: LuaVM.Configuration = LuaVM.Configuration(),
        hasher: ([UInt8]) -> String
    ) -> PluginCatalog {
        discover(roots: folders.map { PluginRoot($0, .option) }, configuration: configuration, hasher: hasher)
    }

    /// Finds and loads the plugins of the search path `roots`: the first plugin of a name wins, later
    /// ones are recorded in `shadowed`; two plugins of one name in one folder are a problem.
    ///
    /// - Parameters:
    ///   - configuration: limits for running plugin files (their top level builds the manifest).
    ///   - hasher: SHA-256 hex of bytes (folder hashes, `FolderHash`).
    public static func discover(
        roots: [PluginRoot], configuration: LuaVM.Configuration = LuaVM.Configuration(),
        hasher: ([UInt8]) -> String
    ) -> PluginCatalog {
        var catalog = PluginCatalog()
        struct Entry {
            var name: String, file: String, folder: String, root: PluginRoot, package: String
        }
        var files: [Entry] = []
        var existing: [PluginRoot] = []
        for root in roots {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue
            else {
                catalog.problems.append(PluginError(file: root.path, message: "plugin folder not found"))
                continue
            }
            guard !existing.contains(where: { $0.path == root.path }) else { continue }
            existing.append(root)
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") && !name.hasPrefix("_") {
                let path = (root.path as NSString).appendingPathComponent(name)
                var directory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &directory)
                if directory.boolValue {
                    guard !["lib", "spec", "specs"].contains(name) else { continue }
                    let initFile = (path as NSString).appendingPathComponent("init.lua")
                    if FileManager.default.fileExists(atPath: initFile) {
                        files.append(Entry(name: name, file: initFile, folder: path, root: root, package: path))
                    }
                } else if name.hasSuffix(".lua") && !name.hasSuffix(".d.lua") && !name.hasSuffix("_spec.lua") {
                    files.append(
                        Entry(name: String(name.dropLast(4)), file: path, folder: root.path, root: root, package: path))
                }
            }
        }
        guard !files.isEmpty else { return catalog }
        let libraries = existing.map(\.libraryFolder).filter { FileManager.default.fileExists(atPath: $0) }
        var libraryHashes: [String: String] = [:]
        func libraryHash(_ folder: String) -> String {
            if let hash = libraryHashes[folder] { return hash }
            let hash = (try? FolderHash.of(folder, hasher: hasher).hash) ?? ""
            libraryHashes[folder] = hash
            return hash
        }
        let vm: LuaVM
        let runtime: QuarryRuntime
        do {
            vm = try LuaVM(configuration)
            runtime = try QuarryRuntime(vm: vm)
            runtime.logHandler = { _, _, _ in }
            vm.printHandler = { _, _ in }
        } catch {
            catalog.problems.append(
                PluginError(file: roots.map(\.path).joined(separator: ", "), message: "could not start Lua: \(error)"))
            return catalog
        }
        var seen: [String: (entry: Entry, folderHash: String)] = [:]
        for entry in files {
            let folderHash: String
            do {
                folderHash = try FolderHash.of(entry.package, hasher: hasher).hash
            } catch {
                catalog.problems.append(
                    PluginError(
                        file: entry.package, message: "cannot read the plugin's files: \(error.localizedDescription)"))
                continue
            }
            if let other = seen[entry.name] {
                if other.entry.root.path == entry.root.path {
                    catalog.problems.append(
                        PluginError(
                            file: entry.file,
                            message:
                                "a plugin named '\(entry.name)' is also at \(other.entry.file); plugin names must be unique"
                        ))
                } else {
                    catalog.shadowed.append(
                        ShadowedPlugin(
                            name: entry.name, winner: other.entry.file, winnerOrigin: other.entry.root.origin,
                            winnerFolderHash: other.folderHash, hidden: entry.file, hiddenOrigin: entry.root.origin,
                            hiddenFolderHash: folderHash))
                }
                continue
            }
            seen[entry.name] = (entry, folderHash)
            guard let data = FileManager.default.contents(atPath: entry.file) else {
                catalog.problems.append(PluginError(file: entry.file, message: "cannot read the file"))
                continue
            }
            let source = Array(data)  // a chunk is bytes, as Lua reads it
            let own = entry.root.libraryFolder
            let libs = (libraries.contains(own) ? [own] : []) + libraries.filter { $0 != own }
            var identity = "plugin\0\(folderHash)\n"
            for lib in libs { identity += "lib\0\(libraryHash(lib))\n" }
            do {
                var manifest = try ManifestReader.read(
                    file: entry.file, source: source, folder: entry.folder, pluginsFolder: entry.root.path,
                    hash: hasher(Array(identity.utf8)), vm: vm, runtime: runtime,
                    libraryFolders: [own] + libs.filter { $0 != own })
                manifest.folderHash = folderHash
                manifest.origin = entry.root.origin
                catalog.plugins.append(manifest)
            } catch {
                catalog.problems.append(error)
            }
        }
        return catalog
    }

    /// Reads and validates the manifest of a package folder (`init.lua` at its top) whose folder name
    /// need not be the plugin's yet: the name comes from the manifest (default: the folder's name).
    ///
    /// - Parameter libraryFolders: shared module folders the plugin's top level may `require`.
    public static func package(
        at folder: String, libraryFolders: [String], configuration: LuaVM.Configuration = LuaVM.Configuration(),
        hasher: ([UInt8]) -> String
    ) throws(PluginError) -> PluginManifest {
        let file = (folder as NSString).appendingPathComponent("init.lua")
        guard let data = FileManager.default.contents(atPath: file) else {
            throw PluginError(file: folder, message: "no manifest: a plugin package has an init.lua at its top")
        }
        let source = Array(data)  // a chunk is bytes, as Lua reads it
        let folderHash: String
        do {
            folderHash = try FolderHash.of(folder, hasher: hasher).hash
        } catch {
            throw PluginError(file: folder, message: "cannot read the package's files: \(error.localizedDescription)")
        }
        do {
            let vm = try LuaVM(configuration)
            let runtime = try QuarryRuntime(vm: vm)
            runtime.logHandler = { _, _, _ in }
            vm.printHandler = { _, _ in }
            var manifest = try ManifestReader.read(
                file: file, source: source, folder: folder,
                pluginsFolder: (folder as NSString).deletingLastPathComponent,
                hash: folderHash, vm: vm, runtime: runtime, libraryFolders: libraryFolders, nameFromManifest: true)
            manifest.folderHash = folderHash
            return manifest
        } catch let error as PluginError {
            throw error
        } catch {
            throw PluginError(file: file, message: "could not start Lua: \(error)")
        }
    }
}
