// PluginCatalog: finds plugins in folders (`NAME.lua`, `NAME/init.lua`), reads and validates
// their manifests in one sandboxed VM, and reports every plugin that could not be loaded.
import DocumentModel
import Foundation
import LuaBridge

/// The plugins found in a list of folders.
public struct PluginCatalog: Sendable {
    /// Valid plugins, in discovery order (folder by folder, names sorted).
    public var plugins: [PluginManifest]
    /// Plugins that could not be loaded, and other problems (two plugins with one name).
    public var problems: [PluginError]

    public init(plugins: [PluginManifest] = [], problems: [PluginError] = []) {
        self.plugins = plugins
        self.problems = problems
    }

    /// The plugin called `name`.
    public func plugin(_ name: String) -> PluginManifest? { plugins.first { $0.name == name } }

    /// Finds and loads the plugins of `folders`.
    ///
    /// - Parameters:
    ///   - configuration: limits for running plugin files (their top level builds the manifest).
    ///   - hasher: the content hash of a plugin's source (SHA-256 hex).
    public static func discover(
        folders: [String], configuration: LuaVM.Configuration = LuaVM.Configuration(),
        hasher: ([UInt8]) -> String
    ) -> PluginCatalog {
        var catalog = PluginCatalog()
        var files: [(file: String, folder: String, root: String)] = []
        for root in folders {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
                catalog.problems.append(PluginError(file: root, message: "plugin folder not found"))
                continue
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
            for name in names where !name.hasPrefix(".") && !name.hasPrefix("_") {
                let path = (root as NSString).appendingPathComponent(name)
                var directory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &directory)
                if directory.boolValue {
                    guard !["lib", "spec", "specs"].contains(name) else { continue }
                    let initFile = (path as NSString).appendingPathComponent("init.lua")
                    if FileManager.default.fileExists(atPath: initFile) { files.append((initFile, path, root)) }
                } else if name.hasSuffix(".lua") && !name.hasSuffix(".d.lua") && !name.hasSuffix("_spec.lua") {
                    files.append((path, root, root))
                }
            }
        }
        guard !files.isEmpty else { return catalog }
        let vm: LuaVM
        let runtime: QuarryRuntime
        do {
            vm = try LuaVM(configuration)
            runtime = try QuarryRuntime(vm: vm)
            runtime.logHandler = { _, _, _ in }
            vm.printHandler = { _, _ in }
        } catch {
            catalog.problems.append(PluginError(file: folders.joined(separator: ", "), message: "could not start Lua: \(error)"))
            return catalog
        }
        var seen: [String: String] = [:]
        for entry in files {
            guard let data = FileManager.default.contents(atPath: entry.file) else {
                catalog.problems.append(PluginError(file: entry.file, message: "cannot read the file"))
                continue
            }
            guard let source = String(validating: Array(data), as: UTF8.self) else {
                catalog.problems.append(PluginError(file: entry.file, message: "not valid UTF-8 text"))
                continue
            }
            do {
                let manifest = try ManifestReader.read(
                    file: entry.file, source: source, folder: entry.folder, pluginsFolder: entry.root,
                    hash: hasher(Array(data)), vm: vm, runtime: runtime)
                if let other = seen[manifest.name] {
                    catalog.problems.append(PluginError(
                        file: entry.file,
                        message: "a plugin named '\(manifest.name)' is also at \(other); plugin names must be unique"))
                    continue
                }
                seen[manifest.name] = entry.file
                catalog.plugins.append(manifest)
            } catch {
                catalog.problems.append(error)
            }
        }
        return catalog
    }
}
