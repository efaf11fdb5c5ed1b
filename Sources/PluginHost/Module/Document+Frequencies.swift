// `doc:frequencies{...}`: how often each normalized token occurs, counted in Swift over the token
// table, so a plugin gets the distinct terms ranked instead of one string per token. Its options are
// read and its lists pushed in Marshal/FrequencyMarshal.swift.
import DocumentModel
import LuaBridge

extension QuarryRuntime {
    /// `doc:frequencies{kind=, min_length=, letters=, exclude=, top=}` → terms, counts, total.
    func documentFrequencies(_ call: LuaCall) throws -> Int32 {
        let box = try call.object(1, DocumentHandle.self)
        var options = FrequencyOptions()
        let excludeIndex = try options.read(call, at: 2)
        let document = box.document
        var counter = TermCounter(capacity: document.tokens.count)
        counter.count(document.tokens, text: box.textBytes, kinds: options.kinds)
        let ranked = counter.ranked(minLength: options.minLength, letters: options.letters)
        FrequencyOptions.push(call, ranked, of: counter, top: options.top, excludeIndex: excludeIndex)
        return 3
    }
}
