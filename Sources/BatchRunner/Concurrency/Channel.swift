// Channel: a bounded, blocking, multi-producer multi-consumer queue between the corpus walker,
// the workers and the writer. Sendable values only; closing wakes every receiver.
import Dispatch
import Synchronization

final class Channel<Element: Sendable>: Sendable {
    private struct State {
        /// Items from `head` on wait; a taken item's slot is emptied at once, so the channel never
        /// keeps what a receiver has let go of (the slots are reclaimed in bulk now and then).
        var items: [Element?] = []
        var head = 0
        var closed = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    private let space: DispatchSemaphore

    /// - Parameter capacity: how many items may wait before `send` blocks.
    init(capacity: Int) {
        space = DispatchSemaphore.counting(max(1, capacity))
    }

    /// Adds an item, waiting while the channel is full. Returns false if the channel was closed.
    @discardableResult
    func send(_ item: Element) -> Bool {
        space.wait()
        let accepted = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.items.append(item)
            return true
        }
        if accepted { available.signal() } else { space.signal() }
        return accepted
    }

    enum Received {
        case item(Element)
        case closed
        case timedOut
    }

    /// Takes the next item, waiting up to `timeout` seconds (nil: forever).
    func receive(timeout: Double? = nil) -> Received {
        if let timeout {
            if available.wait(timeout: .now() + timeout) == .timedOut { return .timedOut }
        } else {
            available.wait()
        }
        let item = state.withLock { state -> Element? in
            guard state.head < state.items.count else { return nil }
            let item = state.items[state.head].take()
            state.head += 1
            if state.head > 1024 && state.head * 2 > state.items.count {
                state.items.removeFirst(state.head)
                state.head = 0
            }
            return item
        }
        guard let item else {
            available.signal()  // closed and empty: let the next receiver see it too
            return .closed
        }
        space.signal()
        return .item(item)
    }

    /// No more items: receivers get what is left, then `.closed`.
    func close() {
        let wasOpen = state.withLock { state -> Bool in
            defer { state.closed = true }
            return !state.closed
        }
        if wasOpen { available.signal() }
    }
}

extension DispatchSemaphore {
    /// A semaphore holding `count` permits. It starts at zero and is signalled up, because
    /// libdispatch traps when a semaphore is freed below the value it was created with, which a
    /// bounded queue may well be when a run stops early.
    static func counting(_ count: Int) -> DispatchSemaphore {
        let semaphore = DispatchSemaphore(value: 0)
        for _ in 0..<count { semaphore.signal() }
        return semaphore
    }
}

/// The number of work items in flight between the walker and the writer, bounded. The walker waits
/// when it is full and is woken only once the window has drained to its low-water mark, so that a
/// walker far ahead of the workers is woken once per many documents, not once per document.
final class Window: Sendable {
    private struct State {
        var inFlight = 0
        var waiting = false
        var open = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    let capacity: Int
    private let lowWater: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
        lowWater = self.capacity / 2
    }

    /// Takes room for one item without waiting; false when the window is full.
    func tryAcquire() -> Bool {
        state.withLock { state in
            guard state.open || state.inFlight < capacity else { return false }
            state.inFlight += 1
            return true
        }
    }

    /// Takes room for one item, waiting while the window is full (not after `open`).
    func acquire() {
        while true {
            let acquired = state.withLock { state -> Bool in
                if state.open || state.inFlight < capacity {
                    state.inFlight += 1
                    return true
                }
                state.waiting = true
                return false
            }
            if acquired { return }
            wake.wait()
        }
    }

    /// Gives back the room of one item written.
    func release() {
        let wakeWalker = state.withLock { state -> Bool in
            state.inFlight -= 1
            guard state.waiting, state.inFlight <= lowWater else { return false }
            state.waiting = false
            return true
        }
        if wakeWalker { wake.signal() }
    }

    /// No bound any more (the run is stopping): a waiting walker goes on and sees the stop.
    func openUp() {
        let wakeWalker = state.withLock { state -> Bool in
            state.open = true
            defer { state.waiting = false }
            return state.waiting
        }
        if wakeWalker { wake.signal() }
    }
}
