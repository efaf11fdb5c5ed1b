// ResultGathering: the back half of a run for `quarry merge` and `quarry reduce` — results lines made
// elsewhere (shards, map workers), handed over in input order, written as a run writes them (the same
// ResultWriter), then every plugin's finish over their records (the same FinishStep) and run.json.
import DocumentModel
import Foundation
import PluginHost

/// A results line made elsewhere and read back: its bytes as written (with the newline) and its values.
struct ReadBackLine {
    var bytes: [UInt8]
    var object: JSONObject

    /// Reads a results line; nil when the bytes are not one JSON object with an id.
    init?(bytes: ArraySlice<UInt8>) {
        guard case .object(let object)? = try? JSONParser.parse(bytes: Array(bytes)), object["id"]?.stringValue != nil
        else { return nil }
        self.bytes = Array(bytes) + [0x0A]
        self.object = object
    }
}

/// Writes results lines given in input order into a run folder, then runs finish and writes run.json.
struct ResultGathering {
    var settings: RunSettings
    var log: @Sendable (String, LogLevel, String) -> Void

    /// - Parameters:
    ///   - files: the corpus entries of the whole run (run.json's count).
    ///   - next: the next results line in input order, nil at the end.
    func run(files: Int, next: () throws(RunError) -> ReadBackLine?) throws(RunError) -> RunSummary {
        let started = ContinuousClock.now
        let startDate = Date()
        let folder = RunFolder(path: settings.outputFolder)
        try folder.prepare(resume: false, force: settings.force)
        defer { folder.close() }
        try folder.openForWriting(keepingResultsBytes: 0, keptErrors: [])
        try folder.writeRun(RunRecord(settings: settings, status: .running, started: startDate))

        var writer = ResultWriter(folder: folder)
        var seq = 0
        while let line = try next() {
            let encoded = EncodedLine(bytes: line.bytes, object: line.object)
            let doc = DocOutput(
                id: line.object["id"]?.stringValue ?? "", line: encoded, skipped: encoded.status == .skipped)
            try writer.write(EntryOutput(position: InputPosition(seq: seq, part: 0), parts: 1, docs: [doc]))
            seq += 1
        }
        try writer.flush()
        var summary = writer.summary
        summary.files = files
        if settings.plugins.contains(where: \.hasFinish) {
            try FinishStep(settings: settings, log: log).run(records: writer.records, into: &summary, folder: folder)
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        try folder.writeRun(
            RunRecord(
                settings: settings, status: .finished, started: startDate, finished: Date(), summary: summary,
                peakMemoryBytes: RunRecord.peakResidentBytes()))
        return summary
    }
}
