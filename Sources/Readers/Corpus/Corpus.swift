// Corpus: the walk from what the user typed (files, folders, globs, `-`) to a lazy, ordered sequence of
// entries with stable ids. Folders are walked recursively in sorted order, hidden files skipped,
// symbolic-link loops cut, filters and the size cap applied. Reading the bytes is left to the entry.

import Foundation

/// How the corpus walk selects files.
public struct CorpusOptions: Sendable, Hashable {
    /// Only files matching one of these globs (by name, or by relative path when the glob has a `/`).
    public var include: [String]
    /// Leave out files matching any of these globs.
    public var exclude: [String]
    /// Files larger than this are skipped with a message (`--max-bytes`, default 50 MB).
    public var maxBytes: Int

    /// Creates options; the defaults are those of the command line.
    public init(include: [String] = [], exclude: [String] = [], maxBytes: Int = 50_000_000) {
        self.include = include
        self.exclude = exclude
        self.maxBytes = maxBytes
    }
}

/// One file of the corpus (or standard input), not yet read.
public struct CorpusEntry: Sendable, Hashable {
    /// The stable id: the path relative to the root given (a file given directly: its name; `stdin`).
    public var id: String
    /// The path to open, as derived from what was given; `-` for standard input.
    public var path: String
    /// The size in bytes when known from the walk.
    public var size: Int?

    /// Creates an entry.
    public init(id: String, path: String, size: Int? = nil) {
        self.id = id
        self.path = path
        self.size = size
    }

    /// Whether the entry is standard input.
    public var isStandardInput: Bool { path == "-" }

    /// The file name used to guess the format (`id`'s last component).
    public var fileName: String {
        if isStandardInput { return "" }
        return (path as NSString).lastPathComponent
    }

    /// Reads the whole file (or standard input).
    ///
    /// - Parameter maxBytes: Refuse more than this many bytes (standard input is checked as it is read).
    /// - Throws: `ReaderError` naming what failed.
    public func bytes(maxBytes: Int = Int.max) throws -> [UInt8] {
        if isStandardInput {
            var out: [UInt8] = []
            let handle = FileHandle.standardInput
            while true {
                let chunk = handle.readData(ofLength: 1 << 20)
                if chunk.isEmpty { break }
                out.append(contentsOf: chunk)
                if out.count > maxBytes { throw ReaderError("standard input is larger than \(maxBytes) bytes") }
            }
            return out
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            if !FileManager.default.fileExists(atPath: path) { throw ReaderError("no such file") }
            throw ReaderError("cannot read the file (permission denied?)")
        }
        defer { try? handle.close() }
        do {
            var out: [UInt8] = []
            if let size { out.reserveCapacity(min(size, maxBytes) + 1) }
            while true {
                guard let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty else { break }
                out.append(contentsOf: chunk)
                if out.count > maxBytes { throw ReaderError("file is larger than \(maxBytes) bytes") }
            }
            return out
        } catch let e as ReaderError {
            throw e
        } catch {
            throw ReaderError("cannot read the file: \(error.localizedDescription)")
        }
    }
}

/// What the walk yields: an entry to read, or a path it skipped or could not use.
public enum CorpusItem: Sendable, Hashable {
    /// A file to read.
    case entry(CorpusEntry)
    /// A file left out on purpose (too large), with the reason.
    case skipped(path: String, reason: String)
    /// A path that could not be walked (missing, unreadable folder, a glob that matched nothing).
    case failure(path: String, message: String)
}

/// The documents' files: a lazy sequence over the given paths, in order, each root walked in sorted order.
public struct Corpus: Sequence, Sendable {
    /// The paths as given (files, folders, globs, `-`).
    public let paths: [String]
    /// Selection options.
    public let options: CorpusOptions

    /// Creates a corpus over `paths`.
    public init(paths: [String], options: CorpusOptions = CorpusOptions()) {
        self.paths = paths
        self.options = options
    }

    public func makeIterator() -> Iterator { Iterator(paths: paths, options: options) }

    /// Walks lazily: one folder listing at a time.
    public struct Iterator: IteratorProtocol {
        private enum Work {
            case root(String)
            /// A path to look at: where to open it, its id, whether it was named explicitly.
            case path(open: String, id: String, explicit: Bool, glob: Glob?)
        }
        private var work: [Work]
        private let include: [Glob]
        private let exclude: [Glob]
        private let maxBytes: Int
        private var visited = Set<FileIdentity>()

        init(paths: [String], options: CorpusOptions) {
            work = paths.reversed().map { .root($0) }
            include = options.include.map(Glob.init)
            exclude = options.exclude.map(Glob.init)
            maxBytes = options.maxBytes
        }

        public mutating func next() -> CorpusItem? {
            while let item = work.popLast() {
                switch item {
                case .root(let given):
                    if let out = expandRoot(given) { return out }
                case .path(let open, let id, let explicit, let glob):
                    if let out = visit(open: open, id: id, explicit: explicit, glob: glob) { return out }
                }
            }
            return nil
        }

        private mutating func expandRoot(_ given: String) -> CorpusItem? {
            if given == "-" { return .entry(CorpusEntry(id: "stdin", path: "-")) }
            if Glob.hasWildcards(given) && !FileManager.default.fileExists(atPath: given) {
                // Walk from the longest folder prefix without wildcards; match the rest.
                let parts = given.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
                var prefix: [String] = []
                for p in parts {
                    if Glob.hasWildcards(p) { break }
                    prefix.append(p)
                }
                var base = prefix.joined(separator: "/")
                let rest = parts.dropFirst(prefix.count).joined(separator: "/")
                if base.isEmpty && given.hasPrefix("/") { base = "/" }
                let folder = base.isEmpty ? "." : base
                let glob = Glob(rest)
                let before = work.count
                if let identity = FileIdentity(path: folder, follow: true), identity.isDirectory {
                    visited.insert(identity)
                    if let failure = pushListing(folder: folder, idPrefix: "", glob: glob) { return failure }
                }
                if work.count == before { return .failure(path: given, message: "no files match") }
                return nil
            }
            guard let identity = FileIdentity(path: given, follow: true) else {
                return .failure(path: given, message: "no such file or folder")
            }
            if identity.isDirectory {
                visited.insert(identity)
                return pushListing(folder: given, idPrefix: "", glob: nil)
            }
            let name = (given as NSString).lastPathComponent
            return visit(open: given, id: name, explicit: true, glob: nil)
        }

        /// Pushes a folder's entries (sorted, hidden ones left out) so that they pop in order.
        private mutating func pushListing(folder: String, idPrefix: String, glob: Glob?) -> CorpusItem? {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
                return .failure(path: folder, message: "cannot list the folder")
            }
            let sorted = names.filter { !$0.hasPrefix(".") }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            for name in sorted.reversed() {
                let open = folder == "/" ? "/" + name : folder + "/" + name
                let id = idPrefix.isEmpty ? name : idPrefix + "/" + name
                work.append(.path(open: open, id: id, explicit: false, glob: glob))
            }
            return nil
        }

        private mutating func visit(open: String, id: String, explicit: Bool, glob: Glob?) -> CorpusItem? {
            guard let identity = FileIdentity(path: open, follow: true) else {
                // A dangling symbolic link inside a folder is left out quietly; a named file is an error.
                return explicit ? .failure(path: open, message: "no such file") : nil
            }
            if identity.isDirectory {
                guard !visited.contains(identity) else { return nil }  // a symbolic-link loop or a second way in
                visited.insert(identity)
                return pushListing(folder: open, idPrefix: id, glob: glob)
            }
            guard identity.isRegular else { return explicit ? .failure(path: open, message: "not a regular file") : nil }
            if let glob, !glob.matches(id) { return nil }
            if !include.isEmpty && !include.contains(where: { $0.matchesFile(id) }) { return nil }
            if exclude.contains(where: { $0.matchesFile(id) }) { return nil }
            if identity.size > maxBytes {
                return .skipped(path: open, reason: "larger than --max-bytes (\(identity.size) > \(maxBytes) bytes)")
            }
            return .entry(CorpusEntry(id: id, path: open, size: identity.size))
        }
    }
}

/// A file's device and inode, to recognise a folder seen before.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var isDirectory: Bool
    var isRegular: Bool
    var size: Int

    init?(path: String, follow: Bool) {
        var st = stat()
        let r = follow ? stat(path, &st) : lstat(path, &st)
        guard r == 0 else { return nil }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        let type = st.st_mode & S_IFMT
        isDirectory = type == S_IFDIR
        isRegular = type == S_IFREG
        size = Int(st.st_size)
    }

    static func == (a: FileIdentity, b: FileIdentity) -> Bool { a.device == b.device && a.inode == b.inode }
    func hash(into h: inout Hasher) { h.combine(device); h.combine(inode) }
}
