// `quarry plugins new NAME --kind extract|score|report`: a working plugin folder from a template —
// init.lua, a passing spec and a fixture — that `quarry plugins test NAME` passes as it is.
import ArgumentParser
import Foundation
import PluginHost

extension Plugins {
    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a plugin from a template: DIR/NAME/init.lua, a spec and a fixture.",
            discussion:
                "DIR is the first --plugins folder (default: QUARRY_PLUGINS's first, else ./Plugins); it is created if needed."
        )

        @Argument(help: "The plugin's name: lower-case letters, digits, '-' and '_'.")
        var name: String

        @Option(help: "What the plugin does: extract, score or report.")
        var kind: String = "extract"

        @Flag(
            name: .customLong("default"),
            help:
                "Put the plugin in the `default` category, so runs without --select include it (default: category `draft`)."
        )
        var inDefault = false

        @OptionGroup var folders: PluginFolderOptions

        func validate() throws {
            guard name.range(of: "^[a-z0-9][a-z0-9_-]*$", options: .regularExpression) != nil else {
                throw ValidationError(
                    "'\(name)' is not a plugin name (lower-case letters, digits, '-' and '_', starting with a letter or digit)"
                )
            }
            guard !["lib", "spec", "specs"].contains(name) else {
                throw ValidationError("'\(name)' is reserved for shared folders; choose another name")
            }
            guard PluginKind(rawValue: kind) != nil else {
                throw ValidationError(
                    "--kind must be one of \(PluginKind.allCases.map(\.rawValue).joined(separator: ", ")), not '\(kind)'"
                )
            }
        }

        func run() throws {
            let variable = ProcessInfo.processInfo.environment["QUARRY_PLUGINS"]?.split(separator: ":").first.map(
                String.init)
            let root = folders.folders.first ?? variable ?? PluginSearchPath.projectFolder
            let folder = (root as NSString).appendingPathComponent(name)
            let single = (root as NSString).appendingPathComponent("\(name).lua")
            for existing in [folder, single] where FileManager.default.fileExists(atPath: existing) {
                throw CommandFailure.usage("\(existing) already exists; choose another name")
            }
            let template = PluginTemplate(name: name, kind: PluginKind(rawValue: kind)!, inDefault: inDefault)
            let files = [
                ("init.lua", template.plugin),
                ("spec/\(name)_spec.lua", template.spec),
                ("spec/fixtures/sample.txt", PluginTemplate.sample),
            ]
            do {
                for (relative, contents) in files {
                    let url = URL(fileURLWithPath: folder).appendingPathComponent(relative)
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(contents.utf8).write(to: url, options: .withoutOverwriting)
                }
            } catch {
                throw CommandFailure.cannotRun("\(folder): cannot create the plugin: \(error.localizedDescription)")
            }
            print("Created \(kind) plugin '\(name)':")
            for (relative, _) in files { print("  \((folder as NSString).appendingPathComponent(relative))") }
            let option = folders.folders.isEmpty ? "" : " --plugins \(root)"
            print("Next: quarry plugins test \(name)\(option)")
            if !inDefault {
                print(
                    "It is in the `draft` category: run it with --select \(name); move it to `default` (or create it"
                        + " with --default) when it is ready for every run.")
            }
        }
    }
}
