// Turns one record (a JSON object, a CSV row) into a document: the text field becomes the text, the id
// field the id, well-known fields (title, author, date, url, language) the metadata, the rest extras.

import DocumentModel
import TextAnalysis

/// Builds documents from records.
enum RecordDocument {
    /// Builds the document of record number `number` (1-based) that starts at `line` of the file.
    ///
    /// - Throws: `ReaderError` located at the record when it has no text field.
    static func make(
        fields: JSONObject, number: Int, line: Int, input: ReaderInput, encoding: String,
        warnings: [String] = []
    ) throws -> Document {
        let location = "line \(line)"
        guard
            let (textKey, textValue) = input.options.textFields.lazy.compactMap({ key in
                fields[key].map { (key, $0) }
            }).first
        else {
            let tried = input.options.textFields.joined(separator: ", ")
            throw ReaderError(
                "record \(number) has no text field (tried \(tried); use --text-field)", location: location)
        }
        let text: String
        switch textValue {
        case .string(let s): text = s
        case .null: text = ""
        default: text = textValue.description
        }
        var id = "\(input.id)#\(number)"
        if let idField = input.options.idField {
            switch fields[idField] {
            case .string(let s)? where !s.isEmpty: id = s
            case .int(let i)?: id = String(i)
            case .double(let d)?: id = String(d)
            default:
                throw ReaderError("record \(number) has no id field '\(idField)'", location: location)
            }
        }
        var meta = Metadata()
        meta.encoding = encoding
        // the fields' keys are distinct: the extras are collected, then made an object in one step (a
        // key-by-key insert searches the keys so far, quadratic for a record of thousands of fields)
        var extraKeys: [String] = []
        var extraValues: [JSONValue] = []
        for (key, value) in fields where key != textKey {
            let s = value.stringValue
            let k = key.lowercased()
            if (k == "title" || k == "headline"), meta.title == nil, let s {
                meta.title = s
            } else if (k == "author" || k == "authors" || k == "byline"), meta.authors.isEmpty {
                if case .array(let a) = value {
                    meta.authors = a.compactMap(\.stringValue)
                } else if let s, !s.isEmpty {
                    meta.authors = [s]
                }
            } else if ["date", "published", "published_at", "pubdate", "timestamp"].contains(k), meta.date == nil, let s
            {
                meta.date = s
            } else if (k == "url" || k == "link"), meta.url == nil, let s {
                meta.url = s
            } else if (k == "lang" || k == "language"), meta.language == nil, let s {
                meta.language = s
            } else {
                extraKeys.append(key)
                extraValues.append(value)
            }
        }
        meta.extra = JSONObject(distinctKeys: extraKeys, values: extraValues)
        meta.extra["record"] = .int(number)
        meta.extra["line"] = .int(line)
        var doc: Document
        do {
            doc = try Analyzer.analyze(
                bytes: Array(text.utf8), id: id, path: input.path, format: input.format.rawValue,
                metadata: meta)
        } catch {
            throw ReaderError("record \(number): \(error)", location: location)
        }
        // Every block of the record points back to the record's line in the file.
        var locations: [Int: SourceLocation] = [:]
        for i in 0..<doc.blocks.count { locations[i] = .lineColumn(line: line, column: 1) }
        doc.sourceMap.blockLocations = locations
        doc.warnings.insert(contentsOf: warnings, at: 0)
        return doc
    }
}
