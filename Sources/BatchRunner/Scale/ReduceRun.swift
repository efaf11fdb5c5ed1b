// ReduceRun: `quarry reduce` — the lines of any number of `quarry map` outputs, in any order, put back in
// input order (by their seq and doc) and written as a run writes them (ResultGathering: the same
// writer, finish and run.json as `quarry merge`). A first pass indexes every line (a few bytes each),
// results lines and the records lines of `map --records` alike (MapLine), and pairs them; the second
// reads them back in order, records put back into their results line, so memory does not hold them.
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

    /// Where one map line is (a results line or a records line).
    struct Place {
        var seq: Int
        var doc: Int
        var file: Int
        var offset: UInt64
        var length: Int
        var line: Int
        /// Where the records member goes back into the result (a results line of `map --records`).
        var recordsAt: Int? = nil
    }

    public func run() throws(RunError) -> RunSummary {
        let (places, recordPlaces) = try index()
        var handles: [FileHandle] = []
        for file in files {
            guard let handle = FileHandle(forReadingAtPath: file) else {
                throw RunError(.configuration, "\(file): cannot read")
            }
            handles.append(handle)
        }
        defer { for handle in handles { try? handle.close() } }
        func read(_ place: Place) throws(RunError) -> [UInt8] {
            // pread: no Data per line, no shared file position.
            var bytes = [UInt8](repeating: 0, count: place.length)
            let read = bytes.withUnsafeMutableBytes { buffer in
                pread(handles[place.file].fileDescriptor, buffer.baseAddress, place.length, off_t(place.offset))
            }
            guard read >= 0 else {
                throw RunError(
                    .cannotRun, "\(files[place.file]):\(place.line): cannot read: \(String(cString: strerror(errno)))")
            }
            guard read == place.length else {
                throw RunError(
                    .configuration, "\(files[place.file]):\(place.line): the line changed while reduce read it")
            }
            return bytes
        }
        var next = 0
        // The records lines, in the order of the results lines that left their records out (paired).
        var nextRecords = 0
        // Entries (documents of one entry share its seq; the places are sorted).
        let distinct = places.indices.count { $0 == 0 || places[$0 - 1].seq != places[$0].seq }
        return try ResultGathering(settings: settings, log: logSink).run(files: distinct) {
            () throws(RunError) -> ReadBackLine? in
            guard next < places.count else { return nil }
            let place = places[next]
            next += 1
            let where_ = "\(files[place.file]):\(place.line)"
            let bytes = try read(place)
            guard let result = MapLine.result(in: bytes) else {
                throw RunError(
                    .configuration, "\(where_): the line changed while reduce read it, or holds no results line")
            }
            guard let recordsAt = place.recordsAt else {
                guard let line = ReadBackLine(bytes: result) else {
                    throw RunError(
                        .configuration, "\(where_): the line changed while reduce read it, or holds no results line")
                }
                return line
            }
            let recordsPlace = recordPlaces[nextRecords]
            nextRecords += 1
            let recordsBytes = try read(recordsPlace)
            guard let records = MapLine.records(in: recordsBytes),
                let joined = MapLine.joined(result: result, records: records, at: recordsAt),
                let line = ReadBackLine(bytes: joined[...]), case .object? = line.object["records"]
            else {
                throw RunError(
                    .configuration,
                    "\(where_): its records (\(files[recordsPlace.file]):\(recordsPlace.line)) do not go back into it at byte \(recordsAt): the lines changed while reduce read them, or were not written by `quarry map`"
                )
            }
            return line
        }
    }

    /// Reads every line's seq, doc and place; checks the lines are whole, made with these plugins and
    /// options, each document once, no document missing, and that each results line whose records
    /// map moved has its records line and each records line its results line.
    /// - Returns: the results lines in input order; the records lines in the same order.
    func index() throws(RunError) -> (results: [Place], records: [Place]) {
        let tag = MapRun.tag(settings)
        var places: [Place] = []
        var recordPlaces: [Place] = []
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
                guard let parsed = try? JSONParser.parse(bytes: Array(line.bytes)) else {
                    throw RunError(
                        .configuration,
                        "\(where_): not JSON: the line is damaged or cut off; rerun the map task that wrote it")
                }
                guard case .object(let object) = parsed, let header = MapLine.Header(object) else {
                    throw RunError(
                        .configuration,
                        "\(where_): not a line of `quarry map` (an object with seq, doc, run and result, or seq, doc, run and records)"
                    )
                }
                guard header.run == tag else {
                    throw RunError(
                        .configuration,
                        "\(where_): made by other plugins, plugin files or options than these (run tag \(header.run) there, \(tag) here); give reduce the same --plugins, --select and --set as map"
                    )
                }
                var place = Place(
                    seq: header.seq, doc: header.doc, file: fileIndex, offset: line.offset, length: line.bytes.count,
                    line: line.number)
                switch header.kind {
                case .result(let recordsAt):
                    place.recordsAt = recordsAt
                    places.append(place)
                case .records:
                    recordPlaces.append(place)
                }
            }
        }
        let before = { (a: Place, b: Place) in (a.seq, a.doc, a.file, a.line) < (b.seq, b.doc, b.file, b.line) }
        places.sort(by: before)
        recordPlaces.sort(by: before)
        for (i, place) in places.enumerated()
        where i > 0 && places[i - 1].seq == place.seq && places[i - 1].doc == place.doc {
            let other = places[i - 1]
            throw RunError(
                .configuration,
                "document seq \(place.seq) (doc \(place.doc)) is twice: \(files[other.file]):\(other.line) and \(files[place.file]):\(place.line)"
            )
        }
        try pair(places, with: recordPlaces)
        var expected = 0
        for (i, place) in places.enumerated() {
            if i > 0, places[i - 1].seq == place.seq { continue }
            if place.seq != expected {
                throw RunError(
                    .configuration,
                    "no line for document seq \(expected) (the next is \(place.seq) at \(files[place.file]):\(place.line)): a map output is missing"
                )
            }
            expected += 1
        }
        return (places, recordPlaces)
    }

    /// Checks that the results lines that left their records out and the records lines (both sorted by
    /// seq and doc) go one to one.
    private func pair(_ places: [Place], with records: [Place]) throws(RunError) {
        func at(_ place: Place) -> String { "\(files[place.file]):\(place.line)" }
        func unmatched(_ record: Place) -> RunError {
            RunError(
                .configuration,
                "\(at(record)): records of document seq \(record.seq) (doc \(record.doc)) match no results line that left its records out: give reduce the map outputs these records were written with"
            )
        }
        var r = 0
        for i in places.indices {
            let key = (places[i].seq, places[i].doc)
            if r < records.count, (records[r].seq, records[r].doc) < key { throw unmatched(records[r]) }
            if r < records.count, (records[r].seq, records[r].doc) == key {
                if r + 1 < records.count, (records[r + 1].seq, records[r + 1].doc) == key {
                    throw RunError(
                        .configuration,
                        "records of document seq \(key.0) (doc \(key.1)) are twice: \(at(records[r])) and \(at(records[r + 1]))"
                    )
                }
                guard places[i].recordsAt != nil else { throw unmatched(records[r]) }
                r += 1
            } else if places[i].recordsAt != nil {
                throw RunError(
                    .configuration,
                    "\(at(places[i])): the records of document seq \(key.0) (doc \(key.1)) were written to a records file (map --records) that reduce was not given"
                )
            }
        }
        if r < records.count { throw unmatched(records[r]) }
    }
}
