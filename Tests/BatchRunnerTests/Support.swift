// Helpers for the BatchRunner tests: outputs and lines built by hand, temporary run folders, and
// a seeded random generator so generated inputs are the same on every run.
import DocumentModel
import Foundation
import QuarryTestSupport

@testable import BatchRunner
@testable import PluginHost

/// A results line as the general encoder writes it.
func resultLine(_ id: String, status: String = "ok", errors: [JSONValue] = [], extra: JSONObject = JSONObject())
    -> JSONObject
{
    var object = JSONObject()
    object["id"] = .string(id)
    object["path"] = .string(id)
    object["sha256"] = .string("sha-\(id)")
    object["status"] = .string(status)
    for (key, value) in zip(extra.keys, extra.values) { object[key] = value }
    object["errors"] = .array(errors)
    return object
}

/// One document's output with a line built from `object`.
func doc(_ object: JSONObject, bytes: Int = 0, seconds: [String: Double] = [:]) -> DocOutput {
    DocOutput(id: object["id"]?.stringValue ?? "", line: EncodedLine(object), bytes: bytes, seconds: seconds)
}

/// The output of a whole file (part 0 of 1) holding these documents.
func entry(_ seq: Int, _ docs: [DocOutput]) -> EntryOutput {
    EntryOutput(position: InputPosition(seq: seq, part: 0), parts: 1, docs: docs)
}

/// An error object of a results line.
func errorValue(_ message: String) -> JSONValue {
    [
        "plugin": "p", "phase": "process", "kind": "runtime", "message": .string(message), "location": nil,
        "traceback": nil,
    ]
}

/// A new run folder under a temporary folder, prepared and opened for writing (nothing kept).
func freshFolder() throws -> RunFolder {
    let folder = RunFolder(path: try TestSupport.temporaryFolder().appendingPathComponent("out").path)
    try folder.prepare(resume: false, force: false)
    try folder.openForWriting(keepingResultsBytes: 0, keptErrors: [])
    return folder
}

func contents(_ url: URL) -> String {
    (try? String(contentsOf: url, encoding: .utf8)) ?? ""
}

/// The `id`s of a JSON Lines file.
func ids(_ url: URL) throws -> [String] {
    try contents(url).split(separator: "\n").map { line in
        guard case .object(let object) = try JSONParser.parse(String(line)) else { return "" }
        return object["id"]?.stringValue ?? object["document"]?.stringValue ?? ""
    }
}

/// A run's settings with no plugins, for a folder and paths.
func settings(paths: [String] = [], out: String = "/nonexistent", plugins: [PluginManifest] = [], jobs: Int = 2)
    -> RunSettings
{
    RunSettings(
        paths: paths, plugins: plugins, options: [:], plugin: PluginSet.Settings(), jobs: jobs, outputFolder: out)
}

/// A plugin manifest made from Lua source, as the catalog would make it.
func manifest(
    _ name: String, source: String, kind: PluginKind = .extract, hasProcess: Bool = true, hasFinish: Bool = false,
    folder: String = "/tmp"
) -> PluginManifest {
    PluginManifest(
        name: name, version: "1.0.0", kind: kind, description: "", categories: [], author: nil, license: nil,
        requires: [], options: [], hasApplies: false, hasSetup: false, hasProcess: hasProcess,
        hasFinish: hasFinish, file: "\(folder)/\(name).lua", folder: folder, pluginsFolder: folder,
        source: Array(source.utf8),
        hash: "hash-\(name)")
}
