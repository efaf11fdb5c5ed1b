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
        write(paint("quarry: error:", "31") + " " + shown(message, keepingLineBreaks: true) + "\n")
    }

    static func warning(_ message: String) {
        write(paint("quarry: warning:", "33") + " " + shown(message, keepingLineBreaks: true) + "\n")
    }

    /// Text from documents and file names made safe to print: control characters (ESC, CR, BEL, C1...)
    /// shown as `\x1B`, so that a file name cannot move the cursor or recolour the terminal. Line breaks
    /// and tabs stay when `keepingLineBreaks`.
    static func shown(_ text: String, keepingLineBreaks: Bool = false) -> String {
        func hidden(_ scalar: Unicode.Scalar) -> Bool {
            let v = scalar.value
            if keepingLineBreaks && (v == 0x0A || v == 0x09) { return false }
            return v < 0x20 || (0x7F...0x9F).contains(v)
        }
        guard text.unicodeScalars.contains(where: hidden) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if hidden(scalar) {
                out.append(contentsOf: String(format: "\\x%02X", scalar.value).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func paint(_ text: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
