// brat standoff (`.ann`) to gold documents: T lines become annotations (discontinuous spans one
// annotation with `parts`), A/M attributes and N normalizations features; relations, events and
// equivalences are counted and skipped. Offsets are remapped through Quarry's normalization of the .txt.
import DocumentModel

/// Converts brat standoff annotations.
public enum BratImporter {
    /// Converts one `.ann` file.
    ///
    /// - Parameters:
    ///   - ann: The `.ann` file's text.
    ///   - path: Its name, for messages; the document id is its name without folder and extension.
    ///   - text: The sibling `.txt` (normalized, with the offset map), when there is one: offsets are
    ///     checked against it and remapped to what `quarry run` reads.
    ///   - textPath: The `.txt` file's name, for messages.
    ///   - sha256: The SHA-256 of the `.txt` file's bytes.
    /// - Throws: `ScoringError` naming `path:line` for a malformed line, offsets past the text, or an
    ///   attribute of an annotation that does not exist.
    public static func convert(
        ann: String, path: String, text: NormalizedOffsets? = nil, textPath: String? = nil,
        sha256: String? = nil
    ) throws -> ImportResult {
        var result = ImportResult()
        var spans: [LabeledSpan] = []
        var byID: [String: Int] = [:]
        var otherIDs: Set<String> = []
        var later: [(Int, Substring)] = []
        let lines = ann.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, raw) in lines.enumerated() {
            let number = i + 1
            var line = raw
            if line.hasSuffix("\r") { line = line.dropLast() }
            if i == 0, line.first == "\u{FEFF}" { line = line.dropFirst() }
            if line.allSatisfy(\.isWhitespace) { continue }
            func fail(_ message: String) -> ScoringError { ScoringError(message, file: path, line: number) }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard let kind = line.first else { continue }
            switch kind {
            case "T":
                guard fields.count >= 2 else { throw fail("expected ID<TAB>TYPE START END<TAB>TEXT") }
                let id = String(fields[0])
                let head = fields[1].split(separator: " ", maxSplits: 1)
                guard head.count == 2, !head[0].isEmpty else {
                    throw fail("expected TYPE START END after the id \(id)")
                }
                var fragments: [Range<Int>] = []
                for piece in head[1].split(separator: ";") {
                    let numbers = piece.split(separator: " ")
                    guard numbers.count == 2, let s = Int(numbers[0]), let e = Int(numbers[1]) else {
                        throw fail("\(id): offsets must be START END (or START END;START END), not '\(head[1])'")
                    }
                    guard s >= 0, s <= e else { throw fail("\(id): start \(s) is after end \(e)") }
                    fragments.append(s..<e)
                }
                guard !fragments.isEmpty else { throw fail("\(id): no offsets") }
                guard byID[id] == nil else { throw fail("\(id) is defined twice") }
                let bratText = fields.count > 2 ? String(fields[2]) : nil
                var span = LabeledSpan(
                    type: String(head[0]), start: fragments.map(\.lowerBound).min()!,
                    end: fragments.map(\.upperBound).max()!, line: number)
                if let text {
                    guard span.end <= text.rawCount else {
                        throw fail(
                            "\(id): offsets \(span.start)-\(span.end) are past the end of \(textPath ?? "the .txt") (\(text.rawCount) characters)"
                        )
                    }
                    let found = fragments.map { text.rawSlice($0.lowerBound, $0.upperBound) }.joined(separator: " ")
                    if let bratText, bratText != found {
                        result.warnings.append(
                            "\(path):\(number): \(id): the text \(Scorer.quoted(bratText)) differs from \(textPath ?? "the .txt") at \(span.start)-\(span.end): \(Scorer.quoted(found))"
                        )
                    }
                    let mapped = fragments.map { text.normalized($0.lowerBound)..<text.normalized($0.upperBound) }
                    span.start = mapped.map(\.lowerBound).min()!
                    span.end = mapped.map(\.upperBound).max()!
                    if mapped.count > 1 { span.parts = mapped } else { span.text = text.slice(span.start, span.end) }
                } else {
                    if fragments.count > 1 { span.parts = fragments } else { span.text = bratText }
                }
                byID[id] = spans.count
                spans.append(span)
            case "A", "M", "N":
                later.append((number, line))
                if let id = fields.first { otherIDs.insert(String(id)) }
            case "R": result.skipped["relations", default: 0] += 1; otherIDs.insert(String(fields[0]))
            case "E": result.skipped["events", default: 0] += 1; otherIDs.insert(String(fields[0]))
            case "*": result.skipped["equivalences", default: 0] += 1
            case "#": result.skipped["notes", default: 0] += 1
            default: throw fail("not a brat annotation line (T, A, M, N, R, E, * or #): '\(line.prefix(40))'")
            }
        }
        // Attributes and normalizations, once every text-bound annotation is known.
        for (number, line) in later {
            func fail(_ message: String) -> ScoringError { ScoringError(message, file: path, line: number) }
            let fields = line.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count >= 2 else { throw fail("expected ID<TAB>NAME TARGET [VALUE]") }
            let words = fields[1].split(separator: " ")
            let isNorm = line.first == "N"
            guard words.count >= (isNorm ? 3 : 2) else {
                throw fail(isNorm ? "expected ID<TAB>Reference TARGET DB:ID" : "expected ID<TAB>NAME TARGET [VALUE]")
            }
            let target = String(words[1])
            guard let index = byID[target] else {
                if otherIDs.contains(target) || target.hasPrefix("E") || target.hasPrefix("R") {
                    result.skipped[
                        isNorm ? "normalizations of relations or events" : "attributes of relations or events",
                        default: 0] += 1
                    continue
                }
                throw fail("\(fields[0]) refers to \(target), which is not defined in this file")
            }
            if isNorm {
                let value = JSONValue.string(String(words[2]))
                switch spans[index].features["norm"] {
                case nil: spans[index].features["norm"] = value
                case .array(let values)?: spans[index].features["norm"] = .array(values + [value])
                case let first?: spans[index].features["norm"] = .array([first, value])
                }
            } else {
                let name = String(words[0])
                spans[index].features[name] =
                    words.count > 2 ? .string(words[2...].joined(separator: " ")) : .bool(true)
            }
        }
        if let text, text.shiftsOffsets, !spans.isEmpty {
            result.warnings.append(
                "\(textPath ?? path): Quarry's normalization changes this text (\(text.changes.joined(separator: "; "))): the offsets were remapped to the text quarry run reads"
            )
        }
        spans.sort(by: LabeledSpan.documentOrder)
        result.documents = [ScoringDocument(id: stem(of: path), sha256: sha256, spans: spans)]
        return result
    }
}
