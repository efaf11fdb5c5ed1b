// Shard: one part of a partitioned run (`quarry run --shard I/N`). A document belongs to the shard its
// stable key (the document id) hashes to, with FNV-1a (`StableHash`) over the id's UTF-8 bytes: the
// same on every machine and every run (Swift's Hasher is seeded per process and cannot be used).
import DocumentModel

/// Which part of the input a run takes: shard `index` of `count` (0-based).
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    public var index: Int
    public var count: Int

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Reads "I/N" (0 ≤ I < N); nil when the text is not of that form.
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]), count >= 1, index >= 0,
            index < count
        else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Whether the document (or corpus entry) with this key is this shard's.
    public func holds(_ key: String) -> Bool {
        Int(Self.stableHash(key) % UInt64(count)) == index
    }

    /// FNV-1a, 64 bits, over the key's UTF-8 bytes (`StableHash`, shared with the phrase matcher and the
    /// per-document random seeds).
    public static func stableHash(_ key: String) -> UInt64 {
        StableHash.fnv1a(key.utf8)
    }
}
