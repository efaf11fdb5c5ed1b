// The PDF reader: poppler's pdftotext -layout (blank lines where the page has gaps, a form feed per page) and pdfinfo run as
// subprocesses with a timeout. Pages become paragraphs rebuilt from lines (hyphenation at line ends
// undone), running headers, footers and page numbers that repeat across pages are dropped, and every
// block records its page. A PDF without a text layer gives a warning.

import DocumentModel
import Foundation

/// Reads `.pdf` files.
struct PDFReader: SingleDocumentReader {
    func readDocument(_ input: ReaderInput) throws -> Document {
        guard FormatDetector.findSubsequence(input.bytes, "%PDF-", limit: 1024) != nil else {
            throw ReaderError("not a PDF file (no %PDF- header)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-pdf-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("input.pdf")
        do { try Data(input.bytes).write(to: file) } catch {
            throw ReaderError("cannot write a temporary copy: \(error.localizedDescription)")
        }
        let timeout = input.options.toolTimeout
        var warnings: [String] = []
        var meta = Metadata()
        meta.encoding = "utf-8"
        if let info = try? ExternalTool.run(
            "pdfinfo", ["-isodates", file.path], package: "poppler-utils",
            timeout: timeout, maxOutput: 1 << 20), info.status == 0
        {
            Self.applyInfo(String(decoding: info.stdout, as: UTF8.self), to: &meta, warnings: &warnings)
        }
        let out = try ExternalTool.run(
            "pdftotext", ["-layout", "-enc", "UTF-8", "-eol", "unix", file.path, "-"],
            package: "poppler-utils", timeout: timeout,
            maxOutput: max(input.bytes.count * 50, 64 << 20))
        guard out.status == 0 else {
            let reason = out.stderr.split(separator: "\n").last.map(String.init) ?? "exit status \(out.status)"
            if out.stderr.lowercased().contains("password") { throw ReaderError("the PDF is encrypted: \(reason)") }
            throw ReaderError("pdftotext could not read the PDF: \(reason)")
        }
        if out.stderr.contains("Error") { warnings.append("pdftotext reported problems (a damaged or truncated PDF?)") }
        return Self.document(
            layoutText: out.stdout, id: input.id, path: input.path, metadata: meta, warnings: warnings)
    }

    /// The document from pdftotext's `-layout` output (pages separated by form feeds): the part of the
    /// reader that parses text, apart from the tools (the fuzzer feeds it any bytes).
    static func document(
        layoutText: [UInt8], id: String, path: String, metadata meta: Metadata, warnings: [String]
    ) -> Document {
        var warnings = warnings
        let pages = String(decoding: layoutText, as: UTF8.self).components(separatedBy: "\u{0C}")
        let layout = PageLayout(
            pages: pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true
                ? Array(pages.dropLast()) : pages)
        var builder = BlockBuilder(capacity: layoutText.count)
        for paragraph in layout.paragraphs() {
            builder.addLeaf(.paragraph, text: paragraph.text, source: .page(paragraph.page))
        }
        if builder.isEmpty {
            warnings.append("the PDF has no text layer (a scanned document?); OCR is not supported")
        }
        if layout.droppedLines > 0 {
            warnings.append("dropped \(layout.droppedLines) running header, footer or page-number lines")
        }
        return builder.finish(id: id, path: path, format: .pdf, metadata: meta, warnings: warnings)
    }

    static func applyInfo(_ info: String, to meta: inout Metadata, warnings: inout [String]) {
        for line in info.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty else { continue }
            switch key {
            case "Title": meta.title = value
            case "Author": meta.authors = [value]
            case "CreationDate": meta.date = value
            case "ModDate": meta.extra["modified"] = .string(value)
            case "Subject": meta.extra["subject"] = .string(value)
            case "Keywords": meta.extra["keywords"] = .string(value)
            case "Creator": meta.extra["creator"] = .string(value)
            case "Producer": meta.extra["producer"] = .string(value)
            case "Pages": if let n = Int(value) { meta.extra["pages"] = .int(n) }
            case "Encrypted": if value.hasPrefix("yes") { warnings.append("the PDF is encrypted (\(value))") }
            default: break
            }
        }
    }
}

/// Rebuilds paragraphs from pdftotext's pages.
struct PageLayout {
    let pages: [[String]]
    private(set) var droppedLines = 0
    private var keep: [[Bool]]

    init(pages raw: [String]) {
        // -layout pads with spaces; runs of spaces inside a line become one.
        pages = raw.map { $0.components(separatedBy: "\n").map { TextCleaner.collapseSpace($0) } }
        keep = pages.map { $0.map { _ in true } }
        dropRunningLines()
    }

    static func isPageNumber(_ line: String) -> Bool {
        let l = line.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: " -–—|"))
        if l.isEmpty { return false }
        let words = l.split(separator: " ")
        let digits = words.filter { $0.allSatisfy(\.isNumber) }.count
        let rest = words.filter { !$0.allSatisfy(\.isNumber) }
        return digits >= 1 && digits <= 2
            && rest.allSatisfy { ["page", "p.", "of", "/", "seite"].contains(String($0)) }
    }

    static func shape(_ line: String) -> String {
        String(line.lowercased().map { $0.isNumber ? "#" : $0 })
    }

    /// Drops lines at the top or bottom of pages that repeat (digits aside) on most pages, and lone page numbers.
    private mutating func dropRunningLines() {
        let n = pages.count
        func edgeLines(_ p: Int, top: Bool) -> [Int] {
            let idx = pages[p].indices.filter { !pages[p][$0].isEmpty }
            return Array(top ? idx.prefix(2) : idx.suffix(2))
        }
        if n >= 2 {
            for top in [true, false] {
                var counts: [String: Int] = [:]
                for p in 0..<n {
                    for i in Set(edgeLines(p, top: top).map { Self.shape(pages[p][$0]) }) { counts[i, default: 0] += 1 }
                }
                let threshold = max(2, Int((Double(n) * 0.6).rounded(.up)))
                for p in 0..<n {
                    for i in edgeLines(p, top: top)
                    where (counts[Self.shape(pages[p][i])] ?? 0) >= threshold && keep[p][i] {
                        keep[p][i] = false
                        droppedLines += 1
                    }
                }
            }
        }
        for p in 0..<n {
            for i in edgeLines(p, top: true) + edgeLines(p, top: false)
            where keep[p][i] && Self.isPageNumber(pages[p][i]) {
                keep[p][i] = false
                droppedLines += 1
            }
        }
    }

    /// Paragraphs in reading order with their 1-based page; a paragraph cut by a page break is joined.
    func paragraphs() -> [(text: String, page: Int)] {
        var out: [(text: String, page: Int)] = []
        for (p, lines) in pages.enumerated() {
            var current: [String] = []
            var firstOfPage = true
            func flush() {
                guard !current.isEmpty else { return }
                let text = Self.join(current)
                current.removeAll()
                if firstOfPage, let last = out.last, Self.continues(last.text, text) {
                    out[out.count - 1].text = Self.join([last.text, text])
                } else {
                    out.append((text, p + 1))
                }
                firstOfPage = false
            }
            for (i, line) in lines.enumerated() where keep[p][i] {
                if line.isEmpty { flush() } else { current.append(line) }
            }
            flush()
        }
        return out
    }

    /// Whether a paragraph ending a page goes on at the top of the next one.
    static func continues(_ previous: String, _ next: String) -> Bool {
        guard let end = previous.last, let start = next.first else { return false }
        return !".!?:;\"”’)]".contains(end) && start.isLowercase
    }

    /// Joins lines with spaces, undoing hyphenation at line ends ("experi-" + "ment").
    static func join(_ lines: [String]) -> String {
        var out = ""
        for line in lines {
            if out.isEmpty { out = line; continue }
            if out.hasSuffix("-"), out.count >= 2, out.dropLast().last?.isLetter == true,
                line.first?.isLowercase == true
            {
                out.removeLast()
                out += line
            } else {
                out += " " + line
            }
        }
        return out
    }
}
