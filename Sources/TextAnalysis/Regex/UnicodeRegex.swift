// UnicodeRegex: Unicode regular expressions over a document's UTF-8 text, through PCRE2 with
// its JIT. Matches are byte ranges, so they line up with the document model's offsets.
import CPCRE2

/// A failure to compile a regular expression, with the byte offset of the fault in the pattern.
public struct RegexError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// 0-based byte offset in the pattern where PCRE2 found the fault.
    public var offset: Int
    public var description: String { "invalid regular expression at offset \(offset): \(message)" }
}

/// One match: the whole match and the capture groups (nil where a group did not take part),
/// as UTF-8 byte ranges of the subject.
public struct RegexMatch: Sendable, Equatable {
    public var range: Range<Int>
    public var groups: [Range<Int>?]
}

/// A compiled regular expression (PCRE2, UTF and Unicode properties on, JIT where available).
///
/// Not `Sendable`: compile one per thread (the Lua API caches one per VM).
public final class UnicodeRegex {
    /// The pattern as given.
    public let pattern: String
    /// The flags as given (`i` caseless, `m` multiline, `s` dot matches newline, `x` extended,
    /// `U` ungreedy, `A` anchored, `a` ASCII classes: `\d \w \s \b` and POSIX classes match ASCII
    /// only, which matches faster; `\p{...}` and literal characters stay Unicode).
    public let flags: String
    private let code: OpaquePointer
    private let matchData: OpaquePointer
    private let matchContext: OpaquePointer?
    /// The number of capture groups.
    public let groupCount: Int
    /// Group names by their number (1-based).
    public let groupNames: [Int: String]

    /// Most backtracking steps one match attempt may take: a pathological pattern fails with an
    /// error instead of running for minutes.
    public static let matchLimit: UInt32 = 10_000_000

    /// Compiles a pattern.
    /// - Throws: `RegexError` with the offset of the fault, or for an unknown flag.
    public init(_ pattern: String, flags: String = "") throws {
        self.pattern = pattern
        self.flags = flags
        var options = UInt32(PCRE2_UTF) | UInt32(PCRE2_UCP)
        for flag in flags {
            if flag == "a" {
                options &= ~UInt32(PCRE2_UCP)
                continue
            }
            switch flag {
            case "i": options |= UInt32(PCRE2_CASELESS)
            case "m": options |= UInt32(PCRE2_MULTILINE)
            case "s": options |= UInt32(PCRE2_DOTALL)
            case "x": options |= UInt32(PCRE2_EXTENDED)
            case "U": options |= UInt32(PCRE2_UNGREEDY)
            case "A": options |= UInt32(PCRE2_ANCHORED)
            default:
                throw RegexError(message: "unknown flag '\(flag)' (use i, m, s, x, U, A, a)", offset: 0)
            }
        }
        var errorCode: Int32 = 0
        var errorOffset = 0
        var bytes = Array(pattern.utf8)
        if bytes.isEmpty { bytes = [0] }
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, pattern.utf8.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw RegexError(message: UnicodeRegex.message(for: errorCode), offset: errorOffset)
        }
        code = compiled
        _ = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE))  // falls back to the interpreter
        matchData = pcre2_match_data_create_from_pattern_8(compiled, nil)
        matchContext = pcre2_match_context_create_8(nil)
        if let matchContext { pcre2_set_match_limit_8(matchContext, UnicodeRegex.matchLimit) }
        var captures: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &captures)
        groupCount = Int(captures)
        groupNames = UnicodeRegex.readNames(compiled)
    }

    deinit {
        if let matchContext { pcre2_match_context_free_8(matchContext) }
        pcre2_match_data_free_8(matchData)
        pcre2_code_free_8(code)
    }

    /// The first match at or after byte `start` of a valid UTF-8 subject, or nil.
    /// - Throws: `RegexError` when the match limit is hit (catastrophic backtracking).
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from start: Int) throws -> RegexMatch? {
        guard start <= subject.count else { return nil }
        let base = subject.baseAddress ?? UnsafePointer(bitPattern: 1)!
        let rc = pcre2_match_8(code, base, subject.count, start, UInt32(PCRE2_NO_UTF_CHECK), matchData, matchContext)
        if rc == PCRE2_ERROR_NOMATCH { return nil }
        if rc < 0 {
            throw RegexError(message: UnicodeRegex.message(for: rc), offset: start)
        }
        let vector = pcre2_get_ovector_pointer_8(matchData)!
        let unset = cpcre2_unset()
        let whole = vector[0]..<max(vector[0], vector[1])
        var groups: [Range<Int>?] = []
        groups.reserveCapacity(groupCount)
        if groupCount > 0 {
            for g in 1...groupCount {
                let s = vector[2 * g]
                let e = vector[2 * g + 1]
                groups.append(s == unset ? nil : (s..<max(s, e)))
            }
        }
        return RegexMatch(range: whole, groups: groups)
    }

    /// Every non-overlapping match in a valid UTF-8 subject, in order; an empty match moves on
    /// by one character.
    public func matches(in subject: UnsafeBufferPointer<UInt8>, limit: Int = .max) throws -> [RegexMatch] {
        var results: [RegexMatch] = []
        var position = 0
        while position <= subject.count, results.count < limit,
            let match = try firstMatch(in: subject, from: position)
        {
            results.append(match)
            if match.range.isEmpty {
                position = match.range.upperBound + 1
                while position < subject.count, subject[position] & 0xC0 == 0x80 { position += 1 }
            } else {
                position = match.range.upperBound
            }
        }
        return results
    }

    /// Every match in a string.
    public func matches(in text: String) throws -> [RegexMatch] {
        var text = text
        return try text.withUTF8 { try matches(in: $0) }
    }

    private static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        if code == PCRE2_ERROR_MATCHLIMIT {
            return "match limit exceeded (the pattern backtracks too much on this text)"
        }
        return length > 0 ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "error \(code)"
    }

    private static func readNames(_ code: OpaquePointer) -> [Int: String] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        guard count > 0 else { return [:] }
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table else { return [:] }
        var names: [Int: String] = [:]
        for i in 0..<Int(count) {
            let entry = table + i * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            var end = 2
            while end < Int(entrySize), entry[end] != 0 { end += 1 }
            names[number] = String(decoding: UnsafeBufferPointer(start: entry + 2, count: end - 2), as: UTF8.self)
        }
        return names
    }
}
