// RunControl: the state the threads of a run share — the stop flag, how many entries the feeder
// found, the workers' cancellation tokens, and what each worker is busy with (for progress).
import DocumentModel
import LuaBridge
import Synchronization

final class RunControl: Sendable {
    private let stopped = Atomic<Bool>(false)
    /// Corpus entries the feeder found, once it has walked the whole corpus (-1 before).
    let walked = Atomic<Int>(-1)
    private let cancellations = Mutex<[LuaCancellation]>([])
    private let running = Mutex<[Int: (document: String, plugin: String, since: ContinuousClock.Instant)]>([:])

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// Asks every thread to stop, without interrupting a running plugin call.
    func requestStop() {
        stopped.store(true, ordering: .relaxed)
    }

    /// Stops every thread and cancels the plugin calls running now.
    func stopEverything() {
        requestStop()
        for token in cancellations.withLock({ $0 }) { token.cancel() }
    }

    /// Registers a worker's cancellation token, for `stopEverything`.
    func register(_ token: LuaCancellation) {
        cancellations.withLock { $0.append(token) }
    }

    /// Worker `worker` started `plugin` on `document`.
    func started(worker: Int, document: String, plugin: String) {
        running.withLock { $0[worker] = (document, plugin, ContinuousClock.now) }
    }

    /// Worker `worker` is done with its document.
    func idle(worker: Int) {
        running.withLock { _ = $0.removeValue(forKey: worker) }
    }

    /// A progress snapshot: the writer's counts and what the workers are on.
    func snapshot(summary: RunSummary, started: ContinuousClock.Instant) -> ProgressSnapshot {
        let now = ContinuousClock.now
        let walked = walked.load(ordering: .relaxed)
        let busy = running.withLock { $0 }.values.map {
            (document: $0.document, plugin: $0.plugin, seconds: (now - $0.since).seconds)
        }
        .sorted { $0.seconds > $1.seconds }
        return ProgressSnapshot(
            filesDone: summary.files, filesTotal: walked >= 0 ? walked : nil, documents: summary.documents,
            failed: summary.failed, bytes: summary.bytes, elapsed: (now - started).seconds, running: busy)
    }
}
