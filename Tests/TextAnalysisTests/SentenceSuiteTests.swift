// The sentence splitter's case suite: Fixtures/sentences.txt, cases by category with the exact sentences
// expected. Failures are reported per category, each with its input, the expected and the actual sentences.
import Foundation
import Testing
@testable import TextAnalysis

/// One case of the suite.
struct SentenceCase {
    var category: String
    var line: Int
    var input: String
    var expected: [String]
}

enum SentenceSuite {
    /// Reads the suite's cases (format described at the top of the file).
    static func load() throws -> [SentenceCase] {
        let here = #filePath
        let dir = here[..<here.lastIndex(of: "/")!]
        let text = try String(contentsOfFile: String(dir) + "/Fixtures/sentences.txt", encoding: .utf8)
        var cases: [SentenceCase] = []
        var category = ""
        var input: [String] = [], expected: [String] = []
        var startLine = 0
        func unescape(_ s: Substring) -> String { s.replacingOccurrences(of: "\\n", with: "\n") }
        func finish() {
            if !input.isEmpty {
                cases.append(
                    SentenceCase(
                        category: category, line: startLine, input: input.joined(separator: "\n"), expected: expected))
            }
            input = []
            expected = []
        }
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if raw.hasPrefix("## ") {
                finish()
                category = String(raw.dropFirst(3))
            } else if raw.hasPrefix("> ") {
                if input.isEmpty { startLine = n + 1 }
                input.append(unescape(raw.dropFirst(2)))
            } else if raw.hasPrefix("= ") {
                expected.append(unescape(raw.dropFirst(2)))
            } else if raw.isEmpty {
                finish()
            } else if !raw.hasPrefix("#") {
                throw TextAnalysisError.notText(reason: "sentences.txt line \(n + 1): unknown line")
            }
        }
        finish()
        return cases
    }
}

@Suite struct SentenceSuiteTests {
    @Test func everyCaseOfTheSuiteSplitsAsExpected() throws {
        let cases = try SentenceSuite.load()
        #expect(cases.count >= 150)
        var failures: [String: [String]] = [:]
        var totals: [String: Int] = [:]
        for c in cases {
            #expect(!c.expected.isEmpty, "sentences.txt line \(c.line): a case without expected sentences")
            totals[c.category, default: 0] += 1
            let got = sentenceTexts(c.input)
            if got != c.expected {
                failures[c.category, default: []].append(
                    "line \(c.line): \(c.input.debugDescription)\n  expected \(c.expected)\n  got      \(got)")
            }
        }
        for category in totals.keys.sorted() {
            guard let f = failures[category] else { continue }
            let list = f.joined(separator: "\n")
            Issue.record("\(category): \(f.count) of \(totals[category] ?? 0) cases fail\n\(list)")
        }
    }

    @Test func theSuiteCoversEveryCategory() throws {
        let categories = Set(try SentenceSuite.load().map(\.category))
        for c in [
            "news", "dialogue", "literature", "legal", "citations", "ellipses", "inline lists", "times",
            "abbreviations before numbers", "pronoun I and initials", "quotes and brackets", "numbers",
        ] {
            #expect(categories.contains(c), "no case in category \(c)")
        }
    }
}
