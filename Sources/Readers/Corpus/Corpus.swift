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
    /// The path's bytes, when a name on it is not valid UTF-8: `path` and `id` then show those bytes
    /// as `\xHH`, and the file is opened by these bytes.
    public var rawPath: RawPath?

    /// Creates an entry.
    public init(id: String, path: String, size: Int? = nil, rawPath: RawPath? = nil) {
        self.id = id
        self.path = path
        self.size = size
        self.rawPath = rawPath
    }

    /// Whether the entry is standard input.
    public var isStandardInput: Bool { path == "-" }

    /// The file name used to guess the format (`id`'s last component).
    public var fileName: String {
        if isStandardInput { return "" }
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// A file larger than the size cap: left out on purpose, with this reason.
    public struct TooLarge: Error, Sendable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    static func tooLargeReason(size: Int, maxBytes: Int) -> String {
        "larger than --max-bytes (\(size) > \(maxBytes) bytes)"
    }

    /// The file name's extension, lower-case, without the dot (empty for none).
    public var fileExtension: String { FormatDetector.fileExtension(fileName) }

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
        let fd = (rawPath ?? RawPath(path)).withCString { open($0, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw ReaderError("no such file") }
            if code == EACCES { throw ReaderError("cannot read the file (permission denied)") }
            throw ReaderError("cannot open the file: \(String(cString: strerror(code)))")
        }
        defer { close(fd) }
        // The size from fstat sizes the buffer, so a whole file usually comes in one read; reading
        // goes on to the end all the same, in case the file grew since.
        var st = stat()
        var capacity = size ?? 0
        var regular = false
        if fstat(fd, &st) == 0 {
            capacity = Int(st.st_size)
            regular = st.st_mode & S_IFMT == S_IFREG
        }
        if capacity > maxBytes { throw TooLarge(reason: Self.tooLargeReason(size: capacity, maxBytes: maxBytes)) }
        var out = [UInt8](repeating: 0, count: max(capacity + 1, 4096))
        var count = 0
        while true {
            if count == out.count { out.append(contentsOf: repeatElement(0, count: out.count)) }
            let wanted = out.count - count
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, wanted) }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw ReaderError("cannot read the file: \(String(cString: strerror(errno)))")
            }
            count += n
            // A short read of a regular file is its end (reads stop short of 2 GiB on Linux anyway).
            if regular && n < wanted && wanted < 1 << 30 { break }
            if count > maxBytes { throw TooLarge(reason: Self.tooLargeReason(size: count, maxBytes: maxBytes)) }
        }
        out.removeSubrange(count...)
        return out
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
            /// `regularFile`: the folder listing said so, and no stat is needed.
            case path(open: RawPath, id: String, explicit: Bool, glob: Glob?, regularFile: Bool)
            /// The end of a glob's walk: a failure when no file matched since `found` files were found.
            case endOfGlob(given: String, found: Int)
        }
        /// Files yielded so far (entries and files skipped for their size).
        private var found = 0
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
                    if let out = expandRoot(given) { return counted(out) }
                case .path(let open, let id, let explicit, let glob, let regularFile):
                    if let out = visit(open: open, id: id, explicit: explicit, glob: glob, regularFile: regularFile) {
                        return counted(out)
                    }
                case .endOfGlob(let given, let before):
                    if found == before { return .failure(path: given, message: "no files match") }
                }
            }
            return nil
        }

        private mutating func counted(_ item: CorpusItem) -> CorpusItem {
            switch item {
            case .entry, .skipped: found += 1
            case .failure: break
            }
            return item
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
                work.append(.endOfGlob(given: given, found: found))
                if let identity = FileIdentity(path: folder, follow: true), identity.isDirectory {
                    visited.insert(identity)
                    if let failure = pushListing(folder: RawPath(folder), idPrefix: "", glob: glob) { return failure }
                }
                if work.count == before + 1 {
                    work.removeLast()
                    return .failure(path: given, message: "no files match")
                }
                return nil
            }
            guard let identity = FileIdentity(path: given, follow: true) else {
                return .failure(path: given, message: "no such file or folder")
            }
            if identity.isDirectory {
                visited.insert(identity)
                return pushListing(folder: RawPath(given), idPrefix: "", glob: nil)
            }
            let name = (given as NSString).lastPathComponent
            return visit(open: RawPath(given), id: name, explicit: true, glob: nil, regularFile: false)
        }

        /// Pushes a folder's entries (sorted, hidden ones left out) so that they pop in order.
        private mutating func pushListing(folder: RawPath, idPrefix: String, glob: Glob?) -> CorpusItem? {
            guard let listing = Self.list(folder) else {
                return .failure(path: folder.display, message: "cannot list the folder")
            }
            // Byte order, so that ids sort the same on every machine and locale.
            let sorted = listing.sorted { a, b in a.name.lexicographicallyPrecedes(b.name) }
            for (name, isRegularFile) in sorted.reversed() {
                let open = folder.appending(name)
                let shown = RawPath.display(name)
                let id = idPrefix.isEmpty ? shown : idPrefix + "/" + shown
                work.append(.path(open: open, id: id, explicit: false, glob: glob, regularFile: isRegularFile))
            }
            return nil
        }

        /// A folder's entries but hidden ones, and whether the listing says each is a regular file
        /// (then the walk needs no stat of its own: the size is checked when the file is read).
        private static func list(_ folder: RawPath) -> [(name: [UInt8], isRegularFile: Bool)]? {
            guard let dir = folder.withCString({ opendir($0) }) else { return nil }
            defer { closedir(dir) }
            var out: [(name: [UInt8], isRegularFile: Bool)] = []
            while let entry = readdir(dir) {
                let (name, type) = withUnsafePointer(to: &entry.pointee.d_name) { pointer in
                    pointer.withMemoryRebound(to: UInt8.self, capacity: Int(NAME_MAX) + 1) {
                        (
                            Array(
                                UnsafeBufferPointer(
                                    start: $0, count: strlen(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)))),
                            entry.pointee.d_type
                        )
                    }
                }
                if name.first == UInt8(ascii: ".") { continue }
                out.append((name, type == UInt8(DT_REG)))
            }
            return out
        }

        private mutating func visit(open: RawPath, id: String, explicit: Bool, glob: Glob?, regularFile: Bool)
            -> CorpusItem?
        {
            if regularFile {
                guard selected(id, glob: glob) else { return nil }
                return .entry(open.entry(id: id, size: nil))
            }
            guard let identity = FileIdentity(path: open, follow: true) else {
                // A named file is an error; a dangling symbolic link inside a folder is left out, saying so.
                if explicit { return .failure(path: open.display, message: "no such file") }
                guard FileIdentity(path: open, follow: false) != nil, selected(id, glob: glob) else { return nil }
                return .skipped(path: open.display, reason: "a symbolic link to nothing (dangling)")
            }
            if identity.isDirectory {
                guard !visited.contains(identity) else { return nil }  // a symbolic-link loop or a second way in
                visited.insert(identity)
                return pushListing(folder: open, idPrefix: id, glob: glob)
            }
            guard identity.isRegular else {
                if explicit { return .failure(path: open.display, message: "not a regular file") }
                guard selected(id, glob: glob) else { return nil }
                return .skipped(path: open.display, reason: "not a regular file (a FIFO, socket or device)")
            }
            guard selected(id, glob: glob) else { return nil }
            if identity.size > maxBytes {
                return .skipped(
                    path: open.display, reason: CorpusEntry.tooLargeReason(size: identity.size, maxBytes: maxBytes))
            }
            return .entry(open.entry(id: id, size: identity.size))
        }

        /// Whether the globs and filters keep the file `id`.
        private func selected(_ id: String, glob: Glob?) -> Bool {
            if let glob, !glob.matches(id) { return false }
            if !include.isEmpty && !include.contains(where: { $0.matchesFile(id) }) { return false }
            if exclude.contains(where: { $0.matchesFile(id) }) { return false }
            return true
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

    init?(path: String, follow: Bool) { self.init(path: RawPath(path), follow: follow) }

    init?(path: RawPath, follow: Bool) {
        var st = stat()
        let r = path.withCString { follow ? stat($0, &st) : lstat($0, &st) }
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

/// A path as the file system has it: bytes, which need not be UTF-8 (Linux file names are bytes).
public struct RawPath: Sendable, Hashable {
    /// The path's bytes, without a terminating zero.
    public var bytes: [UInt8]

    public init(_ path: String) { bytes = Array(path.utf8) }
    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The path with a name added after a slash.
    func appending(_ name: [UInt8]) -> RawPath {
        RawPath(bytes: bytes == [UInt8(ascii: "/")] ? bytes + name : bytes + [UInt8(ascii: "/")] + name)
    }

    /// The path for people and JSON: valid UTF-8 as it is, any other byte as `\xHH`.
    public var display: String { Self.display(bytes) }

    /// Whether the bytes are valid UTF-8 (then `display` is the path itself).
    public var isUTF8: Bool { String(validating: bytes, as: UTF8.self) != nil }

    /// `bytes` as text: valid UTF-8 sequences as they are, every other byte as `\xHH`, so two names
    /// that differ only in invalid bytes stay apart.
    static func display(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var out = ""
        var i = 0
        while i < bytes.count {
            let length = Self.sequenceLength(bytes, at: i)
            if length > 0 {
                out += String(decoding: bytes[i..<i + length], as: UTF8.self)
                i += length
            } else {
                out += String(format: "\\x%02X", bytes[i])
                i += 1
            }
        }
        return out
    }

    /// The length of the valid UTF-8 sequence at `i`, or 0.
    static func sequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        switch lead {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        return String(validating: bytes[i..<i + length], as: UTF8.self) != nil ? length : 0
    }

    func withCString<R>(_ body: (UnsafePointer<CChar>) -> R) -> R {
        (bytes + [0]).withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { body($0.baseAddress!) }
        }
    }

    /// A corpus entry for this path: opened by its bytes when they are not UTF-8.
    func entry(id: String, size: Int?) -> CorpusEntry {
        isUTF8
            ? CorpusEntry(id: id, path: display, size: size)
            : CorpusEntry(id: id, path: display, size: size, rawPath: self)
    }
}
