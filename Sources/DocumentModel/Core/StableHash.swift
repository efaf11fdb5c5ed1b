// StableHash: FNV-1a, 64 bits — a hash that is the same in every process and on every machine (Swift's
// Hasher is seeded per process). Used for the phrase matcher's keys and the per-document random seeds.

/// FNV-1a over bytes, 64 bits.
public enum StableHash {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// The hash of `bytes`, continuing from `seed` (the offset basis by default).
    @inlinable
    public static func fnv1a(_ bytes: some Sequence<UInt8>, seed: UInt64 = offsetBasis) -> UInt64 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* prime }
        return h
    }
}
