// Readers not written yet: they fail clearly instead of guessing.

import DocumentModel

struct PDFReader: SingleDocumentReader {
    func readDocument(_ input: ReaderInput) throws -> Document { throw ReaderError("the pdf reader is not available yet") }
}
