// InputOrder: outputs that complete out of order are written in input order, entry by entry and
// part by part, and a record file's entry ends only once the feeder has told its number of parts.
import Testing

@testable import BatchRunner

@Suite struct InputOrderTests {
    /// Drains what is ready: "seq.part" for an output, "done" for a finished entry.
    func drain(_ order: inout InputOrder) -> [String] {
        var steps: [String] = []
        while let step = order.nextStep() {
            switch step {
            case .output(let output): steps.append("\(output.position.seq).\(output.position.part)")
            case .entryDone: steps.append("done")
            }
        }
        return steps
    }

    @Test func outOfOrderCompletionsComeOutInInputOrder() {
        var order = InputOrder()
        order.add(entry(2, []))
        order.add(entry(1, []))
        #expect(drain(&order).isEmpty, "entry 0 has not arrived")
        #expect(order.waiting == 2)
        order.add(entry(0, []))
        #expect(drain(&order) == ["0.0", "done", "1.0", "done", "2.0", "done"])
        #expect(order.waiting == 0)
        order.add(entry(4, []))
        #expect(drain(&order).isEmpty, "3 is missing")
        order.add(entry(3, []))
        #expect(drain(&order) == ["3.0", "done", "4.0", "done"])
    }

    @Test func recordsWaitForTheirCountBeforeTheNextEntry() {
        var order = InputOrder()
        func record(_ seq: Int, _ part: Int) -> EntryOutput {
            EntryOutput(position: InputPosition(seq: seq, part: part), parts: nil, docs: [])
        }
        order.add(record(0, 1))
        order.add(entry(1, []))
        #expect(drain(&order).isEmpty)
        order.add(record(0, 0))
        #expect(drain(&order) == ["0.0", "0.1"], "the feeder has not said how many records there are")
        order.add(record(0, 2))
        #expect(drain(&order) == ["0.2"])
        order.setParts(of: 0, to: 3)
        #expect(drain(&order) == ["done", "1.0", "done"])
    }

    @Test func aRecordFileWithoutRecordsIsDoneAtOnce() {
        var order = InputOrder()
        order.add(entry(1, []))
        order.setParts(of: 0, to: 0)
        #expect(drain(&order) == ["done", "1.0", "done"])
    }

    @Test func theCountMayArriveBeforeTheRecords() {
        var order = InputOrder()
        order.setParts(of: 0, to: 2)
        #expect(drain(&order).isEmpty)
        order.add(EntryOutput(position: InputPosition(seq: 0, part: 1), parts: nil, docs: []))
        order.add(EntryOutput(position: InputPosition(seq: 0, part: 0), parts: nil, docs: []))
        #expect(drain(&order) == ["0.0", "0.1", "done"])
    }
}
