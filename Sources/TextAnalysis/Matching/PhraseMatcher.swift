// PhraseMatcher: finds thousands of phrases in a document in one pass over its tokens.
// Phrases are tokenized like documents; a trie over token keys gives leftmost-longest matches,
// so the cost per token does not grow with the number of phrases.
import DocumentModel
import Foundation

/// A compiled list of phrases, matched on token boundaries.
///
/// Matching is case- and accent-sensitive unless asked otherwise; typographic apostrophes,
/// quotes and dashes always match their plain forms. Matches don't overlap: at each token the
/// longest phrase wins, then matching goes on after it.
public struct PhraseMatcher: Sendable {
    /// One match: the tokens it covers and the phrases (indexes into `phrases`) it stands for.
    public struct Match: Sendable, Equatable {
        /// Token indexes, half-open.
        public var tokens: Range<Int>
        /// The byte range in the document's text.
        public var range: TextRange
        /// The first phrase with this normalized form (others in `alternatives`).
        public var phrase: Int
        /// Other phrases that normalize to the same tokens, in the order given.
        public var alternatives: [Int]
    }

    /// The phrases as given.
    public let phrases: [String]
    /// Whether letter case must match.
    public let caseSensitive: Bool
    /// Whether accents must match (`false`: "Zurich" finds "Zürich").
    public let accentSensitive: Bool

    /// Token keys (hashed) to their ids.
    private var vocabulary = IDTable()
    /// Trie edges: (node << 32 | token id) to the next node.
    private var edges = IDTable()
    /// The phrases ending at each node (an index into `terminalLists`, -1 for none), by node.
    private var terminalOf: [Int32] = [-1]
    private var terminalLists: [[Int]] = []
    private var nodeCount: Int32 = 1
    /// The most tokens any phrase has.
    public private(set) var longestPhrase = 0

    /// Compiles phrases. Empty phrases (no tokens) are skipped.
    /// - Parameter checkpoint: called every 4,096 phrases; what it throws stops the compilation (a
    ///   caller's time limit).
    public init(
        _ phrases: [String], caseSensitive: Bool = true, accentSensitive: Bool = true,
        checkpoint: () throws -> Void = {}
    ) rethrows {
        self.phrases = phrases
        self.caseSensitive = caseSensitive
        self.accentSensitive = accentSensitive
        for (index, phrase) in phrases.enumerated() {
            if index & 0xFFF == 0xFFF { try checkpoint() }
            let table = Tokenizer.tokenize(phrase)
            guard table.count > 0 else { continue }
            var node: Int32 = 0
            for t in 0..<table.count {
                let key = PhraseMatcher.hash(self.key(table, t, in: phrase).utf8)
                let id: Int32
                if let known = vocabulary[key] {
                    id = known
                } else {
                    id = Int32(vocabulary.count)
                    vocabulary.insert(key, id)
                }
                let edge = UInt64(UInt32(node)) << 32 | UInt64(UInt32(id))
                if let next = edges[edge] {
                    node = next
                } else {
                    edges.insert(edge, nodeCount)
                    node = nodeCount
                    nodeCount += 1
                    terminalOf.append(-1)
                }
            }
            if terminalOf[Int(node)] < 0 {
                terminalOf[Int(node)] = Int32(terminalLists.count)
                terminalLists.append([])
            }
            terminalLists[Int(terminalOf[Int(node)])].append(index)
            longestPhrase = max(longestPhrase, table.count)
        }
    }

    /// The key a token is matched by: its normalized text, folded as the matcher asks.
    func key(_ table: TokenTable, _ i: Int, in text: String) -> String {
        var key =
            caseSensitive
            ? PhraseMatcher.unifyTypography(TextSlice.slice(text, table.range(i))) : table.norm(i, in: text)
        if !accentSensitive, key.utf8.contains(where: { $0 >= 0x80 }) {
            key = key.folding(options: [.diacriticInsensitive], locale: nil)
        }
        return key
    }

    /// FNV-1a over a key's bytes: the vocabulary's key.
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 { StableHash.fnv1a(bytes) }

    static func unifyTypography(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x80 }) else { return s }
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\u{2018}", "\u{2019}", "\u{201B}", "\u{2032}": out.append("'")
            case "\u{201C}", "\u{201D}", "\u{201E}", "\u{2033}": out.append("\"")
            case "\u{2010}", "\u{2011}", "\u{2012}", "\u{2013}", "\u{2014}", "\u{2212}": out.append("-")
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// Every match in a document, in text order.
    public func matches(in document: Document) -> [Match] {
        matches(tokens: document.tokens, text: document.text)
    }

    /// Every match over a token table of `text`.
    public func matches(tokens: TokenTable, text: String) -> [Match] {
        let count = tokens.count
        guard count > 0, !terminalLists.isEmpty else { return [] }
        // Map each token to its vocabulary id once (-1: in no phrase). ASCII tokens are hashed
        // straight from the text's bytes; others go through their normalized string.
        var ids = [Int32](repeating: -1, count: count)
        var buffer = text
        buffer.withUTF8 { bytes in
            for i in 0..<count {
                let start = Int(tokens.starts[i])
                let end = Int(tokens.ends[i])
                var ascii = true
                var h: UInt64 = StableHash.offsetBasis
                for p in start..<end {
                    var b = bytes[p]
                    if b >= 0x80 {
                        ascii = false
                        break
                    }
                    if !caseSensitive, b >= 0x41, b <= 0x5A { b |= 0x20 }
                    h = (h ^ UInt64(b)) &* StableHash.prime
                }
                if !ascii { h = PhraseMatcher.hash(key(tokens, i, in: text).utf8) }
                if let id = vocabulary[h] { ids[i] = id }
            }
        }
        var results: [Match] = []
        var i = 0
        while i < count {
            var node: Int32 = 0
            var best: (end: Int, node: Int32)?
            var j = i
            while j < count, ids[j] >= 0, let next = edges[UInt64(UInt32(node)) << 32 | UInt64(UInt32(ids[j]))] {
                node = next
                j += 1
                if terminalOf[Int(node)] >= 0 { best = (j, node) }
            }
            if let best {
                let found = terminalLists[Int(terminalOf[Int(best.node)])]
                let range = TextRange(start: tokens.starts[i], end: tokens.ends[best.end - 1])
                results.append(
                    Match(tokens: i..<best.end, range: range, phrase: found[0], alternatives: Array(found.dropFirst())))
                i = best.end
            } else {
                i += 1
            }
        }
        return results
    }
}

/// UInt64 keys to Int32 values: open addressing with linear probing, for the matcher's lookups at
/// every token (a Dictionary would hash each key with SipHash; these keys are hashes already).
struct IDTable: Sendable {
    private var keys: [UInt64] = Array(repeating: 0, count: 16)
    private var values: [Int32] = Array(repeating: -1, count: 16)
    private var shift: UInt64 = 60  // 64 - log2(capacity)
    private(set) var count = 0

    private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    subscript(key: UInt64) -> Int32? {
        var i = slot(key)
        let mask = keys.count - 1
        while values[i] >= 0 {
            if keys[i] == key { return values[i] }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Adds a key that is not in the table yet.
    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        var i = slot(key)
        let mask = keys.count - 1
        while values[i] >= 0 { i = (i + 1) & mask }
        keys[i] = key
        values[i] = value
        count += 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: -1, count: oldKeys.count * 2)
        shift -= 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where value >= 0 { insert(key, value) }
    }
}
