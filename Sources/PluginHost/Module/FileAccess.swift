// FileAccess: the one place plugin-facing code resolves a file name, confined to the folders the
// plugin may read (its own folder, then --allow-read folders); no absolute paths, no `..` out.
import Foundation
import LuaBridge

enum FileAccess {
    /// The real path of `name` under the first root that has it.
    /// - Throws: a Lua error naming the file when it is absolute, escapes its root, or is missing.
    static func resolve(_ name: String, roots: [String], call: LuaCall) throws -> String {
        guard !name.isEmpty, !name.hasPrefix("/") else {
            throw call.error("'\(name)': give a path relative to the plugin's folder")
        }
        guard !roots.isEmpty else { throw call.error("'\(name)': this script has no folder to read from") }
        for root in roots {
            let rootURL = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath()
            let url = rootURL.appendingPathComponent(name).standardizedFileURL.resolvingSymlinksInPath()
            guard url.path.hasPrefix(rootURL.path + "/") else {
                throw call.error("'\(name)' is outside the folders this plugin may read")
            }
            if FileManager.default.fileExists(atPath: url.path) { return url.path }
        }
        throw call.error("'\(name)' not found in \(roots.joined(separator: ", "))")
    }
}
