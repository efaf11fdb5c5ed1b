import Testing
@testable import TextAnalysis

@Test func placeholderTextAnalysis() { #expect(Bool(true)) }
