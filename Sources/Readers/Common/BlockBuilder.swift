// BlockBuilder: how structured readers (Markdown, HTML, DOCX, PDF, records) build the normalized text
// and its block tree together, with a source location per block, before handing both to the Analyzer.

import DocumentModel
import TextAnalysis

/// Accumulates normalized text, a pre-order block tree and source locations.
///
/// Containers (`list`, `table`, `row`, `blockquote`, `section`) are opened and closed around their
/// children; leaves carry text. Leaf text is cleaned (controls removed, line ends unified, NFC) and
/// trimmed; empty leaves and containers left empty are dropped. Leaves are separated by a blank line,
/// list items and rows by a line break, cells of one row by a tab.
struct BlockBuilder {
    private(set) var bytes: [UInt8] = []
    private(set) var blocks: [Block] = []
    private(set) var locations: [Int: SourceLocation] = [:]
    /// Indexes of the open containers, innermost last.
    private var open: [Int] = []
    /// Open containers that have no child yet (their start is still unknown).
    private var unstarted: [Int] = []
    private var lastLeafKind: BlockKind?
    private var lastLeafParent: Int = -2
    private static let unset = UInt32.max

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// The number of open containers.
    var depth: Int { open.count }

    /// Whether any text has been added.
    var isEmpty: Bool { bytes.isEmpty }

    /// Opens a container block; its range is known when it is closed.
    mutating func openContainer(_ kind: BlockKind, level: Int = 0, source: SourceLocation? = nil) {
        let index = blocks.count
        blocks.append(
            Block(
                kind: kind, level: level, range: TextRange(Int(Self.unset), Int(Self.unset)),
                parent: open.last ?? -1))
        if let source { locations[index] = source }
        open.append(index)
        unstarted.append(index)
    }

    /// Closes the innermost open container; drops it when nothing was added inside.
    mutating func closeContainer() {
        guard let index = open.popLast() else { return }
        if blocks[index].range.start == Self.unset {
            // Empty: it is the last block (nothing was added after it), so it can simply go.
            if let u = unstarted.lastIndex(of: index) { unstarted.remove(at: u) }
            if index == blocks.count - 1 {
                blocks.removeLast()
                locations[index] = nil
            } else {
                blocks[index].range = TextRange(bytes.count, bytes.count)
            }
            return
        }
        blocks[index].range = TextRange(Int(blocks[index].range.start), bytes.count)
    }

    /// Closes every open container.
    mutating func closeAll() {
        while !open.isEmpty { closeContainer() }
    }

    /// Adds a leaf block with `text` (cleaned and trimmed here; nothing is added when it is empty).
    ///
    /// - Parameters:
    ///   - preserveSpace: Keep inner spacing as is (code); otherwise runs of spaces and tabs stay but
    ///     lines are trimmed at their ends.
    mutating func addLeaf(
        _ kind: BlockKind, level: Int = 0, text: String, source: SourceLocation? = nil,
        preserveSpace: Bool = false
    ) {
        let cleaned = TextCleaner.clean(text, preserveSpace: preserveSpace)
        guard !cleaned.isEmpty else { return }
        let parent = open.last ?? -1
        if !bytes.isEmpty {
            if kind == .cell && lastLeafKind == .cell && lastLeafParent == parent {
                bytes.append(0x09)
            } else if let last = lastLeafKind, (kind == .item && last == .item) || (kind == .cell && last == .cell) {
                bytes.append(0x0A)
            } else {
                bytes.append(0x0A); bytes.append(0x0A)
            }
        }
        let start = bytes.count
        bytes.append(contentsOf: cleaned.utf8)
        for u in unstarted { blocks[u].range = TextRange(start, Int(Self.unset)) }
        unstarted.removeAll(keepingCapacity: true)
        let index = blocks.count
        blocks.append(Block(kind: kind, level: level, range: TextRange(start, bytes.count), parent: parent))
        if let source { locations[index] = source }
        lastLeafKind = kind
        lastLeafParent = parent
    }

    /// Closes what is open and analyses the text: tokens, sentences, quotations.
    mutating func finish(
        id: String, path: String, format: DocumentFormat, metadata: Metadata,
        warnings: [String]
    ) -> Document {
        closeAll()
        // Containers still marked unstarted hold nothing; give them an empty range at the end.
        for i in blocks.indices where blocks[i].range.start == Self.unset {
            blocks[i].range = TextRange(bytes.count, bytes.count)
        }
        var meta = metadata
        if meta.format == nil { meta.format = format.rawValue }
        let text = String(decoding: bytes, as: UTF8.self)
        return Analyzer.analyze(
            normalizedText: text, blocks: BlockTree(blocks), id: id, path: path,
            format: format.rawValue, metadata: meta,
            sourceMap: SourceMap(blockLocations: locations), warnings: warnings)
    }
}

/// Cleans text for the model: no control characters, LF line ends, NFC, trimmed.
enum TextCleaner {
    /// Cleans `text`: CRLF/CR → LF, controls (but tab and LF) and stray BOMs removed, NFC, lines trimmed
    /// at the end, leading and trailing blank space removed.
    static func clean(_ text: String, preserveSpace: Bool = false) -> String {
        var needsWork = false
        var ascii = true
        for b in text.utf8 {
            if b >= 0x80 { ascii = false; needsWork = true; break }
            if b < 0x20 && b != 0x0A && b != 0x09 { needsWork = true; break }
            if b == 0x7F { needsWork = true; break }
        }
        var s = text
        if needsWork {
            // Byte-level: drop C0/C1 controls, DEL and stray BOMs, unify line ends; NFC only when a
            // character that might change under it is present.
            var out: [UInt8] = []
            out.reserveCapacity(text.utf8.count)
            var mayNeedNFC = false
            var prevCR = false
            let u = Array(text.utf8)
            var i = 0
            while i < u.count {
                let b = u[i]
                if b < 0x80 {
                    if b == 0x0D { out.append(0x0A); prevCR = true; i += 1; continue }
                    if b == 0x0A && prevCR { prevCR = false; i += 1; continue }
                    prevCR = false
                    if b >= 0x20 && b != 0x7F || b == 0x0A || b == 0x09 { out.append(b) }
                    i += 1
                    continue
                }
                prevCR = false
                let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                let end = min(i + len, u.count)
                if b == 0xC2 && i + 1 < u.count && u[i + 1] < 0xA0 { i += 2; continue }  // C1 control
                if b == 0xEF && end - i == 3 && u[i + 1] == 0xBB && u[i + 2] == 0xBF { i += 3; continue }  // BOM
                if b == 0xE2 && end - i == 3 && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9) {
                    out.append(0x0A); i += 3; continue  // line and paragraph separators
                }
                if !mayNeedNFC {
                    // Latin-1 and Latin Extended (below U+0300) and General Punctuation never change.
                    let safe = b < 0xCC || (b == 0xE2 && end - i == 3 && u[i + 1] >= 0x80 && u[i + 1] <= 0x81)
                    if !safe { mayNeedNFC = true }
                }
                out.append(contentsOf: u[i..<end])
                i = end
            }
            s = String(decoding: out, as: UTF8.self)
            if !ascii && mayNeedNFC { s = String(decoding: Array(s._nfcCodeUnits), as: UTF8.self) }
        }
        return preserveSpace ? trimBlankLines(s) : trimLines(s)
    }

    /// Trims spaces and tabs at the end of every line and blank space around the whole text.
    static func trimLines(_ s: String) -> String {
        let u = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(u.count)
        var lineStart = 0
        for b in u {
            if b == 0x0A {
                while out.count > lineStart, out.last == 0x20 || out.last == 0x09 { out.removeLast() }
                out.append(0x0A)
                lineStart = out.count
            } else {
                out.append(b)
            }
        }
        while out.count > lineStart, out.last == 0x20 || out.last == 0x09 { out.removeLast() }
        var a = 0, e = out.count
        while a < e, isSpace(out[a]) { a += 1 }
        while e > a, isSpace(out[e - 1]) { e -= 1 }
        return String(decoding: out[a..<e], as: UTF8.self)
    }

    /// Removes leading and trailing blank lines (code keeps its indentation).
    static func trimBlankLines(_ s: String) -> String {
        let u = Array(s.utf8)
        var a = 0, e = u.count
        // drop whole blank lines at the start
        var i = 0
        while i < e {
            var j = i
            while j < e, u[j] == 0x20 || u[j] == 0x09 { j += 1 }
            if j < e, u[j] == 0x0A { i = j + 1; a = i } else { break }
        }
        while e > a, isSpace(u[e - 1]) { e -= 1 }
        return String(decoding: u[a..<e], as: UTF8.self)
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    /// Collapses every run of white space (including line breaks) into one space, trimmed.
    static func collapseSpace(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for b in s.utf8 {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
