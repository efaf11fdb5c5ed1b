// OutputFiles: the sandbox of `ctx:write`: report files are written inside the run's output folder
// only (relative paths, no `..`, never through a symbolic link), atomically.
//
// A report plugin writes tens of thousands of pages in one finish, so the output folder is resolved
// once and each sub-folder is created and checked once (the plugin cannot make links: nothing in the
// sandbox creates one); the names written are kept in order and in a set. The checks happen in the
// call; the bytes go to the disk on a writer queue of their own (files in the order written), so
// creating files overlaps the plugin's Lua. A write that fails there is raised by the plugin's next
// `ctx:write` and, at the latest, when its finish returns (`flush`), naming the file.
import Dispatch
import Foundation
import LuaBridge
import Synchronization

/// Writing report files inside the output folder only: no absolute paths, no `..`, no symlinks out.
final class OutputFiles {
    /// The files the run itself writes in the output folder: a plugin never replaces them.
    static let reserved: Set<String> = ["results.jsonl", "errors.jsonl", "run.json", "run.log"]

    private let folder: String?
    /// The output folder with its links resolved (on the first write).
    private var root: String?
    /// Sub-folders (relative, "" for the root) already created and found inside the root.
    private var checked: Set<String> = []
    private var seen: Set<String> = []
    /// Files written, relative to the output folder, in the order first written.
    private(set) var written: [String] = []

    /// The writer: one serial queue, at most `pendingLimit` files or `pendingBytes` bytes waiting.
    private let queue = DispatchQueue(label: "quarry-output-files")
    private let slots = DispatchSemaphore(value: OutputFiles.pendingLimit)
    private let failures = WriteFailures()
    static let pendingLimit = 64
    /// Files larger than this are written in the call (after those waiting).
    static let queuedSizeLimit = 1 << 20

    init(folder: String?) { self.folder = folder }

    deinit { queue.sync {} }

    /// Waits for the files written so far (a `ctx:read` may read one back).
    func wait() { queue.sync {} }

    /// Waits for the files written so far; returns the failures since the last call, in words.
    func flush() -> [String] {
        queue.sync {}
        return failures.take()
    }

    func write(name: String, contents: [UInt8], call: LuaCall) throws -> String {
        guard let folder else { throw call.error("this run has no output folder") }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty })
        else {
            throw call.error("'\(name)': give a relative path inside the output folder (no '..', no absolute path)")
        }
        if Self.reserved.contains(name.lowercased()) {
            throw call.error("'\(name)' is one of the run's own files; write the report under another name")
        }
        let root = try resolvedRoot(folder)
        let relativeParent = parts.dropLast().joined(separator: "/")
        let parent = relativeParent.isEmpty ? root : root + "/" + relativeParent
        if !checked.contains(relativeParent) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw call.error("'\(name)': cannot create its folder: \(error.localizedDescription)")
            }
            let realParent = URL(fileURLWithPath: parent).resolvingSymlinksInPath().path
            guard realParent == root || realParent.hasPrefix(root + "/") else {
                throw call.error("'\(name)' leads outside the output folder (through a symbolic link)")
            }
            checked.insert(relativeParent)
        }
        let target = root + "/" + name
        var info = stat()
        if lstat(target, &info) == 0, info.st_mode & S_IFMT == S_IFLNK {
            throw call.error("'\(name)' is a symbolic link; report files are never written through links")
        }
        if let earlier = failures.take().first { throw call.error(earlier) }
        if contents.count > Self.queuedSizeLimit {
            let failure = queue.sync { Self.replace(target, with: contents) }
            if let failure { throw call.error("'\(name)': cannot write: \(failure)") }
        } else {
            slots.wait()
            queue.async { [slots, failures] in
                if let failure = Self.replace(target, with: contents) {
                    failures.add("'\(name)': cannot write: \(failure)")
                }
                slots.signal()
            }
        }
        if seen.insert(name).inserted { written.append(name) }
        return name
    }

    /// Writes `bytes` to a new file beside `path`, then renames it over `path`: a reader sees the old
    /// file or the whole new one, never a part. No fsync: report files are rewritten by the next run,
    /// and syncing each of a report's thousands of pages made writing them six times slower.
    /// Returns the failure in words, or nil.
    static func replace(_ path: String, with bytes: [UInt8]) -> String? {
        let temporary = path + ".part-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        var written = 0
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                written += n
            }
        }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if failure != nil { unlink(temporary) }
        return failure
    }

    private func resolvedRoot(_ folder: String) throws -> String {
        if let root { return root }
        let resolved = URL(fileURLWithPath: folder).standardizedFileURL.resolvingSymlinksInPath().path
        root = resolved
        return resolved
    }
}

/// Failures of the writer queue, kept until the plugin's thread asks.
private final class WriteFailures: Sendable {
    private let list = Mutex<[String]>([])
    func add(_ message: String) { list.withLock { $0.append(message) } }
    func take() -> [String] {
        list.withLock { list in
            defer { list = [] }; return list
        }
    }
}
