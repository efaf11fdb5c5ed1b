// CLIFailure: the small public error type of the command line, with its exit code.
// Commands throw it; `Quarry.main` prints it once and exits.

/// A failure the command line reports with a message and an exit code.
struct CLIFailure: Error {
    /// Exit codes of ARCHITECTURE §7.
    enum Code: Int32 {
        /// The run finished but some documents (or the snippet) failed.
        case failed = 1
        /// Bad usage or configuration.
        case usage = 2
        /// Could not run at all.
        case cannotRun = 3
    }

    var message: String
    var code: Code

    init(_ message: String, code: Code) {
        self.message = message
        self.code = code
    }
}
