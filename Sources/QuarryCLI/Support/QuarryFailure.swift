// QuarryFailure: what the command line reports when a command fails — a message and an exit code.
// Commands throw them; `Quarry.main` is the one place that prints the message and exits. Library
// errors become failures here, in the CLI's words: through retroactive conformances where the error
// says all there is (RunError, OptionError), in the command where it needs the command's words
// (a SelectionError names the option its expression came from).
import BatchRunner
import PluginHost

/// The exit codes of a command that did not succeed (the README's table).
enum ExitStatus: Int32 {
    /// The run finished but something failed (some documents, a snippet's runtime error).
    case failed = 1
    /// Bad usage or configuration (unknown option, a syntax error in a snippet).
    case usage = 2
    /// Could not run at all.
    case cannotRun = 3
}

/// A failure the command line reports on standard error and turns into an exit code.
protocol QuarryFailure: Error {
    var exitStatus: ExitStatus { get }
    /// What to print after "quarry: error:"; empty when the command has already said what failed.
    var diagnostic: String { get }
}

/// A failure a command describes itself.
struct CommandFailure: QuarryFailure {
    var diagnostic: String
    var exitStatus: ExitStatus

    init(_ diagnostic: String, _ exitStatus: ExitStatus) {
        self.diagnostic = diagnostic
        self.exitStatus = exitStatus
    }

    /// Bad usage or configuration (exit 2).
    static func usage(_ message: String) -> CommandFailure { CommandFailure(message, .usage) }
    /// The command could not run (exit 3).
    static func cannotRun(_ message: String) -> CommandFailure { CommandFailure(message, .cannotRun) }
    /// The command ran but something failed (exit 1).
    static func failed(_ message: String) -> CommandFailure { CommandFailure(message, .failed) }
    /// Something failed and has been reported already, line by line (exit 1, nothing more printed).
    static let reportedFailures = CommandFailure("", .failed)
}

// MARK: - Library errors

extension RunError: QuarryFailure {
    var exitStatus: ExitStatus {
        switch kind {
        case .configuration: .usage
        case .cannotRun: .cannotRun
        }
    }

    var diagnostic: String { description }
}

extension OptionError: QuarryFailure {
    var exitStatus: ExitStatus { .usage }
    var diagnostic: String { message }
}
