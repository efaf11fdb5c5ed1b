// A single-byte code page as a 256-entry table of character classes, read from iconv once (iconv stays
// the one decoder: the table only lets EncodingChooser score a sample in every candidate cheaply).
// Also the code pages Quarry weighs when libuchardet's answer is doubtful, and which ones are rare.

import Foundation

/// How each byte reads in one single-byte encoding.
struct SingleBytePage: Sendable {
    /// The encoding's name, lower-case, as metadata and iconv use it.
    let name: String
    /// The class of each byte's character (`.undefined` when the encoding has none).
    let classes: [CharacterClass]
    /// The scalar of each byte (0 when undefined).
    let scalars: [UInt32]

    /// The code pages every doubtful decision weighs, most likely first (ties go to the earlier one).
    static let candidateNames = [
        "windows-1252", "iso-8859-15", "windows-1250", "iso-8859-2", "windows-1251", "koi8-r", "koi8-u",
        "iso-8859-5", "windows-1253", "iso-8859-7",
    ]

    /// The Western European code pages.
    static let westernNames = ["windows-1252", "iso-8859-15"]

    /// The candidates' tables, built on first use.
    static let candidates: [SingleBytePage] = candidateNames.compactMap { SingleBytePage(name: $0) }

    /// Whether a detector's answer is a code page commonly used for its languages (the candidates). A rare
    /// one (IBM852, IBM855, IBM866, MAC-CYRILLIC, ISO-8859-13 ...) is weighed against them, never taken as is.
    static func isCommon(_ name: String) -> Bool { candidateNames.contains(name) }

    /// The table of `name`: a candidate's from the cache, another's built now; nil when iconv does not
    /// know the encoding or it is not a single-byte ASCII-compatible one.
    static func named(_ name: String) -> SingleBytePage? {
        if let page = candidates.first(where: { $0.name == name }) { return page }
        if let page = rare.first(where: { $0.name == name }) { return page }
        return SingleBytePage(name: name)
    }

    /// The other code pages libuchardet names, built once on first use.
    static let rare: [SingleBytePage] = [
        "ibm852", "ibm855", "ibm866", "mac-cyrillic", "mac-centraleurope", "iso-8859-3", "iso-8859-4",
        "iso-8859-9", "windows-1254", "iso-8859-10", "iso-8859-13", "windows-1257", "iso-8859-16",
        "iso-8859-6", "windows-1256", "iso-8859-8", "windows-1255", "tis-620", "iso-8859-11", "windows-1258",
        "viscii", "georgian-academy", "georgian-ps",
    ].compactMap { SingleBytePage(name: $0) }

    init?(name: String) {
        let cd = iconv_open("UTF-32LE", name.uppercased())
        if cd == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(cd) }
        var classes: [CharacterClass] = []
        var scalars: [UInt32] = []
        classes.reserveCapacity(256)
        scalars.reserveCapacity(256)
        for byte in 0..<256 {
            var input: [CChar] = [CChar(bitPattern: UInt8(byte))]
            var output = [UInt8](repeating: 0, count: 16)
            var inLeft = 1
            var outLeft = output.count
            let r = input.withUnsafeMutableBufferPointer { inBuf in
                output.withUnsafeMutableBufferPointer { outBuf in
                    var inPtr: UnsafeMutablePointer<CChar>? = inBuf.baseAddress
                    var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    return iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 ? errno : 0
                }
            }
            _ = iconv(cd, nil, nil, nil, nil)
            // A byte that starts a longer sequence: a multi-byte encoding, not a code page.
            if r == EINVAL { return nil }
            if r != 0 || outLeft != output.count - 4 {
                classes.append(.undefined)
                scalars.append(0)
                continue
            }
            let v = UInt32(output[0]) | UInt32(output[1]) << 8 | UInt32(output[2]) << 16 | UInt32(output[3]) << 24
            // Printable ASCII must stay itself (VISCII's letters in C0 are fine; EBCDIC is not ours to score).
            if byte >= 0x20 && byte < 0x7F && v != UInt32(byte) { return nil }
            classes.append(CharacterClass.of(v))
            scalars.append(v)
        }
        self.name = name
        self.classes = classes
        self.scalars = scalars
    }
}
