// Benchmark of the standard plugins (Plugins/, the `default` selection) over the news corpus: the
// whole set per document on one core, each plugin's share, and finish; wired in from main.swift.
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Readers
import TextAnalysis

/// Runs the default plugins of the repository's Plugins/ over `texts`, one VM on one core, as a
/// worker of `quarry run` would, then their `finish` into a temporary folder.
/// - Throws: when the plugins can't be found or loaded.
func benchStandardPlugins(_ texts: [String]) throws {
    heading("Standard plugins (Plugins/, --select default) on the news corpus (\(texts.count) stories), one core")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let folder = root.appendingPathComponent("Plugins").path
    let catalog = PluginCatalog.discover(folders: [folder], hasher: { SHA256.hex($0) })
    guard catalog.problems.isEmpty else {
        print("  plugins could not be loaded: \(catalog.problems.map(\.description).joined(separator: "; "))")
        return
    }
    let plugins = try PluginSelection.select(catalog, expression: "default")
    let options = try OptionResolver.resolve(plugins: plugins, catalog: catalog, sets: [])
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: out) }
    let settings = PluginSet.Settings(outputFolder: out.path)

    // Analysis alone, the baseline every plugin run pays.
    let documents = try texts.enumerated().map { i, text in try Analyzer.analyze(text: text, id: "d\(i)") }
    let bytes = Double(texts.reduce(0) { $0 + $1.utf8.count })
    let tAnalysis = try seconds {
        for (i, text) in texts.enumerated() { _ = try Analyzer.analyze(text: text, id: "d\(i)") }
    }

    let set = try PluginSet(plugins: plugins, options: options, settings: settings)
    var perPlugin: [String: Double] = [:]
    var records: [String: [[UInt8]]] = [:]  // each document's records as JSON chunks, as a run keeps them
    var failed = 0
    let tProcess = seconds {
        for document in documents {
            let outcome = set.process(document)
            failed += outcome.failures.isEmpty ? 0 : 1
            for (name, s) in outcome.seconds { perPlugin[name, default: 0] += s }
            for (name, chunk) in outcome.encodedRecords { records[name, default: []].append(chunk) }
        }
    }
    let finishSet = try PluginSet(plugins: plugins, options: options, settings: settings)
    var finishFailures = 0
    let tFinish = seconds { finishFailures = finishSet.finish(recordChunks: records).count }

    let total = tAnalysis + tProcess + tFinish
    row("analysis (tokens, sentences, quotes)", "\(format(tAnalysis, 2)) s", "\(format(bytes / 1e6 / tAnalysis)) MB/s")
    row(
        "plugins, process (\(plugins.count) plugins)", "\(format(tProcess, 2)) s",
        "\(format(bytes / 1e6 / tProcess)) MB/s")
    row("plugins, finish", "\(format(tFinish, 2)) s")
    row(
        "one core, end to end", "\(format(bytes / 1e6 / total, 2)) MB/s",
        "target >= 2 MB/s with --jobs 2, i.e. >= 1 MB/s per core")
    row("documents that failed a plugin", "\(failed)", finishFailures > 0 ? "finish failures: \(finishFailures)" : "")
    let pluginTotal = perPlugin.values.reduce(0, +)
    for (name, s) in perPlugin.sorted(by: { $0.value > $1.value }) {
        let share = pluginTotal > 0 ? s / pluginTotal * 100 : 0
        row("  \(name)", "\(format(s, 2)) s", "\(format(share))% of plugin time (target <= 33%)")
    }
}

/// The issue's own measure: `quarry run` (the release binary) with the default set over the corpus
/// file at --jobs 2: documents/s, MB/s of text, each plugin's share from run.json, and peak memory.
func benchStandardRun(_ texts: [String]) throws {
    heading("quarry run, the default plugins, the whole corpus file, --jobs 2")
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "quarry")
    guard let corpus = BenchCorpus.path, FileManager.default.isExecutableFile(atPath: executable.path) else {
        row("quarry", "not built in release, or no corpus")
        return
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-default-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: out) }
    let t = try measuredRun(
        executable.path,
        [
            "run", corpus, "--plugins", root.appendingPathComponent("Plugins").path,
            "--jobs", "2", "--out", out.path, "--quiet",
        ])
    let peak = runPeakMegabytes(out) ?? .nan
    let megabytes = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1e6
    guard let data = FileManager.default.contents(atPath: out.appendingPathComponent("run.json").path),
        let run = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        let timings = run["timings"] as? [String: Any], let plugins = timings["plugins"] as? [String: Double],
        let counts = run["counts"] as? [String: Any]
    else {
        row("run.json", "missing or unreadable")
        return
    }
    row("documents", "\(counts["documents"] ?? "?") (\(counts["failed"] ?? "?") failed)")
    row("wall time", "\(format(t, 2)) s", "\(format(Double(texts.count) / t, 0)) docs/s")
    row("text throughput", "\(format(megabytes / t, 2)) MB/s", "target >= 2 MB/s")
    row("finish (reports), after the last document", "\(format(timings["finish_seconds"] as? Double ?? 0, 2)) s")
    row("peak RSS", "\(format(peak, 0)) MB")
    let total = plugins.values.reduce(0, +)
    for (name, seconds) in plugins.sorted(by: { $0.value > $1.value }) {
        row(
            "  \(name)", "\(format(seconds, 2)) s",
            "\(format(total > 0 ? seconds / total * 100 : 0))% of plugin time (target <= 33%)")
    }
}
