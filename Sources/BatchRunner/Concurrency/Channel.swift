// Channel: a bounded, blocking, multi-producer multi-consumer queue between the corpus walker,
// the workers and the writer. Sendable values only; closing wakes every receiver.
import Dispatch
import Synchronization

final class Channel<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
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
            let item = state.items[state.head]
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
