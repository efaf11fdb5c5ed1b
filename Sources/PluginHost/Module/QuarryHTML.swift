// quarry.html: HTML escaping for text and attribute values, the one escaping the SVG helpers
// (QuarrySVG) and report plugins share; Mustache's `{{name}}` escapes the same five characters.
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
}

extension QuarryRuntime {
    /// `quarry.html.escape(s)`: numbers are written as Lua writes them.
    func htmlEscape(_ call: LuaCall) throws -> Int32 {
        switch try call.value(1) {
        case .string(let s): return call.push(HTML.escape(s))
        case .bytes(let b): return call.push(HTML.escape(String(decoding: b, as: UTF8.self)))
        case .int(let i): return call.push(String(i))
        case .double(let d): return call.push(LuaValue.double(d).description)
        default: throw call.argumentError(1, "a string or a number")
        }
    }
}
