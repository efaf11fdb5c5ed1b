// InputOrder: puts the workers' outputs, which arrive in any order, back in input order — entry
// by entry, and part by part within an entry of records whose count the feeder tells at the end.

/// A reorder buffer over work-item outputs.
struct InputOrder {
    /// What comes next in input order.
    enum Step {
        /// The next output to write.
        case output(EntryOutput)
        /// Every part of an entry has been handed out: one more corpus entry is done.
        case entryDone
    }

    private var pending: [InputPosition: EntryOutput] = [:]
    private var partsOf: [Int: Int] = [:]
    private var next = InputPosition(seq: 0, part: 0)

    /// How many outputs wait for an earlier one.
    var waiting: Int { pending.count }

    /// Takes an output that arrived, in whatever order.
    mutating func add(_ output: EntryOutput) {
        pending[output.position] = output
        if let parts = output.parts { partsOf[output.position.seq] = parts }
    }

    /// Entry `seq` has `count` parts (a record file, once the feeder has read it; possibly 0).
    mutating func setParts(of seq: Int, to count: Int) {
        partsOf[seq] = count
    }

    /// The next step in input order, or nil while the next output has not arrived.
    mutating func nextStep() -> Step? {
        if let parts = partsOf[next.seq], next.part >= parts {
            partsOf.removeValue(forKey: next.seq)
            next = InputPosition(seq: next.seq + 1, part: 0)
            return .entryDone
        }
        guard let ready = pending.removeValue(forKey: next) else { return nil }
        next.part += 1
        return .output(ready)
    }
}
