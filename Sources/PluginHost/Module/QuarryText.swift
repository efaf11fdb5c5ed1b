// quarry.text: Unicode-aware string helpers (len, sub, lower, upper, fold, strip_accents, normalize,
// words) for plugins, beside Lua's byte-oriented string library.
import DocumentModel
import Foundation
import LuaBridge
import TextAnalysis

extension QuarryRuntime {
    func textLen(_ call: LuaCall) throws -> Int32 { call.push(try call.string(1).unicodeScalars.count) }

    func textSub(_ call: LuaCall) throws -> Int32 {
        let scalars = Array(try call.string(1).unicodeScalars)
        let count = scalars.count
        var i = try call.optionalInteger(2, default: 1)
        var j = try call.optionalInteger(3, default: -1)
        if i < 0 { i = max(count + i + 1, 1) } else if i == 0 { i = 1 }
        if j < 0 { j = count + j + 1 } else if j > count { j = count }
        guard i <= j else { return call.push("") }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[(i - 1)..<j])
        return call.push(String(view))
    }

    func textLower(_ call: LuaCall) throws -> Int32 { call.push(try call.string(1).lowercased()) }
    func textUpper(_ call: LuaCall) throws -> Int32 { call.push(try call.string(1).uppercased()) }

    func textFold(_ call: LuaCall) throws -> Int32 {
        call.push(try call.string(1).folding(options: [.caseInsensitive, .widthInsensitive], locale: nil))
    }

    func textStripAccents(_ call: LuaCall) throws -> Int32 {
        call.push(try call.string(1).folding(options: [.diacriticInsensitive], locale: nil))
    }

    func textNormalize(_ call: LuaCall) throws -> Int32 {
        let text = try call.string(1)
        switch try call.optionalString(2) ?? "NFC" {
        case "NFC": return call.push(text.precomposedStringWithCanonicalMapping)
        case "NFD": return call.push(text.decomposedStringWithCanonicalMapping)
        case "NFKC": return call.push(text.precomposedStringWithCompatibilityMapping)
        case "NFKD": return call.push(text.decomposedStringWithCompatibilityMapping)
        case let other: throw call.argumentError(2, "one of \"NFC\", \"NFD\", \"NFKC\", \"NFKD\" (got \"\(other)\")")
        }
    }

    func textWords(_ call: LuaCall) throws -> Int32 {
        var text = try call.string(1)
        // Tokenized in place and pushed straight from the text's bytes: no string per word in Swift.
        text.withUTF8 { buffer in
            var tokens = TokenTable()
            Tokenizer.tokenize(buffer, 0..<buffer.count, into: &tokens)
            StringList.push(call.rawState, buffer, tokens: tokens) { $0 == .word || $0 == .number }
        }
        return 1
    }
}
