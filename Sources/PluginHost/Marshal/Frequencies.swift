// `doc:frequencies{...}`: how often each normalized token occurs, counted in Swift over the token
// table, so a plugin gets the distinct terms ranked instead of one string per token.
#if canImport(Glibc)
import Glibc
#endif
import DocumentModel
import LuaBridge
import LuaShim

extension QuarryRuntime {
    /// `doc:frequencies{kind=, min_length=, letters=, exclude=, top=}` → terms, counts, total.
    func documentFrequencies(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        let L = call.rawState
        var options = FrequencyOptions()
        var excludeIndex: Int32 = 0
        if !call.isNil(2) {
            guard lua_type(L, 2) == LUA_TTABLE else { throw call.argumentError(2, "a table of options") }
            excludeIndex = try options.read(call, at: 2)
        }
        let document = box.document
        var counter = TermCounter(capacity: document.tokens.count)
        counter.count(document.tokens, text: box.textBytes, kinds: options.kinds)
        let ranked = counter.ranked(minLength: options.minLength, letters: options.letters)

        lua_createtable(L, Int32(clamping: min(ranked.count, options.top)), 0)
        let terms = lua_gettop(L)
        lua_createtable(L, Int32(clamping: min(ranked.count, options.top)), 0)
        let counts = lua_gettop(L)
        var n: lua_Integer = 0
        counter.store.withUnsafeBufferPointer { bytes in
            for term in ranked where n < options.top {
                UnsafeRawPointer(bytes.baseAddress! + Int(term.start)).withMemoryRebound(to: CChar.self, capacity: Int(term.length)) {
                    _ = lua_pushlstring(L, $0, Int(term.length))
                }
                if excludeIndex != 0 {
                    lua_pushvalue(L, -1)
                    let excluded = lua_rawget(L, excludeIndex) != LUA_TNIL && lua_toboolean(L, -1) != 0
                    lua_settop(L, -2)
                    if excluded {
                        lua_settop(L, -2)
                        continue
                    }
                }
                n += 1
                lua_rawseti(L, terms, n)
                lua_pushinteger(L, lua_Integer(term.count))
                lua_rawseti(L, counts, n)
            }
        }
        lua_pushinteger(L, lua_Integer(counter.total))
        return 3
    }
}

/// The options of `doc:frequencies`.
struct FrequencyOptions {
    /// Token kinds counted, as bits of TokenKind raw values.
    var kinds: UInt32 = 1 << UInt32(TokenKind.word.rawValue)
    var minLength = 1
    var letters = false
    var top = Int.max

    static let names = ["kind", "min_length", "letters", "exclude", "top"]

    /// Reads the options table at `index`; returns the stack index of the `exclude` table (0 when none).
    mutating func read(_ call: LuaCall, at index: Int32) throws -> Int32 {
        let L = call.rawState
        var exclude: Int32 = 0
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            defer { lua_settop(L, -2) }
            guard lua_type(L, -2) == LUA_TSTRING, let key = call.vm.string(at: -2), FrequencyOptions.names.contains(key) else {
                let shown = lua_type(L, -2) == LUA_TSTRING ? "'\(call.vm.string(at: -2) ?? "")'" : "a non-string key"
                throw call.error("doc:frequencies: unknown option \(shown) (expected one of \(FrequencyOptions.names.joined(separator: ", ")))")
            }
            switch key {
            case "kind":
                kinds = 0
                if lua_type(L, -1) == LUA_TSTRING {
                    kinds = try FrequencyOptions.kindBit(call.vm.string(at: -1) ?? "", call)
                } else if lua_type(L, -1) == LUA_TTABLE, lua_rawlen(L, -1) > 0 {
                    for k in 1...lua_rawlen(L, -1) {
                        defer { lua_settop(L, -2) }
                        guard lua_rawgeti(L, -1, lua_Integer(k)) == LUA_TSTRING else {
                            throw call.error("doc:frequencies: kind takes a token kind or a list of them")
                        }
                        kinds |= try FrequencyOptions.kindBit(call.vm.string(at: -1) ?? "", call)
                    }
                } else {
                    throw call.error("doc:frequencies: kind takes a token kind or a list of them")
                }
            case "min_length", "top":
                guard lua_isinteger(L, -1) != 0, lua_tointegerx(L, -1, nil) >= 0 else {
                    throw call.error("doc:frequencies: \(key) takes a whole number >= 0")
                }
                let value = Int(lua_tointegerx(L, -1, nil))
                if key == "top" { top = value } else { minLength = value }
            case "letters":
                guard lua_type(L, -1) == LUA_TBOOLEAN else { throw call.error("doc:frequencies: letters takes true or false") }
                letters = lua_toboolean(L, -1) != 0
            default: // exclude
                guard lua_type(L, -1) == LUA_TTABLE else {
                    throw call.error("doc:frequencies: exclude takes a set (a table whose keys are the terms left out)")
                }
                exclude = -1
            }
        }
        if exclude != 0 {
            // pushed after the walk (which needs its key on top): it stays on the stack for the call
            lua_pushstring(L, "exclude")
            lua_rawget(L, index)
            exclude = lua_gettop(L)
        }
        return exclude
    }

    static func kindBit(_ name: String, _ call: LuaCall) throws -> UInt32 {
        guard let kind = TokenKind.allCases.first(where: { $0.description == name }) else {
            let known = TokenKind.allCases.map(\.description).joined(separator: ", ")
            throw call.error("doc:frequencies: unknown token kind '\(name)' (expected one of \(known))")
        }
        return 1 << UInt32(kind.rawValue)
    }
}

/// Counts the normalized forms of tokens. `store` holds the text with ASCII letters lower-cased (the
/// norm of an ASCII token is its own bytes there), followed by the norms of the other tokens; a term is
/// a stretch of `store`, found again through an open-addressing table keyed by its bytes.
struct TermCounter {
    struct Term {
        var start: UInt32
        var length: UInt32
        var count: UInt32
        /// The first eight bytes, big-endian, zero-padded: orders most terms without a memcmp.
        var prefix: UInt64
    }

    private(set) var store: [UInt8] = []
    private(set) var terms: [Term] = []
    private(set) var total = 0
    private var slots: [Int32]
    private var mask: Int

    init(capacity tokens: Int) {
        var size = 64
        while size < tokens * 2 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// Counts the tokens of the given kinds (bits of TokenKind raw values).
    mutating func count(_ tokens: TokenTable, text: UnsafeBufferPointer<UInt8>, kinds: UInt32) {
        var asciiText = true
        store = [UInt8](unsafeUninitializedCapacity: text.count + 256) { buffer, initialized in
            for k in 0..<text.count {
                let b = text[k]
                if b >= 0x80 { asciiText = false }
                buffer[k] = b &+ ((b &- 65) < 26 ? 32 : 0)
            }
            initialized = text.count
        }
        var nextNorm = 0  // the stored norms are in token order
        let normIndexes = tokens.normIndexes
        tokens.kinds.withUnsafeBufferPointer { kindColumn in
            tokens.starts.withUnsafeBufferPointer { starts in
                tokens.ends.withUnsafeBufferPointer { ends in
                    for i in 0..<kindColumn.count {
                        guard kinds & (1 << UInt32(kindColumn[i].rawValue)) != 0 else { continue }
                        total += 1
                        while nextNorm < normIndexes.count && Int(normIndexes[nextNorm]) < i { nextNorm += 1 }
                        let start = Int(starts[i]), end = Int(ends[i])
                        if nextNorm < normIndexes.count && Int(normIndexes[nextNorm]) == i {
                            add(appending: tokens.normValues[nextNorm])
                        } else if !asciiText && text[start..<end].contains(where: { $0 >= 0x80 }) {
                            add(appending: String(decoding: UnsafeBufferPointer(rebasing: text[start..<end]), as: UTF8.self).lowercased())
                        } else {
                            add(start: start, length: end - start)
                        }
                    }
                }
            }
        }
    }

    /// Counts a norm that is not a stretch of the text: its bytes go to the end of the store, and are
    /// dropped again when the term is already known.
    private mutating func add(appending norm: String) {
        let begin = store.count
        store.append(contentsOf: norm.utf8)
        if !add(start: begin, length: store.count - begin) { store.removeLast(store.count - begin) }
    }

    /// Counts the term at `store[start ..< start + length]`; returns whether it is new.
    @discardableResult
    private mutating func add(start: Int, length: Int) -> Bool {
        let (hash, prefix) = store.withUnsafeBufferPointer { TermCounter.hash($0.baseAddress! + start, length) }
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 {
                slots[slot] = Int32(terms.count)
                terms.append(Term(start: UInt32(start), length: UInt32(length), count: 1, prefix: prefix))
                return true
            }
            let term = terms[index]
            if term.prefix == prefix && Int(term.length) == length && (length <= 8 || equal(Int(term.start), start, length)) {
                terms[index].count += 1
                return false
            }
            slot = (slot + 1) & mask
        }
    }

    /// A hash of the bytes (eight at a time) and their first eight bytes as a big-endian number.
    private static func hash(_ p: UnsafePointer<UInt8>, _ length: Int) -> (UInt64, UInt64) {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
        var prefix: UInt64 = 0
        var k = 0
        while k < length {
            var chunk: UInt64 = 0
            let n = min(8, length - k)
            for j in 0..<n { chunk |= UInt64(p[k + j]) << UInt64(56 - 8 * j) }
            if k == 0 { prefix = chunk }
            h = (h ^ chunk) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            k += 8
        }
        return (h ^ (h >> 29), prefix)
    }

    private func equal(_ a: Int, _ b: Int, _ length: Int) -> Bool {
        store.withUnsafeBufferPointer { memcmp($0.baseAddress! + a, $0.baseAddress! + b, length) == 0 }
    }

    /// The terms at least `minLength` bytes long (and starting with a letter when `letters`), by count
    /// (descending), then by their bytes.
    func ranked(minLength: Int, letters: Bool) -> [Term] {
        var kept = terms.filter { Int($0.length) >= minLength && (!letters || startsWithLetter($0)) }
        store.withUnsafeBufferPointer { bytes in
            kept.sort { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.prefix != b.prefix { return a.prefix < b.prefix }
                let shorter = Int(min(a.length, b.length))
                if shorter > 8 {
                    let c = memcmp(bytes.baseAddress! + Int(a.start) + 8, bytes.baseAddress! + Int(b.start) + 8, shorter - 8)
                    if c != 0 { return c < 0 }
                }
                return a.length < b.length
            }
        }
        return kept
    }

    private func startsWithLetter(_ term: Term) -> Bool {
        guard term.length > 0 else { return false }
        let first = store[Int(term.start)]
        if first < 0x80 { return (first | 0x20) &- 97 < 26 }
        let end = Int(term.start + term.length)
        let scalar = String(decoding: store[Int(term.start)..<end], as: UTF8.self).unicodeScalars.first
        return scalar?.properties.isAlphabetic ?? false
    }
}
