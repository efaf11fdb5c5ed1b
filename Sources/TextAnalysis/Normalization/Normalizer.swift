// The normalizer turns raw bytes into the model's normalized UTF-8 text and its source map:
// BOM dropped, CRLF/CR → LF, control characters removed, invalid UTF-8 replaced, NFC.

import DocumentModel

/// The normalized text of a document, with its source map and what normalization changed.
public struct NormalizedText: Sendable {
    /// The normalized text.
    public var text: String
    /// Maps normalized offsets back to the original bytes.
    public var sourceMap: SourceMap
    /// Human-readable notes about what was changed or repaired.
    public var warnings: [String]
    /// Counts of each change, keyed by a short name (`bom`, `crlf`, `cr`, `control`, `invalid_utf8`, `nfc`).
    public var changes: [String: Int]
}

/// Whether the eight bytes at `p` are all printable ASCII (0x20...0x7E): no byte below 0x20 (the
/// borrow trick), none above 0x7E (the carry trick). Exact about whether such a byte exists.
@inline(__always) func eightPrintableASCII(_ p: UnsafePointer<UInt8>) -> Bool {
    let x = UnsafeRawPointer(p).loadUnaligned(as: UInt64.self)
    let below = (x &- 0x2020_2020_2020_2020) & ~x & 0x8080_8080_8080_8080
    let above = ((x &+ 0x0101_0101_0101_0101) | x) & 0x8080_8080_8080_8080
    return below | above == 0
}

/// Normalizes raw bytes into the text every other stage works on.
///
/// The work is one pass over the bytes with an ASCII fast path; NFC is applied only to runs of
/// non-ASCII text that hold characters which may change under NFC.
public enum Normalizer {
    /// Normalizes `bytes`.
    ///
    /// - Parameter bytes: The original file contents, expected to be UTF-8.
    /// - Returns: The normalized text, its source map and warnings.
    /// - Throws: `TextAnalysisError.notText` when the bytes look binary.
    public static func normalize<C: Collection<UInt8>>(_ bytes: C) throws -> NormalizedText {
        if let r = try bytes.withContiguousStorageIfAvailable({ try normalize(buffer: $0) }) { return r }
        let a = Array(bytes)
        return try a.withUnsafeBufferPointer { try normalize(buffer: $0) }
    }

    /// Whether the first KiB of `buf` looks like binary data; returns the reason if so.
    static func binaryReason(_ buf: UnsafeBufferPointer<UInt8>) -> String? {
        let n = min(buf.count, 1024)
        guard n > 0, let base = buf.baseAddress else { return nil }
        var nul = 0, control = 0, invalid = 0
        var i = 0
        while i < n {
            // Eight printable ASCII bytes at a time (nothing to count in them).
            if i + 8 <= n && eightPrintableASCII(base + i) {
                i += 8
                continue
            }
            let b = buf[i]
            if b == 0 { nul += 1 } else if b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0D && b != 0x0C { control += 1 }
            if b >= 0x80 {
                let len = UTF8Decoder.validSequenceLength(buf, i)
                if len == 0 { invalid += 1; i += 1; continue }
                i += len
                continue
            }
            i += 1
        }
        if nul >= 2 || (nul == 1 && n < 64) { return "\(nul) NUL bytes in the first \(n) bytes" }
        if control * 10 > n { return "\(control) control bytes in the first \(n) bytes" }
        if invalid * 4 > n && n >= 16 { return "\(invalid) invalid UTF-8 bytes in the first \(n) bytes" }
        return nil
    }

    static func normalize(buffer buf: UnsafeBufferPointer<UInt8>) throws -> NormalizedText {
        if buf.count >= Int(UInt32.max) { throw TextAnalysisError.tooLarge(bytes: buf.count) }
        if let reason = binaryReason(buf) { throw TextAnalysisError.notText(reason: reason) }
        var out: [UInt8] = []
        out.reserveCapacity(buf.count)
        var lineStarts: [UInt32] = [0]
        lineStarts.reserveCapacity(buf.count / 40 + 1)
        var edits: [SourceMap.Edit] = []
        var bom = 0, crlf = 0, cr = 0, control = 0, invalid = 0, formFeeds = 0
        var mayNeedNFC = false
        let n = buf.count
        guard let base = buf.baseAddress else {
            return NormalizedText(
                text: "", sourceMap: SourceMap(originalLineStarts: [0], edits: []), warnings: [], changes: [:])
        }
        var i = 0
        if n >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF {
            i = 3
            bom = 1
            edits.append(.init(normalized: 0, original: 3, codePointDelta: 0))
        }
        while i < n {
            // ASCII fast path: copy a run of printable bytes, tabs and line feeds.
            let runStart = i
            while i < n {
                // Eight printable ASCII bytes (0x20...0x7E) at a time: no byte below 0x20, none above 0x7E.
                while i + 8 <= n && eightPrintableASCII(base + i) { i += 8 }
                guard i < n else { break }
                let b = buf[i]
                if b >= 0x20 && b < 0x7F { i += 1; continue }
                if b == 0x0A { i += 1; lineStarts.append(UInt32(i)); continue }
                if b == 0x09 { i += 1; continue }
                break
            }
            if i > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
            guard i < n else { break }
            let b = buf[i]
            if b == 0x0D {
                if i + 1 < n && buf[i + 1] == 0x0A {
                    crlf += 1
                    i += 1  // drop the CR; the LF is copied by the fast path
                    edits.append(.init(normalized: UInt32(out.count), original: UInt32(i), codePointDelta: 1))
                } else {
                    cr += 1
                    out.append(0x0A)
                    i += 1
                    lineStarts.append(UInt32(i))
                }
                continue
            }
            if b == 0x0C || b == 0x0B {
                formFeeds += 1  // page and vertical breaks become line breaks
                out.append(0x0A)
                i += 1
                continue
            }
            if b < 0x80 {
                control += 1  // NUL, other C0 controls, DEL: removed
                i += 1
                edits.append(.init(normalized: UInt32(out.count), original: UInt32(i), codePointDelta: 1))
                continue
            }
            let len = UTF8Decoder.validSequenceLength(buf, i)
            if len == 0 {
                invalid += 1
                out.append(0xEF); out.append(0xBF); out.append(0xBD)
                i += 1
                edits.append(.init(normalized: UInt32(out.count), original: UInt32(i), codePointDelta: 0))
                continue
            }
            if len == 2 && b == 0xC2 && buf[i + 1] < 0xA0 {
                control += 1  // C1 control U+0080–U+009F: removed
                i += 2
                edits.append(.init(normalized: UInt32(out.count), original: UInt32(i), codePointDelta: 1))
                continue
            }
            if len == 3 && b == 0xEF && buf[i + 1] == 0xBB && buf[i + 2] == 0xBF {
                control += 1  // a stray BOM / zero-width no-break space inside the text: removed
                i += 3
                edits.append(.init(normalized: UInt32(out.count), original: UInt32(i), codePointDelta: 1))
                continue
            }
            if !mayNeedNFC && UTF8Decoder.mayChangeUnderNFC(buf, i, len) { mayNeedNFC = true }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<(i + len)]))
            i += len
        }
        var nfc = 0
        if mayNeedNFC { nfc = applyNFC(&out, &edits) }

        var warnings: [String] = []
        var changes: [String: Int] = [:]
        func note(_ key: String, _ count: Int, _ text: String) {
            guard count > 0 else { return }
            changes[key] = count
            warnings.append(text)
        }
        note("bom", bom, "removed a byte-order mark")
        note("crlf", crlf, "converted \(crlf) CRLF line ends to LF")
        note("cr", cr, "converted \(cr) CR line ends to LF")
        note("form_feed", formFeeds, "converted \(formFeeds) form feeds or vertical tabs to LF")
        note("control", control, "removed \(control) control characters")
        note("invalid_utf8", invalid, "replaced \(invalid) invalid UTF-8 bytes with U+FFFD")
        note("nfc", nfc, "applied NFC to \(nfc) runs of text")
        let text = String(decoding: out, as: UTF8.self)
        return NormalizedText(
            text: text, sourceMap: SourceMap(originalLineStarts: lineStarts, edits: edits),
            warnings: warnings, changes: changes)
    }

    /// Applies NFC to every run of non-ASCII text (with the ASCII character before it) that may change.
    ///
    /// Splitting before ASCII characters is safe: they are starters and never the second part of a
    /// canonical composition. Returns how many runs changed; shifts `edits` to the new offsets.
    static func applyNFC(_ out: inout [UInt8], _ edits: inout [SourceMap.Edit]) -> Int {
        var result: [UInt8] = []
        result.reserveCapacity(out.count + 16)
        // (old offset where the shift starts, cumulative shift) pairs
        var shifts: [(at: Int, shift: Int, origDeltaCP: Int)] = []
        var changed = 0
        var i = 0
        let n = out.count
        var shift = 0
        out.withUnsafeBufferPointer { buf in
            while i < n {
                // copy ASCII up to the byte before the next non-ASCII run
                var j = i
                while j < n && buf[j] < 0x80 { j += 1 }
                if j == n { result.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<n])); i = n; break }
                let segStart = j > i ? j - 1 : j
                result.append(contentsOf: UnsafeBufferPointer(rebasing: buf[i..<segStart]))
                var k = j
                while k < n && buf[k] >= 0x80 { k += 1 }
                let seg = UnsafeBufferPointer(rebasing: buf[segStart..<k])
                var suspicious = false
                var p = 0
                while p < seg.count {
                    let len = max(UTF8Decoder.validSequenceLength(seg, p), 1)
                    if UTF8Decoder.mayChangeUnderNFC(seg, p, len) { suspicious = true; break }
                    p += len
                }
                if suspicious {
                    let s = String(decoding: seg, as: UTF8.self)
                    let normalized = Array(s._nfcCodeUnits)
                    if !normalized.elementsEqual(seg) {
                        changed += 1
                        result.append(contentsOf: normalized)
                        let oldCP = s.unicodeScalars.count
                        let newCP = String(decoding: normalized, as: UTF8.self).unicodeScalars.count
                        shift += normalized.count - seg.count
                        shifts.append((at: k, shift: shift, origDeltaCP: oldCP - newCP))
                        i = k
                        continue
                    }
                }
                result.append(contentsOf: seg)
                i = k
            }
        }
        guard changed > 0 else { return 0 }
        // Map each old edit to the new coordinates, then add one anchor after each changed run.
        func newOffset(_ old: Int) -> Int {
            var lo = 0, hi = shifts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if shifts[mid].at <= old { lo = mid + 1 } else { hi = mid }
            }
            return lo == 0 ? old : old + shifts[lo - 1].shift
        }
        let oldMap = SourceMap(edits: edits)
        var merged: [SourceMap.Edit] = edits.map {
            .init(
                normalized: UInt32(newOffset(Int($0.normalized))), original: $0.original,
                codePointDelta: $0.codePointDelta)
        }
        for s in shifts {
            merged.append(
                .init(
                    normalized: UInt32(s.at + s.shift), original: UInt32(oldMap.originalOffset(s.at)),
                    codePointDelta: Int32(s.origDeltaCP)))
        }
        merged.sort { $0.normalized != $1.normalized ? $0.normalized < $1.normalized : $0.original < $1.original }
        edits = merged
        out = result
        return changed
    }
}
