// RunFolder: the output folder of a run — refuses to overwrite a run unless --resume or --force,
// reads back a run to resume (dropping a torn last line), and appends whole lines only.
import DocumentModel
import Foundation

/// The files of a run's output folder.
final class RunFolder {
    static let results = "results.jsonl"
    static let errors = "errors.jsonl"
    static let run = "run.json"
    /// A shard's: each results line's place in the whole input, `[entry, part, document]`, a line each.
    static let order = "order.jsonl"

    let url: URL
    private var resultsHandle: FileHandle?
    private var errorsHandle: FileHandle?
    private var orderHandle: FileHandle?

    /// A results line kept from an earlier run, for `--resume`.
    struct KeptLine {
        var id: String
        var sha256: String?
        var bytes: [UInt8]
        var object: JSONObject
        /// Where the line ends in results.jsonl.
        var end: UInt64
    }

    init(path: String) {
        url = URL(fileURLWithPath: path)
    }

    var resultsURL: URL { url.appendingPathComponent(RunFolder.results) }
    var errorsURL: URL { url.appendingPathComponent(RunFolder.errors) }
    var runURL: URL { url.appendingPathComponent(RunFolder.run) }
    var orderURL: URL { url.appendingPathComponent(RunFolder.order) }

    /// Whether the folder already holds a run.
    var holdsRun: Bool {
        [RunFolder.results, RunFolder.run].contains {
            FileManager.default.fileExists(atPath: url.appendingPathComponent($0).path)
        }
    }

    /// Creates the folder, checks it can be written, and clears an old run with `force`.
    func prepare(resume: Bool, force: Bool) throws(RunError) {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw RunError(.configuration, "\(url.path): the output path is a file, not a folder")
        }
        if holdsRun && !resume && !force {
            throw RunError(
                .configuration, "\(url.path) already holds a run; use --resume to continue it or --force to replace it")
        }
        do {
            try manager.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw RunError(.cannotRun, "\(url.path): cannot create the output folder: \(error.localizedDescription)")
        }
        guard manager.isWritableFile(atPath: url.path) else {
            throw RunError(.cannotRun, "\(url.path): the output folder is not writable")
        }
        if force && !resume {
            for report in previousReports() { try? manager.removeItem(at: url.appendingPathComponent(report)) }
            for name in [RunFolder.results, RunFolder.errors, RunFolder.run, RunFolder.order] {
                try? manager.removeItem(at: url.appendingPathComponent(name))
            }
        }
    }

    /// Report files an earlier run recorded in its run.json.
    func previousReports() -> [String] {
        guard let data = FileManager.default.contents(atPath: runURL.path) else { return [] }
        return RunRecord.reports(in: Array(data))
    }

    /// The fingerprint an earlier run recorded.
    func previousFingerprint() -> String? {
        guard let data = FileManager.default.contents(atPath: runURL.path) else { return nil }
        return RunRecord.fingerprint(in: Array(data))
    }

    /// The complete, valid lines of an earlier results.jsonl; a torn or invalid tail is cut off.
    func keptLines() throws(RunError) -> [KeptLine] {
        guard let data = FileManager.default.contents(atPath: resultsURL.path) else { return [] }
        var lines: [KeptLine] = []
        var start = 0
        let bytes = [UInt8](data)
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: 0x0A) else { break }
            let slice = Array(bytes[start...newline])
            guard case .object(let object)? = try? JSONParser.parse(bytes: Array(slice.dropLast())),
                let id = object["id"]?.stringValue
            else { break }
            lines.append(
                KeptLine(
                    id: id, sha256: object["sha256"]?.stringValue, bytes: slice, object: object,
                    end: UInt64(newline + 1)))
            start = newline + 1
        }
        return lines
    }

    /// Opens results.jsonl for appending after `keep` bytes (the rest is cut), and rewrites
    /// errors.jsonl from the kept lines so both files agree.
    func openForWriting(keepingResultsBytes keep: UInt64, keptErrors: [JSONObject]) throws(RunError) {
        do {
            if !FileManager.default.fileExists(atPath: resultsURL.path) {
                _ = FileManager.default.createFile(atPath: resultsURL.path, contents: nil)
            }
            let results = try FileHandle(forWritingTo: resultsURL)
            try results.truncate(atOffset: keep)
            try results.seekToEnd()
            resultsHandle = results
            var errorBytes: [UInt8] = []
            for line in keptErrors { errorBytes += ResultEncoder.bytes(line) }
            try Data(errorBytes).write(to: errorsURL)
            let errors = try FileHandle(forWritingTo: errorsURL)
            try errors.seekToEnd()
            errorsHandle = errors
        } catch {
            throw RunError(.cannotRun, "\(url.path): cannot open the result files: \(error.localizedDescription)")
        }
    }

    /// Starts order.jsonl afresh (a shard's run writes the place of every line it keeps or writes).
    func openOrder() throws(RunError) {
        do {
            try Data().write(to: orderURL)
            let order = try FileHandle(forWritingTo: orderURL)
            orderHandle = order
        } catch {
            throw RunError(.cannotRun, "\(orderURL.path): cannot write: \(error.localizedDescription)")
        }
    }

    /// Cuts results.jsonl back to `size` bytes (resume: from the first line that differs).
    func truncateResults(to size: UInt64) throws(RunError) {
        do {
            try resultsHandle?.truncate(atOffset: size)
            try resultsHandle?.seekToEnd()
        } catch {
            throw RunError(.cannotRun, "\(resultsURL.path): \(error.localizedDescription)")
        }
    }

    /// Appends whole lines: one write each, so a killed run never leaves half a line.
    func append(results: [UInt8], errors: [UInt8], order: [UInt8] = []) throws(RunError) {
        do {
            if !results.isEmpty { try resultsHandle?.write(contentsOf: Data(results)) }
            if !errors.isEmpty { try errorsHandle?.write(contentsOf: Data(errors)) }
            if !order.isEmpty { try orderHandle?.write(contentsOf: Data(order)) }
        } catch {
            throw RunError(.cannotRun, "\(url.path): cannot write results (disk full?): \(error.localizedDescription)")
        }
    }

    /// Writes run.json atomically.
    func writeRun(_ record: RunRecord) throws(RunError) {
        do {
            try Data(record.encoded).write(to: runURL, options: .atomic)
        } catch {
            throw RunError(.cannotRun, "\(runURL.path): cannot write: \(error.localizedDescription)")
        }
    }

    func close() {
        try? resultsHandle?.synchronize()
        try? errorsHandle?.synchronize()
        try? orderHandle?.synchronize()
        try? resultsHandle?.close()
        try? errorsHandle?.close()
        try? orderHandle?.close()
        resultsHandle = nil
        errorsHandle = nil
        orderHandle = nil
    }
}
