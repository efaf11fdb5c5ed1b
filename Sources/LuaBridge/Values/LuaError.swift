// LuaError: every failure of the Lua bridge, typed, with the chunk, line and traceback.
// Built from the status of a protected call plus what the C message handler recorded.

/// An error from Lua code or from the bridge, with where it happened.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: String, Sendable, Equatable {
        /// The chunk did not compile.
        case syntax
        /// The code raised an error (`error(...)`, a bad operation, a Swift function that threw).
        case runtime
        /// The VM's memory cap was reached.
        case memory
        /// The call's instruction budget ran out.
        case instructionLimit = "instruction-limit"
        /// The call's wall-clock timeout passed.
        case timeout
        /// Another thread cancelled the call.
        case cancelled
        /// A value could not be converted between Lua and Swift.
        case conversion
        /// The message handler itself failed.
        case errorHandler = "error-handler"
    }

    public var kind: Kind
    /// The message, usually starting with `chunk:line:` as Lua writes it.
    public var message: String
    /// The chunk (file) where the error happened, when known.
    public var chunk: String?
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column, for syntax errors when it can be found.
    public var column: Int?
    /// Lua's stack traceback, when the error was raised while Lua code ran.
    public var traceback: String?

    public init(
        kind: Kind, message: String, chunk: String? = nil, line: Int? = nil, column: Int? = nil,
        traceback: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.chunk = chunk
        self.line = line
        self.column = column
        self.traceback = traceback
    }

    /// `chunk:line:column: message` for syntax errors with a column, else the message.
    public var description: String {
        if kind == .syntax, let chunk, let line, let column {
            let prefix = "\(chunk):\(line):"
            if message.hasPrefix(prefix) {
                return "\(chunk):\(line):\(column):" + message.dropFirst(prefix.count)
            }
        }
        return message
    }

    /// The message followed by the traceback, as a person debugging wants to see it.
    public var fullDescription: String {
        guard let traceback, !traceback.isEmpty else { return description }
        return description + "\n" + traceback
    }
}

/// Splits `chunk:line: rest` into its parts; nil when the message has no position prefix.
func parseLuaPosition(_ message: String) -> (chunk: String, line: Int)? {
    // Chunk names may contain ':' (rarely), so take the last `:digits:` before the first space.
    let head = message.prefix { $0 != "\n" }
    var search = head[...]
    while let colon = search.firstIndex(of: ":") {
        let afterColon = search.index(after: colon)
        let digits = search[afterColon...].prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty {
            let end = search.index(afterColon, offsetBy: digits.count)
            if end < search.endIndex, search[end] == ":", let line = Int(digits) {
                let chunk = String(head[head.startIndex..<colon])
                if !chunk.isEmpty { return (chunk, line) }
            }
        }
        search = search[afterColon...]
    }
    return nil
}
