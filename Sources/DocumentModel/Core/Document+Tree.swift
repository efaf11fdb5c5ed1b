// A readable tree rendering of a document for `quarry inspect`:
// blocks, then the sentences of each leaf block with their token and quotation counts.

extension Document {
    /// Renders the block tree with sentences, token counts and quotation counts, one item a line.
    ///
    /// - Parameter maxText: How many characters of each sentence to show before an ellipsis.
    /// - Parameter maxDepth: How deep the indentation goes: deeper blocks are shown at this depth with
    ///   their real depth, so a page of thousands of nested elements prints in linear time and size.
    public func renderTree(maxText: Int = 60, maxDepth: Int = 32) -> String {
        var out =
            "document \(id) (\(format), \(text.utf8.count) bytes, \(blocks.count) blocks, "
            + "\(sentences.count) sentences, \(tokens.count) tokens, \(quotations.count) quotes)\n"
        if let t = metadata.title { out += "title: \(t)\n" }
        for w in warnings { out += "warning: \(w)\n" }
        var sentenceCursor = 0
        // depths in one pass (a parent comes before its children), not a walk up per block
        var depths = [Int](repeating: 0, count: blocks.count)
        var capped = false
        for i in 0..<blocks.count {
            let b = blocks[i]
            if b.parent >= 0 { depths[i] = depths[Int(b.parent)] + 1 }
            let depth = depths[i]
            if depth > maxDepth && !capped {
                capped = true
                out +=
                    "note: blocks nested deeper than \(maxDepth) levels are shown at depth \(maxDepth), with their depth\n"
            }
            let indent = String(repeating: "  ", count: min(depth, maxDepth))
            var label = b.kind.description
            if b.kind == .heading || b.kind == .item { label += "(\(b.level))" }
            if depth > maxDepth { label += " (depth \(depth))" }
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
