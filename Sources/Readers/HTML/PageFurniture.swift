// Page furniture recognised by its text, for main-content extraction: button and control labels
// ("Close", "Share", "Caption"), copyright and newsletter lines, and paragraphs that are lists of links.
// General wording of web pages, not any one site's; HTMLBlockEmitter drops such blocks in main-content mode.

/// Tests on the text of one block.
enum PageFurniture {
    /// Labels of buttons and controls, compared with a block's whole text (lower case, punctuation and
    /// white space removed).
    static let labels: Set<String> = [
        "caption", "hidecaption", "showcaption", "togglecaption", "close", "closex", "x", "share", "sharethis",
        "sharethisarticle", "sharethisstory", "shareonfacebook", "shareontwitter", "shareonlinkedin", "tweet",
        "email", "print", "comment", "comments", "expand", "enlarge", "enlargethisimage", "fullscreen",
        "advertisement", "ad", "sponsored", "skip", "skipad", "play", "playvideo", "pause", "mute", "unmute",
        "replay", "readmore", "showmore", "loadmore", "seemore", "viewmore", "continuereading", "backtotop",
        "next", "previous", "prev", "image", "photo", "video", "gallery", "viewgallery", "copylink", "linkcopied",
        "save", "saved", "bookmark", "follow", "subscribe", "signup", "signin", "login", "logout", "menu",
        "search", "highlights", "listen", "listentothisarticle", "zoom", "download", "more", "less", "open",
        "reply", "like", "whatsapp", "facebook", "twitter", "linkedin", "pinterest", "reddit", "flipboard",
    ]

    /// A block's text reduced for comparison: lower-case letters and digits only.
    static func key(_ text: String) -> String {
        var ascii: [UInt8] = []
        ascii.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if b >= 0x80 { return unicodeKey(text) }
            if (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) {
                ascii.append(b)
            } else if b >= 0x41 && b <= 0x5A {
                ascii.append(b | 0x20)
            }
        }
        return String(decoding: ascii, as: UTF8.self)
    }

    /// `key` for text beyond ASCII (the general path; `key` on ASCII text gives the same).
    static func unicodeKey(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            out.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return out
    }

    /// Whether a block is a control's label, a copyright line or a newsletter prompt.
    static func isFurnitureLine(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let length = bytes.count
        guard length < 300 else { return false }
        if length <= 40 && labels.contains(key(text)) { return true }
        var start = 0
        while start < length && (bytes[start] == 0x20 || bytes[start] == 0x0A) { start += 1 }
        let head = bytes[start...]
        let copyright =
            head.starts(with: [0xC2, 0xA9]) || startsLower(head, "copyright \u{A9}") || startsLower(head, "copyright 1")
            || startsLower(head, "copyright 2") || startsLower(head, "(c) 1") || startsLower(head, "(c) 2")
        if (copyright && length < 120) || (length < 200 && containsLower(bytes, "all rights reserved")) { return true }
        if containsLower(bytes, "newsletter")
            && (containsLower(bytes, "sign up") || containsLower(bytes, "subscribe") || containsLower(bytes, "inbox")
                || containsLower(bytes, "get our") || containsLower(bytes, "delivered"))
        {
            return true
        }
        return false
    }

    /// Whether `bytes` start with `prefix` (lower-case), ASCII letters compared without case.
    static func startsLower(_ bytes: ArraySlice<UInt8>, _ prefix: String) -> Bool {
        var i = bytes.startIndex
        for p in prefix.utf8 {
            guard i < bytes.endIndex else { return false }
            let b = bytes[i]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != p { return false }
            i += 1
        }
        return true
    }

    /// Whether `bytes` contain `needle` (lower-case ASCII), ASCII letters compared without case.
    static func containsLower(_ bytes: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first, n.count <= bytes.count else { return false }
        var i = 0
        while i <= bytes.count - n.count {
            let b = bytes[i]
            if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) == first && startsLower(bytes[i...], needle) { return true }
            i += 1
        }
        return false
    }

    /// Whether a paragraph is a list of links: mostly link text that does not read as a sentence (a
    /// sentence, with a few words of its own and a full stop, keeps its links' words).
    static func isLinkList(_ text: String, linkShare: Double) -> Bool {
        guard linkShare > 0.5 else { return false }
        let last = text.unicodeScalars.last { !$0.properties.isWhitespace }
        let endsSentence = last.map { ".!?…\"”’)".unicodeScalars.contains($0) } ?? false
        let ownBytes = Double(text.utf8.count) * (1 - linkShare)
        return !(endsSentence && text.utf8.count >= 60 && ownBytes >= 4)
    }
}
