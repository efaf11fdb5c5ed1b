// OutputFiles: the sandbox of `ctx:write`: report files are written inside the run's output folder
// only (relative paths, no `..`, never through a symbolic link), atomically.
import Foundation
import LuaBridge

/// Writing report files inside the output folder only: no absolute paths, no `..`, no symlinks out.
enum OutputFiles {
    /// The files the run itself writes in the output folder: a plugin never replaces them.
    static let reserved: Set<String> = ["results.jsonl", "errors.jsonl", "run.json", "run.log"]

    static func write(name: String, contents: [UInt8], folder: String?, call: LuaCall) throws -> String {
        guard let folder else { throw call.error("this run has no output folder") }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
        else {
            throw call.error("'\(name)': give a relative path inside the output folder (no '..', no absolute path)")
        }
        if reserved.contains(name.lowercased()) {
            throw call.error("'\(name)' is one of the run's own files; write the report under another name")
        }
        let root = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath()
        let target = root.appendingPathComponent(name)
        let parent = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw call.error("'\(name)': cannot create its folder: \(error.localizedDescription)")
        }
        let realParent = parent.resolvingSymlinksInPath().path
        guard realParent == root.path || realParent.hasPrefix(root.path + "/") else {
            throw call.error("'\(name)' leads outside the output folder (through a symbolic link)")
        }
        if let attributes = try? FileManager.default.attributesOfItem(atPath: target.path),
            attributes[.type] as? FileAttributeType == .typeSymbolicLink
        {
            throw call.error("'\(name)' is a symbolic link; report files are never written through links")
        }
        do {
            try Data(contents).write(to: target, options: .atomic)
        } catch {
            throw call.error("'\(name)': cannot write: \(error.localizedDescription)")
        }
        return name
    }
}
