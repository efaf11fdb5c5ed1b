// A readable tree rendering of a document for `quarry inspect`:
// blocks, then the sentences of each leaf block with their token and quotation counts.

extension Document {
    /// Renders the block tree with sentences, token counts and quotation counts, one item a line.
    ///
    /// - Parameter maxText: How many characters of each sentence to show before an ellipsis.
    public func renderTree(maxText: Int = 60) -> String {
        var out =
            "document \(id) (\(format), \(text.utf8.count) bytes, \(blocks.count) blocks, "
            + "\(sentences.count) sentences, \(tokens.count) tokens, \(quotations.count) quotes)\n"
        if let t = metadata.title { out += "title: \(t)\n" }
        for w in warnings { out += "warning: \(w)\n" }
        var sentenceCursor = 0
        for i in 0..<blocks.count {
            let b = blocks[i]
            let indent = String(repeating: "  ", count: blocks.depth(of: i))
            var label = b.kind.description
            if b.kind == .heading || b.kind == .item { label += "(\(b.level))" }
            out += "\(indent)▸ \(label) [\(b.range.start), \(b.range.end))"
            if blocks.isLeaf(i) && !b.kind.isContainer {
                out += "\n"
                while sentenceCursor < sentences.count && sentences.blocks[sentenceCursor] < UInt32(i) {
                    sentenceCursor += 1
                }
                while sentenceCursor < sentences.count && sentences.blocks[sentenceCursor] == UInt32(i) {
                    let r = sentences.range(sentenceCursor)
                    let nt = tokenIndexes(ofSentence: sentenceCursor).count
                    let nq = quotationIndexes(within: r).count
                    out +=
                        "\(indent)  ▸ sentence \(sentenceCursor): \(nt) tokens, \(nq) quotes  "
                        + Self.preview(text(of: r), maxText) + "\n"
                    sentenceCursor += 1
                }
            } else {
                out += "\n"
            }
        }
        return out
    }

    static func preview(_ s: String, _ n: Int) -> String {
        var flat = ""
        var count = 0
        for c in s {
            if count == n { flat += "…"; break }
            flat.append(c == "\n" ? " " : c)
            count += 1
        }
        return "\"" + flat + "\""
    }
}
