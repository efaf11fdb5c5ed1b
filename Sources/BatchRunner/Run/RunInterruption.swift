// RunInterruption: what a signal handler needs to leave run.json truthful when the process is stopped
// (SIGINT, SIGTERM): the run's settings and when it started. Safe to call from any thread; does nothing
// before the run has started or after it has ended (run.json then already says so).
import Foundation
import Synchronization

public final class RunInterruption: Sendable {
    private let settings: RunSettings
    /// The start of the run while it runs; nil before and after.
    private let running = Mutex<Date?>(nil)

    init(settings: RunSettings) { self.settings = settings }

    func started(at date: Date) { running.withLock { $0 = date } }

    func ended() { running.withLock { $0 = nil } }

    /// Writes the run's final record and ends the run, with no signal in between.
    func end(writing record: () throws(RunError) -> Void) throws(RunError) {
        try running.withLock { (started: inout Date?) throws(RunError) in
            try record()
            started = nil
        }
    }

    /// Writes run.json with status "interrupted" and the reason; false when no run was in progress.
    @discardableResult
    public func markInterrupted(_ reason: String) -> Bool {
        running.withLock { started in
            guard let started else { return false }
            var record = RunRecord(settings: settings, status: .interrupted, started: started, finished: Date())
            record.reason = reason
            try? RunFolder(path: settings.outputFolder).writeRun(record)
            return true
        }
    }
}
