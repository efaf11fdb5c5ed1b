// SHA-256 of a file's bytes, for `metadata.sha256` and resuming runs: OpenSSL's libcrypto, which uses
// the CPU's SHA instructions where there are some (several times the speed of portable code, and this
// hash runs over every byte of every corpus). Checked against the standard test vectors in ReadersTests.

import CCrypto

/// SHA-256 digests.
public enum SHA256 {
    /// The lower-case hex digest of `bytes`.
    public static func hex<C: Collection<UInt8>>(_ bytes: C) -> String {
        if let digest = bytes.withContiguousStorageIfAvailable({ hex(of: UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hex(of: $0) }
    }

    /// The lower-case hex digest of a string's UTF-8 bytes.
    public static func hex(_ text: String) -> String {
        var text = text
        return text.withUTF8 { hex(of: UnsafeRawBufferPointer($0)) }
    }

    private static func hex(of buffer: UnsafeRawBufferPointer) -> String {
        var digest = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        let ok = withUnsafeMutableBytes(of: &digest) { out -> Bool in
            var size: UInt32 = 0
            let md = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            // An empty buffer may have no base address; libcrypto wants a pointer all the same.
            let data = buffer.baseAddress ?? UnsafeRawPointer(md)
            return EVP_Digest(data, buffer.count, md, &size, EVP_sha256(), nil) == 1 && size == 32
        }
        precondition(ok, "libcrypto could not compute a SHA-256 digest")
        return withUnsafeBytes(of: &digest) { raw in
            String(unsafeUninitializedCapacity: 64) { out in
                let digits: StaticString = "0123456789abcdef"
                let d = digits.utf8Start
                for (i, b) in raw.enumerated() {
                    out[2 * i] = d[Int(b >> 4)]
                    out[2 * i + 1] = d[Int(b & 15)]
                }
                return 64
            }
        }
    }
}
