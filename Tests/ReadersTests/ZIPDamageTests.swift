// Damaged ZIP archives: ArchiveGuard's directory check on hand-damaged and randomly mutated DOCX files.
// Every damaged file must end as a document or a failure that says what is wrong, never a trap.

import ArchiveGuard
import Foundation
import QuarryTestSupport
import Testing

@testable import Readers

@Suite struct ZIPDamageTests {
    let original: [UInt8]
    let endRecord: Int

    init() throws {
        original = try Array(Data(contentsOf: URL(fileURLWithPath: fixture("docx/ferry-review.docx"))))
        endRecord = try #require(Self.lastIndex(of: [0x50, 0x4B, 0x05, 0x06], in: original))
    }

    static func lastIndex(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        stride(from: bytes.count - needle.count, through: 0, by: -1).first {
            Array(bytes[$0..<$0 + needle.count]) == needle
        }
    }

    static func indices(of needle: [UInt8], in bytes: [UInt8]) -> [Int] {
        (0...(bytes.count - needle.count)).filter { Array(bytes[$0..<$0 + needle.count]) == needle }
    }

    func put32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
        for k in 0..<4 { bytes[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }

    func check(_ bytes: [UInt8]) -> Result<Int, ZIPDirectoryError> {
        bytes.withUnsafeBytes { raw in
            Result { () throws(ZIPDirectoryError) -> Int in try ZIPDirectoryCheck.check(raw, maxEntries: 100) }
        }
    }

    @Test func anIntactArchivePassesWithItsEntryCount() throws {
        let entries = try check(original).get()
        #expect(entries == Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: original).count)
        #expect(read("docx/ferry-review.docx").first?.document != nil)
    }

    @Test func aDirectoryOffsetPastTheEndIsRefused() {
        var bytes = original
        put32(0xFFFF_FF00, at: endRecord + 16, in: &bytes)
        guard case .failure(let error) = check(bytes) else {
            Issue.record("accepted")
            return
        }
        #expect(error.reason.contains("directory entry 1"))
        let result = readBytes(bytes, name: "offset.docx")
        #expect(result.first?.failure?.message.contains("not a readable ZIP archive") == true)
    }

    /// ZIPFoundation fails on it after opening its in-memory file, which then leaks with the archive's
    /// bytes (`make fuzz`, Fuzz/Regressions/docx/comment-past-end): refused before ZIPFoundation sees it.
    @Test func aCommentRunningPastTheEndIsRefused() {
        var bytes = original
        bytes[endRecord + 20] = 0xFF
        bytes[endRecord + 21] = 0x00
        guard case .failure(let error) = check(bytes) else {
            Issue.record("accepted")
            return
        }
        #expect(error.reason.contains("comment runs past the end"))
        #expect(readBytes(bytes, name: "comment.docx").first?.failure?.message.contains("truncated") == true)
    }

    @Test func localHeaderAndSizesPastTheEndAreRefused() {
        let central = Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: original)
        var offset = original
        put32(0xFFFF_FFF0, at: central[0] + 42, in: &offset)
        #expect(throws: Never.self) { _ = readBytes(offset, name: "local.docx") }
        if case .success = check(offset) { Issue.record("a local header past the end was accepted") }
        var size = original
        put32(0x7FFF_FFFF, at: central[0] + 20, in: &size)
        if case .success = check(size) { Issue.record("a compressed size past the end was accepted") }
        var count = original
        count[endRecord + 10] = 0xFF
        count[endRecord + 11] = 0xFF
        guard case .failure(let error) = check(count) else {
            Issue.record("65535 entries accepted")
            return
        }
        #expect(error.reason.contains("65535 entries"))
    }

    @Test func tooShortOrNoEndRecord() {
        for bytes in [[UInt8](), [0x50, 0x4B], [UInt8](repeating: 0x41, count: 4096)] {
            if case .success = check(bytes) { Issue.record("\(bytes.count) bytes accepted") }
        }
    }

    /// Random damage to the directory's fields and to random bytes: every file is read to a document or
    /// a failure (a trap would end the test process).
    @Test func mutatedArchivesNeverTrap() {
        var random = SeededGenerator(seed: 13)
        let central = Self.indices(of: [0x50, 0x4B, 0x01, 0x02], in: original)
        let fields = [6, 8, 10, 20, 24, 28, 30, 32, 34, 42]
        var failures = 0
        for round in 0..<400 {
            var bytes = original
            if round % 2 == 0 {
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            } else {
                let at = central.randomElement(using: &random)! + fields.randomElement(using: &random)!
                let value = [0, 0xFFFF_FFFF, UInt32.random(in: 0...0xFFFF, using: &random), 0xFFFF_FF00]
                    .randomElement(using: &random)!
                put32(value, at: at, in: &bytes)
            }
            let results = readBytes(bytes, name: "mutated-\(round).docx")
            #expect(results.count == 1)
            if let failure = results.first?.failure {
                failures += 1
                #expect(!failure.message.isEmpty)
            }
        }
        #expect(failures > 0)
    }
}
