// RunError: why a batch run could not start or had to stop — in the run's own terms; the command
// line decides what that means for its exit code.

/// A run that cannot start or had to stop.
public struct RunError: Error, Sendable, CustomStringConvertible {
    /// What kind of problem stopped the run.
    public enum Kind: Sendable {
        /// The run as asked for cannot be done: the output folder is a file or already holds a run,
        /// or the run to resume used other plugins or options.
        case configuration
        /// The run could not be carried out: Lua would not start, or the output folder cannot be
        /// created or written.
        case cannotRun
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
