// Shared helpers for Quarry's tests: running the built `quarry` binary, temporary folders,
// and paths to the repository's fixtures.
import Foundation

/// What a finished process printed and how it exited.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    /// Whether the process was killed because it ran past its time limit.
    public var timedOut: Bool
    /// Standard output as the bytes written (`stdout` is them decoded, invalid UTF-8 repaired).
    public var stdoutBytes: [UInt8] = []
}

public enum TestSupport {
    /// The repository's root folder (found from this source file's path).
    public static let repositoryRoot: URL = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// The built `quarry` binary: `QUARRY_BIN`, or next to the test bundle, or in `.build/debug`.
    public static var quarryBinary: URL {
        if let path = ProcessInfo.processInfo.environment["QUARRY_BIN"] { return URL(fileURLWithPath: path) }
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        candidates.append(arg0)
        candidates.append(arg0.deletingLastPathComponent())
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug"))
        for folder in candidates {
            let url = folder.appendingPathComponent("quarry")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/quarry")
    }

    /// Runs `quarry` with arguments, feeding `stdin`, killed after `timeout` seconds.
    public static func quarry(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        currentDirectory: URL? = nil, timeout: Double = 60
    ) throws -> ProcessResult {
        try run(
            quarryBinary, arguments, stdin: stdin, environment: environment,
            currentDirectory: currentDirectory, timeout: timeout)
    }

    /// Runs an executable and collects its output.
    public static func run(
        _ executable: URL, _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        currentDirectory: URL? = nil, timeout: Double = 60
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout")
        let errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            usleep(5_000)
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        let output = try Data(contentsOf: outURL)
        return ProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: output, as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self),
            timedOut: timedOut, stdoutBytes: Array(output)
        )
    }

    /// A new empty folder under the system's temporary folder.
    public static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes files (relative path → contents) under a new temporary folder and returns it.
    public static func folder(with files: [String: String]) throws -> URL {
        let root = try temporaryFolder()
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
        return root
    }
}
