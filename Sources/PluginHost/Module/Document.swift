// The `doc` methods plugins call: span, find, annotate, annotations, set, get, score (the declared Doc
// methods of QuarryAPI). `doc` fields, views and everything read from or pushed on the Lua stack are in
// Marshal/DocumentMarshal.swift; doc:match in QuarryPhrases.swift, doc:frequencies in Document+Frequencies.swift.
import DocumentModel
import LuaBridge
import TextAnalysis

extension QuarryRuntime {
    /// `doc:span(a, b)`: a span from 1-based inclusive byte positions.
    func documentSpan(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let range = try positions(call, box: box, first: 2)
        try pushDocumentSpan(call, box: box, range: range, index: -1, kind: .plain)
        return 1
    }

    /// `doc:find(pattern, flags)`: an iterator of regular-expression matches as spans, with
    /// `groups` (spans, or false for groups that did not take part) and `named` groups.
    func documentFind(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let regex = try compiledRegex(call, patternAt: 2, flagsAt: 3)
        let matches: [RegexMatch]
        do {
            matches = try regex.matches(in: box.textBytes)
        } catch let error as RegexError {
            throw call.error(error.message)
        }
        try pushMatchIterator(call, box: box, matches, of: regex)
        return 1
    }

    /// `doc:annotate(type, target, features, options)`.
    func documentAnnotate(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let type = try call.string(2)
        guard !type.isEmpty else { throw call.argumentError(2, "a non-empty type name") }
        let range = try positions(call, box: box, first: 3)
        let features: JSONObject
        switch call.isNil(4) ? JSONValue.null : try call.jsonArgument(4, path: "features") {
        case .object(let object): features = object
        case .null, .array([]): features = JSONObject()
        default: throw call.argumentError(4, "a table of named features")
        }
        var layer = currentPlugin
        if !call.isNil(5) {
            guard case .object(let options) = try call.value(5) else {
                throw call.argumentError(5, "a table of options")
            }
            if let given = options["layer"] {
                guard case .string(let name) = given, !name.isEmpty else {
                    throw call.error("option 'layer' must be a non-empty string")
                }
                layer = name
            }
        }
        try writable(box, call)
        let bytes = DocumentHandle.annotationBytes(type: type, layer: layer, features: features)
        guard box.charge(bytes, on: call.vm) else {
            throw hostMemoryError(call, "the document's annotations and features")
        }
        let id = box.addAnnotation(layer: layer, type: type, range: range, features: features)
        try pushDocumentSpan(call, box: box, range: range, index: id, kind: .annotation)
        return 1
    }

    /// `doc:annotations{type=, layer=, within=, overlapping=, covering=}`: an array in document order.
    func documentAnnotations(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let query = try annotationQuery(call, box: box, at: 2)
        var found = box.document.annotations.query(
            type: query.types?.count == 1 ? query.types!.first : nil,
            layer: query.layers?.count == 1 ? query.layers!.first : nil, range: query.range,
            relation: query.relation)
        if let types = query.types, types.count != 1 { found.removeAll { !types.contains($0.type) } }
        if let layers = query.layers, layers.count != 1 { found.removeAll { !layers.contains($0.layer) } }
        try pushAnnotationList(call, box: box, found)
        return 1
    }

    func documentSet(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let key = try call.string(2)
        let value = try call.jsonArgument(3, path: key)
        try writable(box, call)
        let bytes = value == .null ? 0 : 16 + key.utf8.count + value.estimatedBytes
        guard box.chargeFeature("f:" + key, bytes: bytes, on: call.vm) else {
            throw hostMemoryError(call, "the document's features and annotations")
        }
        box.setFeature(key, value == .null ? nil : value)
        return 0
    }

    func documentGet(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let key = try call.string(2)
        if let value = box.document.features[key] { return call.push(json: value) }
        if let value = box.document.scores[key] { return call.push(json: value) }
        return call.pushNil()
    }

    /// `doc:score(name, value, {evidence = spans})`: evidence becomes EVIDENCE annotations.
    func documentScore(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let name = try call.string(2)
        let value = try call.number(3)
        guard value.isFinite else { throw call.argumentError(3, "a finite number") }
        try writable(box, call)
        let evidence = try evidenceRanges(call, box: box, optionsAt: 4)
        guard box.chargeFeature("s:" + name, bytes: 32 + name.utf8.count, on: call.vm),
            box.charge(evidence.count * (128 + name.utf8.count), on: call.vm)
        else {
            throw hostMemoryError(call, "the document's scores and annotations")
        }
        box.setScore(name, .double(value))
        for range in evidence {
            var features = JSONObject()
            features["score"] = .string(name)
            _ = box.addAnnotation(layer: currentPlugin, type: "EVIDENCE", range: range, features: features)
        }
        return 0
    }

    /// The error when what a plugin holds in the host would pass the memory limit (`--memory`).
    func hostMemoryError(_ call: LuaCall, _ what: String) -> LuaError {
        call.error("memory limit of \(call.vm.memoryLimitText) exceeded: \(what) count against --memory")
    }

    /// Fails a write to a document whose plugins are done with it, naming the document.
    func writable(_ box: DocumentHandle, _ call: LuaCall) throws {
        guard box.finished else { return }
        throw call.error(
            "document '\(box.document.id)' is finished: a doc kept from an earlier document can be read, not written")
    }
}
