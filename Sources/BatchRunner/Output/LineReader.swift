// LineReader: reads a file (or standard input) line by line in large chunks, with bounded memory —
// what merge, map, reduce and the records spilled for finish read their JSON Lines with. A last line
// without its newline is reported as such, so a torn file is told apart from a whole one.
import Foundation

/// Reads lines of bytes from a file handle.
final class LineReader {
    /// One line: its bytes without the newline, its number (1-based), where it starts in the stream,
    /// and whether a newline ended it.
    struct Line {
        var bytes: ArraySlice<UInt8>
        var number: Int
        var offset: UInt64
        var terminated: Bool
    }

    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var number = 0
    /// Bytes dropped from the front of the buffer so far.
    private var consumed: UInt64 = 0
    private let chunkSize: Int

    /// Reads from an open handle (standard input, a pipe); the handle stays open.
    init(handle: FileHandle, chunkSize: Int = 1 << 20) {
        self.handle = handle
        ownsHandle = false
        self.chunkSize = chunkSize
    }

    /// Opens a file for reading.
    /// - Throws: when the file cannot be opened.
    init(path: String, chunkSize: Int = 1 << 20) throws {
        handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
        ownsHandle = true
        self.chunkSize = chunkSize
    }

    deinit {
        if ownsHandle { try? handle.close() }
    }

    /// The next line, or nil at the end.
    /// - Throws: when reading fails.
    func next() throws -> Line? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<newline]
                let offset = consumed + UInt64(start)
                start = newline + 1
                number += 1
                return Line(bytes: line, number: number, offset: offset, terminated: true)
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                let offset = consumed + UInt64(start)
                start = buffer.count
                number += 1
                return Line(bytes: line, number: number, offset: offset, terminated: false)
            }
            if start > 0 {
                buffer.removeSubrange(0..<start)
                consumed += UInt64(start)
                start = 0
            }
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty { atEnd = true } else { buffer.append(contentsOf: data) }
        }
    }
}
