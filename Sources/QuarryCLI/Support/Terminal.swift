// Terminal: the only writer to standard error, with colour only where it helps and is allowed
// (a terminal, NO_COLOR unset, TERM not dumb).
import Foundation

enum Terminal {
    static let stderrIsTerminal = isatty(STDERR_FILENO) != 0

    static var colour: Bool {
        let env = ProcessInfo.processInfo.environment
        return stderrIsTerminal && env["NO_COLOR"] == nil && env["TERM"] != "dumb"
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func error(_ message: String) {
        write(paint("quarry: error:", "31") + " " + message + "\n")
    }

    static func warning(_ message: String) {
        write(paint("quarry: warning:", "33") + " " + message + "\n")
    }

    static func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
