// The Markdown reader: cmark-gfm (CommonMark with GitHub tables, strikethrough and autolinks) parses the
// file; its node tree becomes headings, paragraphs, lists and items, block quotes, tables and code, each
// with the line:column where it starts. YAML front matter goes into metadata.

import CCmarkGFM
import DocumentModel
import Foundation

/// Reads `.md` files.
struct MarkdownReader: SingleDocumentReader {
    /// Registers cmark-gfm's extensions once, before any thread parses.
    static let extensionsRegistered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    func readDocument(_ input: ReaderInput) throws -> Document {
        let decoded = TextDecoder.decode(input.bytes)
        var bytes = decoded.bytes
        var warnings = decoded.warnings
        var meta = Metadata()
        meta.encoding = decoded.encoding
        if let front = FrontMatter.split(bytes) {
            if let warning = FrontMatter.apply(front.yaml, to: &meta) { warnings.append(warning) }
            // Blank the block out, keeping its line breaks so that positions stay those of the file.
            for i in front.range where bytes[i] != 0x0A { bytes[i] = 0x20 }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes[0] = 0x20; bytes[1] = 0x20; bytes[2] = 0x20 }
        var builder = BlockBuilder(capacity: bytes.count)
        try Self.parse(bytes, into: &builder)
        var doc = builder.finish(id: input.id, path: input.path, format: .md, metadata: meta, warnings: warnings)
        if doc.metadata.title == nil,
            let h = doc.blocks.blocks.first(where: { $0.kind == .heading && $0.level == 1 })
        {
            doc.metadata.title = doc.text(of: h.range)
        }
        return doc
    }

    /// Parses with cmark-gfm and walks the node tree (iteratively, with cmark's own iterator).
    static func parse(_ bytes: [UInt8], into builder: inout BlockBuilder) throws {
        _ = extensionsRegistered
        guard let parser = cmark_parser_new(CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES) else {
            throw ReaderError("cannot create the Markdown parser")
        }
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink", "tasklist"] {
            if let ext = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, ext) }
        }
        bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buf.count) { cmark_parser_feed(parser, $0, buf.count) }
            }
        }
        guard let root = cmark_parser_finish(parser) else { throw ReaderError("the Markdown parser failed") }
        defer { cmark_node_free(root) }
        let lines = LineIndex(bytes)
        guard let iter = cmark_iter_new(root) else { throw ReaderError("the Markdown parser failed") }
        defer { cmark_iter_free(iter) }

        var text: [UInt8] = []
        var leaf: (kind: BlockKind, level: Int, source: SourceLocation)?
        var listDepth = 0
        var itemFirstParagraph: [Bool] = []  // per open item: its first paragraph is the item's text
        func location(_ node: OpaquePointer) -> SourceLocation {
            let line = Int(cmark_node_get_start_line(node))
            let column = Int(cmark_node_get_start_column(node))
            return .lineColumn(line: line, column: lines.codePointColumn(line: line, byteColumn: column))
        }
        func startLeaf(_ kind: BlockKind, _ level: Int, _ node: OpaquePointer) {
            text.removeAll(keepingCapacity: true)
            leaf = (kind, level, location(node))
        }
        func endLeaf() {
            guard let l = leaf else { return }
            builder.addLeaf(l.kind, level: l.level, text: String(decoding: text, as: UTF8.self), source: l.source)
            leaf = nil
        }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iter) else { continue }
            let entering = event == CMARK_EVENT_ENTER
            let type = cmark_node_get_type(node)
            let typeName = String(cString: cmark_node_get_type_string(node))
            switch typeName {
            case "document":
                break
            case "heading":
                if entering { startLeaf(.heading, Int(cmark_node_get_heading_level(node)), node) } else { endLeaf() }
            case "paragraph":
                if entering {
                    if let last = itemFirstParagraph.last, last {
                        itemFirstParagraph[itemFirstParagraph.count - 1] = false
                        startLeaf(.item, listDepth, node)
                    } else {
                        startLeaf(.paragraph, 0, node)
                    }
                } else {
                    endLeaf()
                }
            case "block_quote":
                if entering {
                    builder.openContainer(.blockquote, source: location(node))
                } else {
                    builder.closeContainer()
                }
            case "list":
                if entering {
                    listDepth += 1
                    builder.openContainer(.list, level: listDepth, source: location(node))
                } else {
                    listDepth -= 1
                    builder.closeContainer()
                }
            case "item":
                if entering { itemFirstParagraph.append(true) } else { itemFirstParagraph.removeLast() }
            case "code_block":
                if entering, let literal = cmark_node_get_literal(node) {
                    builder.addLeaf(.code, text: String(cString: literal), source: location(node), preserveSpace: true)
                }
            case "table":
                if entering { builder.openContainer(.table, source: location(node)) } else { builder.closeContainer() }
            case "table_row", "table_header":
                if entering { builder.openContainer(.row, source: location(node)) } else { builder.closeContainer() }
            case "table_cell":
                if entering { startLeaf(.cell, 0, node) } else { endLeaf() }
            case "text", "code":
                if leaf != nil, let literal = cmark_node_get_literal(node) {
                    text.append(
                        contentsOf: UnsafeBufferPointer(
                            start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal)
                        ))
                }
            case "softbreak":
                if leaf != nil { text.append(0x20) }
            case "linebreak":
                if leaf != nil { text.append(0x0A) }
            default:
                _ = type
            }
        }
        endLeaf()
    }
}

/// Line starts of a byte buffer, to turn cmark's byte columns into code-point columns.
struct LineIndex {
    let bytes: [UInt8]
    let starts: [Int]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var s = [0]
        for (i, b) in bytes.enumerated() where b == 0x0A { s.append(i + 1) }
        starts = s
    }

    /// The 1-based code-point column of 1-based byte column `byteColumn` on 1-based `line`.
    func codePointColumn(line: Int, byteColumn: Int) -> Int {
        guard line >= 1 && line <= starts.count && byteColumn >= 1 else { return max(byteColumn, 1) }
        let start = starts[line - 1]
        let end = min(start + byteColumn - 1, bytes.count)
        var count = 0
        var i = start
        while i < end {
            if bytes[i] & 0xC0 != 0x80 { count += 1 }
            i += 1
        }
        return count + 1
    }
}
