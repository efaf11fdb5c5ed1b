// EntryOutput: what the workers send the writer — the encoded results line of each document of a
// work item, with what the writer needs besides the bytes (status, records, timings).
import DocumentModel

/// What became of one document in the results file.
enum DocumentStatus: String, Sendable {
    case ok, failed, skipped
}

/// What became of one work item: the documents of an entry (part 0 of 1), or of one record of a
/// record file (part `position.part` of however many the feeder reports).
struct EntryOutput: Sendable {
    var position: InputPosition
    /// How many parts the entry has, when the worker knows (a whole file: 1).
    var parts: Int?
    var docs: [DocOutput]
    /// The item's place in the whole input: where a shard's lines go when shards are merged.
    var corpusPosition: InputPosition? = nil
}

/// One document's outcome, ready for the writer.
struct DocOutput: Sendable {
    var id: String
    /// The results line, encoded by the worker (nil when reused from an earlier run).
    var line: EncodedLine?
    var reused = false
    var skipped = false
    /// The document's text size in bytes (for throughput).
    var bytes = 0
    /// Seconds each plugin took on it.
    var seconds: [String: Double] = [:]
}

/// A results line as bytes, with what the writer needs from it: its errors.jsonl lines, its status
/// and the records for finish. Made on the worker threads.
struct EncodedLine: Sendable {
    var bytes: [UInt8]
    var errorBytes: [UInt8]
    var status: DocumentStatus
    /// Each plugin's records, kept as compact JSON until finish needs them (a corpus's records as
    /// Swift values would take ten times the memory).
    var records: [(plugin: String, json: [UInt8])]
    /// What the reader warned about (a document that lost text, a structure cut short).
    var warnings: [String]
    /// Where the line's `,"records":{…}` is, its comma included (what `quarry map --records` moves to
    /// the records file); nil when the line has no records or was read back.
    var recordsMember: Range<Int>?

    init(
        bytes: [UInt8], errorBytes: [UInt8], status: DocumentStatus, records: [(plugin: String, json: [UInt8])],
        warnings: [String] = [], recordsMember: Range<Int>? = nil
    ) {
        self.bytes = bytes
        self.errorBytes = errorBytes
        self.status = status
        self.records = records
        self.warnings = warnings
        self.recordsMember = recordsMember
    }

    /// Encodes a results line built as values (the general path, and lines kept from an earlier run).
    init(_ object: JSONObject) {
        var writer = JSONWriter()
        let member = writer.object(object, locating: "records")
        writer.byte(0x0A)
        self.init(bytes: writer.bytes, object: object)
        // Records are never a results line's first member; with the comma before them, cutting them out
        // leaves a whole object.
        if let member, member.lowerBound > 1, case .object? = object["records"] {
            recordsMember = (member.lowerBound - 1)..<member.upperBound
        }
    }

    /// A results line read back (a shard's, a map worker's): its bytes as they are, the rest from its values.
    init(bytes: [UInt8], object: JSONObject) {
        self.bytes = bytes
        errorBytes = ResultEncoder.errorLines(of: object).flatMap(ResultEncoder.bytes)
        status = object["status"]?.stringValue.flatMap(DocumentStatus.init(rawValue:)) ?? .ok
        if case .array(let list)? = object["warnings"] {
            warnings = list.compactMap(\.stringValue)
        } else {
            warnings = []
        }
        records = []
        if case .object(let emitted)? = object["records"] {
            for (plugin, value) in zip(emitted.keys, emitted.values) {
                if case .array = value {
                    var writer = JSONWriter()
                    writer.value(value)
                    records.append((plugin, writer.bytes))
                }
            }
        }
    }
}
