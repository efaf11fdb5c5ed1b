// Benchmarks of text analysis (normalize, blocks, sentences, tokens, quotes) against a plain
// whitespace split of the same bytes, memory per token, and scaling with document size.
import DocumentModel
import Foundation
import TextAnalysis

func whitespaceWords(_ bytes: [UInt8]) -> Int {
    var count = 0
    var inWord = false
    for b in bytes {
        let space = b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D
        if !space && !inWord { count += 1 }
        inWord = !space
    }
    return count
}

func benchAnalysis(_ texts: [String]) throws {
    heading("Text analysis on the news corpus (\(texts.count) stories), one core")
    let documents = texts.map { Array($0.utf8) }
    let totalBytes = Double(documents.reduce(0) { $0 + $1.count })
    var words = 0
    let tSplit = best(3) {
        words = 0
        for d in documents { words += whitespaceWords(d) }
    }
    var tokens = 0
    var sentences = 0
    var storedBytes = 0
    let tAnalysis = try best(3) {
        tokens = 0
        sentences = 0
        storedBytes = 0
        for (i, d) in documents.enumerated() {
            let doc = try Analyzer.analyze(bytes: d, id: "d\(i)")
            tokens += doc.tokens.count
            sentences += doc.sentences.count
            storedBytes +=
                doc.tokens.count * 10 + doc.tokens.normValues.reduce(0) { $0 + $1.utf8.count + 16 }
                + doc.tokens.normIndexes.count * 4
        }
    }
    let mb = totalBytes / 1e6
    row("whitespace split (baseline)", "\(format(mb / tSplit)) MB/s", "\(words) words")
    row(
        "normalize + blocks + sentences + tokens + quotes", "\(format(mb / tAnalysis)) MB/s",
        "target >= 20 MB/s; \(format(tAnalysis / tSplit, 1))x the baseline's time")
    row("tokens, sentences", "\(tokens), \(sentences)")
    row(
        "stored bytes per token (columns + norms)", format(Double(storedBytes) / Double(max(1, tokens)), 2),
        "target <= 16")

    heading("Text analysis: scaling with document size")
    for size in [1_000_000, 10_000_000, 50_000_000] {
        let text = Array(BenchCorpus.document(of: size, from: texts).utf8)
        let t = try best(size > 10_000_000 ? 1 : 3) { _ = try Analyzer.analyze(bytes: text, id: "big") }
        row("one \(size / 1_000_000) MB document", "\(format(Double(text.count) / 1e6 / t)) MB/s", "\(format(t, 2)) s")
    }
}
