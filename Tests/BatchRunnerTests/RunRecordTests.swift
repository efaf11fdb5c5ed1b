// RunRecord: run.json's fields, their order and formatting, what is there while running and at
// the end, and what a later --resume or --force reads back from it.
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Testing

@testable import BatchRunner

@Suite struct RunRecordTests {
    let start = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-14T22:13:20Z

    var runSettings: RunSettings {
        var s = settings(paths: ["corpus", "more"], out: "out", plugins: [manifest("alpha", source: "")], jobs: 3)
        s.options = ["alpha": ["min": 2, "label": "x"]]
        s.arguments = ["run", "corpus", "more"]
        s.quarryVersion = "9.8.7"
        return s
    }

    @Test func whileRunning() {
        let record = RunRecord(settings: runSettings, status: .running, started: start)
        let text = String(decoding: record.encoded, as: UTF8.self)
        #expect(
            text == """
                {
                  "schema": "quarry.run/1",
                  "quarry_version": "9.8.7",
                  "api_version": "\(QuarryAPI.apiVersion)",
                  "lua_version": "\(LuaVM.luaVersion)",
                  "status": "running",
                  "arguments": [
                    "run",
                    "corpus",
                    "more"
                  ],
                  "paths": [
                    "corpus",
                    "more"
                  ],
                  "jobs": 3,
                  "started": "2023-11-14T22:13:20Z",
                  "finished": null,
                  "plugins": [
                    {
                      "name": "alpha",
                      "version": "1.0.0",
                      "kind": "extract",
                      "file": "/tmp/alpha.lua",
                      "source": "/tmp/alpha.lua (--plugins)",
                      "hash": "hash-alpha",
                      "folder_hash": "",
                      "options": {
                        "min": 2,
                        "label": "x"
                      }
                    }
                  ],
                  "fingerprint": \(JSONValue.string(runSettings.fingerprint).description),
                  "outputs": {
                    "results": "results.jsonl",
                    "errors": "errors.jsonl",
                    "reports": []
                  }
                }

                """)
    }

    @Test func atTheEnd() {
        var summary = RunSummary()
        (summary.files, summary.documents, summary.ok, summary.failed, summary.skipped, summary.reused) = (
            4, 5, 3, 1, 1, 2
        )
        summary.finishFailures = [PluginFailure(plugin: "alpha", phase: .finish, kind: .lua(.runtime), message: "m")]
        summary.seconds = 1.5
        summary.finishSeconds = 0.25
        summary.pluginSeconds = [("alpha", 1.25), ("beta", 0.5)]
        summary.finishPluginSeconds = [("alpha", 0.25)]
        summary.outputs = ["alpha/report.md"]
        let record = RunRecord(
            settings: runSettings, status: .finished, started: start, finished: start.addingTimeInterval(2),
            summary: summary, peakMemoryBytes: 4096)
        let json = record.json
        #expect(
            json.keys == [
                "schema", "quarry_version", "api_version", "lua_version", "status", "arguments", "paths", "jobs",
                "started", "finished", "plugins", "fingerprint", "counts", "timings", "outputs",
            ])
        #expect(json["status"] == "finished")
        #expect(json["finished"] == "2023-11-14T22:13:22Z")
        #expect(
            json["counts"] == [
                "files": 4, "documents": 5, "ok": 3, "failed": 1, "skipped": 1, "reused": 2, "finish_failures": 1,
            ])
        #expect(
            json["timings"] == [
                "total_seconds": 1.5, "finish_seconds": 0.25, "peak_memory_bytes": 4096,
                "plugins": ["alpha": 1.25, "beta": 0.5], "finish_plugins": ["alpha": 0.25],
            ])
        guard case .object(let timings)? = json["timings"] else { return }
        #expect(timings.keys == ["total_seconds", "finish_seconds", "peak_memory_bytes", "plugins", "finish_plugins"])
        #expect(
            json["outputs"] == ["results": "results.jsonl", "errors": "errors.jsonl", "reports": ["alpha/report.md"]])

        let stopped = RunRecord(
            settings: runSettings, status: .stopped, started: start, finished: start, summary: summary)
        #expect(stopped.json["status"] == "stopped")
        guard case .object(let noPeak)? = stopped.json["timings"] else { return }
        #expect(noPeak["peak_memory_bytes"] == nil, "left out where the system does not tell")
    }

    @Test func aLaterRunReadsBackTheFingerprintAndReports() {
        var summary = RunSummary()
        summary.outputs = ["a.md", "../escape.md", "/etc/passwd", "sub/b.csv"]
        let record = RunRecord(
            settings: runSettings, status: .finished, started: start, finished: start, summary: summary)
        #expect(RunRecord.fingerprint(in: record.encoded) == runSettings.fingerprint)
        #expect(RunRecord.reports(in: record.encoded) == ["a.md", "sub/b.csv"], "only files inside the folder")
        #expect(RunRecord.fingerprint(in: Array("{not json".utf8)) == nil)
        #expect(RunRecord.reports(in: Array("[]".utf8)).isEmpty)
    }

    @Test func peakMemoryFromProcStatus() {
        #expect(
            RunRecord.peakResidentBytes(
                status: "Name:\tquarry\nVmPeak:\t  9000 kB\nVmHWM:\t    1234 kB\nVmRSS:\t 1000 kB\n") == 1234 * 1024)
        #expect(RunRecord.peakResidentBytes(status: "Name:\tquarry\n") == nil)
        #if os(Linux)
            #expect((RunRecord.peakResidentBytes() ?? 0) > 0)
        #endif
    }
}
