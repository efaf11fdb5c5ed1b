// The JSON encoding of a whole document, schema "quarry.document/1" (docs/document-schema.md).
// Hand-written for speed; all offsets are 0-based, half-open Unicode code-point offsets.

extension Document {
    /// The schema identifier written as the `schema` field.
    public static let jsonSchema = "quarry.document/1"

    /// What to include in the JSON encoding.
    public struct JSONOptions: Sendable {
        /// Include `tokens[]` (the largest part).
        public var tokens = true
        /// Include the `text` of every sentence, token, quote and annotation.
        public var spanTexts = true
        public init(tokens: Bool = true, spanTexts: Bool = true) {
            self.tokens = tokens
            self.spanTexts = spanTexts
        }
    }

    /// The document as compact JSON text in schema `quarry.document/1`.
    public func jsonString(options: JSONOptions = JSONOptions()) -> String {
        String(decoding: jsonBytes(options: options), as: UTF8.self)
    }

    /// The document as compact UTF-8 JSON bytes in schema `quarry.document/1`.
    public func jsonBytes(options: JSONOptions = JSONOptions()) -> [UInt8] {
        var t = text
        t.makeContiguousUTF8()
        let cp = CodePointIndex(t)
        return t.utf8.withContiguousStorageIfAvailable { buf in
            encode(buf, cp, options)
        }!
    }

    private func encode(_ buf: UnsafeBufferPointer<UInt8>, _ cp: CodePointIndex, _ opt: JSONOptions) -> [UInt8] {
        var w = JSONWriter(capacity: buf.count * 4 + 1024)
        func span(_ r: TextRange) {
            w.key("start"); w.int(cp.codePointOffset(Int(r.start))); w.byte(0x2C)
            w.key("end"); w.int(cp.codePointOffset(Int(r.end)))
            if opt.spanTexts {
                w.byte(0x2C); w.key("text")
                w.string(utf8: UnsafeBufferPointer(rebasing: buf[Int(r.start)..<Int(r.end)]))
            }
        }
        w.byte(0x7B)
        w.key("schema"); w.string(Document.jsonSchema); w.byte(0x2C)
        w.key("id"); w.string(id); w.byte(0x2C)
        w.key("path"); w.string(path); w.byte(0x2C)
        w.key("format"); w.string(format); w.byte(0x2C)
        w.key("metadata"); w.object(metadata.json); w.byte(0x2C)
        w.key("length"); w.int(cp.codePointCount); w.byte(0x2C)
        w.key("text"); w.string(utf8: buf); w.byte(0x2C)

        w.key("blocks"); w.byte(0x5B)
        for (i, b) in blocks.blocks.enumerated() {
            if i > 0 { w.byte(0x2C) }
            w.byte(0x7B)
            w.key("kind"); w.string(b.kind.description); w.byte(0x2C)
            w.key("level"); w.int(b.level); w.byte(0x2C)
            w.key("start"); w.int(cp.codePointOffset(Int(b.range.start))); w.byte(0x2C)
            w.key("end"); w.int(cp.codePointOffset(Int(b.range.end))); w.byte(0x2C)
            w.key("parent"); if b.parent < 0 { w.raw("null") } else { w.int(b.parent) }
            if let loc = sourceMap.blockLocations[i] {
                w.byte(0x2C); w.key("source"); w.string(loc.description)
            }
            w.byte(0x7D)
        }
        w.byte(0x5D); w.byte(0x2C)

        w.key("sentences"); w.byte(0x5B)
        for i in 0..<sentences.count {
            if i > 0 { w.byte(0x2C) }
            w.byte(0x7B)
            span(sentences.range(i)); w.byte(0x2C)
            w.key("block"); w.int(sentences.blocks[i])
            w.byte(0x7D)
        }
        w.byte(0x5D); w.byte(0x2C)

        if opt.tokens {
            w.key("tokens"); w.byte(0x5B)
            var normCursor = 0
            for i in 0..<tokens.count {
                if i > 0 { w.byte(0x2C) }
                w.byte(0x7B)
                let r = tokens.range(i)
                span(r); w.byte(0x2C)
                w.key("kind"); w.string(tokens.kinds[i].description); w.byte(0x2C)
                w.key("norm")
                if normCursor < tokens.normIndexes.count && tokens.normIndexes[normCursor] == UInt32(i) {
                    w.string(tokens.normValues[normCursor])
                    normCursor += 1
                } else {
                    w.string(
                        Self.lowercasedASCIIOrString(UnsafeBufferPointer(rebasing: buf[Int(r.start)..<Int(r.end)])))
                }
                w.byte(0x7D)
            }
            w.byte(0x5D); w.byte(0x2C)
        }

        w.key("quotes"); w.byte(0x5B)
        for (i, q) in quotations.enumerated() {
            if i > 0 { w.byte(0x2C) }
            w.byte(0x7B)
            span(q.outer); w.byte(0x2C)
            w.key("inner_start"); w.int(cp.codePointOffset(Int(q.inner.start))); w.byte(0x2C)
            w.key("inner_end"); w.int(cp.codePointOffset(Int(q.inner.end))); w.byte(0x2C)
            w.key("balanced"); if q.balanced { w.raw("true") } else { w.raw("false") }; w.byte(0x2C)
            w.key("depth"); w.int(q.depth); w.byte(0x2C)
            w.key("parent"); if q.parent < 0 { w.raw("null") } else { w.int(q.parent) }; w.byte(0x2C)
            w.key("continuation"); if q.continuation < 0 { w.raw("null") } else { w.int(q.continuation) }
            w.byte(0x7D)
        }
        w.byte(0x5D); w.byte(0x2C)

        w.key("annotations"); w.byte(0x5B)
        for (i, a) in annotations.all.enumerated() {
            if i > 0 { w.byte(0x2C) }
            w.byte(0x7B)
            w.key("id"); w.int(a.id); w.byte(0x2C)
            w.key("layer"); w.string(a.layer); w.byte(0x2C)
            w.key("type"); w.string(a.type); w.byte(0x2C)
            span(a.range); w.byte(0x2C)
            w.key("features"); w.object(a.features)
            w.byte(0x7D)
        }
        w.byte(0x5D); w.byte(0x2C)

        w.key("features"); w.object(features); w.byte(0x2C)
        w.key("scores"); w.object(scores); w.byte(0x2C)
        w.key("warnings"); w.value(.array(warnings.map { .string($0) }))
        w.byte(0x7D)
        return w.bytes
    }

    /// Lower-cases ASCII bytes directly and anything else through `String.lowercased()`.
    static func lowercasedASCIIOrString(_ b: UnsafeBufferPointer<UInt8>) -> String {
        var ascii = true
        for x in b where x >= 0x80 { ascii = false; break }
        if ascii {
            return String(unsafeUninitializedCapacity: b.count) { out in
                for i in 0..<b.count {
                    let x = b[i]
                    out[i] = (x >= 0x41 && x <= 0x5A) ? x | 0x20 : x
                }
                return b.count
            }
        }
        return String(decoding: b, as: UTF8.self).lowercased()
    }
}
