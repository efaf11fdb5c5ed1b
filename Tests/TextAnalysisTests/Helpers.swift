// Helpers shared by the text-analysis tests: analyse a string and list its spans as strings.
import DocumentModel
@testable import TextAnalysis

func analyzed(_ s: String) -> Document { try! Analyzer.analyze(text: s) }
func sentenceTexts(_ s: String) -> [String] {
    let d = analyzed(s)
    return (0..<d.sentences.count).map { d.text(of: d.sentences.range($0)) }
}
func tokenTexts(_ s: String) -> [String] {
    let d = analyzed(s)
    return (0..<d.tokens.count).map { d.text(of: d.tokens.range($0)) }
}
func quoteTexts(_ s: String) -> [String] {
    let d = analyzed(s)
    return d.quotations.map { d.text(of: $0.outer) }
}
