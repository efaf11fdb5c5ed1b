// WorkItem: what the corpus feeder hands the workers — a corpus entry, one record of a record file,
// or a file the walk skipped or could not open — each with its place in input order.
import Readers

/// One unit of work, with its position in input order.
enum WorkItem: Sendable {
    case entry(seq: Int, CorpusEntry)
    case skipped(seq: Int, path: String, reason: String)
    case failure(seq: Int, path: String, message: String)
    /// One record of a record file (JSON Lines, CSV, mbox...), read by the feeder so that the
    /// records of one file spread over every worker. `part` counts the records this run takes (all of
    /// them, or a shard's); `corpusPart` is the record's place in the file.
    case record(seq: Int, part: Int, corpusPart: Int, ReadResult)
    /// A document of `quarry map`'s input (read by the worker), and a line of it that was refused.
    case mapped(seq: Int, MapInput)
    case refused(seq: Int, MapInput.Refusal)

    /// The corpus entry's number in input order, and the part of it this item is (0 but for records).
    var position: InputPosition {
        switch self {
        case .entry(let seq, _), .skipped(let seq, _, _), .failure(let seq, _, _), .mapped(let seq, _),
            .refused(let seq, _):
            InputPosition(seq: seq, part: 0)
        case .record(let seq, let part, _, _): InputPosition(seq: seq, part: part)
        }
    }

    /// The item's place in the whole input (a shard's records keep their place in the file).
    var corpusPosition: InputPosition {
        switch self {
        case .record(let seq, _, let corpusPart, _): InputPosition(seq: seq, part: corpusPart)
        case .mapped(_, let input): InputPosition(seq: input.seq, part: 0)
        case .refused(_, let refusal): InputPosition(seq: refusal.seq, part: 0)
        default: position
        }
    }

    /// How many parts the item's entry has, when the item itself tells (a whole file: 1); nil for a
    /// record, whose count the feeder reports once it has read the file.
    var knownParts: Int? {
        if case .record = self { nil } else { 1 }
    }
}

/// Where a work item's output goes in input order: the corpus entry, then the part of it.
struct InputPosition: Hashable, Sendable {
    var seq: Int
    var part: Int
}
