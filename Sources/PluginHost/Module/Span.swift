// The span methods: `s:tokens()`, `s:sentence()`, `s:block()`, `s:context(n)`, `s:source()`, `s:copy()`,
// `a:remove()`. Spans are pushed and read in Marshal/SpanMarshal.swift.
import DocumentModel
import LuaBridge

extension QuarryRuntime {
    func spanTokens(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        let indexes = box.document.tokens.indexes(within: TextRange(start: span.start, end: span.end))
        try pushSpanList(call, box: box, indexes.lazy.map { (box.document.tokens.range($0), $0) }, kind: .token)
        return 1
    }

    func spanSentence(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        guard let i = box.document.sentences.index(containing: Int(span.start)) else { return call.pushNil() }
        try pushSpanOfSameDocument(call, box: box, range: box.document.sentences.range(i), index: i, kind: .sentence)
        return 1
    }

    func spanBlock(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        guard let i = box.document.blockIndex(containing: Int(span.start)) else { return call.pushNil() }
        try pushSpanOfSameDocument(call, box: box, range: box.document.blocks.blocks[i].range, index: i, kind: .block)
        return 1
    }

    /// Keyword in context: up to `n` words left and right of the span, on one line.
    func spanContext(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        let n = try call.optionalInteger(2, default: 8)
        guard n >= 0 else { throw call.argumentError(2, "a count of words >= 0") }
        let document = box.document
        let tokens = document.tokens
        let first = tokens.firstIndex(atOrAfter: Int(span.start))
        var left = first
        var words = 0
        while left > 0, words < n {
            left -= 1
            if tokens.kinds[left] != .punctuation { words += 1 }
        }
        var right = first
        while right < tokens.count, tokens.starts[right] < span.end { right += 1 }
        words = 0
        var end = right
        while end < tokens.count, words < n {
            if tokens.kinds[end] != .punctuation { words += 1 }
            end += 1
        }
        let leftStart = left < first ? Int(tokens.starts[left]) : Int(span.start)
        let rightEnd = end > right ? Int(tokens.ends[end - 1]) : Int(span.end)
        func oneLine(_ a: Int, _ b: Int) -> String {
            guard b > a else { return "" }
            return document.text(of: TextRange(a, b)).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        try call.push(
            .object([
                "left": .string(oneLine(leftStart, Int(span.start))),
                "match": .string(oneLine(Int(span.start), Int(span.end))),
                "right": .string(oneLine(Int(span.end), rightEnd)),
            ]))
        return 1
    }

    /// Where the span starts in the original file: `path:line:col`, or the reader's location.
    func spanSource(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        let document = box.document
        let name = document.path.isEmpty ? document.id : document.path
        guard let location = document.sourceLocation(of: Int(span.start), codePoints: box.codePoints) else {
            return call.push(name)
        }
        switch location {
        case .lineColumn(let line, let column): return call.push("\(name):\(line):\(column)")
        case .elementPath(let path): return call.push("\(name):\(path)")
        case .page(let page): return call.push("\(name):page \(page)")
        }
    }

    func spanCopy(_ call: LuaCall) throws -> Int32 {
        let (_, span) = try spanArgument(call)
        try pushSpanOfSameDocument(
            call, range: TextRange(start: span.start, end: span.end), index: Int(span.index),
            kind: SpanKind(span.kind))
        return 1
    }

    func spanRemove(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        guard SpanKind(span.kind) == .annotation else { throw call.error("only annotations can be removed") }
        try writable(box, call)
        return call.push(box.removeAnnotation(id: Int(span.index)))
    }
}
