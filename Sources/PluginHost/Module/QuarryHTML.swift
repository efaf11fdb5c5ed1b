// quarry.html: HTML escaping for text and attribute values, the one escaping the SVG helpers
// (QuarrySVG) and report plugins share; Mustache's `{{name}}` escapes the same five characters.
// `quarry.html.escape` works on a UTF-8 Lua string's bytes (`escapeBytes`): a report escapes every piece
// of text it writes, and most have nothing to escape, so those are returned as they are, with no copy;
// bytes that are not UTF-8 take the general path (which replaces them).
// Paired with the general path by FastPathTests.
import LuaBridge

enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as character references; everything else unchanged.
    static func escape(_ s: String) -> String {
        let utf8 = s.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return s
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for byte in utf8 {
            switch byte {
            case 0x26: out += Array("&amp;".utf8)
            case 0x3C: out += Array("&lt;".utf8)
            case 0x3E: out += Array("&gt;".utf8)
            case 0x22: out += Array("&quot;".utf8)
            case 0x27: out += Array("&#39;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The same escaping on bytes; nil when nothing needs it.
    static func escapeBytes(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard
            let first = bytes.firstIndex(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8 + 8)
        out.append(contentsOf: bytes[..<first])
        for byte in bytes[first...] {
            switch byte {
            case 0x26: out.append(contentsOf: [0x26, 0x61, 0x6D, 0x70, 0x3B])  // &amp;
            case 0x3C: out.append(contentsOf: [0x26, 0x6C, 0x74, 0x3B])  // &lt;
            case 0x3E: out.append(contentsOf: [0x26, 0x67, 0x74, 0x3B])  // &gt;
            case 0x22: out.append(contentsOf: [0x26, 0x71, 0x75, 0x6F, 0x74, 0x3B])  // &quot;
            case 0x27: out.append(contentsOf: [0x26, 0x23, 0x33, 0x39, 0x3B])  // &#39;
            default: out.append(byte)
            }
        }
        return out
    }
}

extension QuarryRuntime {
    /// `quarry.html.escape(s)`: numbers are written as Lua writes them.
    func htmlEscape(_ call: LuaCall, fastPath: Bool = true) throws -> Int32 {
        if fastPath, let pushed = StringArgument.replacing(call, 1, with: HTML.escapeBytes) { return pushed }
        switch try call.value(1) {
        case .string(let s): return call.push(HTML.escape(s))
        case .bytes(let b): return call.push(HTML.escape(String(decoding: b, as: UTF8.self)))
        case .int(let i): return call.push(String(i))
        case .double(let d): return call.push(LuaValue.double(d).description)
        default: throw call.argumentError(1, "a string or a number")
        }
    }
}
