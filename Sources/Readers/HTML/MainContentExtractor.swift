// Main-content extraction: finds the article in a page and marks navigation, headers, footers, sidebars,
// share bars, comments, related-story lists, cookie notices and ads for removal. Scores elements by the
// paragraphs they hold (text length, commas), their link density, their class/id names and their tag.

/// Decides which parts of an `HTMLDOM` are the main content.
struct MainContentExtractor {
    /// Per-node statistics, indexed like `dom.nodes`.
    struct Stats {
        var textLength: Int32 = 0
        var linkLength: Int32 = 0
        var commas: Int32 = 0
        var paragraphs: Int32 = 0
        var headings: Int32 = 0
        /// Headings inside list items (the titles of a gallery's or a teaser list's entries).
        var listHeadings: Int32 = 0
    }

    /// The outcome: roots to emit, in document order, and the nodes to leave out beneath them.
    struct Selection {
        var roots: [Int32]
        var removed: [Bool]
        /// A heading found outside the roots that names the article (prepended to the text).
        var headline: Int32?
        /// Whether extraction gave up and kept the whole body.
        var fellBack = false
    }

    let dom: HTMLDOM
    private(set) var stats: [Stats] = []
    /// Per node: the class/id weight and whether the names mark sure boilerplate (computed once).
    private var weights: [Int8] = []
    private var strong: [Bool] = []

    init(dom: HTMLDOM) {
        self.dom = dom
        computeStats()
        weights = [Int8](repeating: 0, count: dom.nodes.count)
        strong = [Bool](repeating: false, count: dom.nodes.count)
        var cache: [String: (Int8, Bool)] = [:]
        for (i, node) in dom.nodes.enumerated() where !node.names.isEmpty {
            if let c = cache[node.names] { (weights[i], strong[i]) = c; continue }
            let names = Self.significantNames(node.names)
            let c = (Int8(Self.nameWeight(names)), Self.isStrongBoilerplate(names))
            cache[node.names] = c
            (weights[i], strong[i]) = c
        }
    }

    // MARK: - Names

    /// Class/id tokens that mark boilerplate; matched as substrings of the names.
    static let negativeNames = [
        "comment", "share", "sharing", "social", "related", "cookie", "consent", "gdpr", "newsletter", "promo",
        "sponsor", "outbrain", "taboola", "recommend", "subscribe", "signup", "sign-up", "popup", "modal",
        "breadcrumb", "sidebar", "side-bar", "widget", "masthead", "footer", "navbar", "navigation", "menu",
        "trending", "most-read", "mostread", "popular", "more-stories", "read-more", "readmore", "banner",
        "advert", "paywall", "disclaimer", "toolbar", "pagination", "pager", "byline", "author-bio", "tags",
        "skip-link", "print-only", "login", "donate", "teaser", "rail", "dateline", "timestamp", "caption-credit",
        "kicker", "eyebrow", "post-meta", "entry-meta", "article-meta", "credit",
    ]
    /// Whole tokens that mark boilerplate (too short to match as substrings).
    static let negativeTokens: Set<String> = [
        "ad", "ads", "nav", "aside", "meta", "share", "tools", "hidden", "hide", "sr-only", "visually-hidden",
        "complementary", "contentinfo", "banner", "navigation", "search", "dialog", "alert", "extra", "more",
    ]
    /// Names that mark the article.
    static let positiveNames = [
        "article", "story", "post-body", "postbody", "entry-content", "entry", "main-content", "maincontent",
        "articlebody", "article-body", "story-body", "content-body", "prose", "hentry", "blog", "body", "content",
        "main",
    ]
    /// Article names too short to match inside other words ("text", not "context").
    static let positiveTokens: Set<String> = ["text"]

    /// The names without slugs: an id made from a heading's words ("sharing-with-a-single-developer")
    /// says what the section is about, not what kind of element it is.
    static func significantNames(_ names: String) -> String {
        // One pass: is there an item with four hyphens or more? (Most names have none.)
        var hyphens = 0
        var slug = false
        for b in names.utf8 {
            if b == 0x2D {
                hyphens += 1
                if hyphens >= 4 { slug = true; break }
            } else if b == 0x20 {
                hyphens = 0
            }
        }
        guard slug else { return names }
        return names.split(separator: " ").filter { $0.split(separator: "-").count < 5 }.joined(separator: " ")
    }

    /// Weight from class/id/role names: negative for boilerplate, positive for article-like names.
    static func nameWeight(_ names: String) -> Int {
        guard !names.isEmpty else { return 0 }
        let names = ByteString(names)
        var weight = 0
        let tokens =
            names.text.split(whereSeparator: { $0 == " " || $0 == "_" || $0 == "-" }).map(String.init)
            + names.text.split(whereSeparator: { $0 == " " }).map(String.init)
        let negative =
            negativeNames.contains { names.contains($0) }
            || tokens.contains {
                negativeTokens.contains($0) || $0.hasPrefix("ad-") || $0.hasSuffix("-ad") || $0.hasPrefix("ads-")
            }
        if negative { weight -= 25 }
        if positiveNames.contains(where: { names.contains($0) }) || tokens.contains(where: positiveTokens.contains) {
            weight += 25
        }
        if names.contains("articlebody") || names.contains("article-body") || names.contains("story-body") {
            weight += 25
        }
        return weight
    }

    /// Whether names mark something never part of an article, whatever it holds.
    static func isStrongBoilerplate(_ names: String) -> Bool {
        guard !names.isEmpty else { return false }
        let names = ByteString(names)
        let strong = [
            "comment", "share", "sharing", "social", "related", "cookie", "consent", "gdpr", "newsletter",
            "promo", "sponsor", "outbrain", "taboola", "recommend", "subscribe", "signup", "popup", "modal",
            "breadcrumb", "sidebar", "trending", "most-read", "mostread", "more-stories", "advert", "paywall",
            "author-bio", "skip-link", "donate", "navbar", "navigation", "site-footer", "site-header",
        ]
        if strong.contains(where: { names.contains($0) }) {
            // "article-body related-links" still names boilerplate; but "comment" inside "commentary"?
            if names.contains("commentary") && !names.contains("comments") { return false }
            return true
        }
        let tokens = names.text.split(whereSeparator: { $0 == " " || $0 == "_" })
        return tokens.contains { t in
            t == "ad" || t == "ads" || t.hasPrefix("ad-") || t.hasPrefix("ads-") || t.hasSuffix("-ad") || t == "nav"
                || t == "complementary" || t == "contentinfo" || t == "navigation"
        }
    }

    static let headingTags: Set<String> = ["h1", "h2", "h3", "h4", "h5", "h6"]
    static let paragraphLike: Set<String> = ["p", "pre", "td", "blockquote"]
    static let structuralBoilerplate: Set<String> = ["nav", "aside", "footer", "form"]

    // MARK: - Statistics

    private mutating func computeStats() {
        let nodes = dom.nodes
        var st = [Stats](repeating: Stats(), count: nodes.count)
        // Children come after parents, so a reverse pass sees every child before its parent.
        var i = nodes.count - 1
        while i >= 0 {
            let node = nodes[i]
            if node.isText {
                var length: Int32 = 0
                var commas: Int32 = 0
                var inSpace = true
                for b in node.text.utf8 {
                    if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D {
                        if !inSpace { length += 1; inSpace = true }
                    } else {
                        if b & 0xC0 != 0x80 { length += 1 }
                        inSpace = false
                        if b == 0x2C { commas += 1 }
                    }
                }
                st[i].textLength = length
                st[i].commas = commas
            } else {
                if node.tag == "a" { st[i].linkLength = st[i].textLength }
                if node.tag == "p" && st[i].textLength >= 40 { st[i].paragraphs += 1 }
                if Self.headingTags.contains(node.tag) { st[i].headings += 1 }
                if node.tag == "li" { st[i].listHeadings = st[i].headings }
            }
            let p = Int(node.parent)
            if p >= 0 {
                st[p].textLength += st[i].textLength
                st[p].linkLength += st[i].linkLength
                st[p].commas += st[i].commas
                st[p].paragraphs += st[i].paragraphs
                st[p].headings += st[i].headings
                if nodes[p].tag != "li" { st[p].listHeadings += st[i].listHeadings }
            }
            i -= 1
        }
        stats = st
    }

    func linkDensity(_ i: Int32) -> Double {
        let s = stats[Int(i)]
        return s.textLength == 0 ? 0 : Double(s.linkLength) / Double(s.textLength)
    }

    // MARK: - Selection

    /// Chooses the main content.
    func select() -> Selection {
        let nodes = dom.nodes
        let n = nodes.count
        var removed = [Bool](repeating: false, count: n)
        guard n > 0 else { return Selection(roots: [], removed: removed) }
        var score = [Double](repeating: 0, count: n)
        var isCandidate = [Bool](repeating: false, count: n)

        func initialize(_ c: Int) {
            guard !isCandidate[c] else { return }
            isCandidate[c] = true
            let node = nodes[c]
            var base: Double
            switch node.tag {
            case "article": base = 15
            case "main": base = 8
            case "div", "section": base = 5
            case "pre", "td", "blockquote": base = 3
            case "ol", "ul", "dl", "dd", "dt", "li", "form", "address": base = -3
            case "h1", "h2", "h3", "h4", "h5", "h6", "th": base = -5
            case "nav", "aside", "footer", "header": base = -25
            default: base = 0
            }
            base += Double(weights[c])
            score[c] += base
        }

        // Elements inside boilerplate (comments, sidebars, related stories) are never candidates, unless
        // their names also say article.
        // A wrapper around most of the page blocks nothing, whatever its names.
        var blocked = [Bool](repeating: false, count: n)
        let pageText = Double(stats[Int(dom.body)].textLength)
        for i in 0..<n {
            let node = nodes[i]
            let p = Int(node.parent)
            let inherited = p >= 0 && blocked[p]
            blocked[i] =
                inherited
                || ((strong[i] && weights[i] <= -25) || node.tag == "nav" || node.tag == "aside")
                    && Double(stats[i].textLength) < pageText * 0.5
        }

        // Paragraph-like elements give their score to their ancestors.
        for i in 0..<n {
            let node = nodes[i]
            guard !node.isText, !blocked[i] else { continue }
            let divAsParagraph = node.tag == "div" && !hasBlockChild(Int32(i))
            guard Self.paragraphLike.contains(node.tag) || divAsParagraph else { continue }
            let length = Int(stats[i].textLength)
            guard length >= 25 else { continue }
            var contribution = 1 + Double(stats[i].commas) + Double(min(length / 100, 3))
            contribution *= 1 - min(linkDensity(Int32(i)), 1)
            // A paragraph in a list item is one entry of many (a gallery's captions, teaser cards): half weight.
            if node.parent >= 0 && nodes[Int(node.parent)].tag == "li" { contribution *= 0.5 }
            // A long text block that is its own container (a layout cell, a div of text) is a candidate too.
            if node.tag == "td" || divAsParagraph, length >= 400 {
                initialize(i)
                score[i] += contribution
            }
            var ancestor = Int(node.parent)
            var level = 0
            while ancestor >= 0 && level < 3 {
                initialize(ancestor)
                score[ancestor] += level == 0 ? contribution : contribution / Double(level * 2)
                ancestor = Int(nodes[ancestor].parent)
                level += 1
            }
        }

        // Long runs of text outside any paragraph (text between <br>s in a span, a font, a bare div with
        // inline children only) score for the element that holds them: an unusual container is still found.
        for i in 0..<n where nodes[i].isText && stats[i].textLength >= 100 {
            let holder = Int(nodes[i].parent)
            guard holder >= 0, !blocked[holder] else { continue }
            var container = holder
            while container >= 0 && (Self.inlineTags.contains(nodes[container].tag) || nodes[container].tag == "font") {
                container = Int(nodes[container].parent)
            }
            guard container >= 0 else { continue }
            let tag = nodes[container].tag
            if Self.paragraphLike.contains(tag) || Self.headingTags.contains(tag)
                || ["li", "dd", "dt", "figcaption", "caption", "th", "label", "address"].contains(tag)
                || (tag == "div" && !hasBlockChild(Int32(container)))
            {
                continue
            }
            let length = Int(stats[i].textLength)
            let contribution = 1 + Double(stats[i].commas) + Double(min(length / 100, 3))
            var ancestor = holder
            var level = 0
            while ancestor >= 0 && level < 3 {
                initialize(ancestor)
                score[ancestor] += level == 0 ? contribution : contribution / Double(level * 2)
                ancestor = Int(nodes[ancestor].parent)
                level += 1
            }
        }

        var top = -1
        var best = -Double.infinity
        for i in 0..<n where isCandidate[i] {
            let final = score[i] * (1 - linkDensity(Int32(i)))
            score[i] = final
            if final >= best { best = final; top = i }
        }
        guard top >= 0, best > 0 else {
            clean(dom.body, &removed)
            return Selection(roots: [dom.body], removed: removed, fellBack: true)
        }
        // Prefer an enclosing element that is clearly the article, if the best one sits inside it.
        var climb = Int(nodes[top].parent)
        var steps = 0
        while climb >= 0 && steps < 3 {
            let t = nodes[climb].tag
            if (t == "article" || nodes[climb].names.contains("articlebody")
                || nodes[climb].names.contains("article-body"))
                && stats[climb].paragraphs <= stats[top].paragraphs + 3
            {
                top = climb
                break
            }
            climb = Int(nodes[climb].parent)
            steps += 1
        }

        // A table that won on its cells' text is data inside the article (a list of films, results), not
        // the article: start from the element that holds the table.
        while ["tbody", "thead", "tfoot", "tr", "table"].contains(nodes[top].tag), nodes[top].parent >= 0,
            Int(nodes[top].parent) != Int(dom.body)
        {
            top = Int(nodes[top].parent)
        }
        top = widen(top)

        // Siblings of the top candidate that look like more of the same.
        var roots: [Int32] = []
        let parent = nodes[top].parent
        if parent >= 0 {
            let threshold = max(10, score[top] * 0.2)
            var c = nodes[Int(parent)].firstChild
            while c >= 0 {
                let ci = Int(c)
                if ci == top {
                    roots.append(c)
                } else if !nodes[ci].isText && !strong[ci]
                    && !Self.structuralBoilerplate.contains(nodes[ci].tag)
                {
                    let length = Int(stats[ci].textLength)
                    let density = linkDensity(c)
                    if isCandidate[ci] && score[ci] >= threshold && density < 0.3 {
                        roots.append(c)
                    } else if nodes[ci].tag == "p" && length > 80 && density < 0.25 {
                        roots.append(c)
                    }
                }
                c = nodes[ci].nextSibling
            }
        } else {
            roots = [Int32(top)]
        }

        // Clean inside the roots.
        for root in roots { clean(root, &removed) }

        var selection = Selection(roots: roots, removed: removed)
        // The headline: the first <h1> outside the roots when none is inside.
        let kept = keptText(selection)
        if !containsKeptHeading(selection) {
            selection.headline = findHeadline(excluding: roots)
        }
        if kept < 150 && Int(stats[Int(dom.body)].textLength) > kept * 3 {
            var all = [Bool](repeating: false, count: n)
            clean(dom.body, &all)
            return Selection(roots: [dom.body], removed: all, fellBack: true)
        }
        return selection
    }

    /// Climbs from the chosen candidate while an ancestor holds much more article-like text (an article
    /// split over several containers, or a best candidate that is one part of it).
    private func widen(_ start: Int) -> Int {
        let good = goodText(keeping: start)
        var cur = start
        let body = Int(dom.body)
        while cur != body {
            let p = Int(dom.nodes[cur].parent)
            guard p >= 0 else { break }
            if Double(good[p]) > Double(good[cur]) * Self.widenRatio && linkDensity(Int32(p)) < 0.4 {
                cur = p
            } else if good[p] == good[cur] && p != body {
                cur = p  // a wrapper that adds nothing: look further up
            } else {
                break
            }
        }
        // Wrappers climbed through that added nothing are not kept as the root.
        while cur != start {
            var only = -1
            var c = dom.nodes[cur].firstChild
            var count = 0
            while c >= 0 {
                if good[Int(c)] > 0 { only = Int(c); count += 1 }
                c = dom.nodes[Int(c)].nextSibling
            }
            guard count == 1, good[only] == good[cur] else { break }
            cur = only
        }
        return cur
    }

    static let widenRatio = 1.4

    /// Per node: the text of the paragraph-like elements beneath it, less their links, outside boilerplate
    /// (`start` and its ancestors, already chosen, are never counted as boilerplate).
    private func goodText(keeping start: Int) -> [Int32] {
        let nodes = dom.nodes
        var good = [Int32](repeating: 0, count: nodes.count)
        var onChain = [Bool](repeating: false, count: nodes.count)
        var a = start
        while a >= 0 { onChain[a] = true; a = Int(nodes[a].parent) }
        var i = nodes.count - 1
        while i >= 0 {
            let node = nodes[i]
            if !node.isText {
                if Self.paragraphLike.contains(node.tag) || (node.tag == "div" && !hasBlockChild(Int32(i))) {
                    let s = stats[i]
                    if s.textLength >= 25 { good[i] = max(good[i], s.textLength - s.linkLength) }
                }
                if !onChain[i] && (strong[i] || Self.structuralBoilerplate.contains(node.tag)) { good[i] = 0 }
            }
            let p = Int(node.parent)
            if p >= 0 { good[p] += good[i] }
            i -= 1
        }
        return good
    }

    /// Whether an element has block-level element children (a div that is not used as a paragraph).
    private func hasBlockChild(_ i: Int32) -> Bool {
        var c = dom.nodes[Int(i)].firstChild
        while c >= 0 {
            if HTMLBlockEmitter.blockTags.contains(dom.nodes[Int(c)].tag) { return true }
            c = dom.nodes[Int(c)].nextSibling
        }
        return false
    }

    /// Marks boilerplate under `root` for removal (pre-order, skipping removed subtrees).
    func clean(_ root: Int32, _ removed: inout [Bool]) {
        let nodes = dom.nodes
        var stack: [Int32] = []
        var child = nodes[Int(root)].firstChild
        var ordered: [Int32] = []
        while child >= 0 { ordered.append(child); child = nodes[Int(child)].nextSibling }
        stack.append(contentsOf: ordered.reversed())
        while let i = stack.popLast() {
            let node = nodes[Int(i)]
            if node.isText { continue }
            if shouldRemove(i) {
                removed[Int(i)] = true
                // A heading announcing links elsewhere takes its list of links with it.
                if Self.headingTags.contains(node.tag) {
                    let next = nextElement(i)
                    if next >= 0 { removed[Int(next)] = true }
                }
                continue
            }
            var kid = node.firstChild
            var list: [Int32] = []
            while kid >= 0 { list.append(kid); kid = nodes[Int(kid)].nextSibling }
            stack.append(contentsOf: list.reversed())
        }
    }

    /// Inline elements: their text is part of the sentence around them.
    static let inlineTags: Set<String> = [
        "a", "span", "em", "strong", "b", "i", "u", "s", "small", "abbr", "cite", "mark", "sup", "sub", "code",
        "q", "dfn", "kbd", "var", "bdi", "bdo", "font", "label", "ins", "del",
    ]

    /// Headings of blocks that point elsewhere ("Related", "You might also like", "More stories").
    static let elsewherePhrases = [
        "related", "you might also like", "you may also like", "you might like", "more stories", "more from",
        "recommended", "most popular", "most read", "also read", "read next", "up next", "trending",
        "more on this", "top stories", "latest news", "more news", "don't miss", "popular now", "what to read next",
    ]

    /// Whether a heading's text announces links to other pages.
    func announcesElsewhere(_ i: Int32) -> Bool {
        guard stats[Int(i)].textLength <= 40 else { return false }
        var text = ""
        var stack: [Int32] = [i]
        while let n = stack.popLast() {
            let node = dom.nodes[Int(n)]
            if node.isText { text += node.text; continue }
            var c = node.lastChild
            while c >= 0 {
                stack.append(c)
                c = Self.previousSibling(of: c, in: dom)
            }
        }
        let lower = TextCleaner.collapseSpace(text.lowercased())
        return Self.elsewherePhrases.contains { lower.hasPrefix($0) }
    }

    static func previousSibling(of c: Int32, in dom: HTMLDOM) -> Int32 {
        let p = dom.nodes[Int(c)].parent
        guard p >= 0 else { return -1 }
        var k = dom.nodes[Int(p)].firstChild
        var previous: Int32 = -1
        while k >= 0 && k != c { previous = k; k = dom.nodes[Int(k)].nextSibling }
        return previous
    }

    /// The next element sibling.
    private func nextElement(_ i: Int32) -> Int32 {
        var c = dom.nodes[Int(i)].nextSibling
        while c >= 0 && dom.nodes[Int(c)].isText { c = dom.nodes[Int(c)].nextSibling }
        return c
    }

    /// The first element child.
    private func firstElement(_ i: Int32) -> Int32 {
        var c = dom.nodes[Int(i)].firstChild
        while c >= 0 && dom.nodes[Int(c)].isText { c = dom.nodes[Int(c)].nextSibling }
        return c
    }

    /// Whether an element is a block of links to elsewhere: it starts with such a heading and is mostly links.
    private func isElsewhereBlock(_ i: Int32) -> Bool {
        guard linkDensity(i) > 0.3 else { return false }
        var first = firstElement(i)
        var depth = 0
        while first >= 0 && depth < 3 {
            let tag = dom.nodes[Int(first)].tag
            if Self.headingTags.contains(tag) || tag == "p" || tag == "strong" || tag == "b" || tag == "span" {
                return announcesElsewhere(first)
            }
            if tag == "a" || tag == "ul" || tag == "ol" { return false }
            first = firstElement(first)
            depth += 1
        }
        return false
    }

    /// Whether an element inside the content is boilerplate.
    private func shouldRemove(_ i: Int32) -> Bool {
        let node = dom.nodes[Int(i)]
        let s = stats[Int(i)]
        let tag = node.tag
        if Self.inlineTags.contains(tag) {
            // Inline text stays (a name inside a link); only a short control or label outside sentences goes.
            let parentTag = dom.nodes[Int(node.parent)].tag
            if Self.paragraphLike.contains(parentTag) || Self.headingTags.contains(parentTag) || parentTag == "li" {
                return false
            }
            return strong[Int(i)] && s.textLength < 40
        }
        if Self.headingTags.contains(tag) {
            // "Related stories" over a list of links: the heading goes with the list.
            if announcesElsewhere(i) {
                let next = nextElement(i)
                if next < 0 || linkDensity(next) > 0.4 { return true }
            }
            return false
        }
        if s.textLength < 40 && (node.names.contains("button") || node.names.contains("btn")) { return true }
        if s.headings <= 1 && isElsewhereBlock(i) { return true }
        if tag == "p" {
            return strong[Int(i)] || (weights[Int(i)] < 0 && s.textLength < 200)
        }
        if tag == "time" && dom.nodes[Int(node.parent)].tag != "p" { return true }
        if Self.structuralBoilerplate.contains(tag) { return true }
        if tag == "header" && s.headings == 0 { return true }
        let density = linkDensity(i)
        // Names that say both (an article body whose id mentions sharing) yield to what it holds: prose.
        if strong[Int(i)] && !(weights[Int(i)] > 0 && s.paragraphs >= 3 && density < 0.25) { return true }
        let weight = Int(weights[Int(i)])
        // Its headings do not make it article sections when they title the entries of a list (a gallery).
        let listOfEntries = s.listHeadings >= 10 && Double(s.listHeadings) >= Double(s.headings) * 0.8
        if weight < 0 && (density > 0.2 || s.textLength < 300 || s.paragraphs < 2 || listOfEntries)
            && (s.headings == 0 || listOfEntries)
        {
            return true
        }
        if (tag == "ul" || tag == "ol") && density > 0.5 { return true }
        if (tag == "div" || tag == "section" || tag == "table" || tag == "figure" || tag == "span") && density > 0.5
            && s.textLength < 600
        {
            return true
        }
        return false
    }

    private func keptText(_ selection: Selection) -> Int {
        var total = 0
        for root in selection.roots { total += Int(stats[Int(root)].textLength) }
        for (i, r) in selection.removed.enumerated() where r {
            // subtract removed subtrees whose parent is kept (top-level removals only)
            let p = Int(dom.nodes[i].parent)
            if p >= 0 && !selection.removed[p] { total -= Int(stats[i].textLength) }
        }
        return max(total, 0)
    }

    private func containsKeptHeading(_ selection: Selection) -> Bool {
        for root in selection.roots {
            var stack: [Int32] = [root]
            while let i = stack.popLast() {
                if selection.removed[Int(i)] { continue }
                if dom.nodes[Int(i)].tag == "h1" { return true }
                var c = dom.nodes[Int(i)].firstChild
                while c >= 0 { stack.append(c); c = dom.nodes[Int(c)].nextSibling }
            }
        }
        return false
    }

    /// The first `<h1>` (outside the roots) with some text and few links.
    private func findHeadline(excluding roots: [Int32]) -> Int32? {
        let firstRoot = roots.min() ?? Int32(dom.nodes.count)
        for (i, node) in dom.nodes.enumerated() where node.tag == "h1" {
            if Int32(i) > firstRoot { break }
            if stats[i].textLength >= 10 && linkDensity(Int32(i)) < 0.5 { return Int32(i) }
        }
        return nil
    }
}

/// A string with a byte-level `contains` (Foundation's substring search is slow on Linux).
struct ByteString {
    let text: String
    let bytes: [UInt8]

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    func contains(_ needle: String) -> Bool {
        var found = false
        needle.utf8.withContiguousStorageIfAvailable { n in
            guard let first = n.first, n.count <= bytes.count else { return }
            var i = 0
            let last = bytes.count - n.count
            while i <= last {
                if bytes[i] == first {
                    var k = 1
                    while k < n.count && bytes[i + k] == n[k] { k += 1 }
                    if k == n.count { found = true; return }
                }
                i += 1
            }
        }
        return found
    }
}
