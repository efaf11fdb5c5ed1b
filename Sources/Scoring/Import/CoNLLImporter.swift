// CoNLL named-entity files (a token a line, the tag in the last column, blank lines between sentences,
// `-DOCSTART-` between documents; IOB1, IOB2/BIO, BIOES/BILOU tags) to gold documents, with offsets into
// a given text (tokens aligned in order) or into the tokens joined by spaces, a sentence a line.
import DocumentModel

/// Converts CoNLL IOB/IOB2/BIOES files.
public enum CoNLLImporter {
    struct Token {
        var text: String
        var tag: Tag
        var line: Int
    }

    enum Tag: Equatable {
        case outside
        /// B (begin), I (inside), E/L (end), S/U (single).
        case entity(prefix: Character, type: String)
    }

    /// Converts one CoNLL file.
    ///
    /// - Parameters:
    ///   - conll: The file's text.
    ///   - path: Its name, for messages and ids (`name`, or `name#N` when it holds several documents).
    ///   - text: The document's text (`--text`), normalized as `quarry run` reads it: the tokens are
    ///     found in it in order, skipping white space; the file must then hold one document, whose id is
    ///     the text file's name without extension.
    ///   - textPath: The text file's name.
    ///   - sha256: The SHA-256 of the text file's bytes.
    ///   - hash: The SHA-256 of a joined text's UTF-8 (without --text), or nil to leave it out.
    /// - Throws: `ScoringError` naming `path:line` for a line without a tag, a malformed tag, or a token
    ///   not found where the text goes on.
    public static func convert(
        conll: String, path: String, text: NormalizedOffsets? = nil, textPath: String? = nil,
        sha256: String? = nil, hash: (String) -> String? = { _ in nil }
    ) throws -> ImportResult {
        var documents: [[[Token]]] = [[]]  // documents → sentences → tokens
        var sentence: [Token] = []
        func endSentence() {
            if !sentence.isEmpty { documents[documents.count - 1].append(sentence) }
            sentence = []
        }
        let lines = conll.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, raw) in lines.enumerated() {
            let number = i + 1
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            if i == 0, line.first == "\u{FEFF}" { line = line.dropFirst() }
            let columns = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            if columns.isEmpty { endSentence(); continue }
            if columns[0] == "-DOCSTART-" {
                endSentence()
                if !documents[documents.count - 1].isEmpty { documents.append([]) }
                continue
            }
            guard columns.count >= 2 else {
                throw ScoringError(
                    "expected a token and a tag (the tag in the last column), found '\(line)'", file: path, line: number
                )
            }
            let tag = try parseTag(String(columns[columns.count - 1]), file: path, line: number)
            sentence.append(Token(text: String(columns[0]), tag: tag, line: number))
        }
        endSentence()
        if documents.count > 1 && documents[documents.count - 1].isEmpty { documents.removeLast() }

        var result = ImportResult()
        if let text {
            guard documents.count == 1 else {
                throw ScoringError(
                    "--text aligns one document, and this file holds \(documents.count) (-DOCSTART- lines)", file: path)
            }
            var offsets: [[Range<Int>]] = []
            var position = 0
            for s in documents[0] {
                var ranges: [Range<Int>] = []
                for token in s {
                    let r = try align(token, in: text, from: position, file: path, textPath: textPath ?? "the text")
                    ranges.append(r)
                    position = r.upperBound
                }
                offsets.append(ranges)
            }
            let spans = try entities(documents[0], offsets, file: path) { text.slice($0, $1) }
            result.documents = [ScoringDocument(id: stem(of: textPath ?? path), sha256: sha256, spans: spans)]
            return result
        }
        let name = stem(of: path)
        for (n, sentences) in documents.enumerated() {
            var joined: [Unicode.Scalar] = []
            var offsets: [[Range<Int>]] = []
            for (k, s) in sentences.enumerated() {
                if k > 0 { joined.append("\n") }
                var ranges: [Range<Int>] = []
                for (t, token) in s.enumerated() {
                    if t > 0 { joined.append(" ") }
                    let start = joined.count
                    joined.append(contentsOf: token.text.unicodeScalars)
                    ranges.append(start..<joined.count)
                }
                offsets.append(ranges)
            }
            let spans = try entities(sentences, offsets, file: path) {
                String(String.UnicodeScalarView(joined[$0..<$1]))
            }
            let documentText = String(String.UnicodeScalarView(joined))
            let id = documents.count > 1 ? "\(name)#\(n + 1)" : name
            result.documents.append(
                ScoringDocument(id: id, sha256: hash(documentText), spans: spans, text: documentText))
        }
        result.notes.append(
            "\(path): no --text: offsets are into the tokens joined by single spaces, a sentence a line; each document's line in the gold file carries that text (and its SHA-256)"
        )
        return result
    }

    static func parseTag(_ tag: String, file: String, line: Int) throws -> Tag {
        if tag == "O" { return .outside }
        let chars = Array(tag)
        guard chars.count >= 3, "BIESLU".contains(chars[0]), chars[1] == "-" else {
            throw ScoringError(
                "bad tag '\(tag)': expected O, or B-, I-, E-, S- (or L-, U-) and a type", file: file, line: line)
        }
        return .entity(prefix: chars[0], type: String(chars[2...]))
    }

    /// Groups tagged tokens into spans: B/S/U start one, I/E/L continue one of the same type (or start one,
    /// as in IOB1), E/L/S/U end it, O and sentence ends close it.
    static func entities(
        _ sentences: [[Token]], _ offsets: [[Range<Int>]], file: String,
        slice: (Int, Int) -> String
    ) throws -> [LabeledSpan] {
        var spans: [LabeledSpan] = []
        for (s, tokens) in sentences.enumerated() {
            var open: (type: String, start: Int, end: Int, line: Int)?
            func close() {
                if let o = open {
                    spans.append(
                        LabeledSpan(type: o.type, start: o.start, end: o.end, text: slice(o.start, o.end), line: o.line)
                    )
                }
                open = nil
            }
            for (t, token) in tokens.enumerated() {
                let r = offsets[s][t]
                switch token.tag {
                case .outside: close()
                case .entity(let prefix, let type):
                    let continues = (prefix == "I" || prefix == "E" || prefix == "L") && open?.type == type
                    if continues {
                        open!.end = r.upperBound
                    } else {
                        close()
                        open = (type, r.lowerBound, r.upperBound, token.line)
                    }
                    if "ESLU".contains(prefix) { close() }
                }
            }
            close()
        }
        return spans
    }

    /// Finds `token` in `text` at `position`, after white space. Penn Treebank escapes (`-LRB-`, ``` `` ```,
    /// `''`) also match what they stand for.
    static func align(
        _ token: Token, in text: NormalizedOffsets, from position: Int, file: String,
        textPath: String
    ) throws -> Range<Int> {
        let scalars = text.scalars
        var p = position
        while p < scalars.count && scalars[p].properties.isWhitespace { p += 1 }
        for candidate in candidates(token.text) {
            let c = Array(candidate.unicodeScalars)
            if p + c.count <= scalars.count && Array(scalars[p..<(p + c.count)]) == c { return p..<(p + c.count) }
        }
        let there = p < scalars.count ? Scorer.quoted(text.slice(p, min(scalars.count, p + 30))) : "the end of the text"
        throw ScoringError(
            "token \(Scorer.quoted(token.text)) not found in \(textPath) at code point \(p), where the text has \(there)",
            file: file, line: token.line)
    }

    static func candidates(_ token: String) -> [String] {
        switch token {
        case "-LRB-": [token, "("]
        case "-RRB-": [token, ")"]
        case "-LSB-": [token, "["]
        case "-RSB-": [token, "]"]
        case "-LCB-": [token, "{"]
        case "-RCB-": [token, "}"]
        case "``": [token, "\"", "\u{201C}", "\u{201E}"]
        case "''": [token, "\"", "\u{201D}"]
        case "`": [token, "'", "\u{2018}"]
        case "'": [token, "\u{2019}"]
        default: [token]
        }
    }
}
