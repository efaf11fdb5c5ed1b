// TermCounter: the counting behind `doc:frequencies` — each token's normalized form counted through an
// open-addressing table over one byte store, then ranked (count, then bytes).
#if canImport(Glibc)
    import Glibc
#endif
import DocumentModel

/// Counts the normalized forms of tokens. `store` holds the text with ASCII letters lower-cased (the
/// norm of an ASCII token is its own bytes there), followed by the norms of the other tokens; a term is
/// a stretch of `store`, found again through an open-addressing table keyed by its bytes.
struct TermCounter {
    struct Term {
        var start: UInt32
        var length: UInt32
        var count: UInt32
        /// The first eight bytes, big-endian, zero-padded: orders most terms without a memcmp.
        var prefix: UInt64
    }

    private(set) var store: [UInt8] = []
    private(set) var terms: [Term] = []
    private(set) var total = 0
    private var slots: [Int32]
    private var mask: Int

    init(capacity tokens: Int) {
        var size = 64
        while size < tokens * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Counts the tokens of the given kinds (bits of TokenKind raw values).
    mutating func count(_ tokens: TokenTable, text: UnsafeBufferPointer<UInt8>, kinds: UInt32) {
        var asciiText = true
        store = [UInt8](unsafeUninitializedCapacity: text.count + 256) { buffer, initialized in
            for k in 0..<text.count {
                let b = text[k]
                if b >= 0x80 { asciiText = false }
                buffer[k] = b &+ ((b &- 65) < 26 ? 32 : 0)
            }
            initialized = text.count
        }
        var nextNorm = 0  // the stored norms are in token order
        let normIndexes = tokens.normIndexes
        tokens.kinds.withUnsafeBufferPointer { kindColumn in
            tokens.starts.withUnsafeBufferPointer { starts in
                tokens.ends.withUnsafeBufferPointer { ends in
                    for i in 0..<kindColumn.count {
                        guard kinds & (1 << UInt32(kindColumn[i].rawValue)) != 0 else { continue }
                        total += 1
                        while nextNorm < normIndexes.count && Int(normIndexes[nextNorm]) < i { nextNorm += 1 }
                        let start = Int(starts[i]), end = Int(ends[i])
                        if nextNorm < normIndexes.count && Int(normIndexes[nextNorm]) == i {
                            add(appending: tokens.normValues[nextNorm])
                        } else if !asciiText && text[start..<end].contains(where: { $0 >= 0x80 }) {
                            add(
                                appending: String(
                                    decoding: UnsafeBufferPointer(rebasing: text[start..<end]), as: UTF8.self
                                ).lowercased())
                        } else {
                            add(start: start, length: end - start)
                        }
                    }
                }
            }
        }
    }

    /// Counts a norm that is not a stretch of the text: its bytes go to the end of the store, and are
    /// dropped again when the term is already known.
    private mutating func add(appending norm: String) {
        let begin = store.count
        store.append(contentsOf: norm.utf8)
        if !add(start: begin, length: store.count - begin) { store.removeLast(store.count - begin) }
    }

    /// Counts the term at `store[start ..< start + length]`; returns whether it is new.
    @discardableResult
    private mutating func add(start: Int, length: Int) -> Bool {
        let (hash, prefix) = store.withUnsafeBufferPointer { TermCounter.hash($0.baseAddress! + start, length) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 {
                slots[slot] = Int32(terms.count)
                terms.append(Term(start: UInt32(start), length: UInt32(length), count: 1, prefix: prefix))
                return true
            }
            let term = terms[index]
            if term.prefix == prefix && Int(term.length) == length
                && (length <= 8 || equal(Int(term.start), start, length))
            {
                terms[index].count += 1
                return false
            }
            slot = (slot + 1) & mask
        }
    }

    /// A hash of the bytes (eight at a time) and their first eight bytes as a big-endian number.
    private static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> (UInt64, UInt64) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        var prefix: UInt64 = 0
        var k = 0
        while k < length {
            var chunk: UInt64 = 0
            let n = min(8, length - k)
            for j in 0..<n { chunk |= UInt64(p[k + j]) << UInt64(56 - 8 * j) }
            if k == 0 { prefix = chunk }
            h = (h ^ chunk) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            k += 8
        }
        return (h ^ (h >> 29), prefix)
    }

    private func equal(_ a: Int, _ b: Int, _ length: Int) -> Bool {
        store.withUnsafeBufferPointer { memcmp($0.baseAddress! + a, $0.baseAddress! + b, length) == 0 }
    }

    /// The terms at least `minLength` bytes long (and starting with a letter when `letters`), by count
    /// (descending), then by their bytes.
    func ranked(minLength: Int, letters: Bool) -> [Term] {
        var kept = terms.filter { Int($0.length) >= minLength && (!letters || startsWithLetter($0)) }
        store.withUnsafeBufferPointer { bytes in
            kept.sort { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let shorter = Int(min(a.length, b.length))
                if shorter > 8 {
                    let c = memcmp(
                        bytes.baseAddress! + Int(a.start) + 8, bytes.baseAddress! + Int(b.start) + 8, shorter - 8)
                    if c != 0 { return c < 0 }
                }
                return a.length < b.length
            }
        }
        return kept
    }

    private func startsWithLetter(_ term: Term) -> Bool {
        guard term.length > 0 else { return false }
        let first = store[Int(term.start)]
        if first < 0x80 { return (first | 0x20) &- 97 < 26 }
        let end = Int(term.start + term.length)
        let scalar = String(decoding: store[Int(term.start)..<end], as: UTF8.self).unicodeScalars.first
        return scalar?.properties.isAlphabetic ?? false
    }
}
