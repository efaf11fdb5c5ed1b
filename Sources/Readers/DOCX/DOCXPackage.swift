// The DOCX package: a ZIP archive opened with ZIPFoundation once ArchiveGuard has checked its directory,
// under zip-bomb guards (entry count, total unpacked size, compression ratio, enforced while inflating),
// and its XML parts parsed with libxml2 (no network, no entity expansion).

import ArchiveGuard
import CLibXML2
import Foundation
import ZIPFoundation

/// Guarded access to the parts of a DOCX file.
struct DOCXPackage {
    static let maxEntries = 10_000
    static let maxRatio: UInt64 = 200

    private let archive: Archive
    private let maxUnpacked: Int
    private var unpacked = 0

    init(bytes: [UInt8], maxUnpacked: Int) throws {
        let count: Int
        do {
            (archive, count) = try Archive.untrusted(Data(bytes), maxEntries: Self.maxEntries)
        } catch {
            throw ReaderError(
                "not a readable ZIP archive: \(error.reason) (corrupt or truncated, or an encrypted document)")
        }
        self.maxUnpacked = maxUnpacked
        if count == 0 { throw ReaderError("not a readable ZIP archive (no entries; corrupt or truncated)") }
    }

    /// Whether the package has a part.
    func has(_ path: String) -> Bool { archive[path] != nil }

    /// The bytes of a part, or nil when it is missing.
    ///
    /// - Throws: `ReaderError` when the part is corrupt or would unpack past the limits.
    mutating func part(_ path: String) throws -> [UInt8]? {
        guard let entry = archive[path] else { return nil }
        let declared = entry.uncompressedSize
        if declared > UInt64(maxUnpacked - unpacked) {
            throw ReaderError(
                "\(path) would unpack to \(declared) bytes, past the limit of \(maxUnpacked); refused as a possible zip bomb"
            )
        }
        if entry.compressedSize > 0 && declared / entry.compressedSize > Self.maxRatio && declared > 1 << 20 {
            throw ReaderError(
                "\(path) is compressed \(declared / entry.compressedSize):1; refused as a possible zip bomb")
        }
        var out: [UInt8] = []
        out.reserveCapacity(Int(min(declared, 64 << 20)))
        let budget = maxUnpacked - unpacked
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                if out.count + chunk.count > budget || out.count + chunk.count > Int(declared) + 1024 {
                    throw ReaderError("\(path) unpacks to more than it declares; refused as a possible zip bomb")
                }
                out.append(contentsOf: chunk)
            }
        } catch let e as ReaderError {
            throw e
        } catch {
            throw ReaderError("\(path) is corrupt in the archive (\(error))")
        }
        unpacked += out.count
        return out
    }
}

/// A parsed XML part (libxml2 tree), freed when dropped.
final class XMLPart {
    let doc: xmlDocPtr
    /// Whether the part was malformed and only partly recovered.
    let recovered: Bool

    /// Parses XML strictly; on failure, once more in recovery mode.
    init(_ bytes: [UInt8], name: String) throws {
        _ = LibXML.initialized
        let base = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        func parse(_ options: Int32) -> xmlDocPtr? {
            bytes.withUnsafeBufferPointer { buf in
                guard let p = buf.baseAddress, buf.count < Int(Int32.max) else { return nil }
                return p.withMemoryRebound(to: CChar.self, capacity: buf.count) {
                    xmlReadMemory($0, Int32(buf.count), name, nil, options)
                }
            }
        }
        if let d = parse(base) {
            doc = d
            recovered = false
        } else if let d = parse(base | Int32(XML_PARSE_RECOVER.rawValue)), xmlDocGetRootElement(d) != nil {
            doc = d
            recovered = true
        } else {
            throw ReaderError("\(name) is not well-formed XML")
        }
    }

    deinit { xmlFreeDoc(doc) }

    var root: xmlNodePtr? { xmlDocGetRootElement(doc) }
}

/// Small helpers over libxml2 nodes (names without namespace prefixes).
enum XMLNode {
    static func name(_ n: xmlNodePtr) -> String {
        n.pointee.name.map { String(cString: $0) } ?? ""
    }

    static func isElement(_ n: xmlNodePtr, _ local: String) -> Bool {
        n.pointee.type == XML_ELEMENT_NODE && name(n) == local
    }

    /// The value of attribute `local` (any namespace).
    static func attribute(_ n: xmlNodePtr, _ local: String) -> String? {
        XMLAttributes.value(of: n) { String(cString: $0) == local }
    }

    static func children(_ n: xmlNodePtr) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var c = n.pointee.children
        while let x = c {
            if x.pointee.type == XML_ELEMENT_NODE { out.append(x) }
            c = x.pointee.next
        }
        return out
    }

    static func child(_ n: xmlNodePtr, _ local: String) -> xmlNodePtr? {
        children(n).first { name($0) == local }
    }

    /// All text below `n` (iterative).
    static func text(_ n: xmlNodePtr) -> String {
        var out = ""
        var stack: [xmlNodePtr] = [n]
        while let x = stack.popLast() {
            if x.pointee.type == XML_TEXT_NODE, let c = x.pointee.content { out += String(cString: c) }
            var k = x.pointee.last
            while let c = k { stack.append(c); k = c.pointee.prev }
        }
        return out
    }
}
