// Text analysis: normalization, blocks, sentences, tokens and quotations.
import DocumentModel

/// Placeholder until the text-analysis work lands.
public enum Analyzer {
    public static func analyze(_ text: String) -> Document { Document(text: text) }
}
