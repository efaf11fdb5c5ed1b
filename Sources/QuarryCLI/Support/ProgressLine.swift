// ProgressLine: the live line on standard error during `quarry run` — files done/total, docs/s,
// MB/s, ETA, failures, and which document and plugin have been running for a while. Only on a
// terminal; colour only where Terminal allows it.
import BatchRunner
import Foundation
import Synchronization

final class ProgressLine: Sendable {
    let enabled: Bool
    private let shown = Mutex<String?>(nil)

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func show(_ s: ProgressSnapshot) {
        guard enabled else { return }
        var parts: [String] = []
        if let total = s.filesTotal {
            parts.append("\(s.filesDone)/\(total) files")
        } else {
            parts.append("\(s.filesDone) files")
        }
        parts.append("\(s.documents) docs")
        if s.elapsed > 0 {
            parts.append(String(format: "%.1f docs/s", Double(s.documents) / s.elapsed))
            parts.append(String(format: "%.2f MB/s", Double(s.bytes) / 1e6 / s.elapsed))
        }
        if let total = s.filesTotal, s.filesDone > 0, total > s.filesDone {
            let remaining = s.elapsed / Double(s.filesDone) * Double(total - s.filesDone)
            parts.append("ETA " + ProgressLine.clock(remaining))
        }
        if s.failed > 0 { parts.append(Terminal.paint("\(s.failed) failed", "31")) }
        if let slow = s.running.first, slow.seconds >= 3 {
            parts.append(Terminal.paint("\(slow.document) in \(slow.plugin) for \(Int(slow.seconds)) s", "33"))
        }
        let line = parts.joined(separator: " · ")
        shown.withLock { current in
            current = line
            Terminal.write("\r\u{1B}[2K" + line)
        }
    }

    /// Prints a line above the progress line.
    func printAbove(_ text: String) {
        shown.withLock { current in
            if enabled, current != nil { Terminal.write("\r\u{1B}[2K") }
            Terminal.write(text)
            if enabled, let current { Terminal.write(current) }
        }
    }

    func clear() {
        guard enabled else { return }
        shown.withLock { current in
            if current != nil { Terminal.write("\r\u{1B}[2K") }
            current = nil
        }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600
            ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
