// Text overlap: how much of a reference text an extracted text holds, as multisets of word n-grams
// (`quarry score --pages`, the main-content figures of `make eval`). Words are `\w+` runs: letters,
// numbers and `_` (Unicode), case kept; precision, recall and F1 of one text against another.

/// Word n-gram comparison of an extracted text with a reference text.
public enum TextOverlap {
    /// Whether a scalar is a word character (`\w`: a letter, a number or `_`).
    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 {
            let v = s.value
            return (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x5F
        }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber,
            .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The `\w+` words of a text, in order.
    public static func words(_ text: String) -> [Substring] {
        var out: [Substring] = []
        let scalars = text.unicodeScalars
        var start: String.Index?
        var i = scalars.startIndex
        while i < scalars.endIndex {
            if isWordScalar(scalars[i]) {
                if start == nil { start = i }
            } else if let s = start {
                out.append(Substring(scalars[s..<i]))
                start = nil
            }
            i = scalars.index(after: i)
        }
        if let s = start { out.append(Substring(scalars[s..<scalars.endIndex])) }
        return out
    }

    /// The multiset of word n-grams of a text (each gram its words joined by a space).
    public static func grams(_ text: String, n: Int = 4) -> [String: Int] {
        precondition(n >= 1, "an n-gram has at least one word")
        let w = words(text)
        var grams: [String: Int] = [:]
        guard w.count >= n else { return grams }
        for i in 0...(w.count - n) { grams[w[i..<(i + n)].joined(separator: " "), default: 0] += 1 }
        return grams
    }

    /// Precision, recall and F1 of `extracted` against `reference` over word n-grams.
    public static func compare(extracted: String, reference: String, n: Int = 4) -> Figures {
        compare(extracted: grams(extracted, n: n), reference: grams(reference, n: n))
    }

    /// Precision, recall and F1 of two n-gram multisets.
    public static func compare(extracted: [String: Int], reference: [String: Int]) -> Figures {
        var common = 0
        let (small, large) = extracted.count <= reference.count ? (extracted, reference) : (reference, extracted)
        for (gram, count) in small { common += min(count, large[gram] ?? 0) }
        return Figures(
            extracted: extracted.values.reduce(0, +), reference: reference.values.reduce(0, +), common: common)
    }

    /// Counts of one comparison and the figures made from them.
    public struct Figures: Sendable, Hashable {
        /// n-grams in the extracted text, in the reference, and in both (multiset intersection).
        public var extracted: Int
        public var reference: Int
        public var common: Int

        public init(extracted: Int, reference: Int, common: Int) {
            self.extracted = extracted
            self.reference = reference
            self.common = common
        }

        /// common / extracted; 1 when nothing was extracted (nothing wrong was kept).
        public var precision: Double { extracted == 0 ? 1 : Double(common) / Double(extracted) }
        /// common / reference; 1 when the reference is empty (nothing to find).
        public var recall: Double { reference == 0 ? 1 : Double(common) / Double(reference) }
        /// The harmonic mean; 1 when both are empty, 0 when exactly one is.
        public var f1: Double {
            if extracted == 0 && reference == 0 { return 1 }
            if extracted == 0 || reference == 0 { return 0 }
            return 2 * Double(common) / Double(extracted + reference)
        }
    }
}
