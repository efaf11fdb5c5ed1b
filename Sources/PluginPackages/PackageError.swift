// PackageError: what went wrong fetching, checking or installing a plugin package, in the packages'
// own terms (the source and the cause). QuarryCLI maps the kinds to exit codes (QuarryFailure).

/// A package that could not be fetched, checked or installed.
public struct PackageError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input is wrong: a missing source, an unknown ref, an unsafe archive, a bad manifest, a lock mismatch.
        case badInput
        /// The machine could not do it: a folder that cannot be written, `git` missing.
        case cannotRun
    }

    public var kind: Kind
    /// The source or plugin the error is about, as the user gave it.
    public var subject: String?
    public var message: String

    public init(_ kind: Kind, _ subject: String?, _ message: String) {
        self.kind = kind
        self.subject = subject
        self.message = message
    }

    public var description: String { subject.map { "\($0): \(message)" } ?? message }
}
