// FolderHash: a plugin's identity — the SHA-256 of every file of its folder (sorted relative paths and
// contents), so that editing a data file or a module changes it. Used by PluginCatalog (run.json,
// --resume) and by the package lock (`quarry.lock`, `quarry plugins verify`).
import Foundation

/// The content hashes of a folder's files and the hash of the whole.
public struct FolderHash: Sendable, Equatable {
    /// Relative path (with `/`) → SHA-256 hex of the file's bytes (a symlink: of `link:` and its target).
    public var files: [String: String]
    /// SHA-256 hex over the sorted `path\0hash\n` lines of `files`.
    public var hash: String

    /// Names left out of a folder's hash at any depth: version-control and editor litter.
    public static let ignored: Set<String> = [".git", ".hg", ".svn", ".DS_Store"]

    /// Hashes the files under `folder` (a file: that file alone, under its own name).
    ///
    /// - Parameter hasher: SHA-256 hex of bytes.
    /// - Throws: the file system's error when a file cannot be read.
    public static func of(_ path: String, hasher: ([UInt8]) -> String) throws -> FolderHash {
        var files: [String: String] = [:]
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        if !isDirectory.boolValue {
            files[(path as NSString).lastPathComponent] = try fileHash(path, hasher: hasher)
        } else {
            try walk(path, prefix: "", into: &files, hasher: hasher)
        }
        return FolderHash(files: files, hasher: hasher)
    }

    /// The hash of a set of file hashes.
    public init(files: [String: String], hasher: ([UInt8]) -> String) {
        self.files = files
        var text = ""
        for path in files.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            text += "\(path)\0\(files[path]!)\n"
        }
        hash = hasher(Array(text.utf8))
    }

    /// The paths whose hashes differ between `self` (expected) and `actual`: changed, missing, added.
    public func differences(from actual: FolderHash) -> [(path: String, change: String)] {
        var out: [(String, String)] = []
        for path in Set(files.keys).union(actual.files.keys).sorted() {
            switch (files[path], actual.files[path]) {
            case (let a?, let b?) where a != b: out.append((path, "changed"))
            case (_?, nil): out.append((path, "missing"))
            case (nil, _?): out.append((path, "added"))
            default: break
            }
        }
        return out
    }

    private static func walk(
        _ folder: String, prefix: String, into files: inout [String: String],
        hasher: ([UInt8]) -> String
    ) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() where !ignored.contains(name) {
            let path = (folder as NSString).appendingPathComponent(name)
            let relative = prefix.isEmpty ? name : prefix + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            switch attributes[.type] as? FileAttributeType {
            case .typeDirectory?: try walk(path, prefix: relative, into: &files, hasher: hasher)
            case .typeSymbolicLink?:
                let target = try FileManager.default.destinationOfSymbolicLink(atPath: path)
                files[relative] = hasher(Array("link:\(target)".utf8))
            case .typeRegular?: files[relative] = try fileHash(path, hasher: hasher)
            default: break
            }
        }
    }

    private static func fileHash(_ path: String, hasher: ([UInt8]) -> String) throws -> String {
        hasher(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    }
}
