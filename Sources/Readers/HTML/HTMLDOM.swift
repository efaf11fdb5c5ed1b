// HTMLDOM: a compact, array-based copy of the page that libxml2's tolerant HTML parser builds, without
// scripts, styles, templates, hidden elements and form controls. Built without recursion, so any nesting
// depth is safe; the head's metadata is collected on the way.

import CLibXML2

/// Makes sure libxml2 is initialised once before any thread uses it.
enum LibXML {
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()
}

/// One node of the page: an element or a run of text.
struct HTMLNode {
    /// Lower-case element name; empty for text.
    var tag: String
    /// Parent index, -1 for the root.
    var parent: Int32
    var firstChild: Int32 = -1
    var lastChild: Int32 = -1
    var nextSibling: Int32 = -1
    /// Text of a text node.
    var text: String = ""
    /// Lower-case `class`, `id`, `role` and `itemprop` values, space-separated.
    var names: String = ""
    /// The 1-based index among siblings with the same tag (filled on demand for element paths).
    var sameTagIndex: UInt32 = 0

    var isText: Bool { tag.isEmpty }
}

/// Metadata found in the head and in JSON-LD scripts.
struct HTMLHeadData {
    var title: String?
    var lang: String?
    var canonical: String?
    /// `<meta name|property|itemprop=... content=...>` in document order, keys lower-case.
    var meta: [(key: String, value: String)] = []
    /// Raw JSON-LD script bodies.
    var jsonLD: [String] = []
    /// `datetime` of the first `<time>` element.
    var firstTime: String?
}

/// The parsed page.
struct HTMLDOM {
    var nodes: [HTMLNode] = []
    var head = HTMLHeadData()
    /// The index of `<body>` (or the root when there is none).
    var body: Int32 = -1
    /// The deepest nesting seen (for warnings).
    var maxDepth = 0

    /// Elements dropped with everything inside them.
    static let dropped: Set<String> = [
        "script", "style", "template", "noscript", "svg", "math", "iframe", "object", "embed", "canvas",
        "video", "audio", "map", "button", "select", "input", "textarea", "option", "head", "link", "meta",
        "dialog", "frameset", "frame", "applet",
    ]

    /// Parses UTF-8 HTML bytes.
    ///
    /// - Throws: `ReaderError` when libxml2 cannot build any tree.
    static func parse(_ bytes: [UInt8]) throws -> HTMLDOM {
        _ = LibXML.initialized
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue
                | XML_PARSE_HUGE.rawValue)
        guard bytes.count < Int(Int32.max) else { throw ReaderError("HTML file too large for the parser") }
        let doc: htmlDocPtr? = bytes.withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buf.count, 1)) {
                htmlReadMemory($0, Int32(buf.count), "", "UTF-8", options)
            }
        }
        guard let doc else { throw ReaderError("the HTML parser could not read the page") }
        defer { xmlFreeDoc(doc) }
        var dom = HTMLDOM()
        guard let root = xmlDocGetRootElement(doc) else { return dom }
        dom.build(from: root)
        return dom
    }

    /// Copies the libxml2 tree with an explicit stack (pre-order, so parents precede children).
    private mutating func build(from root: xmlNodePtr) {
        nodes.reserveCapacity(1024)
        // (node, parent index; -2 inside <head>, where nothing is copied; depth)
        var stack: [(xmlNodePtr, Int32, Int)] = [(root, -1, 0)]
        while let (node, parent, depth) = stack.popLast() {
            let n = node.pointee
            switch n.type {
            case XML_ELEMENT_NODE:
                let tag = n.name.map { String(cString: $0) }.map(Self.lowercasedASCII) ?? ""
                if tag == "html", let lang = attribute(node, "lang") ?? attribute(node, "xml:lang"), head.lang == nil {
                    head.lang = lang
                }
                if collectHeadData(tag, node, inHead: parent == -2) { continue }
                let copyAs: Int32
                if tag == "head" {
                    copyAs = -2
                } else if parent == -2 || Self.dropped.contains(tag) {
                    continue
                } else {
                    let (names, hidden) = scanAttributes(node)
                    if hidden { continue }
                    copyAs = append(HTMLNode(tag: tag, parent: parent, names: names))
                    if tag == "body" && body < 0 { body = copyAs }
                    if depth + 1 > maxDepth { maxDepth = depth + 1 }
                }
                var child = n.last
                while let c = child {
                    stack.append((c, copyAs, depth + 1))
                    child = c.pointee.prev
                }
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if parent >= 0, let c = n.content {
                    let text = String(cString: c)
                    if !text.isEmpty { _ = append(HTMLNode(tag: "", parent: parent, text: text)) }
                }
            default:
                break
            }
        }
        if body < 0 && !nodes.isEmpty { body = 0 }
    }

    static let metadataTags: Set<String> = ["title", "meta", "link"]

    /// Records `<title>`, `<meta>`, `<link rel=canonical>`, JSON-LD and `<time>`; true when the element
    /// is metadata only (not copied).
    private mutating func collectHeadData(_ tag: String, _ node: xmlNodePtr, inHead: Bool) -> Bool {
        switch tag {
        case "title":
            if head.title == nil { head.title = textContent(node) }
            return inHead
        case "meta":
            if let content = attribute(node, "content") {
                for key in ["name", "property", "itemprop", "http-equiv"] {
                    if let k = attribute(node, key) { head.meta.append((k.lowercased(), content)); break }
                }
            }
            return true
        case "link":
            if let rel = attribute(node, "rel")?.lowercased(), rel.split(separator: " ").contains("canonical"),
                let href = attribute(node, "href"), head.canonical == nil
            {
                head.canonical = href
            }
            return true
        case "script":
            if let type = attribute(node, "type")?.lowercased(), type.contains("ld+json") {
                head.jsonLD.append(textContent(node))
            }
            return false
        case "time":
            if head.firstTime == nil, let dt = attribute(node, "datetime") { head.firstTime = dt }
            return false
        default:
            return false
        }
    }

    private mutating func append(_ node: HTMLNode) -> Int32 {
        let index = Int32(nodes.count)
        let parent = node.parent
        nodes.append(node)
        if parent >= 0 {
            let p = Int(parent)
            if nodes[p].lastChild >= 0 {
                nodes[Int(nodes[p].lastChild)].nextSibling = index
            } else {
                nodes[p].firstChild = index
            }
            nodes[p].lastChild = index
        }
        return index
    }

    /// One pass over an element's attributes: its lower-case class/id/role/itemprop names, and whether
    /// it is hidden (`hidden`, `aria-hidden=true`, `type=hidden`, `display:none`, `visibility:hidden`).
    private func scanAttributes(_ node: xmlNodePtr) -> (String, Bool) {
        var names = ""
        var attr = node.pointee.properties
        while let a = attr {
            defer { attr = a.pointee.next }
            guard let n = a.pointee.name else { continue }
            let name = String(cString: n)
            guard ["class", "id", "role", "itemprop", "hidden", "aria-hidden", "type", "style"].contains(name) else {
                continue
            }
            var value = ""
            var child = a.pointee.children
            while let c = child {
                if let content = c.pointee.content { value += String(cString: content) }
                child = c.pointee.next
            }
            switch name {
            case "hidden": return ("", true)
            case "aria-hidden": if value.lowercased() == "true" { return ("", true) }
            case "type": if value.lowercased() == "hidden" { return ("", true) }
            case "style":
                let s = value.lowercased().filter { $0 != " " }
                if s.contains("display:none") || s.contains("visibility:hidden") { return ("", true) }
            default:
                if !value.isEmpty { names += names.isEmpty ? value.lowercased() : " " + value.lowercased() }
            }
        }
        return (names, false)
    }

    private func names(of node: xmlNodePtr) -> String {
        var parts: [String] = []
        for key in ["class", "id", "role", "itemprop"] {
            if let v = attribute(node, key), !v.isEmpty { parts.append(v.lowercased()) }
        }
        return parts.joined(separator: " ")
    }

    private func isHidden(_ node: xmlNodePtr) -> Bool {
        if attribute(node, "hidden") != nil { return true }
        if attribute(node, "aria-hidden")?.lowercased() == "true" { return true }
        if let type = attribute(node, "type"), type.lowercased() == "hidden" { return true }
        if let style = attribute(node, "style")?.lowercased() {
            let s = style.filter { $0 != " " }
            if s.contains("display:none") || s.contains("visibility:hidden") { return true }
        }
        return false
    }

    /// The value of attribute `name` (lower-case) of an element.
    func attribute(_ node: xmlNodePtr, _ name: String) -> String? {
        XMLAttributes.value(of: node) { Self.equalsASCIIIgnoringCase($0, name) }
    }

    /// The text of an element's subtree (for `<title>` and scripts; iterative).
    func textContent(_ node: xmlNodePtr) -> String {
        var out = ""
        var stack: [xmlNodePtr] = []
        var child = node.pointee.last
        while let c = child { stack.append(c); child = c.pointee.prev }
        while let n = stack.popLast() {
            if n.pointee.type == XML_TEXT_NODE || n.pointee.type == XML_CDATA_SECTION_NODE {
                if let content = n.pointee.content { out += String(cString: content) }
            }
            var k = n.pointee.last
            while let c = k { stack.append(c); k = c.pointee.prev }
        }
        return out
    }

    static func equalsASCIIIgnoringCase(_ c: UnsafePointer<xmlChar>, _ s: String) -> Bool {
        var i = 0
        for b in s.utf8 {
            let x = c[i]
            if x == 0 { return false }
            let lx = x >= 65 && x <= 90 ? x + 32 : x
            if lx != b { return false }
            i += 1
        }
        return c[i] == 0
    }

    static func lowercasedASCII(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 >= 65 && $0 <= 90 }) { return s }
        return s.lowercased()
    }

    // MARK: - Paths

    /// Fills `sameTagIndex` for the children of `parent`.
    mutating func indexChildren(of parent: Int32) {
        var counts: [String: UInt32] = [:]
        var c = nodes[Int(parent)].firstChild
        while c >= 0 {
            let tag = nodes[Int(c)].tag
            if !tag.isEmpty {
                let k = (counts[tag] ?? 0) + 1
                counts[tag] = k
                nodes[Int(c)].sameTagIndex = k
            }
            c = nodes[Int(c)].nextSibling
        }
    }

    /// The element path of node `i`, e.g. `/html/body/div[2]/p[3]`; very deep paths keep both ends.
    mutating func elementPath(_ i: Int32) -> String {
        var chain: [Int32] = []
        var cur = i
        while cur >= 0 {
            chain.append(cur)
            cur = nodes[Int(cur)].parent
        }
        chain.reverse()
        var parts: [String] = []
        let elided = chain.count > 48
        for (k, n) in chain.enumerated() {
            if elided && k >= 16 && k < chain.count - 24 {
                if k == 16 { parts.append("…") }
                continue
            }
            let node = nodes[Int(n)]
            if node.tag == "html" || node.tag == "body" || node.parent < 0 {
                parts.append(node.tag)
                continue
            }
            if node.sameTagIndex == 0 { indexChildren(of: node.parent) }
            parts.append("\(node.tag)[\(nodes[Int(n)].sameTagIndex)]")
        }
        return "/" + parts.joined(separator: "/")
    }
}
