// RecordSource: where a plugin's records for `finish` come from — chunks of compact JSON (each an
// array), read one at a time from memory or from the run's spool on disk, as often as finish asks.
/// A plugin's records, as chunks of compact JSON arrays that can be read from the start again.
public struct RecordSource: Sendable {
    /// The records' size in bytes of JSON (what the table form's limit counts).
    public var bytes: Int
    /// Starts reading from the first chunk: each call of the function returned gives the next chunk,
    /// nil at the end.
    public var open: @Sendable () throws -> (() throws -> [UInt8]?)

    public init(bytes: Int, open: @escaping @Sendable () throws -> (() throws -> [UInt8]?)) {
        self.bytes = bytes
        self.open = open
    }

    /// Records held in memory.
    public static func chunks(_ chunks: [[UInt8]]) -> RecordSource {
        RecordSource(bytes: chunks.reduce(0) { $0 + $1.count }) {
            var next = 0
            return {
                guard next < chunks.count else { return nil }
                defer { next += 1 }
                return chunks[next]
            }
        }
    }
}
