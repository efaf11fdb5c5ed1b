// ResumePlan: the decisions of `--resume` in the writer. The earlier run's lines stay in
// results.jsonl as long as the new run writes the very same lines in the same order; at the first
// line that differs, the files are cut back to the lines that matched and writing goes on from there.

/// Which lines of an earlier run's results.jsonl stay.
struct ResumePlan {
    /// What to do with the next results line.
    enum Placement: Equatable {
        /// The file already holds this very line where it belongs: write nothing.
        case alreadyWritten
        /// Append the line; first cut the files back to the first `restartKeeping` kept lines when
        /// this is the first line that differs (nil: just append).
        case append(restartKeeping: Int?)
    }

    /// The complete lines of the earlier run, in file order.
    let kept: [RunFolder.KeptLine]
    private let keptByID: [String: RunFolder.KeptLine]
    /// How many kept lines the new run has matched so far.
    private(set) var matched = 0
    /// Whether every line so far matched the kept lines (false once one differed, or with none kept).
    private(set) var matching: Bool

    init(kept: [RunFolder.KeptLine] = []) {
        self.kept = kept
        var byID: [String: RunFolder.KeptLine] = [:]
        for line in kept { byID[line.id] = line }
        keptByID = byID
        matching = !kept.isEmpty
    }

    /// The earlier run's line for a document id (the last one, if the id was there twice).
    func keptLine(for id: String) -> RunFolder.KeptLine? { keptByID[id] }

    /// Decides where the next results line of document `id` goes.
    mutating func place(id: String, bytes: [UInt8]) -> Placement {
        guard matching else { return .append(restartKeeping: nil) }
        if matched < kept.count, kept[matched].id == id, kept[matched].bytes == bytes {
            matched += 1
            return .alreadyWritten
        }
        matching = false
        return .append(restartKeeping: matched)
    }

    /// At the end of a run whose every line matched: how many kept lines stay (the earlier run's lines
    /// after them are no longer in the corpus and are cut). Nil when the files were already cut back.
    var keptAtEnd: Int? { matching ? matched : nil }

    /// Where the first `count` kept lines end in results.jsonl.
    func end(ofFirst count: Int) -> UInt64 {
        count == 0 ? 0 : kept[count - 1].end
    }
}
