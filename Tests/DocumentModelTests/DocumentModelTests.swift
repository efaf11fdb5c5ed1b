import Testing
@testable import DocumentModel

@Test func placeholderDocumentModel() { #expect(Bool(true)) }
