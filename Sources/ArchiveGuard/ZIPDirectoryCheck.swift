// ArchiveGuard: opens ZIP archives from untrusted bytes (DOCX documents, plugin packages). Every offset
// ZIPFoundation will seek to is checked against the bytes first: its in-memory reader traps on a position
// past the end, and its size fields are converted to Int64 unchecked, so a damaged directory would take
// the whole process down instead of failing one document.

import Foundation
import ZIPFoundation

/// Why an archive's directory cannot be trusted, in the reader's words (no file name: the caller adds it).
public struct ZIPDirectoryError: Error, Equatable, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
    init(_ reason: String) { self.reason = reason }
}

/// Checks a ZIP archive's directory against its bytes, the way ZIPFoundation reads it.
///
/// The check follows ZIPFoundation's own reading order (the last end-of-central-directory record, the ZIP64
/// record right before its locator, the central directory's entries one after the other, each entry's local
/// header and data descriptor) and refuses any position past the end of the bytes and any size that does
/// not fit in 62 bits. It reads nothing beyond the directory and headers: entries are not inflated here.
public enum ZIPDirectoryCheck {
    static let endRecordSize: UInt64 = 22
    static let zip64LocatorSize: UInt64 = 20
    static let zip64RecordSize: UInt64 = 56
    static let centralHeaderSize: UInt64 = 46
    static let localHeaderSize: UInt64 = 30
    static let largestSize: UInt64 = 1 << 62

    /// The archive's entry count once its directory is checked.
    ///
    /// - Throws: `ZIPDirectoryError` naming the first inconsistency found.
    public static func check(_ bytes: UnsafeRawBufferPointer, maxEntries: Int) throws(ZIPDirectoryError) -> Int {
        let reader = LittleEndian(bytes: bytes)
        let count = UInt64(bytes.count)
        guard count >= endRecordSize else { throw ZIPDirectoryError("too short to be a ZIP archive") }
        guard let end = lastEndRecord(reader) else {
            throw ZIPDirectoryError("no end-of-central-directory record (not a ZIP archive, or truncated)")
        }
        // ZIPFoundation reads the archive comment with the end record and fails without it, leaving its
        // in-memory file open (and the archive's bytes leaked; found by `make fuzz`).
        guard end + endRecordSize + reader.u16(end + 20) <= count else {
            throw ZIPDirectoryError("the archive comment runs past the end of the bytes (truncated)")
        }
        var entries = reader.u16(end + 10)
        var directoryStart = reader.u32(end + 16)
        if let record = zip64Record(reader, endRecord: end) {
            entries = reader.u64(record + 32)
            directoryStart = reader.u64(record + 48)
        }
        guard entries <= UInt64(maxEntries) else {
            throw ZIPDirectoryError(
                "the archive declares \(entries) entries, more than \(maxEntries); refused as a possible zip bomb")
        }
        var position = directoryStart
        for index in 0..<Int(entries) {
            position = try checkEntry(reader, at: position, index: index + 1)
        }
        return Int(entries)
    }

    /// ZIPFoundation's choice: the end record nearest the end of the bytes.
    static func lastEndRecord(_ reader: LittleEndian) -> UInt64? {
        var position = reader.count - endRecordSize
        while true {
            if reader.u32(position) == 0x0605_4b50 { return position }
            if position == 0 { return nil }
            position -= 1
        }
    }

    /// The ZIP64 end record ZIPFoundation uses: right before the locator that precedes the end record.
    static func zip64Record(_ reader: LittleEndian, endRecord: UInt64) -> UInt64? {
        guard endRecord > zip64LocatorSize, endRecord - zip64LocatorSize > zip64RecordSize else { return nil }
        let locator = endRecord - zip64LocatorSize
        let record = locator - zip64RecordSize
        guard reader.u32(locator) == 0x0706_4b50, reader.u32(record) == 0x0606_4b50,
            reader.u16(record + 14) >= 45
        else { return nil }
        return record
    }

    /// Checks one central-directory entry and what it points to; returns the next entry's position.
    static func checkEntry(_ reader: LittleEndian, at position: UInt64, index: Int) throws(ZIPDirectoryError)
        -> UInt64
    {
        guard reader.fits(position, centralHeaderSize), reader.u32(position) == 0x0201_4b50 else {
            throw ZIPDirectoryError("directory entry \(index) is missing or damaged (the directory points past it)")
        }
        let flags = reader.u16(position + 8)
        let method = reader.u16(position + 10)
        let nameLength = reader.u16(position + 28)
        let extraLength = reader.u16(position + 30)
        let commentLength = reader.u16(position + 32)
        let headerEnd = position + centralHeaderSize + nameLength + extraLength + commentLength
        guard headerEnd <= reader.count else {
            throw ZIPDirectoryError("directory entry \(index) runs past the end of the archive")
        }
        let sizes = EntrySizes(
            reader, header: position, extra: position + centralHeaderSize + nameLength, extraLength: extraLength)
        guard sizes.compressed < largestSize, sizes.uncompressed < largestSize else {
            throw ZIPDirectoryError("directory entry \(index) declares an impossible size")
        }
        let local = sizes.localHeader
        guard reader.fits(local, localHeaderSize), reader.u32(local) == 0x0403_4b50 else {
            throw ZIPDirectoryError("entry \(index)'s local header is missing (its offset points outside the archive)")
        }
        let dataStart = local + localHeaderSize + reader.u16(local + 26) + reader.u16(local + 28)
        guard dataStart <= reader.count, sizes.compressed <= reader.count - dataStart else {
            throw ZIPDirectoryError("entry \(index)'s data runs past the end of the archive")
        }
        if flags & (1 << 3) != 0 {
            let descriptor = dataStart + (method != 0 ? sizes.compressed : sizes.uncompressed)
            guard descriptor <= reader.count else {
                throw ZIPDirectoryError("entry \(index)'s data descriptor lies past the end of the archive")
            }
            if sizes.isZIP64 {
                let fields = descriptor + (reader.u32(descriptor) == 0x0807_4b50 ? 8 : 4)
                guard reader.u64(fields) < largestSize, reader.u64(fields + 8) < largestSize else {
                    throw ZIPDirectoryError("entry \(index)'s data descriptor declares an impossible size")
                }
            }
        }
        return headerEnd
    }
}

/// An entry's sizes and local-header offset as ZIPFoundation takes them: a ZIP64 extended-information
/// field's value, when the entry is ZIP64 and the field holds one, else the 32-bit value.
struct EntrySizes {
    var compressed: UInt64
    var uncompressed: UInt64
    var localHeader: UInt64
    var isZIP64: Bool

    init(_ reader: LittleEndian, header: UInt64, extra: UInt64, extraLength: UInt64) {
        compressed = reader.u32(header + 20)
        uncompressed = reader.u32(header + 24)
        localHeader = reader.u32(header + 42)
        let disk = reader.u16(header + 34)
        // The fields a ZIP64 extended-information field carries: those whose 32-bit value is all ones.
        var widths: [UInt64] = []
        if uncompressed == 0xFFFF_FFFF { widths.append(8) }
        if compressed == 0xFFFF_FFFF { widths.append(8) }
        if localHeader == 0xFFFF_FFFF { widths.append(8) }
        if disk == 0xFFFF { widths.append(4) }
        let info = Self.zip64Field(reader, at: extra, length: extraLength, expected: widths.reduce(0, +))
        isZIP64 = (reader.u16(header + 6) & 0xFF) >= 45 || info != nil
        guard isZIP64, let info else { return }
        var cursor = info
        func next(_ present: Bool) -> UInt64 {
            guard present else { return 0 }
            defer { cursor += 8 }
            return reader.u64(cursor)
        }
        let wide = (
            uncompressed: next(uncompressed == 0xFFFF_FFFF), compressed: next(compressed == 0xFFFF_FFFF),
            local: next(localHeader == 0xFFFF_FFFF)
        )
        if wide.uncompressed > 0 { uncompressed = wide.uncompressed }
        if wide.compressed > 0 { compressed = wide.compressed }
        if wide.local > 0 { localHeader = wide.local }
    }

    /// Where the values of the first ZIP64 extended-information field start, when its size is the expected one.
    static func zip64Field(_ reader: LittleEndian, at start: UInt64, length: UInt64, expected: UInt64) -> UInt64? {
        var offset: UInt64 = 0
        while offset + 4 < length {
            let id = reader.u16(start + offset)
            let size = reader.u16(start + offset + 2)
            let next = offset + 4 + size
            guard next <= length else { return nil }
            if id == 0x0001 { return size == expected ? start + offset + 4 : nil }
            offset = next
        }
        return nil
    }
}

/// Little-endian reads that answer 0 past the end.
struct LittleEndian {
    let bytes: UnsafeRawBufferPointer
    var count: UInt64 { UInt64(bytes.count) }

    func fits(_ position: UInt64, _ size: UInt64) -> Bool { position <= count && size <= count - position }

    func value(_ position: UInt64, _ width: UInt64) -> UInt64 {
        guard fits(position, width) else { return 0 }
        var out: UInt64 = 0
        for k in (0..<width).reversed() { out = out << 8 | UInt64(bytes[Int(position + k)]) }
        return out
    }

    func u16(_ position: UInt64) -> UInt64 { value(position, 2) }
    func u32(_ position: UInt64) -> UInt64 { value(position, 4) }
    func u64(_ position: UInt64) -> UInt64 { value(position, 8) }
}

extension Archive {
    /// An archive read from untrusted bytes, its directory checked first (`ZIPDirectoryCheck`).
    ///
    /// - Throws: `ZIPDirectoryError` when the directory is inconsistent or ZIPFoundation cannot open it.
    public static func untrusted(_ data: Data, maxEntries: Int) throws(ZIPDirectoryError) -> (Archive, entries: Int) {
        let checked = data.withUnsafeBytes { raw in
            Result { () throws(ZIPDirectoryError) -> Int in try ZIPDirectoryCheck.check(raw, maxEntries: maxEntries) }
        }
        let entries = try checked.get()
        do {
            return (try Archive(data: data, accessMode: .read), entries)
        } catch {
            throw ZIPDirectoryError("not a readable ZIP archive (\(error))")
        }
    }
}
