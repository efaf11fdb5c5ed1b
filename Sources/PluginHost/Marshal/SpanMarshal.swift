// Spans and views on the Lua stack: the metatables PluginShim serves from C, pushing and reading
// span userdata, and the Swift side of the fields C does not know (norm, inner, annotation fields...).
// The span methods themselves (`s:tokens()`, `s:context(n)`...) are in Module/Span.swift.
import DocumentModel
import LuaBridge
import LuaShim
import PluginShim
import TextAnalysis

/// What a span is: PluginShim's numbers (`QP_SPAN_*`), under Swift names.
struct SpanKind: RawRepresentable, Equatable {
    let rawValue: Int32
    static let token = SpanKind(rawValue: Int32(QP_SPAN_TOKEN))
    static let sentence = SpanKind(rawValue: Int32(QP_SPAN_SENTENCE))
    static let block = SpanKind(rawValue: Int32(QP_SPAN_BLOCK))
    static let quote = SpanKind(rawValue: Int32(QP_SPAN_QUOTE))
    static let plain = SpanKind(rawValue: Int32(QP_SPAN_PLAIN))
    static let match = SpanKind(rawValue: Int32(QP_SPAN_MATCH))
    static let annotation = SpanKind(rawValue: Int32(QP_SPAN_ANNOTATION))

    init(rawValue: Int32) { self.rawValue = rawValue }
    /// The kind stored in a span or view.
    init(_ stored: UInt8) { rawValue = Int32(stored) }
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
        let kind = SpanKind(span.kind)
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

    /// Pushes a span of the same document as the span in argument 1 (whose box the caller may have read
    /// already: `spanArgument` is then not asked twice).
    func pushSpanOfSameDocument(
        _ call: LuaCall, box known: DocumentHandle? = nil, range: TextRange, index: Int, kind: SpanKind
    ) throws {
        let L = call.rawState
        pushOwner(L, of: 1)
        let box = try known ?? spanArgument(call).0
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
        let kind = SpanKind(view.pointee.kind)
        // `doc:blocks{...}` passes the document first; `doc.blocks{...}` does not.
        let filterIndex: Int32 = call.optionalObject(2, DocumentHandle.self) != nil ? 3 : 2
        let filterArgument = call.isNil(filterIndex) ? LuaValue.nil : try call.value(filterIndex)
        pushOwner(L, of: 1)
        let owner = lua_gettop(L)
        guard let box = vm.object(at: owner, DocumentHandle.self) else {
            throw call.error("the view's document is gone")
        }
        var conditions: [String: LuaValue] = [:]
        if case .object(let map) = filterArgument { conditions = map }
        let items = ViewFilter(conditions: conditions).items(of: kind, in: box.document)
        lua_createtable(L, Int32(clamping: items.count), 0)
        for (n, item) in items.enumerated() {
            try pushSpan(L, doc: owner, box: box, range: item.0, index: item.1, kind: kind.rawValue)
            lua_rawseti(L, -2, lua_Integer(n + 1))
        }
        return 1
    }

    /// Pushes a list of spans of the document that owns the span in argument 1. [-0, +1]
    func pushSpanList(_ call: LuaCall, box: DocumentHandle, _ items: some Collection<(TextRange, Int)>, kind: SpanKind)
        throws
    {
        let L = call.rawState
        pushOwner(L, of: 1)
        let owner = lua_gettop(L)
        lua_createtable(L, Int32(clamping: items.count), 0)
        for (n, item) in items.enumerated() {
            try pushSpan(L, doc: owner, box: box, range: item.0, index: item.1, kind: kind.rawValue)
            lua_rawseti(L, -2, lua_Integer(n + 1))
        }
        lua_rotate(L, owner, -1)
        lua_settop(L, -2)
    }

    /// Pushes a span of the document at `docIndex` (its userdata). [-0, +1]
    func pushSpan(
        _ L: OpaquePointer, doc docIndex: Int32, box: DocumentHandle, range: TextRange, index: Int, kind: Int32,
        metatable: Int32 = 0
    ) throws {
        let docAbsolute = lua_absindex(L, docIndex)
        if metatable != 0 {
            qp_push_span(L, docAbsolute, box.columns, range.start, range.end, Int32(index), UInt8(kind), metatable)
            return
        }
        lua_rawgeti(L, qs_registryindex(), lua_Integer(spanMetatable.registrySlot))
        qp_push_span(L, docAbsolute, box.columns, range.start, range.end, Int32(index), UInt8(kind), -1)
        lua_rotate(L, -2, -1)
        lua_settop(L, -2)
    }

    /// Pushes the span metatable, for loops that push many spans (`pushSpan(..., metatable:)`);
    /// returns its absolute index. [-0, +1]
    func pushSpanMetatable(_ L: OpaquePointer) -> Int32 {
        lua_rawgeti(L, qs_registryindex(), lua_Integer(spanMetatable.registrySlot))
        return lua_gettop(L)
    }

    /// The span at `index`, or nil when it is something else.
    func span(_ L: OpaquePointer, at index: Int32) throws -> UnsafeMutablePointer<qp_span>? {
        let absolute = lua_absindex(L, index)
        lua_rawgeti(L, qs_registryindex(), lua_Integer(spanMetatable.registrySlot))
        defer { lua_settop(L, -2) }
        return qp_to_span(L, absolute, -1)
    }

    /// Pushes the document userdata that owns the span or view at `index`. [-0, +1]
    func pushOwner(_ L: OpaquePointer, of index: Int32) { qp_push_owner(L, index) }

    /// Wraps the Lua array on top of the stack in an iterator function. [-1, +1]
    func wrapIterator(_ L: OpaquePointer) throws {
        try vm.push(iterateFunction)
        lua_rotate(L, -2, 1)
        let status = qs_pcall_host(L, 1, 1)
        if status != LUA_OK { throw LuaRaise("could not make an iterator") }
    }
}
