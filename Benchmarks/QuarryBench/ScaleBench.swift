// `make bench SECTIONS=scale`: the scale-out contracts on the news corpus — 1, 2 and 4 shards run as
// separate processes at once, then `quarry merge`, against one `quarry run`; `quarry map` through a
// pipe against `quarry run` on the same documents; and peak memory of a run over the corpus repeated
// ten times against the corpus once (records for finish spooled to disk and read as a stream).
import Foundation

func benchScale(_ texts: [String]) throws {
    heading("scale-out: shards + merge, map through a pipe, memory of a big run")
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "quarry")
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        row("quarry", "not built in release (make bench builds it)")
        return
    }
    let quarry = executable.path
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-scale-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    let stories = root.appendingPathComponent("stories")
    try FileManager.default.createDirectory(at: stories, withIntermediateDirectories: true)
    var mapInput = ""
    for (i, text) in texts.enumerated() {
        let name = String(format: "%05d.txt", i)
        let path = stories.appendingPathComponent(name)
        try Data(text.utf8).write(to: path)
        mapInput += #"{"id":"\#(name)","path":"\#(path.path)"}"# + "\n"
    }
    let input = root.appendingPathComponent("documents.jsonl")
    try Data(mapInput.utf8).write(to: input)
    let plugins = root.appendingPathComponent("plugins")
    try FileManager.default.createDirectory(at: plugins, withIntermediateDirectories: true)
    try Data(
        """
        return {
          name = "wordcount", kind = "report", categories = {"default"}, description = "Counts words; a table of them.",
          process = function(doc, ctx)
            local n = 0
            for _ in doc.tokens:each{kind = "word"} do n = n + 1 end
            ctx:emit({id = doc.id, n = n})
          end,
          finish = function(records, ctx)
            local total, count = 0, 0
            for r in records do total = total + r.n; count = count + 1 end
            ctx:write("total.txt", count .. " documents, " .. total .. " words\\n")
          end,
        }
        """.utf8
    ).write(to: plugins.appendingPathComponent("wordcount.lua"))
    let common = ["--plugins", plugins.path, "--quiet"]
    func out() -> String { root.appendingPathComponent("out-\(UUID().uuidString)").path }

    let tRun = try (0..<2).map { _ in
        try measuredRun(quarry, ["run", stories.path, "--jobs", "2", "--out", out()] + common)
    }
    .min()!
    row(
        "one quarry run, --jobs 2 (baseline)", "\(format(tRun, 2)) s", "\(format(Double(texts.count) / tRun, 0)) docs/s"
    )
    for count in [1, 2, 4] {
        let folders = (0..<count).map { _ in out() }
        let jobs = max(1, 2 / count)
        let clock = ContinuousClock()
        let started = clock.now
        let pids = try (0..<count).map { index in
            try spawned(
                quarry,
                ["run", stories.path, "--shard", "\(index)/\(count)", "--jobs", String(jobs), "--out", folders[index]]
                    + common)
        }
        for pid in pids {
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        let tShards = (clock.now - started).seconds
        let tMerge = try measuredRun(quarry, ["merge"] + folders + ["--out", out()] + common)
        row(
            "\(count) shard\(count == 1 ? "" : "s") at once (--jobs \(jobs) each) + merge",
            "\(format(tShards + tMerge, 2)) s",
            "shards \(format(tShards, 2)) s + merge \(format(tMerge, 2)) s; \(format((tShards + tMerge) / tRun, 2))x one run"
        )
    }
    let tMap = try (0..<2).map { _ in
        try measuredRun(
            "/bin/sh",
            [
                "-c",
                "cat '\(input.path)' | '\(quarry)' map --jobs 2 --allow-read '\(stories.path)' --plugins '\(plugins.path)' --quiet > /dev/null",
            ])
    }.min()!
    row(
        "quarry map --jobs 2 through a pipe", "\(format(Double(texts.count) / tMap, 0)) docs/s",
        "\(format(tRun / tMap, 2))x run's throughput (target >= 0.9x)")

    // Peak memory: the corpus once and ten times as text documents streamed through map, then reduce.
    var once = ""
    for (i, text) in texts.enumerated() {
        once += #"{"id":"s\#(i)","text":\#(jsonString(text))}"# + "\n"
    }
    let small = root.appendingPathComponent("once.jsonl")
    try Data(once.utf8).write(to: small)
    let big = root.appendingPathComponent("ten.jsonl")
    _ = FileManager.default.createFile(atPath: big.path, contents: nil)
    let handle = try FileHandle(forWritingTo: big)
    for copy in 0..<10 {
        try handle.write(
            contentsOf: Data(once.replacingOccurrences(of: #"{"id":"s"#, with: #"{"id":"c\#(copy)-s"#).utf8))
    }
    try handle.close()
    /// Map's peak (from its summary line), reduce's (from its run.json), and the seconds both took.
    func peaks(_ file: URL) throws -> (map: Double, reduce: Double, seconds: Double) {
        let mapped = root.appendingPathComponent("mapped-\(UUID().uuidString).jsonl")
        let log = root.appendingPathComponent("map-\(UUID().uuidString).log")
        let folder = out()
        let t1 = try measuredRun(
            "/bin/sh",
            [
                "-c",
                "cat '\(file.path)' | '\(quarry)' map --jobs 2 --plugins '\(plugins.path)' > '\(mapped.path)' 2> '\(log.path)'",
            ])
        let t2 = try measuredRun(quarry, ["reduce", mapped.path, "--out", folder] + common)
        let summary = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        let mapPeak = summary.firstMatch(of: /peak memory (\d+) MB/).flatMap { Double($0.1) } ?? .nan
        try? FileManager.default.removeItem(at: mapped)
        return (mapPeak, runPeakMegabytes(URL(fileURLWithPath: folder)) ?? .nan, t1 + t2)
    }
    let once1 = try peaks(small)
    let ten = try peaks(big)
    row(
        "peak RSS, map | reduce, the corpus once", "\(format(once1.map, 0)) MB | \(format(once1.reduce, 0)) MB",
        "\(texts.count) docs, \(format(once1.seconds, 1)) s")
    row(
        "peak RSS, map | reduce, the corpus 10x", "\(format(ten.map, 0)) MB | \(format(ten.reduce, 0)) MB",
        "\(texts.count * 10) docs, \(format(ten.seconds, 1)) s; \(format(ten.map / once1.map, 2))x | \(format(ten.reduce / once1.reduce, 2))x (target <= 1.2x)"
    )
}

/// A JSON string literal.
private func jsonString(_ text: String) -> String {
    let data = try! JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
    return String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
}

/// Starts a program (its output discarded); its pid.
func spawned(_ path: String, _ arguments: [String]) throws -> pid_t {
    var pid: pid_t = 0
    var fileActions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&fileActions)
    defer { posix_spawn_file_actions_destroy(&fileActions) }
    posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
    let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    guard posix_spawn(&pid, path, &fileActions, nil, argv, environ) == 0 else { throw CocoaError(.executableLoad) }
    return pid
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
