// `make bench SECTIONS=report`: the html-report plugin over the whole news corpus (through the release
// binary): its finish time and the size of report/ (all of it, the dashboard, the search index).
import Foundation

func benchReport() throws {
    heading("html-report over the whole corpus file, --jobs 2")
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("quarry")
    guard let corpus = BenchCorpus.path, FileManager.default.isExecutableFile(atPath: executable.path) else {
        row("quarry", "not built in release, or no corpus")
        return
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-report-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let t = try measuredRun(
        executable.path,
        [
            "run", corpus, "--plugins", root.appendingPathComponent("Plugins").path, "--select",
            "html-report or entities or quotes or dates or figures or tone", "--timeout", "600",
            "--jobs", "2", "--out", out.path, "--quiet",
        ])
    guard let data = FileManager.default.contents(atPath: out.appendingPathComponent("run.json").path),
        let run = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        let timings = run["timings"] as? [String: Any],
        let finishes = timings["finish_plugins"] as? [String: Double], let finish = finishes["html-report"],
        let counts = run["counts"] as? [String: Any]
    else {
        row("run.json", "missing or unreadable")
        return
    }
    let report = out.appendingPathComponent("report")
    var total = 0
    var files = 0
    var largestPage = 0
    var index = 0
    let walk = FileManager.default.enumerator(at: report, includingPropertiesForKeys: [.fileSizeKey])
    while let file = walk?.nextObject() as? URL {
        let size = (try? file.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0
        total += size
        files += 1
        if file.pathExtension == "html" { largestPage = max(largestPage, size) }
        if file.lastPathComponent.hasPrefix("index-"), file.pathExtension == "js" { index += size }
    }
    let dashboard =
        (try? FileManager.default.attributesOfItem(atPath: report.appendingPathComponent("index.html").path))?[.size]
        as? Int ?? 0
    let mb = { (bytes: Int) in format(Double(bytes) / 1_048_576, 2) + " MB" }
    row("documents", "\(counts["documents"] ?? "?") (\(counts["failed"] ?? "?") failed)")
    row("run, wall time (with the extractors it needs)", "\(format(t, 2)) s")
    row("html-report finish", "\(format(finish, 2)) s", "target <= 10 s")
    row("report/ total", "\(mb(total)) in \(files) files", "target <= 150 MB")
    row("report/index.html", mb(dashboard), "target <= 2 MB")
    row("largest page", mb(largestPage), "target <= 2 MB")
    row("search index (assets/index-*.js)", mb(index), "target < 10 MB")
}
