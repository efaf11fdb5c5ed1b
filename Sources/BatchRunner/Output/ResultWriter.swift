// ResultWriter: writes the outputs the workers made, in input order, to results.jsonl and
// errors.jsonl — whole lines only, gathered and written in large appends — and counts what it wrote
// for the summary and keeps each plugin's records for finish.
import DocumentModel

/// Writes results lines in the order it is given them.
struct ResultWriter {
    /// Lines are written once this many bytes wait (and at a stop, a timeout, the end).
    static let flushThreshold = 256 << 10

    private let folder: RunFolder
    private var resume: ResumePlan
    private let failFast: Bool
    /// Lines wait here until there is enough to write at once (whole lines only, so a killed run still
    /// never leaves half a line; what was not written yet is redone on --resume).
    private var resultBuffer: [UInt8] = []
    private var errorBuffer: [UInt8] = []
    /// A shard's order.jsonl lines (nil when the run is not a shard).
    private var orderBuffer: [UInt8]?

    /// Counts so far (documents, statuses, files, bytes, reused); `stoppedEarly` at a failure with fail-fast.
    private(set) var summary = RunSummary()
    /// Each plugin's records, in input order, as JSON arrays (spilled to disk past a size).
    let records: RecordSpool
    /// Seconds per plugin over every document.
    private(set) var pluginSeconds: [String: Double] = [:]

    /// - Parameters:
    ///   - folder: the run folder, opened for writing after the kept lines.
    ///   - resume: the lines kept from an earlier run.
    ///   - failFast: stop at the first failed document.
    ///   - writesOrder: write each line's place in the whole input to order.jsonl (a shard).
    init(
        folder: RunFolder, resume: ResumePlan = ResumePlan(), failFast: Bool = false, writesOrder: Bool = false,
        records: RecordSpool = RecordSpool()
    ) {
        self.folder = folder
        self.records = records
        self.resume = resume
        self.failFast = failFast
        orderBuffer = writesOrder ? [] : nil
    }

    /// Writes the documents of one output (the next in input order).
    mutating func write(_ entry: EntryOutput) throws(RunError) {
        let place = entry.corpusPosition ?? entry.position
        for (index, doc) in entry.docs.enumerated() {
            let line: EncodedLine
            if doc.reused, let old = resume.keptLine(for: doc.id) {
                line = EncodedLine(old.object)
                summary.reused += 1
            } else {
                line = doc.line ?? EncodedLine(JSONObject())
            }
            switch resume.place(id: doc.id, bytes: line.bytes) {
            case .alreadyWritten:
                break
            case .append(let restartKeeping):
                if let count = restartKeeping { try restart(keeping: count) }
                resultBuffer += line.bytes
                errorBuffer += line.errorBytes
            }
            if orderBuffer != nil {
                orderBuffer! += Array("[\(place.seq),\(place.part),\(index)]\n".utf8)
            }
            for (plugin, json) in line.records { try records.add(plugin, json) }
            summary.documents += doc.skipped ? 0 : 1
            switch line.status {
            case .failed: summary.failed += 1
            case .skipped: summary.skipped += 1
            case .ok: summary.ok += 1
            }
            if !line.warnings.isEmpty {
                summary.warned += 1
                if summary.warnings.count < RunSummary.warningsShown {
                    summary.warnings.append((doc.id, line.warnings.joined(separator: "; ")))
                }
            }
            summary.bytes += doc.bytes
            for (plugin, seconds) in doc.seconds { pluginSeconds[plugin, default: 0] += seconds }
            if line.status == .failed && failFast { summary.stoppedEarly = true }
        }
        if resultBuffer.count >= Self.flushThreshold || summary.stoppedEarly { try flush() }
    }

    /// One more corpus entry is done.
    mutating func entryDone() {
        summary.files += 1
    }

    /// Writes the lines that wait.
    mutating func flush() throws(RunError) {
        guard !resultBuffer.isEmpty || !errorBuffer.isEmpty || orderBuffer?.isEmpty == false else { return }
        try folder.append(results: resultBuffer, errors: errorBuffer, order: orderBuffer ?? [])
        resultBuffer.removeAll(keepingCapacity: true)
        errorBuffer.removeAll(keepingCapacity: true)
        orderBuffer?.removeAll(keepingCapacity: true)
    }

    /// After the last line: the earlier run's lines beyond what this run wrote are cut.
    mutating func finish() throws(RunError) {
        if let count = resume.keptAtEnd { try restart(keeping: count) }
    }

    /// Cuts results.jsonl back to the first `count` kept lines and rewrites errors.jsonl to match.
    private func restart(keeping count: Int) throws(RunError) {
        let size = resume.end(ofFirst: count)
        try folder.truncateResults(to: size)
        try folder.openForWriting(
            keepingResultsBytes: size,
            keptErrors: resume.kept.prefix(count).flatMap { ResultEncoder.errorLines(of: $0.object) })
    }
}
