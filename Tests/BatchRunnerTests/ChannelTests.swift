// Channel: items come out in the order they went in, across the channel's reclaiming of its slots,
// and the channel lets go of an item as soon as a receiver takes it (a map over a big input kept
// every batch it had passed on until it reclaimed its slots, 1,024 batches later).
import Testing

@testable import BatchRunner

@Suite struct ChannelTests {
    final class Token: Sendable {
        let n: Int
        init(_ n: Int) { self.n = n }
    }

    @Test func itemsComeOutInOrderAcrossReclaiming() {
        let channel = Channel<Int>(capacity: 16)
        var received: [Int] = []
        for n in 0..<5000 {
            channel.send(n)
            if n % 4 == 3 {
                for _ in 0..<4 { if case .item(let value) = channel.receive(timeout: 1) { received.append(value) } }
            }
        }
        channel.close()
        #expect(received == Array(0..<5000))
        if case .closed = channel.receive(timeout: 1) {} else { Issue.record("closed and empty") }
    }

    @Test func aTakenItemIsLetGoAtOnce() {
        let channel = Channel<Token>(capacity: 8)
        weak var first: Token?
        weak var second: Token?
        do {
            let a = Token(1), b = Token(2)
            first = a
            second = b
            channel.send(a)
            channel.send(b)
        }
        do {
            guard case .item(let token) = channel.receive(timeout: 1) else {
                Issue.record("an item")
                return
            }
            #expect(token.n == 1)
        }
        #expect(first == nil, "the channel keeps no taken item")
        #expect(second != nil, "a waiting item stays")
    }
}
