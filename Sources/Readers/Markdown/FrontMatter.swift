// YAML front matter (`---` ... `---` at the top of a Markdown file): split off, parsed with Yams, and
// mapped onto metadata (title, author/authors, date, url, lang) with the other keys kept as extras.

import DocumentModel
import Yams

/// Front matter found at the start of a Markdown file.
enum FrontMatter {
    /// The byte range of the front matter block (with its fences), if the text starts with one.
    static func split(_ bytes: [UInt8]) -> (yaml: String, range: Range<Int>)? {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        func line(at i: Int) -> (String, Int) {
            var j = i
            while j < bytes.count && bytes[j] != 0x0A { j += 1 }
            var text = String(decoding: bytes[i..<j], as: UTF8.self)
            if text.hasSuffix("\r") { text.removeLast() }
            return (text, min(j + 1, bytes.count))
        }
        let (first, afterFirst) = line(at: start)
        guard first.trimmingTrailingSpaces() == "---" else { return nil }
        var i = afterFirst
        while i < bytes.count {
            let (text, next) = line(at: i)
            let t = text.trimmingTrailingSpaces()
            if t == "---" || t == "..." {
                return (String(decoding: bytes[afterFirst..<i], as: UTF8.self), start..<next)
            }
            i = next
        }
        return nil
    }

    /// Applies parsed front matter to `meta`; returns a warning when the YAML is invalid.
    static func apply(_ yaml: String, to meta: inout Metadata) -> String? {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch {
            return "front matter is not valid YAML; ignored (\(String(describing: error).prefix(120)))"
        }
        guard let mapping = node?.mapping else {
            return node == nil ? nil : "front matter is not a YAML mapping; ignored"
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { continue }
            let json = jsonValue(value)
            switch key.lowercased() {
            case "title": meta.title = value.string ?? json.description
            case "author", "authors":
                if case .array(let items) = json {
                    meta.authors = items.compactMap { $0.stringValue ?? nameOf($0) }
                } else if let s = value.string {
                    meta.authors = [s]
                } else if let n = nameOf(json) {
                    meta.authors = [n]
                }
            case "date", "published", "pubdate": meta.date = value.string
            case "url", "canonical", "canonical_url": meta.url = value.string
            case "lang", "language", "locale": meta.language = value.string
            default: meta.extra[key] = json
            }
        }
        return nil
    }

    private static func nameOf(_ v: JSONValue) -> String? {
        if case .object(let o) = v { return o["name"]?.stringValue }
        return nil
    }

    /// A YAML node as a JSON value; scalars keep their resolved type (int, float, bool, null, string).
    static func jsonValue(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            let s = scalar.string
            if scalar.style == .plain {
                if let i = Int(s) { return .int(i) }
                if let d = Double(s), s.contains(".") { return .double(d) }
                switch s.lowercased() {
                case "true", "yes": return .bool(true)
                case "false", "no": return .bool(false)
                case "null", "~", "": return .null
                default: break
                }
            }
            return .string(s)
        case .sequence(let seq):
            return .array(seq.map { jsonValue($0) })
        case .mapping(let map):
            var o = JSONObject()
            for (k, v) in map { if let key = k.string { o[key] = jsonValue(v) } }
            return .object(o)
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return String(s)
    }
}
