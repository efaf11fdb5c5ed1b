// The one error type of the Scoring target: bad input, with the file and line it is in.
// The command line turns it into a message and exit code 2.

/// Bad input to `quarry score`: a malformed line, an impossible offset, an unknown name.
public struct ScoringError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file at fault, when there is one.
    public var file: String?
    /// The 1-based line in `file`, or 0.
    public var line: Int
    /// What is wrong.
    public var message: String

    public init(_ message: String, file: String? = nil, line: Int = 0) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, `file: message` or the message alone.
    public var description: String {
        guard let file else { return message }
        return line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}
