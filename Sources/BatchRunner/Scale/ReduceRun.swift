// ReduceRun: `quarry reduce` — the lines of any number of `quarry map` outputs, in any order, put back in
// input order (by their seq and doc) and written as a run writes them (ResultGathering: the same
// writer, finish and run.json as `quarry merge`). A first pass indexes every line (a few bytes each);
// the second reads them back in order, so memory does not hold the results.
import DocumentModel
import Foundation
import PluginHost

/// Reduces map outputs into one run folder.
public final class ReduceRun {
    public let settings: RunSettings
    public let files: [String]
    /// Where plugins' log lines go (their finish).
    public var logSink: @Sendable (String, LogLevel, String) -> Void = { _, _, _ in }

    /// - Parameters:
    ///   - settings: the plugins and options the map workers ran (checked against each line's run tag).
    ///   - files: the map outputs.
    public init(settings: RunSettings, files: [String]) {
        self.settings = settings
        self.files = files
    }

    /// Where one map line is.
    struct Place {
        var seq: Int
        var doc: Int
        var file: Int
        var offset: UInt64
        var length: Int
        var line: Int
    }

    public func run() throws(RunError) -> RunSummary {
        let places = try index()
        var handles: [FileHandle] = []
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw RunError(.configuration, "\(file): cannot read")
            }
            handles.append(handle)
        }
        defer { for handle in handles { try? handle.close() } }
        let marker = Array(",\"result\":".utf8)
        var next = 0
        let distinct = Set(places.map(\.seq)).count
        return try ResultGathering(settings: settings, log: logSink).run(files: distinct) {
            () throws(RunError) -> ReadBackLine? in
            guard next < places.count else { return nil }
            let place = places[next]
            next += 1
            let where_ = "\(files[place.file]):\(place.line)"
            // pread: no Data per line, no shared file position.
            var bytes = [UInt8](repeating: 0, count: place.length)
            let read = bytes.withUnsafeMutableBytes { buffer in
                pread(handles[place.file].fileDescriptor, buffer.baseAddress, place.length, off_t(place.offset))
            }
            guard read >= 0 else {
                throw RunError(.cannotRun, "\(where_): cannot read: \(String(cString: strerror(errno)))")
            }
            guard read == place.length, let start = Self.find(marker, in: bytes), bytes.last == 0x7D,
                let line = ReadBackLine(bytes: bytes[(start + marker.count)..<(bytes.count - 1)])
            else {
                throw RunError(
                    .configuration, "\(where_): the line changed while reduce read it, or holds no results line")
            }
            return line
        }
    }

    /// Reads every line's seq, doc and place; checks the lines are whole, made with these plugins and
    /// options, each document once, no document missing.
    func index() throws(RunError) -> [Place] {
        let tag = MapRun.tag(settings)
        var places: [Place] = []
        for (fileIndex, file) in files.enumerated() {
            let reader: LineReader
            do {
                reader = try LineReader(path: file)
            } catch {
                throw RunError(.configuration, "\(file): cannot read: \(error.localizedDescription)")
            }
            while true {
                let next: LineReader.Line?
                do { next = try reader.next() } catch {
                    throw RunError(.cannotRun, "\(file): cannot read: \(error.localizedDescription)")
                }
                guard let line = next else { break }
                let where_ = "\(file):\(line.number)"
                guard line.terminated else {
                    throw RunError(
                        .configuration,
                        "\(where_): the line is cut off (no newline at its end): the map output is truncated; rerun the map task that wrote it"
                    )
                }
                guard case .object(let object)? = try? JSONParser.parse(bytes: Array(line.bytes)),
                    case .int(let seq)? = object["seq"], case .int(let doc)? = object["doc"],
                    case .string(let lineTag)? = object["run"], case .object? = object["result"], seq >= 0, doc >= 0
                else {
                    throw RunError(
                        .configuration,
                        "\(where_): not a line of `quarry map` (an object with seq, doc, run and result)")
                }
                guard lineTag == tag else {
                    throw RunError(
                        .configuration,
                        "\(where_): made by other plugins, plugin files or options than these (run tag \(lineTag) there, \(tag) here); give reduce the same --plugins, --select and --set as map"
                    )
                }
                places.append(
                    Place(
                        seq: seq, doc: doc, file: fileIndex, offset: line.offset, length: line.bytes.count,
                        line: line.number))
            }
        }
        places.sort { ($0.seq, $0.doc) < ($1.seq, $1.doc) }
        var expected = 0
        for (i, place) in places.enumerated() {
            if i > 0, places[i - 1].seq == place.seq, places[i - 1].doc == place.doc {
                let other = places[i - 1]
                throw RunError(
                    .configuration,
                    "document seq \(place.seq) (doc \(place.doc)) is twice: \(files[other.file]):\(other.line) and \(files[place.file]):\(place.line)"
                )
            }
            if i > 0, places[i - 1].seq == place.seq { continue }
            if place.seq != expected {
                throw RunError(
                    .configuration,
                    "no line for document seq \(expected) (the next is \(place.seq) at \(files[place.file]):\(place.line)): a map output is missing"
                )
            }
            expected += 1
        }
        return places
    }

    static func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] {
            if bytes[i..<(i + needle.count)].elementsEqual(needle) { return i }
        }
        return nil
    }
}
