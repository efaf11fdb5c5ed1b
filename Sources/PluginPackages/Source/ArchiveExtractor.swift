// ArchiveExtractor: unpacks a package's `.zip` (ZIPFoundation) or `.tar.gz` (`gzip -dc`, then tar read
// here) into a folder, refusing what could write outside it: absolute paths, `..`, device files,
// hard links, and symbolic links that point outside the package (zip-slip).
import ArchiveGuard
import Foundation
import ZIPFoundation

struct ArchiveExtractor {
    var destination: String
    /// The source as the user gave it, for messages.
    var source: String

    // MARK: - Zip

    /// Limits on what a package archive may unpack to (a plugin is source and small data files).
    static let maxEntries = 20_000
    static let maxUnpacked = 1 << 30

    func extractZip(_ data: Data) throws(PackageError) {
        let archive: Archive
        do {
            archive = try Archive.untrusted(data, maxEntries: Self.maxEntries).0
        } catch {
            throw PackageError(.badInput, source, "not a readable zip archive: \(error.reason)")
        }
        try makeFolder(destination)
        var unpacked = 0
        for entry in archive {
            var bytes = Data()
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    unpacked += chunk.count
                    if unpacked > Self.maxUnpacked {
                        throw PackageError(
                            .badInput, source, "the archive unpacks to more than \(Self.maxUnpacked >> 20) MiB; refused"
                        )
                    }
                    bytes.append(chunk)
                }
            } catch let error as PackageError {
                throw error
            } catch {
                throw PackageError(.badInput, source, "cannot read '\(entry.path)' from the archive: \(error)")
            }
            switch entry.type {
            case .directory: try write(.folder, path: entry.path, bytes: nil)
            case .file: try write(.file, path: entry.path, bytes: bytes)
            case .symlink: try write(.link(String(decoding: bytes, as: UTF8.self)), path: entry.path, bytes: nil)
            }
        }
    }

    // MARK: - tar.gz

    func extractTarGz(_ path: String) throws(PackageError) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-dc", path]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            throw PackageError(.cannotRun, source, "cannot run gzip: \(error.localizedDescription)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PackageError(.badInput, source, "not a readable .tar.gz archive")
        }
        try extractTar([UInt8](data))
    }

    func extractTar(_ bytes: [UInt8]) throws(PackageError) {
        try makeFolder(destination)
        var offset = 0
        var longName: String?
        var paxPath: String?
        func field(_ start: Int, _ length: Int) -> String {
            let slice = bytes[(offset + start)..<(offset + start + length)]
            let end = slice.firstIndex(of: 0) ?? slice.endIndex
            return String(decoding: bytes[(offset + start)..<end], as: UTF8.self)
        }
        while offset + 512 <= bytes.count {
            if bytes[offset..<(offset + 512)].allSatisfy({ $0 == 0 }) { break }
            let sizeText = field(124, 12).trimmingCharacters(in: CharacterSet(charactersIn: " \0"))
            guard let size = Int(sizeText.isEmpty ? "0" : sizeText, radix: 8) else {
                throw PackageError(.badInput, source, "a damaged tar header")
            }
            let type = bytes[offset + 156]
            var name = field(0, 100)
            let prefix = field(257, 6).hasPrefix("ustar") ? field(345, 155) : ""
            if !prefix.isEmpty { name = prefix + "/" + name }
            let linkName = field(157, 100)
            let start = offset + 512
            guard start + size <= bytes.count else { throw PackageError(.badInput, source, "a truncated tar archive") }
            let body = Array(bytes[start..<(start + size)])
            offset = start + (size + 511) / 512 * 512
            let path = paxPath ?? longName ?? name
            switch type {
            case UInt8(ascii: "L"):
                longName = String(decoding: body.prefix { $0 != 0 }, as: UTF8.self)
                continue
            case UInt8(ascii: "x"):
                paxPath = Self.paxPath(body)
                continue
            case UInt8(ascii: "g"): continue
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"): try write(.file, path: path, bytes: Data(body))
            case UInt8(ascii: "5"): try write(.folder, path: path, bytes: nil)
            case UInt8(ascii: "2"): try write(.link(linkName), path: path, bytes: nil)
            case UInt8(ascii: "1"):
                throw PackageError(.badInput, source, "unsafe archive entry '\(path)': hard links are not allowed")
            default:
                throw PackageError(
                    .badInput, source,
                    "unsafe archive entry '\(path)': device files, FIFOs and other special files are not allowed")
            }
            longName = nil
            paxPath = nil
        }
    }

    static func paxPath(_ body: [UInt8]) -> String? {
        for record in String(decoding: body, as: UTF8.self).split(separator: "\n") {
            guard let space = record.firstIndex(of: " ") else { continue }
            let pair = record[record.index(after: space)...]
            if pair.hasPrefix("path=") { return String(pair.dropFirst(5)) }
        }
        return nil
    }

    // MARK: - Writing, confined

    enum Kind { case file, folder, link(String) }

    /// The entry's path inside the destination, or an error when it would leave it.
    func confined(_ path: String) throws(PackageError) -> [Substring] {
        if path.hasPrefix("/") {
            throw PackageError(.badInput, source, "unsafe archive entry '\(path)': an absolute path")
        }
        let parts = path.split(separator: "/").filter { $0 != "." }
        if parts.contains("..") {
            throw PackageError(.badInput, source, "unsafe archive entry '\(path)': a path with '..'")
        }
        return parts
    }

    func write(_ kind: Kind, path: String, bytes: Data?) throws(PackageError) {
        let parts = try confined(path)
        guard !parts.isEmpty else { return }
        let target = destination + "/" + parts.joined(separator: "/")
        let parent = (target as NSString).deletingLastPathComponent
        // A folder on the way must not be a link (a link inside the archive that a later entry writes through).
        var walk = destination
        for part in parts.dropLast() {
            walk += "/" + part
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: walk)) != nil {
                throw PackageError(
                    .badInput, source, "unsafe archive entry '\(path)': it is written through a symbolic link")
            }
        }
        try makeFolder(parent)
        do {
            switch kind {
            case .folder: try makeFolder(target)
            case .file: try (bytes ?? Data()).write(to: URL(fileURLWithPath: target), options: .withoutOverwriting)
            case .link(let destinationPath):
                if destinationPath.hasPrefix("/") {
                    throw PackageError(
                        .badInput, source,
                        "unsafe archive entry '\(path)': a symbolic link to an absolute path (\(destinationPath))")
                }
                var depth = parts.count - 1
                for part in destinationPath.split(separator: "/") where part != "." {
                    depth += part == ".." ? -1 : 1
                    if depth < 0 {
                        throw PackageError(
                            .badInput, source,
                            "unsafe archive entry '\(path)': a symbolic link pointing outside the package (\(destinationPath))"
                        )
                    }
                }
                try FileManager.default.createSymbolicLink(atPath: target, withDestinationPath: destinationPath)
            }
        } catch let error as PackageError {
            throw error
        } catch {
            throw PackageError(.badInput, source, "cannot extract '\(path)': \(error.localizedDescription)")
        }
    }

    func makeFolder(_ path: String) throws(PackageError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw PackageError(.cannotRun, source, "cannot create \(path): \(error.localizedDescription)")
        }
    }
}
