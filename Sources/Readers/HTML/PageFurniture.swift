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
        var out = ""
        for scalar in text.unicodeScalars where scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
            out.unicodeScalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        }
        return out
    }

    /// Whether a block is a control's label, a copyright line or a newsletter prompt.
    static func isFurnitureLine(_ text: String) -> Bool {
        let length = text.utf8.count
        guard length < 300 else { return false }
        if length <= 40 && labels.contains(key(text)) { return true }
        let lower = text.lowercased()
        let trimmed = lower.drop { $0 == " " || $0 == "\n" || $0 == "\u{A0}" }
        let copyright =
            trimmed.hasPrefix("©") || trimmed.hasPrefix("copyright ©") || trimmed.hasPrefix("copyright 1")
            || trimmed.hasPrefix("copyright 2") || trimmed.hasPrefix("(c) 1") || trimmed.hasPrefix("(c) 2")
        if (copyright && length < 120) || (lower.contains("all rights reserved") && length < 200) { return true }
        if lower.contains("newsletter")
            && (lower.contains("sign up") || lower.contains("subscribe") || lower.contains("inbox")
                || lower.contains("get our") || lower.contains("delivered"))
        {
            return true
        }
        return false
    }

    /// Whether a paragraph is a list of links: nearly all link text, or mostly link text that does not
    /// read as a sentence (a sentence keeps its links' words).
    static func isLinkList(_ text: String, linkShare: Double) -> Bool {
        if linkShare > 0.85 { return true }
        guard linkShare > 0.5 else { return false }
        let last = text.unicodeScalars.last { !$0.properties.isWhitespace }
        let endsSentence = last.map { ".!?…\"”’)".unicodeScalars.contains($0) } ?? false
        return !(endsSentence && text.utf8.count >= 60)
    }
}
