// Spans and views in Lua: the metatables PluginShim serves from C, and the Swift side for the
// fields and methods C does not know (norm, inner, context, source, annotation fields...).
import DocumentModel
import LuaBridge
import LuaShim
import PluginShim
import TextAnalysis

/// What a span is, as PluginShim numbers it.
enum SpanKind: Int32 {
    case token = 0, sentence, block, quote, plain, match, annotation
}

extension QuarryRuntime {
    func installSpanAndViewMetatables() throws {
        let L = vm.rawState
        let top = lua_gettop(L)
        defer { lua_settop(L, top) }
        // Span methods, from the declarations.
        lua_createtable(L, 0, 8)
        let methods = lua_gettop(L)
        for entry in QuarryAPI.entries where entry.kind == .method && entry.owner == "Span" {
            guard let body = entry.body else { continue }
            vm.pushString(entry.member)
            pushAPIFunction("span:\(entry.member)", body, PluginScope(name: "span"))
            lua_rawset(L, methods)
        }
        vm.pushFunction("span") { [unowned self] call in try self.spanField(call) }
        let fallback = lua_gettop(L)
        try vm.push(.array(TokenKind.allCases.map { .string($0.description) }))
        let tokenKinds = lua_gettop(L)
        let blockKinds = (BlockKind.allCases.map(\.rawValue).max() ?? 0) + 1
        lua_createtable(L, Int32(blockKinds), 0)
        for kind in BlockKind.allCases {
            vm.pushString(kind.description)
            lua_rawseti(L, -2, lua_Integer(kind.rawValue) + 1)
        }
        let blockKindsIndex = lua_gettop(L)
        try vm.push(.object(QuarryRuntime.flagNames.mapValues { .int(Int64($0.rawValue)) }))
        let flags = lua_gettop(L)
        qp_new_span_metatable(L, methods, fallback, tokenKinds, blockKindsIndex, flags)
        spanMetatable = vm.reference(at: -1)
        let span = lua_gettop(L)
        // Views: doc.tokens, doc.sentences, doc.blocks, doc.quotes.
        lua_createtable(L, 0, 0)
        let viewMethods = lua_gettop(L)
        vm.pushFunction("view") { [unowned self] call in try self.callView(call) }
        qp_new_view_metatable(L, span, viewMethods, lua_gettop(L), tokenKinds, blockKindsIndex, flags)
        viewMetatable = vm.reference(at: -1)
    }

    /// Token flags by the names Lua reads (`t.capitalized`).
    static let flagNames: [String: TokenFlags] = [
        "capitalized": .capitalized, "all_caps": .allCaps, "has_digit": .hasDigit, "title_case": .titleCase,
        "has_apostrophe": .hasApostrophe, "hyphenated": .hyphenated, "abbreviation": .abbreviation,
        "non_ascii": .nonASCII,
    ]

    /// The box and span of argument 1 of a span method or field.
    func spanArgument(_ call: LuaCall) throws -> (DocumentHandle, qp_span) {
        let L = call.rawState
        guard let span = try span(L, at: 1) else { throw call.argumentError(1, "a span") }
        pushOwner(L, of: 1)
        defer { lua_settop(L, -2) }
        guard let box = vm.object(at: -1, DocumentHandle.self) else { throw call.error("the span's document is gone") }
        return (box, span.pointee)
    }

    /// The fields of spans that C does not serve.
    func spanField(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        guard !call.isNil(2), let key = try? call.string(2) else { return call.pushNil() }
        // Read through the box: a local copy of the document would retain every one of its arrays.
        let kind = SpanKind(rawValue: Int32(span.kind)) ?? .plain
        switch (kind, key) {
        case (.token, "norm"):
            return call.push(box.document.norm(ofToken: Int(span.index)))
        case (.quote, "inner"):
            let quote = box.document.quotations[Int(span.index)]
            try pushSpanOfSameDocument(call, range: quote.inner, index: -1, kind: .plain)
            return 1
        case (.quote, "balanced"):
            return call.push(box.document.quotations[Int(span.index)].balanced)
        case (.quote, "depth"):
            return call.push(Int(box.document.quotations[Int(span.index)].depth))
        case (.annotation, "type"), (.annotation, "layer"), (.annotation, "features"), (.annotation, "id"):
            guard let annotation = box.document.annotations.annotation(id: Int(span.index)) else {
                throw call.error("annotation \(span.index) was removed")
            }
            switch key {
            case "type": return call.push(annotation.type)
            case "layer": return call.push(annotation.layer)
            case "id": return call.push(annotation.id)
            default: return call.push(json: .object(annotation.features))
            }
        case (.match, "groups"):
            // a match of a regular expression without groups (one with groups has them in its extras)
            lua_createtable(call.rawState, 0, 0)
            return 1
        case (_, "doc"):
            pushOwner(call.rawState, of: 1)
            return 1
        default:
            return call.pushNil()
        }
    }

    /// Pushes a span of the same document as the span in argument 1.
    func pushSpanOfSameDocument(_ call: LuaCall, range: TextRange, index: Int, kind: SpanKind) throws {
        let L = call.rawState
        pushOwner(L, of: 1)
        let (box, _) = try spanArgument(call)
        try pushSpan(L, doc: -1, box: box, range: range, index: index, kind: kind.rawValue)
        lua_rotate(L, -2, -1)
        lua_settop(L, -2)
    }

    /// `view(doc, filter)`: the items of a view that match a filter, as an array.
    func callView(_ call: LuaCall) throws -> Int32 {
        let L = call.rawState
        try vm.push(viewMetatable)
        let view = qp_to_view(L, 1, -1)
        lua_settop(L, -2)
        guard let view else { throw call.argumentError(1, "a document view") }
        let kind = SpanKind(rawValue: Int32(view.pointee.kind)) ?? .token
        // `doc:blocks{...}` passes the document first; `doc.blocks{...}` does not.
        let filterIndex: Int32 = call.optionalObject(2, DocumentHandle.self) != nil ? 3 : 2
        let filterArgument = call.isNil(filterIndex) ? LuaValue.nil : try call.value(filterIndex)
        pushOwner(L, of: 1)
        let owner = lua_gettop(L)
        guard let box = vm.object(at: owner, DocumentHandle.self) else { throw call.error("the view's document is gone") }
        let document = box.document
        let items: [(TextRange, Int)]
        var conditions: [String: LuaValue] = [:]
        if case .object(let map) = filterArgument { conditions = map }
        func matches(_ name: String, _ value: String) -> Bool {
            switch conditions[name] {
            case nil: return true
            case .string(let wanted)?: return wanted == value
            case .array(let list)?: return list.contains(.string(value))
            default: return false
            }
        }
        switch kind {
        case .token:
            items = (0..<document.tokens.count).filter { matches("kind", document.tokens.kinds[$0].description) }
                .map { (document.tokens.range($0), $0) }
        case .sentence:
            items = (0..<document.sentences.count).map { (document.sentences.range($0), $0) }
        case .block:
            let level = conditions["level"]?.intValue
            items = document.blocks.blocks.indices.filter { i in
                let block = document.blocks.blocks[i]
                return matches("kind", block.kind.description) && (level == nil || Int64(block.level) == level)
            }.map { (document.blocks.blocks[$0].range, $0) }
        default:
            let balanced: Bool? = if case .bool(let b)? = conditions["balanced"] { b } else { nil }
            items = document.quotations.indices.filter { balanced == nil || document.quotations[$0].balanced == balanced }
                .map { (document.quotations[$0].outer, $0) }
        }
        lua_createtable(L, Int32(clamping: items.count), 0)
        for (n, item) in items.enumerated() {
            try pushSpan(L, doc: owner, box: box, range: item.0, index: item.1, kind: kind.rawValue)
            lua_rawseti(L, -2, lua_Integer(n + 1))
        }
        return 1
    }
}

// MARK: - Span methods

extension QuarryRuntime {
    func spanTokens(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        let L = call.rawState
        let indexes = box.document.tokens.indexes(within: TextRange(start: span.start, end: span.end))
        pushOwner(L, of: 1)
        let owner = lua_gettop(L)
        lua_createtable(L, Int32(clamping: indexes.count), 0)
        for (n, i) in indexes.enumerated() {
            try pushSpan(L, doc: owner, box: box, range: box.document.tokens.range(i), index: i, kind: SpanKind.token.rawValue)
            lua_rawseti(L, -2, lua_Integer(n + 1))
        }
        return 1
    }

    func spanSentence(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        guard let i = box.document.sentences.index(containing: Int(span.start)) else { return call.pushNil() }
        try pushSpanOfSameDocument(call, range: box.document.sentences.range(i), index: i, kind: .sentence)
        return 1
    }

    func spanBlock(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        guard let i = box.document.blockIndex(containing: Int(span.start)) else { return call.pushNil() }
        try pushSpanOfSameDocument(call, range: box.document.blocks.blocks[i].range, index: i, kind: .block)
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
        try call.push(.object([
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
        try pushSpanOfSameDocument(call, range: TextRange(start: span.start, end: span.end), index: Int(span.index),
                                   kind: SpanKind(rawValue: Int32(span.kind)) ?? .plain)
        return 1
    }

    func spanRemove(_ call: LuaCall) throws -> Int32 {
        let (box, span) = try spanArgument(call)
        guard span.kind == UInt8(SpanKind.annotation.rawValue) else { throw call.error("only annotations can be removed") }
        return call.push(box.removeAnnotation(id: Int(span.index)))
    }
}
