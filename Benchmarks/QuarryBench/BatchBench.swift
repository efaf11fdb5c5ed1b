// Benchmarks of `quarry run` (the built release binary) on the news corpus as one file per story:
// a word-count plugin at --jobs 1 and 2 against standalone lua5.4 counting words over the same
// files, the host's overhead per document, and peak memory as the corpus doubles.
import Foundation
import Readers

func benchBatch(_ texts: [String]) throws {
    heading("quarry run on the news corpus, one file per story")
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "quarry")
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        row("quarry", "not built in release (make bench builds it)")
        return
    }
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-batch-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    let full = root.appendingPathComponent("full")
    let half = root.appendingPathComponent("half")
    for folder in [full, half] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    var list = ""
    for (i, text) in texts.enumerated() {
        let name = String(format: "%05d.txt", i)
        try Data(text.utf8).write(to: full.appendingPathComponent(name))
        if i < texts.count / 2 { try Data(text.utf8).write(to: half.appendingPathComponent(name)) }
        list += full.appendingPathComponent(name).path + "\n"
    }
    let megabytes = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1e6
    let plugins = root.appendingPathComponent("plugins")
    try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
    try Data(
        """
        return {
          name = "wordcount", categories = {"default"}, description = "Counts words.",
          process = function(doc, ctx)
            local n = 0
            for _ in doc.tokens:each{kind = "word"} do n = n + 1 end
            doc:set("words", n)
          end,
        }
        """.utf8
    ).write(to: plugins.appendingPathComponent("wordcount.lua"))
    // The same count with the test in Lua: every token crosses into Lua and has its kind read.
    try Data(
        """
        return {
          name = "wordcount-lua", categories = {"lua-loop"}, description = "Counts words, testing each token's kind in Lua.",
          process = function(doc, ctx)
            local n = 0
            for t in doc.tokens:each() do if t.kind == "word" then n = n + 1 end end
            doc:set("words", n)
          end,
        }
        """.utf8
    ).write(to: plugins.appendingPathComponent("wordcount-lua.lua"))
    try Data(
        """
        return { name = "noop", categories = {"noop"}, description = "Does nothing.", process = function(doc, ctx) end }
        """.utf8
    ).write(to: plugins.appendingPathComponent("noop.lua"))

    var lastPeak = 0.0
    func quarry(_ folder: URL, jobs: Int, select: String = "default") throws -> Double {
        let out = root.appendingPathComponent("out-\(UUID().uuidString)")
        let t = try measuredRun(
            executable.path,
            [
                "run", folder.path, "--plugins", plugins.path, "--select", select,
                "--jobs", String(jobs), "--out", out.path, "--quiet",
            ])
        lastPeak = runPeakMegabytes(out) ?? .nan
        try? FileManager.default.removeItem(at: out)
        return t
    }

    // Baseline: standalone Lua reading every file and counting words.
    let listFile = root.appendingPathComponent("files.txt")
    try Data(list.utf8).write(to: listFile)
    let script = root.appendingPathComponent("count.lua")
    try Data(
        """
        local total = 0
        for path in io.lines(arg[1]) do
          local f = assert(io.open(path, "rb")) local s = f:read("a") f:close()
          for _ in s:gmatch("%a+") do total = total + 1 end
        end
        print(total)
        """.utf8
    ).write(to: script)
    let tLua = try standaloneLuaTime(script: script, list: listFile) ?? .nan
    if !tLua.isNaN {
        row(
            "baseline: lua5.4 counting words in \(texts.count) files", "\(format(tLua, 2)) s",
            "\(format(megabytes / tLua)) MB/s")
    }
    let t1 = try (0..<2).map { _ in try quarry(full, jobs: 1) }.min()!
    let t2 = try (0..<2).map { _ in try quarry(full, jobs: 2) }.min()!
    row(
        "quarry run, word count, --jobs 1", "\(format(t1, 2)) s",
        "\(format(megabytes / t1)) MB/s; \(format(Double(texts.count) / t1, 0)) docs/s")
    row(
        "quarry run, word count, --jobs 2", "\(format(t2, 2)) s",
        "\(format(megabytes / t2)) MB/s; \(format(t2 / tLua, 2))x the baseline's time (target < 1x)")
    let t2Lua = try (0..<2).map { _ in try quarry(full, jobs: 2, select: "lua-loop") }.min()!
    row(
        "  the same, kinds tested in Lua, --jobs 2", "\(format(t2Lua, 2)) s",
        "\(format(t2Lua / tLua, 2))x the baseline's time")

    // Host overhead: a run with a plugin that does nothing, less reading and analysing alone.
    let registry = ReaderRegistry()
    let tRead = best(2) {
        for item in Corpus(paths: [full.path]) { if case .entry(let entry) = item { _ = registry.read(entry) } }
    }
    let tNoop = try (0..<2).map { _ in try quarry(full, jobs: 1, select: "noop") }.min()!
    row("read + analyse every file (in process)", "\(format(tRead, 2)) s")
    row("quarry run, a plugin that does nothing, --jobs 1", "\(format(tNoop, 2)) s")
    row(
        "host overhead per document", "\(format(max(0, tNoop - tRead) / Double(texts.count) * 1e6, 0)) µs",
        "target < 100 µs")

    // Peak memory of one run: half the corpus, then all of it.
    _ = try quarry(half, jobs: 2)
    let peakHalf = lastPeak
    _ = try quarry(full, jobs: 2)
    let peakFull = lastPeak
    row("peak RSS, half the corpus, --jobs 2", "\(format(peakHalf, 0)) MB", "target < 300 MB")
    row("peak RSS, the whole corpus, --jobs 2", "\(format(peakFull, 0)) MB", "flat when the corpus doubles")
}

/// The peak memory (MB) a run recorded in its run.json (VmHWM: its own, unlike wait4's figure,
/// which for a process spawned by this one includes this one's memory at the time).
func runPeakMegabytes(_ out: URL) -> Double? {
    guard let data = FileManager.default.contents(atPath: out.appendingPathComponent("run.json").path),
        let run = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let timings = run["timings"] as? [String: Any], let bytes = timings["peak_memory_bytes"] as? Int
    else { return nil }
    return Double(bytes) / 1_048_576
}

/// Runs a program (its output discarded) and returns its wall time.
func measuredRun(_ path: String, _ arguments: [String]) throws -> Double {
    var pid: pid_t = 0
    var fileActions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&fileActions)
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    let clock = ContinuousClock()
    let started = clock.now
    guard posix_spawn(&pid, path, &fileActions, nil, argv, environ) == 0 else {
        throw CocoaError(.executableLoad)
    }
    var status: Int32 = 0
    _ = waitpid(pid, &status, 0)
    let elapsed = clock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}
