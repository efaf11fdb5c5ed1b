// Turns the kept part of an HTMLDOM into blocks: headings, paragraphs, lists and items, block quotes,
// code, tables with rows and cells, captions. Inline text is gathered with collapsed white space; <br>
// breaks lines. Every block records the element path it came from.

import DocumentModel

/// Emits blocks from DOM nodes into a `BlockBuilder`.
struct HTMLBlockEmitter {
    /// Elements that start a new block (everything else is inline).
    static let blockTags: Set<String> = [
        "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "h1", "h2", "h3", "h4", "h5",
        "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr", "td",
        "th", "figure", "figcaption", "caption", "hr", "address", "center", "details", "summary", "fieldset",
        "legend", "body", "html", "menu", "form", "hgroup", "picture", "listing", "xmp", "plaintext",
    ]

    private enum Role {
        case leaf(BlockKind, level: Int)
        case container(BlockKind)
        case generic
    }

    private struct Frame {
        var node: Int32
        var role: Role
        var buffer: [UInt8] = []
        var preformatted: Bool
        var pendingSpace = false
        /// Bytes of `buffer` that came from inside links.
        var linkBytes = 0
    }

    private var dom: HTMLDOM
    private var builder: BlockBuilder
    private var frames: [Frame] = []
    private var linkDepth = 0
    /// Main-content mode: drop link lists ("Read more: ...", "Print | Email"), furniture lines (button
    /// labels, copyright and newsletter lines) and repeats of short blocks already emitted.
    var dropLinkParagraphs = false
    private var seenBlocks: Set<String> = []

    init(dom: HTMLDOM, builder: BlockBuilder) {
        self.dom = dom
        self.builder = builder
    }

    /// The builder with everything emitted.
    var result: BlockBuilder { builder }

    private func role(of tag: String, depthOfLists: Int) -> Role? {
        switch tag {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            return .leaf(.heading, level: Int(tag.utf8.last! - 0x30))
        case "p": return .leaf(.paragraph, level: 0)
        case "pre", "listing", "xmp", "plaintext": return .leaf(.code, level: 0)
        case "li", "dt", "dd": return .leaf(.item, level: max(depthOfLists, 1))
        case "td", "th": return .leaf(.cell, level: 0)
        case "figcaption", "caption": return .leaf(.caption, level: 0)
        case "ul", "ol", "dl", "menu": return .container(.list)
        case "blockquote": return .container(.blockquote)
        case "table": return .container(.table)
        case "tr": return .container(.row)
        default: return Self.blockTags.contains(tag) ? .generic : nil
        }
    }

    /// Emits the subtree of `root`, leaving out nodes marked in `removed`.
    mutating func emit(_ root: Int32, removed: [Bool]) {
        // Iterative walk with enter/exit events.
        var stack: [(Int32, Bool)] = [(root, false)]
        var listDepth = 0
        var first = true
        while let (i, exiting) = stack.popLast() {
            let node = dom.nodes[Int(i)]
            if exiting {
                if node.tag == "a" { linkDepth -= 1; continue }
                if case .container(.list) = frames.last?.role { listDepth -= 1 }
                closeFrame()
                continue
            }
            let isRoot = first
            first = false
            if node.isText {
                appendText(node.text)
                continue
            }
            if Int(i) < removed.count && removed[Int(i)] { continue }
            if node.tag == "br" {
                appendBreak()
                continue
            }
            if node.tag == "hr" {
                flushTop()
                continue
            }
            if node.tag == "a" {
                linkDepth += 1
                stack.append((i, true))
                pushChildren(of: i, &stack)
                continue
            }
            if var r = role(of: node.tag, depthOfLists: listDepth) {
                // A root that is a cell or an item (a layout table's column) is read as a plain block.
                if isRoot,
                    !["h1", "h2", "h3", "h4", "h5", "h6", "p", "pre", "blockquote", "ul", "ol"].contains(node.tag)
                {
                    r = .generic
                }
                // Inside a leaf (an item, a cell, a heading), nested paragraphs are just line breaks;
                // nested lists and tables still make structure.
                if let top = frames.last, case .leaf(let k, _) = top.role, k != .code {
                    switch r {
                    case .leaf, .generic:
                        appendBreak()
                        pushChildren(of: i, &stack)
                        continue
                    default: break
                    }
                }
                if case .leaf(.code, _) = frames.last?.role {
                    pushChildren(of: i, &stack)
                    continue
                }
                if case .container(.list) = r { listDepth += 1 }
                if case .leaf(.item, _) = r { r = .leaf(.item, level: max(listDepth, 1)) }
                openFrame(i, r)
                stack.append((i, true))
                pushChildren(of: i, &stack)
            } else {
                pushChildren(of: i, &stack)
            }
        }
        while !frames.isEmpty { closeFrame() }
    }

    private func pushChildren(of i: Int32, _ stack: inout [(Int32, Bool)]) {
        var kids: [Int32] = []
        var c = dom.nodes[Int(i)].firstChild
        while c >= 0 { kids.append(c); c = dom.nodes[Int(c)].nextSibling }
        for k in kids.reversed() { stack.append((k, false)) }
    }

    /// Adds a single heading (the page's headline, found outside the content).
    mutating func emitHeadline(_ i: Int32) {
        openFrame(i, .leaf(.heading, level: 1))
        var stack: [Int32] = [i]
        var texts: [String] = []
        while let n = stack.popLast() {
            let node = dom.nodes[Int(n)]
            if node.isText { texts.append(node.text); continue }
            var kids: [Int32] = []
            var c = node.firstChild
            while c >= 0 { kids.append(c); c = dom.nodes[Int(c)].nextSibling }
            stack.append(contentsOf: kids.reversed())
        }
        for t in texts { appendText(t) }
        closeFrame()
    }

    private mutating func openFrame(_ node: Int32, _ role: Role) {
        flushTop()
        let pre: Bool
        if case .leaf(.code, _) = role { pre = true } else { pre = false }
        if case .container(let kind) = role {
            builder.openContainer(kind, source: .elementPath(dom.elementPath(node)))
        }
        frames.append(Frame(node: node, role: role, preformatted: pre))
    }

    private mutating func closeFrame() {
        flushTop()
        guard let frame = frames.popLast() else { return }
        if case .container = frame.role { builder.closeContainer() }
    }

    /// Emits the top frame's gathered inline text as a leaf.
    private mutating func flushTop() {
        guard var frame = frames.popLast() else { return }
        defer { frames.append(frame) }
        guard !frame.buffer.isEmpty else { return }
        var hasBlankLine = false
        var previous: UInt8 = 0
        for b in frame.buffer {
            if b == 0x0A && previous == 0x0A { hasBlankLine = true; break }
            previous = b
        }
        let text = String(decoding: frame.buffer, as: UTF8.self)
        let linkShare = Double(frame.linkBytes) / Double(max(frame.buffer.count, 1))
        frame.buffer.removeAll(keepingCapacity: true)
        frame.pendingSpace = false
        frame.linkBytes = 0
        let kind: BlockKind
        var level = 0
        switch frame.role {
        case .leaf(let k, let l): kind = k; level = l
        case .container(.blockquote), .container, .generic: kind = .paragraph
        }
        if case .container(let k) = frame.role, k != .blockquote {
            // Stray text directly in a list or table: an item or a cell of its own.
            builder.addLeaf(
                k == .list ? .item : .cell, level: 1, text: text,
                source: .elementPath(dom.elementPath(frame.node)))
            return
        }
        if dropLinkParagraphs {
            if kind == .paragraph && PageFurniture.isLinkList(text, linkShare: linkShare) { return }
            if kind != .heading && kind != .code && kind != .cell && PageFurniture.isFurnitureLine(text) { return }
            // The same short block again (a caption repeated by a gallery or a lightbox, a pull quote).
            let repeatable = kind == .caption ? text.utf8.count < 400 : kind != .cell && text.utf8.count < 100
            if repeatable && !seenBlocks.insert(PageFurniture.key(text)).inserted { return }
        }
        let source = SourceLocation.elementPath(dom.elementPath(frame.node))
        if kind == .paragraph && !frame.preformatted && hasBlankLine {
            // `<br><br>` separates paragraphs in pages that have no <p>.
            for part in text.components(separatedBy: "\n\n") {
                builder.addLeaf(.paragraph, text: part, source: source)
            }
            return
        }
        builder.addLeaf(kind, level: level, text: text, source: source, preserveSpace: frame.preformatted)
    }

    private mutating func appendText(_ text: String) {
        if frames.isEmpty {
            frames.append(Frame(node: dom.body >= 0 ? dom.body : 0, role: .generic, preformatted: false))
        }
        let f = frames.count - 1
        if frames[f].preformatted {
            frames[f].buffer.append(contentsOf: text.utf8)
            return
        }
        // Collapse white space (NBSP counts as a space only for collapsing at the edges? keep it as text).
        var pending = frames[f].pendingSpace
        var buf = frames[f].buffer
        let before = buf.count
        frames[f].buffer = []
        defer { if linkDepth > 0 { frames[f].linkBytes += frames[f].buffer.count - before } }
        for b in text.utf8 {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C {
                pending = true
            } else {
                if pending && !buf.isEmpty && buf.last != 0x0A { buf.append(0x20) }
                pending = false
                buf.append(b)
            }
        }
        frames[f].buffer = buf
        frames[f].pendingSpace = pending
    }

    private mutating func appendBreak() {
        guard let f = frames.indices.last else { return }
        if frames[f].preformatted { frames[f].buffer.append(0x0A); return }
        frames[f].buffer.append(0x0A)
        frames[f].pendingSpace = false
    }
}
