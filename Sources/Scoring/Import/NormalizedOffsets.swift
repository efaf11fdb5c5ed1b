// Maps code-point offsets of an annotator's raw text file to offsets of the text `quarry run` reads
// from it (Quarry's normalization: BOM dropped, CRLF/CR → LF, control characters removed, NFC), so that
// imported gold offsets match results.jsonl.
import DocumentModel
import TextAnalysis

/// A raw text file and its normalized text, with offsets mapped from one to the other.
public struct NormalizedOffsets: Sendable {
    /// The normalized text, as `quarry run` sees it.
    public let text: String
    /// The normalized text's code points, for slicing.
    public let scalars: [Unicode.Scalar]
    /// The raw file's code points (decoded as UTF-8), for checking annotators' texts.
    public let rawScalars: [Unicode.Scalar]
    /// What normalization changed (`converted 2 CRLF line ends to LF`); empty when offsets are unchanged.
    public let changes: [String]
    private let rawByteOffsets: [Int]
    private let sourceMap: SourceMap
    private let index: CodePointIndex

    /// Normalizes `bytes` (a UTF-8 text file) as Quarry's readers do.
    ///
    /// - Throws: `ScoringError` when the bytes are not text.
    public init(bytes: [UInt8], path: String) throws {
        let normalized: NormalizedText
        do {
            normalized = try Normalizer.normalize(bytes)
        } catch {
            throw ScoringError("not a text file: \(error)", file: path)
        }
        text = normalized.text
        scalars = Array(normalized.text.unicodeScalars)
        sourceMap = normalized.sourceMap
        index = CodePointIndex(normalized.text)
        changes = normalized.warnings
        var starts: [Int] = []
        starts.reserveCapacity(bytes.count + 1)
        for (i, b) in bytes.enumerated() where b & 0xC0 != 0x80 { starts.append(i) }
        starts.append(bytes.count)
        rawByteOffsets = starts
        rawScalars = Array(String(decoding: bytes, as: UTF8.self).unicodeScalars)
    }

    /// The number of code points of the raw file.
    public var rawCount: Int { rawByteOffsets.count - 1 }

    /// Whether normalization moved any offset.
    public var shiftsOffsets: Bool { !sourceMap.edits.isEmpty }

    /// The normalized code-point offset of raw code-point offset `offset` (0...rawCount).
    public func normalized(_ offset: Int) -> Int {
        guard shiftsOffsets else { return offset }
        let byte = rawByteOffsets[min(max(offset, 0), rawByteOffsets.count - 1)]
        let normalizedByte = min(sourceMap.normalizedOffset(ofOriginal: byte), text.utf8.count)
        return index.codePointOffset(normalizedByte)
    }

    /// The raw text at raw code-point offsets.
    public func rawSlice(_ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(rawScalars[max(0, start)..<min(end, rawScalars.count)]))
    }

    /// The normalized text at normalized code-point offsets.
    public func slice(_ start: Int, _ end: Int) -> String {
        String(String.UnicodeScalarView(scalars[max(0, start)..<min(end, scalars.count)]))
    }
}
