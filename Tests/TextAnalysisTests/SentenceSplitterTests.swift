// Tests for the sentence splitter: abbreviations, initials, decimals, ellipses, quotes,
// URLs, block boundaries and hard-wrapped lines.
import Testing
@testable import TextAnalysis

@Suite struct SentenceSplitterTests {
    @Test func titlesAndInitials() {
        #expect(
            sentenceTexts("Mr. Smith met Dr. J. R. R. Tolkien and William J. Burns. They talked.") == [
                "Mr. Smith met Dr. J. R. R. Tolkien and William J. Burns.", "They talked.",
            ])
    }

    @Test func usInsideAndAtTheEnd() {
        #expect(
            sentenceTexts("U.S. officials said so. He lives in the U.S. The next day he left.") == [
                "U.S. officials said so.", "He lives in the U.S.", "The next day he left.",
            ])
        #expect(sentenceTexts("The U.S. President spoke.") == ["The U.S. President spoke."])
    }

    @Test func etcAndCompanies() {
        #expect(
            sentenceTexts("They sold apples, pears, etc. Then they left. Acme Inc. said no.") == [
                "They sold apples, pears, etc.", "Then they left.", "Acme Inc. said no.",
            ])
        #expect(
            sentenceTexts("Shares fell on Jan. 5 and e.g. No. 3 rose.") == [
                "Shares fell on Jan. 5 and e.g. No. 3 rose."
            ])
    }

    @Test func decimalsEllipsesAndMarks() {
        #expect(
            sentenceTexts("It grew 3.5 percent. Really?! Yes... It did… Fine.") == [
                "It grew 3.5 percent.", "Really?!", "Yes...", "It did…", "Fine.",
            ])
    }

    @Test func closingQuotesStayAndAttributionJoins() {
        #expect(
            sentenceTexts("“Why?” he asked. She said: \"Go home.\" Then (briefly.) Next.") == [
                "“Why?” he asked.", "She said: \"Go home.\"", "Then (briefly.)", "Next.",
            ])
    }

    @Test func urlsAndEmailsDoNotSplit() {
        #expect(
            sentenceTexts("Visit www.example.com or mail a.b@example.org today. Done.") == [
                "Visit www.example.com or mail a.b@example.org today.", "Done.",
            ])
    }

    @Test func hardWrappedLinesAndBlocks() {
        let text =
            "Heading Without Dot\n\nThe first line\ncontinues here. Second\nsentence.\n\n- item one\n- item two\n"
        #expect(
            sentenceTexts(text) == [
                "Heading Without Dot", "The first line\ncontinues here.", "Second\nsentence.",
                "item one", "item two",
            ])
    }

    @Test func unbalancedQuotesDoNotBreakSplitting() {
        #expect(
            sentenceTexts("He said “stop. Nobody did. It ended.") == ["He said “stop.", "Nobody did.", "It ended."])
    }

    @Test func noPunctuationAtAll() {
        let words = Array(repeating: "word", count: 2000).joined(separator: " ")
        let d = analyzed(words)
        #expect(d.sentences.count == 1)
        #expect(d.tokens.count == 2000)
    }
}
