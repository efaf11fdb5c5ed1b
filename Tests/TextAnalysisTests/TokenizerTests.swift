// Tests for the tokenizer: kinds, abbreviations, numbers, compounds, URLs, e-mails, emoji, CJK,
// norms and shape flags.
import Testing
import DocumentModel
@testable import TextAnalysis

@Suite struct TokenizerTests {
    func toks(_ s: String) -> [String] { tokenTexts(s) }
    func kinds(_ s: String) -> [TokenKind] {
        let d = analyzed(s)
        return d.tokens.kinds
    }

    @Test func abbreviationsKeepTheirPeriod() {
        #expect(
            toks("The U.S. and e.g. Mr. Smith at 9 a.m. today.") == [
                "The", "U.S.", "and", "e.g.", "Mr.", "Smith", "at", "9", "a.m.", "today", ".",
            ])
    }

    @Test func numbers() {
        #expect(
            toks("It rose 3.5 to 1,000,000 or 5% and $4.2bn, 12-point, 10:30, 5th.") == [
                "It", "rose", "3.5", "to", "1,000,000", "or", "5%", "and", "$4.2bn", ",", "12-point", ",", "10:30", ",",
                "5th", ".",
            ])
        #expect(kinds("3.5 5% $4.2bn 12-point") == [.number, .number, .number, .word])
    }

    @Test func compoundsAndApostrophes() {
        let d = analyzed("A well-known man didn’t know O'Brien in the '90s or the students' rooms.")
        let t = (0..<d.tokens.count).map { d.text(of: d.tokens.range($0)) }
        #expect(
            t == [
                "A", "well-known", "man", "didn’t", "know", "O'Brien", "in", "the", "'90s", "or", "the", "students",
                "'", "rooms", ".",
            ])
        #expect(d.tokens.flags[1].contains(.hyphenated))
        #expect(d.tokens.flags[3].contains(.hasApostrophe))
        #expect(d.norm(ofToken: 3) == "didn't")
        #expect(d.tokens.parts(3, in: d.text).map { d.text(of: $0) } == ["didn", "’t"])
    }

    @Test func urlsEmailsMentionsHashtags() {
        let s = "See https://example.org/a_(b)?q=1. Mail ann.lee@example.com, ping @quarry_dev #NewsToday www.test.net."
        #expect(
            toks(s) == [
                "See", "https://example.org/a_(b)?q=1", ".", "Mail", "ann.lee@example.com", ",", "ping",
                "@quarry_dev", "#NewsToday", "www.test.net", ".",
            ])
        #expect(
            kinds(s) == [
                .word, .url, .punctuation, .word, .email, .punctuation, .word, .mention, .hashtag, .url, .punctuation,
            ])
    }

    @Test func aSentenceRunOnWithoutItsSpaceIsNoDomain() {
        #expect(
            toks("it rained.Then example.com and Mail.Example") == [
                "it", "rained", ".", "Then", "example.com", "and", "Mail", ".", "Example",
            ])
        #expect(toks("ASP.NET and node.js") == ["ASP.NET", "and", "node.js"])
    }

    @Test func punctuationRuns() {
        #expect(toks("Wait... what?! No—never…") == ["Wait", "...", "what", "?!", "No", "—", "never", "…"])
    }

    @Test func emojiAreOneTokenPerCluster() {
        #expect(toks("ok 👍🏽 👨‍👩‍👧 🇺🇦!") == ["ok", "👍🏽", "👨‍👩‍👧", "🇺🇦", "!"])
    }

    @Test func cjkAndThaiSplitPerCharacter() {
        #expect(toks("東京都に行く") == ["東", "京", "都", "に", "行", "く"])
        #expect(toks("สวัสดี") == ["ส", "วั", "ส", "ดี"])
        #expect(toks("Привет, мир") == ["Привет", ",", "мир"])
    }

    @Test func normsUnifyTypography() {
        let d = analyzed("“Quote” – it’s ‘FINE’")
        let norms = (0..<d.tokens.count).map { d.norm(ofToken: $0) }
        #expect(norms == ["\"", "quote", "\"", "-", "it's", "'", "fine", "'"])
    }

    @Test func shapeFlags() {
        let d = analyzed("London NATO iPhone B2B x")
        #expect(d.tokens.flags[0].contains([.capitalized, .titleCase]))
        #expect(d.tokens.flags[1].contains([.capitalized, .allCaps]))
        #expect(!d.tokens.flags[1].contains(.titleCase))
        #expect(!d.tokens.flags[2].contains(.capitalized))
        #expect(d.tokens.flags[3].contains(.hasDigit))
        #expect(d.tokens.flags[4].isEmpty)
    }

    @Test func separateTokensForRossiya1() {
        #expect(toks("Rossiya 1 said") == ["Rossiya", "1", "said"])
    }
}
