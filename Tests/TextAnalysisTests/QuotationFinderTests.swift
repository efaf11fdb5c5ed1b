// Tests for the quotation finder: mark styles, nesting, apostrophes, continued quotations,
// unbalanced marks and deep nesting.
import Testing
import DocumentModel
@testable import TextAnalysis

@Suite struct QuotationFinderTests {
    @Test func curlyAndStraightDoubleQuotes() {
        let d = analyzed("He said “yes” and \"no\".")
        #expect(d.quotations.map { d.text(of: $0.outer) } == ["“yes”", "\"no\""])
        #expect(d.quotations.map { d.text(of: $0.inner) } == ["yes", "no"])
        #expect(d.quotations.allSatisfy { $0.balanced })
    }

    @Test func nestedQuotes() {
        let d = analyzed("“She told me ‘never again’ twice,” he said.")
        #expect(d.quotations.map { d.text(of: $0.outer) } == ["“She told me ‘never again’ twice,”", "‘never again’"])
        #expect(d.quotations[1].parent == 0)
        #expect(d.quotations[1].depth == 1)
    }

    @Test func apostrophesAreNotQuotes() {
        #expect(quoteTexts("Don't ask O'Brien about the '90s or the students' fees, it’s fine.") == [])
        #expect(quoteTexts("He said 'go' and left.") == ["'go'"])
    }

    @Test func otherLanguagesMarks() {
        #expect(quoteTexts("Il a dit « bonjour » hier.") == ["« bonjour »"])
        #expect(quoteTexts("Er sagte »Hallo« und „Tschüss“.") == ["»Hallo«", "„Tschüss“"])
        #expect(quoteTexts("彼は「こんにちは『友』」と言った。") == ["「こんにちは『友』」", "『友』"])
    }

    @Test func quotationContinuedOverParagraphs() {
        let text = "“This is the first part of the speech.\n\n“And this is the second,” she said.\n"
        let d = analyzed(text)
        #expect(d.quotations.count == 2)
        #expect(d.quotations[0].continuation == 1)
        #expect(d.quotations[0].balanced)
        #expect(d.text(of: d.quotations[0].outer) == "“This is the first part of the speech.")
    }

    @Test func openingMarkBeforeBracketOrEllipsis() {
        #expect(
            quoteTexts("\"(The plan) will work,\" he said. \"It is ready.\"")
                == ["\"(The plan) will work,\"", "\"It is ready.\""])
        #expect(quoteTexts("She replied: \"...It is too early.\" Then she left.") == ["\"...It is too early.\""])
        #expect(quoteTexts("They said \"[the rules] are clear\" today.") == ["\"[the rules] are clear\""])
    }

    @Test func missingCloseEndsAtParagraph() {
        let d = analyzed("He said “this never closes.\n\nNext paragraph “is fine” here.")
        #expect(d.quotations.map { d.text(of: $0.outer) } == ["“this never closes.", "“is fine”"])
        #expect(d.quotations.map(\.balanced) == [false, true])
    }

    @Test func wrongDirectionMarks() {
        let d = analyzed("He said ”hello” to all.")
        #expect(d.quotations.map { d.text(of: $0.outer) } == ["”hello”"])
        #expect(d.quotations[0].balanced == false)
    }

    @Test func deepNestingIsLinearAndSafe() {
        let n = 10_000
        let text = String(repeating: "“a ", count: n) + "x" + String(repeating: " b”", count: n) + "."
        let d = analyzed(text)
        #expect(d.quotations.count == n)
        #expect(d.quotations.last?.depth == Int32(n - 1))
        #expect(d.quotations.allSatisfy { $0.balanced })
        let brackets = String(repeating: "(", count: n) + "y" + String(repeating: ")", count: n)
        #expect(analyzed(brackets).tokens.count == 2 * n + 1)
        let opens = analyzed(String(repeating: "“", count: n) + " end")
        #expect(opens.quotations.count == n)
        #expect(opens.quotations.allSatisfy { !$0.balanced })
    }
}
