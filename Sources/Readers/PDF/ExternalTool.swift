// Runs a command-line tool (pdftotext, pdfinfo) as a subprocess with a timeout, its output written to a
// temporary file (no pipe to fill up), and a clear error naming the Debian package when it is missing.

import Foundation

/// A finished tool run.
struct ToolOutput {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
}

enum ExternalTool {
    /// The full path of `name` on `PATH` (or the usual folders), if installed.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) + ["/usr/bin", "/usr/local/bin", "/bin"] {
            let candidate = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `name` with `arguments`.
    ///
    /// - Throws: `ReaderError` when the tool is missing (naming `package`), cannot start, runs past
    ///   `timeout` seconds, or prints more than `maxOutput` bytes.
    static func run(
        _ name: String, _ arguments: [String], package: String, timeout: Double,
        maxOutput: Int
    ) throws -> ToolOutput {
        guard let executable = find(name) else {
            throw ReaderError(
                "\(name) is not installed; install the Debian package \(package) (apt-get install \(package))")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-tool-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("out"), errURL = folder.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        guard let out = try? FileHandle(forWritingTo: outURL), let err = try? FileHandle(forWritingTo: errURL) else {
            throw ReaderError("cannot create temporary files for \(name)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ReaderError("cannot run \(name): \(error.localizedDescription)")
        }
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            usleep(2_000)
        }
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        if timedOut { throw ReaderError("\(name) ran longer than \(Int(timeout)) s; stopped") }
        let size = (try? FileManager.default.attributesOfItem(atPath: outURL.path)[.size] as? Int) ?? 0
        if size > maxOutput { throw ReaderError("\(name) printed more than \(maxOutput) bytes; refused") }
        let stdout = Self.contents(of: outURL)
        // Decoded leniently: a message that is not UTF-8 is kept.
        let stderr = String(decoding: Self.contents(of: errURL), as: UTF8.self)
        return ToolOutput(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// A file's bytes; none for an empty or unreadable file. (Foundation's `Data(contentsOf:)` leaks the
    /// buffer it allocates for an empty file: found by `make fuzz`.)
    private static func contents(of url: URL) -> [UInt8] {
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
        guard size > 0 else { return [] }
        return (try? Data(contentsOf: url)).map { [UInt8]($0) } ?? []
    }
}
