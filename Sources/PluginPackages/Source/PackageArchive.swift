// PackageArchive: `quarry plugins pack` — a plugin folder as a reproducible `.tar.gz`: the files under one
// top folder `NAME-VERSION/`, in sorted order, with fixed times, owners and modes (ustar, written here),
// compressed by `gzip -n` (no name, no time). The same folder always packs to the same bytes, so a
// registry can check an archive by its SHA-256. ArchiveExtractor reads it back.
import Foundation
import PluginHost

public enum PackageArchive {
    /// Every entry's modification time: 2000-01-01T00:00:00Z.
    static let fixedTime = 946_684_800

    /// The `.tar.gz` bytes of `folder` under the top folder `top` (version-control folders left out).
    public static func pack(_ folder: String, top: String) throws(PackageError) -> [UInt8] {
        let tar = try tarBytes(folder, top: top)
        return try gzip(tar, subject: folder)
    }

    /// The uncompressed ustar archive.
    static func tarBytes(_ folder: String, top: String) throws(PackageError) -> [UInt8] {
        let fm = FileManager.default
        guard let enumerator = fm.enumerator(atPath: folder) else {
            throw PackageError(.badInput, folder, "not a folder")
        }
        var paths: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let parts = relative.split(separator: "/").map(String.init)
            if parts.contains(where: { FolderHash.ignored.contains($0) }) {
                if let last = parts.last, FolderHash.ignored.contains(last) { enumerator.skipDescendants() }
                continue
            }
            paths.append(relative)
        }
        var out: [UInt8] = []
        try appendHeader(&out, path: top + "/", kind: UInt8(ascii: "5"), mode: 0o755, size: 0, link: "")
        for relative in paths.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let full = (folder as NSString).appendingPathComponent(relative)
            let name = top + "/" + relative
            var info = stat()
            guard lstat(full, &info) == 0 else { throw PackageError(.cannotRun, full, "cannot read") }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try appendHeader(&out, path: name + "/", kind: UInt8(ascii: "5"), mode: 0o755, size: 0, link: "")
            case S_IFLNK:
                let target = (try? fm.destinationOfSymbolicLink(atPath: full)) ?? ""
                try appendHeader(&out, path: name, kind: UInt8(ascii: "2"), mode: 0o777, size: 0, link: target)
            case S_IFREG:
                guard let data = fm.contents(atPath: full) else { throw PackageError(.cannotRun, full, "cannot read") }
                let executable = info.st_mode & S_IXUSR != 0
                try appendHeader(
                    &out, path: name, kind: UInt8(ascii: "0"), mode: executable ? 0o755 : 0o644, size: data.count,
                    link: "")
                out.append(contentsOf: data)
                out.append(contentsOf: [UInt8](repeating: 0, count: (512 - data.count % 512) % 512))
            default:
                throw PackageError(.badInput, full, "not a file, folder or link; a package holds only those")
            }
        }
        out.append(contentsOf: [UInt8](repeating: 0, count: 1024))
        return out
    }

    static func appendHeader(
        _ out: inout [UInt8], path: String, kind: UInt8, mode: Int, size: Int, link: String
    ) throws(PackageError) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (i, byte) in text.utf8.prefix(width).enumerated() { header[offset + i] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, at: offset, width: width - 1)
        }
        var name = path
        var prefix = ""
        let bytes = Array(path.utf8)
        if bytes.count > 100 {
            // ustar: split at a '/' so that the prefix has at most 155 bytes and the name at most 100.
            guard
                let cut = bytes.indices.last(where: { i in
                    bytes[i] == UInt8(ascii: "/") && i <= 155 && bytes.count - i - 1 <= 100 && i < bytes.count - 1
                })
            else {
                throw PackageError(.badInput, path, "the path is too long for a package archive")
            }
            prefix = String(decoding: bytes[..<cut], as: UTF8.self)
            name = String(decoding: bytes[(cut + 1)...], as: UTF8.self)
        }
        guard link.utf8.count <= 100 else { throw PackageError(.badInput, path, "the link's target is too long") }
        put(name, at: 0, width: 100)
        octal(mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(fixedTime, at: 136, width: 12)
        header[156] = kind
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        put("root", at: 265, width: 32)
        put("root", at: 297, width: 32)
        put(prefix, at: 345, width: 155)
        for i in 148..<156 { header[i] = UInt8(ascii: " ") }
        let sum = header.reduce(0) { $0 + Int($1) }
        octal(sum, at: 148, width: 7)
        header[155] = UInt8(ascii: " ")
        out.append(contentsOf: header)
    }

    /// `gzip -n -9`: compressed without the file name or time, so equal input gives equal bytes.
    static func gzip(_ bytes: [UInt8], subject: String) throws(PackageError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", "-9", "-c"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PackageError(.cannotRun, subject, "cannot run gzip: \(error.localizedDescription)")
        }
        // Feed gzip on another thread so neither pipe fills up while the other waits.
        let data = Data(bytes)
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw PackageError(.cannotRun, subject, "gzip failed") }
        return [UInt8](compressed)
    }
}
