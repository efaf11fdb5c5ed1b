// The DOCX reader: paragraphs with heading levels from their styles (Title, Heading 1–9, outline
// levels), list items from numbering, tables as rows and cells, text boxes, then footnotes and endnotes;
// headers and footers are left out. Core properties become metadata.

import CLibXML2
import DocumentModel

/// Reads `.docx` files.
struct DOCXReader: SingleDocumentReader {
    func readDocument(_ input: ReaderInput) throws -> Document {
        var package = try DOCXPackage(bytes: input.bytes, maxUnpacked: input.options.maxUnpackedBytes)
        guard let documentXML = try package.part("word/document.xml") else {
            throw ReaderError("a ZIP archive without word/document.xml: not a DOCX document")
        }
        var warnings: [String] = []
        var meta = Metadata()
        meta.encoding = "utf-8"
        if let core = try package.part("docProps/core.xml"), let part = try? XMLPart(core, name: "docProps/core.xml") {
            Self.coreProperties(part, into: &meta)
        }
        var styles = StyleTable()
        if let s = try package.part("word/styles.xml"), let part = try? XMLPart(s, name: "word/styles.xml") {
            styles = StyleTable(part)
        }
        let document = try XMLPart(documentXML, name: "word/document.xml")
        if document.recovered { warnings.append("word/document.xml is malformed; read what could be recovered") }
        guard let root = document.root, let body = XMLNode.child(root, "body") else {
            throw ReaderError("word/document.xml has no body")
        }
        var walker = BodyWalker(styles: styles, builder: BlockBuilder(capacity: documentXML.count / 4))
        walker.walk(body, part: "word/document.xml")
        for (file, element) in [("word/footnotes.xml", "footnote"), ("word/endnotes.xml", "endnote")] {
            guard let bytes = try package.part(file) else { continue }
            guard let notes = try? XMLPart(bytes, name: file), let r = notes.root else {
                warnings.append("\(file) is not well-formed XML; notes left out")
                continue
            }
            walker.notes(r, element: element, part: file)
        }
        var doc = walker.builder.finish(
            id: input.id, path: input.path, format: .docx, metadata: meta, warnings: warnings)
        if doc.metadata.title == nil,
            let t = doc.blocks.blocks.first(where: { $0.kind == .title || ($0.kind == .heading && $0.level == 1) })
        {
            doc.metadata.title = doc.text(of: t.range)
        }
        if doc.text.isEmpty { doc.warnings.append("the document has no text") }
        return doc
    }

    static func coreProperties(_ part: XMLPart, into meta: inout Metadata) {
        guard let root = part.root else { return }
        for child in XMLNode.children(root) {
            let value = TextCleaner.collapseSpace(XMLNode.text(child))
            guard !value.isEmpty else { continue }
            switch XMLNode.name(child) {
            case "title": meta.title = value
            case "creator": meta.authors = [value]
            case "created": meta.date = value
            case "modified": meta.extra["modified"] = .string(value)
            case "language": meta.language = value
            case "subject": meta.extra["subject"] = .string(value)
            case "description": meta.extra["description"] = .string(value)
            case "keywords": meta.extra["keywords"] = .string(value)
            case "lastModifiedBy": meta.extra["last_modified_by"] = .string(value)
            default: break
            }
        }
    }
}

/// Paragraph styles: which are titles and headings, and at what level.
struct StyleTable {
    var headingLevel: [String: Int] = [:]
    var titles: Set<String> = []

    init() {}

    init(_ part: XMLPart) {
        guard let root = part.root else { return }
        for style in XMLNode.children(root) where XMLNode.name(style) == "style" {
            guard let id = XMLNode.attribute(style, "styleId") else { continue }
            let name = XMLNode.child(style, "name").flatMap { XMLNode.attribute($0, "val") }?.lowercased() ?? ""
            if name == "title" { titles.insert(id); continue }
            if name.hasPrefix("heading "), let n = Int(name.dropFirst(8)), (1...9).contains(n) {
                headingLevel[id] = n; continue
            }
            if let ppr = XMLNode.child(style, "pPr"), let o = XMLNode.child(ppr, "outlineLvl"),
                let v = XMLNode.attribute(o, "val").flatMap(Int.init), v < 9
            {
                headingLevel[id] = v + 1
            }
        }
    }

    /// The kind and level of a paragraph style id (falls back on the usual ids when styles.xml is missing).
    func classify(_ styleID: String?) -> (BlockKind, Int)? {
        guard let id = styleID else { return nil }
        if titles.contains(id) || id.lowercased() == "title" { return (.title, 0) }
        if let n = headingLevel[id] { return (.heading, n) }
        let lower = id.lowercased()
        if lower.hasPrefix("heading"), let n = Int(lower.dropFirst(7)), (1...9).contains(n) { return (.heading, n) }
        return nil
    }
}

/// Walks a body (or notes) and emits blocks.
struct BodyWalker {
    let styles: StyleTable
    var builder: BlockBuilder
    private var inList = false

    init(styles: StyleTable, builder: BlockBuilder) {
        self.styles = styles
        self.builder = builder
    }

    /// Walks the body's children in order: paragraphs, tables, content controls.
    mutating func walk(_ body: xmlNodePtr, part: String) {
        var counts: [String: Int] = [:]
        // (node, path) in order; content controls are opened in place.
        var queue: [(xmlNodePtr, String)] = XMLNode.children(body).reversed().map { ($0, "") }
        while let (node, given) = queue.popLast() {
            let name = XMLNode.name(node)
            var path = given
            if path.isEmpty {
                counts[name, default: 0] += 1
                path = "\(part)#/w:body/w:\(name)[\(counts[name]!)]"
            }
            switch name {
            case "p": paragraph(node, path: path)
            case "tbl": closeList(); table(node, path: path)
            case "sdt", "customXml", "smartTag", "ins":
                let content = XMLNode.child(node, "sdtContent") ?? node
                for c in XMLNode.children(content).reversed() { queue.append((c, path + "/w:\(XMLNode.name(c))")) }
            default: break
            }
        }
        closeList()
    }

    /// Footnotes or endnotes, each a set of paragraphs, under a section at the end.
    mutating func notes(_ root: xmlNodePtr, element: String, part: String) {
        closeList()
        var opened = false
        for note in XMLNode.children(root) where XMLNode.name(note) == element {
            let type = XMLNode.attribute(note, "type") ?? ""
            if type == "separator" || type == "continuationSeparator" || type == "continuationNotice" { continue }
            let id = XMLNode.attribute(note, "id") ?? "?"
            if !opened { builder.openContainer(.section, source: .elementPath(part)); opened = true }
            for (k, p) in XMLNode.children(note).filter({ XMLNode.name($0) == "p" }).enumerated() {
                let (text, _) = Self.paragraphText(p)
                builder.addLeaf(
                    .paragraph, text: text, source: .elementPath("\(part)#/w:\(element)[@w:id=\(id)]/w:p[\(k + 1)]"))
            }
        }
        if opened { builder.closeContainer() }
    }

    private mutating func closeList() {
        if inList { builder.closeContainer(); inList = false }
    }

    private mutating func paragraph(_ p: xmlNodePtr, path: String) {
        let ppr = XMLNode.child(p, "pPr")
        let styleID = ppr.flatMap { XMLNode.child($0, "pStyle") }.flatMap { XMLNode.attribute($0, "val") }
        var level: Int?
        if let ppr, let numPr = XMLNode.child(ppr, "numPr") {
            let ilvl = XMLNode.child(numPr, "ilvl").flatMap { XMLNode.attribute($0, "val") }.flatMap(Int.init) ?? 0
            let numID = XMLNode.child(numPr, "numId").flatMap { XMLNode.attribute($0, "val") } ?? "0"
            if numID != "0" { level = ilvl + 1 }
        }
        let (text, boxes) = Self.paragraphText(p)
        if let kind = styles.classify(styleID) {
            closeList()
            builder.addLeaf(kind.0, level: kind.1, text: text, source: .elementPath(path))
        } else if let level {
            if !inList { builder.openContainer(.list, source: .elementPath(path)); inList = true }
            builder.addLeaf(.item, level: level, text: text, source: .elementPath(path))
        } else {
            closeList()
            var outline: Int?
            if let ppr, let o = XMLNode.child(ppr, "outlineLvl"), let v = XMLNode.attribute(o, "val").flatMap(Int.init),
                v < 9
            {
                outline = v + 1
            }
            builder.addLeaf(
                outline == nil ? .paragraph : .heading, level: outline ?? 0, text: text, source: .elementPath(path))
        }
        // Text boxes anchored in the paragraph follow it.
        for (k, box) in boxes.enumerated() {
            for (j, bp) in XMLNode.children(box).filter({ XMLNode.name($0) == "p" }).enumerated() {
                let (t, _) = Self.paragraphText(bp)
                builder.addLeaf(
                    .paragraph, text: t, source: .elementPath("\(path)/w:txbxContent[\(k + 1)]/w:p[\(j + 1)]"))
            }
        }
    }

    private mutating func table(_ tbl: xmlNodePtr, path: String) {
        builder.openContainer(.table, source: .elementPath(path))
        for (r, tr) in XMLNode.children(tbl).filter({ XMLNode.name($0) == "tr" }).enumerated() {
            let rowPath = "\(path)/w:tr[\(r + 1)]"
            builder.openContainer(.row, source: .elementPath(rowPath))
            for (c, tc) in XMLNode.children(tr).filter({ XMLNode.name($0) == "tc" }).enumerated() {
                // A cell's paragraphs (and any nested table's text) as one cell.
                var lines: [String] = []
                var stack: [xmlNodePtr] = XMLNode.children(tc).reversed()
                while let n = stack.popLast() {
                    if XMLNode.name(n) == "p" {
                        lines.append(Self.paragraphText(n).0)
                    } else {
                        stack.append(contentsOf: XMLNode.children(n).reversed())
                    }
                }
                builder.addLeaf(
                    .cell, text: lines.filter { !$0.isEmpty }.joined(separator: "\n"),
                    source: .elementPath("\(rowPath)/w:tc[\(c + 1)]"))
            }
            builder.closeContainer()
        }
        builder.closeContainer()
    }

    /// A paragraph's text (runs, tabs, breaks; deleted text and field codes left out) and its text boxes.
    static func paragraphText(_ p: xmlNodePtr) -> (String, [xmlNodePtr]) {
        var out = ""
        var boxes: [xmlNodePtr] = []
        var stack: [xmlNodePtr] = XMLNode.children(p).reversed()
        while let n = stack.popLast() {
            switch XMLNode.name(n) {
            case "t": out += XMLNode.text(n)
            case "tab", "ptab": out += "\t"
            case "br", "cr": out += "\n"
            case "noBreakHyphen": out += "\u{2011}"
            case "softHyphen": break
            case "delText", "instrText", "del", "pPr", "rPr", "fldData", "footnoteReference", "endnoteReference": break
            case "txbxContent": boxes.append(n)
            case "fallback", "Fallback": break  // mc:Fallback repeats mc:Choice's text boxes
            default: stack.append(contentsOf: XMLNode.children(n).reversed())
            }
        }
        return (out, boxes)
    }
}
