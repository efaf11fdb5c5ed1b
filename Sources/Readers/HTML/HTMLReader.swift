// The HTML reader: decodes the page (BOM, <meta charset>, detection), parses it with libxml2's tolerant
// parser, collects metadata (title, meta tags, Open Graph, JSON-LD NewsArticle, canonical link, lang),
// keeps the main content (unless --html-main=off) and emits its blocks.

import DocumentModel
import Foundation

/// Reads `.html` pages.
struct HTMLReader: SingleDocumentReader {
    func readDocument(_ input: ReaderInput) throws -> Document {
        let decoded = TextDecoder.decode(input.bytes, declared: Self.declaredCharset(input.bytes))
        return try Self.read(
            utf8: decoded.bytes, encoding: decoded.encoding, warnings: decoded.warnings,
            id: input.id, path: input.path, mainContent: input.options.htmlMainContent)
    }

    /// Reads UTF-8 HTML (also used by the email reader for HTML-only messages).
    static func read(
        utf8 bytes: [UInt8], encoding: String, warnings: [String], id: String, path: String,
        mainContent: Bool, metadata base: Metadata = Metadata(), format: DocumentFormat = .html
    ) throws -> Document {
        var warnings = warnings
        let dom = try HTMLDOM.parse(bytes)
        if dom.maxDepth >= Self.deepNesting {
            warnings.append("elements nested \(dom.maxDepth) deep (read in full; element paths are shortened)")
        }
        var meta = metadata(from: dom.head, base: base)
        meta.encoding = encoding
        var builder = BlockBuilder(capacity: bytes.count / 3)
        guard !dom.nodes.isEmpty, dom.body >= 0 else {
            warnings.append("the page has no body text")
            return builder.finish(id: id, path: path, format: format, metadata: meta, warnings: warnings)
        }
        var emitter: HTMLBlockEmitter
        var fellBack = false
        var page = 0
        if mainContent {
            let extractor = MainContentExtractor(dom: dom)
            let selection = extractor.select()
            fellBack = selection.fellBack
            page = Int(extractor.stats[Int(dom.body)].textLength)

            emitter = HTMLBlockEmitter(dom: dom, builder: builder)
            emitter.dropLinkParagraphs = true
            if let headline = selection.headline { emitter.emitHeadline(headline) }
            for root in selection.roots { emitter.emit(root, removed: selection.removed) }
        } else {
            emitter = HTMLBlockEmitter(dom: dom, builder: builder)
            emitter.emit(dom.body, removed: [])
        }
        builder = emitter.result
        if mainContent {
            // A page with no article (a login wall, a list of links) keeps little or nothing: say so.
            let kept = builder.bytes.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
            if fellBack || (kept < Self.shortMainText && page > kept * 2) {
                warnings.append(
                    "main-content extraction found no article: kept \(kept) of the page's \(page) characters of text "
                        + "(a login wall, an index or a list of links?); --html-main off reads the whole page")
            }
        }
        if meta.title == nil {
            // the first heading
            let doc = builder.finish(id: id, path: path, format: format, metadata: meta, warnings: warnings)
            var d = doc
            if let h = d.blocks.blocks.first(where: { $0.kind == .heading }) { d.metadata.title = d.text(of: h.range) }
            return d
        }
        return builder.finish(id: id, path: path, format: format, metadata: meta, warnings: warnings)
    }

    /// Nesting this deep is unusual enough to mention (libxml2 reads any depth with XML_PARSE_HUGE).
    static let deepNesting = 10_000

    /// Main text shorter than this (bytes), from a page with at least twice as much text, is warned about.
    static let shortMainText = 250

    // MARK: - Charset

    /// The charset a page declares in its first 4 KiB (`<meta charset>` or `http-equiv` content type).
    static func declaredCharset(_ bytes: [UInt8]) -> String? {
        let head = Array(bytes.prefix(4096))
        let needle = Array("charset=".utf8)
        var i = 0
        while i + needle.count <= head.count {
            var k = 0
            while k < needle.count, (head[i + k] | 0x20) == needle[k] || (needle[k] == 0x3D && head[i + k] == 0x3D) {
                k += 1
            }
            if k == needle.count {
                var j = i + k
                while j < head.count, head[j] == 0x22 || head[j] == 0x27 || head[j] == 0x20 { j += 1 }
                var value: [UInt8] = []
                while j < head.count, value.count < 40 {
                    let c = head[j] | 0x20
                    guard
                        (c >= 0x61 && c <= 0x7A) || (head[j] >= 0x30 && head[j] <= 0x39) || head[j] == 0x2D
                            || head[j] == 0x5F || head[j] == 0x3A
                    else { break }
                    value.append(c >= 0x61 && c <= 0x7A ? c : head[j])
                    j += 1
                }
                return value.isEmpty ? nil : String(decoding: value, as: UTF8.self)
            }
            i += 1
        }
        return nil
    }

    // MARK: - Metadata

    static func metadata(from head: HTMLHeadData, base: Metadata) -> Metadata {
        var meta = base
        var m: [String: String] = [:]
        for (k, v) in head.meta where m[k] == nil { m[k] = clean(v) }
        let ld = jsonLDArticle(head.jsonLD)
        func first(_ values: String?...) -> String? { values.compactMap { $0 }.first { !$0.isEmpty } }

        meta.title = first(meta.title, m["og:title"], ld?.headline, m["twitter:title"], head.title.map(clean))
        if meta.authors.isEmpty {
            var authors: [String] = ld?.authors ?? []
            if authors.isEmpty {
                for (k, v) in head.meta where k == "author" || k == "article:author" || k == "byl" || k == "dc.creator"
                {
                    let name = clean(v).replacingOccurrences(of: "By ", with: "")
                    if !name.isEmpty && !name.hasPrefix("http") && !authors.contains(name) { authors.append(name) }
                }
            }
            meta.authors = authors
        }
        meta.date = first(
            meta.date, m["article:published_time"], ld?.datePublished, m["date"], m["dc.date"],
            m["datepublished"], m["pubdate"], head.firstTime)
        meta.url = first(meta.url, head.canonical, m["og:url"], ld?.url)
        meta.language = first(
            meta.language, head.lang.map(clean), m["content-language"],
            m["og:locale"].map {
                $0.replacingOccurrences(of: "_", with: "-")
            })
        var extra = meta.extra
        if let d = first(m["description"], m["og:description"], ld?.description) { extra["description"] = .string(d) }
        if let s = first(m["og:site_name"], ld?.publisher) { extra["site_name"] = .string(s) }
        if let d = first(m["article:modified_time"], ld?.dateModified) { extra["date_modified"] = .string(d) }
        if let s = first(m["article:section"], ld?.section) { extra["section"] = .string(s) }
        if let k = m["keywords"] ?? m["news_keywords"] { extra["keywords"] = .string(k) }
        if let t = ld?.type ?? m["og:type"] { extra["type"] = .string(t) }
        if let t = head.title.map(clean), t != meta.title { extra["html_title"] = .string(t) }
        meta.extra = extra
        return meta
    }

    static func clean(_ s: String) -> String { TextCleaner.collapseSpace(s) }

    struct LDArticle {
        var type: String?
        var headline: String?
        var datePublished: String?
        var dateModified: String?
        var authors: [String] = []
        var description: String?
        var url: String?
        var publisher: String?
        var section: String?
    }

    static let articleTypes: Set<String> = [
        "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle", "BlogPosting",
        "ReviewNewsArticle", "BackgroundNewsArticle", "Report", "ScholarlyArticle", "TechArticle", "LiveBlogPosting",
    ]

    /// The first article object in the JSON-LD scripts (top level, arrays, or `@graph`).
    static func jsonLDArticle(_ scripts: [String]) -> LDArticle? {
        for script in scripts {
            guard let root = try? JSONParser.parse(script) else { continue }
            var queue: [JSONValue] = [root]
            var seen = 0
            while !queue.isEmpty && seen < 200 {
                let item = queue.removeFirst()
                seen += 1
                if case .array(let array) = item { queue.append(contentsOf: array); continue }
                guard case .object(let object) = item else { continue }
                if let graph = object["@graph"] { queue.append(graph) }
                guard let type = types(object["@type"]).first(where: { articleTypes.contains($0) }) else { continue }
                var a = LDArticle(type: type)
                a.headline = (object["headline"]?.stringValue).map(clean) ?? (object["name"]?.stringValue).map(clean)
                a.datePublished = object["datePublished"]?.stringValue
                a.dateModified = object["dateModified"]?.stringValue
                a.description = (object["description"]?.stringValue).map(clean)
                a.url = object["url"]?.stringValue ?? member(object["mainEntityOfPage"], "@id")
                a.section = object["articleSection"]?.stringValue
                if case .object? = object["publisher"] { a.publisher = member(object["publisher"], "name") }
                a.authors = names(object["author"])
                return a
            }
        }
        return nil
    }

    /// The types of an `@type`: a string, or a list of strings only.
    static func types(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let s)?: [s]
        case .array(let items)?: items.allSatisfy { $0.stringValue != nil } ? items.compactMap(\.stringValue) : []
        default: []
        }
    }

    /// The string member `key` of an object value.
    static func member(_ value: JSONValue?, _ key: String) -> String? {
        guard case .object(let object)? = value else { return nil }
        return object[key]?.stringValue
    }

    static func names(_ value: JSONValue?) -> [String] {
        switch value {
        case .string(let s)?: [clean(s)]
        case .object?: member(value, "name").map { [clean($0)] } ?? []
        case .array(let items)?: items.flatMap { names($0) }
        default: []
        }
    }
}
