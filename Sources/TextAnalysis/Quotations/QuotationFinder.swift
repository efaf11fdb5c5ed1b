// The quotation finder: matches opening and closing quotation marks over the tokens of each block.
// Linear time with an explicit stack; unmatched marks close at the end of their paragraph.

import DocumentModel

/// Finds quotations in analysed blocks.
///
/// Handles straight and curly double and single quotes, « » and » « (French and German order), ‹ ›,
/// „ “, 「 」 and 『 』, nesting, and quotations continued over paragraphs (a paragraph that opens a
/// quotation and ends without closing it, followed by a paragraph that opens again, is linked through
/// `Quotation.continuation`). Apostrophes (`don't`, `O'Brien`, `'90s`, `students'`) are not quotation
/// marks. A mark used in the wrong direction (`”…”`) or an unmatched mark yields `balanced = false`;
/// an unclosed quotation ends at the end of its block, never later.
public struct QuotationFinder {
    struct Open {
        var mark: UInt32
        var token: Int
        var start: UInt32, end: UInt32
        var slot: Int
        var wrongDirection: Bool
        var continuesFrom: Int
    }

    /// The quotations found so far (slots in opening order; compacted by `finish()`).
    var slots: [Quotation?] = []
    var stack: [Open] = []
    var pendingContinuation = -1
    var pendingMark: UInt32 = 0
    var needsSort = false
    /// How many openers of each mark are on the stack (see `markIndex`), so `has` is O(1).
    var openCounts = [Int](repeating: 0, count: 16)

    /// Creates an empty finder.
    public init() {}

    /// Scans the tokens `range` of one block whose text spans `blockRange`.
    public mutating func scan(
        _ buf: UnsafeBufferPointer<UInt8>, tokens: TokenTable, range: Range<Int>, blockRange: TextRange
    ) {
        let carried = pendingContinuation
        let carriedMark = pendingMark
        pendingContinuation = -1
        var first = true
        for t in range {
            guard tokens.kinds[t] == .punctuation else { first = false; continue }
            let s = Int(tokens.starts[t]), e = Int(tokens.ends[t])
            guard let mark = Self.quoteMark(buf, s, e) else { first = false; continue }
            let prevSpace =
                t == range.lowerBound || tokens.ends[t - 1] < tokens.starts[t] || Self.isOpenBracket(buf, tokens, t - 1)
            let nextSpace =
                t + 1 >= range.upperBound || tokens.starts[t + 1] > tokens.ends[t]
                || (tokens.kinds[t + 1] == .punctuation
                    && Self.quoteMark(buf, Int(tokens.starts[t + 1]), Int(tokens.ends[t + 1])) == nil
                    && !Self.opensText(buf, Int(tokens.starts[t + 1])))
            let canOpen = prevSpace && !nextSpace
            let canClose = !prevSpace || nextSpace
            var cont = -1
            if first && carried >= 0 && Self.sameFamily(mark, carriedMark) { cont = carried }
            first = false
            switch mark {
            case 0x22:
                if canClose && has([0x22]) {
                    close([0x22], t, s, e)
                } else if canOpen || !has([0x22]) {
                    if !(prevSpace && nextSpace) { push(mark, t, s, e, cont: cont) }
                } else {
                    close([0x22], t, s, e)
                }
            case 0x201C:
                if canClose && !canOpen && has([0x201E]) {
                    close([0x201E], t, s, e)
                } else {
                    push(mark, t, s, e, cont: cont)
                }
            case 0x201E, 0x300C, 0x300E, 0x2018, 0x201A:
                push(mark, t, s, e, cont: cont)
            case 0x201D:
                if has([0x201C, 0x201E, 0x201D]) && !(canOpen && !has([0x201C, 0x201E])) {
                    close([0x201C, 0x201E, 0x201D], t, s, e)
                } else if canOpen {
                    push(mark, t, s, e, wrong: true, cont: cont)
                } else {
                    strayCloser(blockRange, s, e)
                }
            case 0xAB:
                if has([0xBB]) && canClose && !canOpen {
                    close([0xBB], t, s, e)
                } else {
                    push(mark, t, s, e, cont: cont)
                }
            case 0xBB:
                if has([0xAB]) {
                    close([0xAB], t, s, e)
                } else if canOpen || !nextSpace {
                    push(mark, t, s, e, cont: cont)
                }
            case 0x2039:
                if has([0x203A]) && canClose && !canOpen {
                    close([0x203A], t, s, e)
                } else {
                    push(mark, t, s, e, cont: cont)
                }
            case 0x203A:
                if has([0x2039]) { close([0x2039], t, s, e) } else if canOpen { push(mark, t, s, e, cont: cont) }
            case 0x300D: if has([0x300C]) { close([0x300C], t, s, e) }
            case 0x300F: if has([0x300E]) { close([0x300E], t, s, e) }
            case 0x27:
                if canClose && !canOpen && has([0x27]) {
                    close([0x27], t, s, e)
                } else if canOpen {
                    push(mark, t, s, e, cont: cont)
                }
            case 0x2019:
                if canClose && has([0x2018, 0x201A, 0x27]) { close([0x2018, 0x201A, 0x27], t, s, e) }
            default: break
            }
        }
        // Close what is still open at the end of the block.
        var end = Int(blockRange.end)
        while end > Int(blockRange.start) && (buf[end - 1] == 0x20 || buf[end - 1] == 0x0A || buf[end - 1] == 0x09) {
            end -= 1
        }
        let bottom = stack.first
        while let o = pop() {
            if o.mark == 0x27 { slots[o.slot] = nil; continue }  // an unmatched ' is an apostrophe
            slots[o.slot] = Quotation(
                outer: TextRange(Int(o.start), max(end, Int(o.end))),
                inner: TextRange(Int(o.end), max(end, Int(o.end))), balanced: false)
            link(o)
        }
        if let b = bottom, b.token == range.lowerBound, b.mark != 0x27 {
            pendingContinuation = b.slot
            pendingMark = b.mark
        }
    }

    private func has(_ marks: [UInt32]) -> Bool {
        for m in marks where openCounts[Self.markIndex(m)] > 0 { return true }
        return false
    }

    static func markIndex(_ m: UInt32) -> Int {
        switch m {
        case 0x22: 0
        case 0x27: 1
        case 0xAB: 2
        case 0xBB: 3
        case 0x2018: 4
        case 0x201A: 5
        case 0x201C: 6
        case 0x201D: 7
        case 0x201E: 8
        case 0x2039: 9
        case 0x203A: 10
        case 0x300C: 11
        case 0x300E: 12
        default: 15
        }
    }

    private mutating func pop() -> Open? {
        guard let o = stack.popLast() else { return nil }
        openCounts[Self.markIndex(o.mark)] -= 1
        return o
    }

    private mutating func push(_ mark: UInt32, _ t: Int, _ s: Int, _ e: Int, wrong: Bool = false, cont: Int) {
        let slot = slots.count
        slots.append(
            Quotation(
                outer: TextRange(s, e), inner: TextRange(e, e), balanced: false,
                depth: stack.count, parent: stack.last?.slot ?? -1))
        openCounts[Self.markIndex(mark)] += 1
        stack.append(
            Open(
                mark: mark, token: t, start: UInt32(s), end: UInt32(e), slot: slot, wrongDirection: wrong,
                continuesFrom: cont))
    }

    private mutating func close(_ marks: [UInt32], _ t: Int, _ s: Int, _ e: Int) {
        while let o = pop() {
            if marks.contains(o.mark) {
                var q = slots[o.slot]!
                q.outer = TextRange(Int(o.start), e)
                q.inner = TextRange(Int(o.end), s)
                q.balanced = !o.wrongDirection
                slots[o.slot] = q
                link(o)
                return
            }
            // An inner mark never closed: it ends where the outer one closes.
            if o.mark == 0x27 { slots[o.slot] = nil; continue }
            var q = slots[o.slot]!
            q.outer = TextRange(Int(o.start), s)
            q.inner = TextRange(Int(o.end), s)
            q.balanced = false
            slots[o.slot] = q
            link(o)
        }
    }

    private mutating func link(_ o: Open) {
        if o.continuesFrom >= 0, slots[o.continuesFrom] != nil { slots[o.continuesFrom]!.continuation = Int32(o.slot) }
    }

    private mutating func strayCloser(_ block: TextRange, _ s: Int, _ e: Int) {
        // A closing mark with no opener: the best span is from the block start (or the enclosing opener).
        let start = stack.last.map { Int($0.end) } ?? Int(block.start)
        guard start < s else { return }
        slots.append(
            Quotation(
                outer: TextRange(start, e), inner: TextRange(start, s), balanced: false,
                depth: stack.count, parent: stack.last?.slot ?? -1))
        needsSort = true
    }

    /// The final quotations, ordered by start (outer before inner), with parents and continuations remapped.
    public mutating func finish() -> [Quotation] {
        var order = slots.indices.filter { slots[$0] != nil }
        if needsSort {
            order.sort { a, b in
                let x = slots[a]!.outer, y = slots[b]!.outer
                return x.start != y.start ? x.start < y.start : (x.end != y.end ? x.end > y.end : a < b)
            }
        }
        var newIndex = [Int32](repeating: -1, count: slots.count)
        for (n, old) in order.enumerated() { newIndex[old] = Int32(n) }
        // Effective parent of a dropped slot: its own parent (resolved in slot order, parents come first).
        var effective = [Int32](repeating: -1, count: slots.count)
        for old in slots.indices {
            guard let q = slots[old] else { continue }
            var p = Int(q.parent)
            while p >= 0 && slots[p] == nil { p = Int(effective[p]) }
            effective[old] = Int32(p)
        }
        var out: [Quotation] = []
        out.reserveCapacity(order.count)
        for old in order {
            var q = slots[old]!
            let p = Int(effective[old])
            q.parent = p >= 0 ? newIndex[p] : -1
            q.continuation = q.continuation >= 0 ? newIndex[Int(q.continuation)] : -1
            out.append(q)
        }
        for i in out.indices {
            let p = Int(out[i].parent)
            out[i].depth = p >= 0 && p < i ? out[p].depth + 1 : 0
        }
        // A continued quotation is balanced when its last part closes.
        for i in out.indices.reversed() where out[i].continuation >= 0 {
            if out[Int(out[i].continuation)].balanced { out[i].balanced = true }
        }
        return out
    }

    // MARK: - Marks

    static func quoteMark(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt32? {
        let len = e - s
        let b = buf[s]
        if len == 1 { return b == 0x22 || b == 0x27 ? UInt32(b) : nil }
        if len == 2 && b == 0xC2 && (buf[s + 1] == 0xAB || buf[s + 1] == 0xBB) { return UInt32(buf[s + 1]) }
        if len == 3 && (b == 0xE2 || b == 0xE3) {
            let v = UTF8Decoder.scalar(buf, s, 3)
            switch v {
            case 0x2018, 0x2019, 0x201A, 0x201C, 0x201D, 0x201E, 0x2039, 0x203A, 0x300C, 0x300D, 0x300E, 0x300F:
                return v
            default: return nil
            }
        }
        return nil
    }

    static func sameFamily(_ a: UInt32, _ b: UInt32) -> Bool {
        func family(_ m: UInt32) -> Int {
            switch m {
            case 0x22, 0x201C, 0x201D, 0x201E: 1
            case 0xAB, 0xBB: 2
            case 0x27, 0x2018, 0x2019, 0x201A: 3
            case 0x2039, 0x203A: 4
            default: 5
            }
        }
        return family(a) == family(b)
    }

    /// Whether the punctuation at `s` may begin quoted text right after an opening mark: a bracket (`"(The
    /// proposal) will…`) or an ellipsis (`"...It is`), unlike `.` or `,` after a closing mark.
    static func opensText(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int) -> Bool {
        let b = buf[s]
        if b == 0x28 || b == 0x5B { return true }
        if b == 0x2E { return s + 1 < buf.count && buf[s + 1] == 0x2E }
        return b == 0xE2 && s + 2 < buf.count && buf[s + 1] == 0x80 && buf[s + 2] == 0xA6
    }

    static func isOpenBracket(_ buf: UnsafeBufferPointer<UInt8>, _ tokens: TokenTable, _ t: Int) -> Bool {
        guard tokens.kinds[t] == .punctuation, tokens.ends[t] == tokens.starts[t + 1] else { return false }
        let b = buf[Int(tokens.starts[t])]
        return b == 0x28 || b == 0x5B || b == 0x7B || b == 0x2D
    }
}
