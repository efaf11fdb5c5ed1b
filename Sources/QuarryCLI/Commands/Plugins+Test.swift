// `quarry plugins test [NAME ...]`: runs plugin specs (`spec/*_spec.lua`) through PluginSpecRunner,
// one line per test, a failure section, and `N passed, N failed` at the end.
import ArgumentParser
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Readers

extension Plugins {
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run plugin specs.",
            discussion: """
                Specs are Lua files: every *_spec.lua under NAME/spec/ for a folder plugin, \
                spec/NAME_spec.lua next to a single-file plugin. They use describe, it, before_each, \
                after_each, expect(x).to_be / to_equal / to_contain / to_match / to_be_nil / \
                to_be_truthy / to_fail (and .never), and run(text_or_fixture, options) and \
                finish(records, options) to drive the plugin. Exit code 0 when every test passes, \
                1 when one fails, 2 when there is nothing to test.
                """
        )

        @Argument(help: "Plugins to test (default: every plugin with specs).")
        var names: [String] = []

        @OptionGroup var folders: PluginFolderOptions

        @OptionGroup var lua: LuaLimitOptions

        func run() throws {
            let catalog = try folders.catalog()
            var broken = 0
            let plugins: [PluginManifest]
            if names.isEmpty {
                broken = catalog.reportProblems()
                plugins = catalog.plugins.filter { !PluginSpecRunner.specFiles(for: $0).isEmpty }
                if plugins.isEmpty {
                    throw CommandFailure.usage(
                        "no specs found in \(try folders.roots().map(\.path).joined(separator: ", ")) (NAME/spec/*_spec.lua or spec/NAME_spec.lua)"
                    )
                }
            } else {
                plugins = try names.map { try catalog.require($0) }
                for plugin in plugins where PluginSpecRunner.specFiles(for: plugin).isEmpty {
                    throw CommandFailure.usage(
                        "plugin '\(plugin.name)' has no specs (looked for \(PluginSpecRunner.specFolder(for: plugin))/*_spec.lua)"
                    )
                }
            }
            let runner = PluginSpecRunner(catalog: catalog, configuration: lua.configuration()) { path in
                try DocumentStream.single(path)
            }
            runner.logHandler = { plugin, level, message in
                Terminal.write("[\(level.rawValue)] \(plugin): \(message)\n")
            }
            var failures: [SpecResult] = []
            var counts: [SpecResult.Status: Int] = [:]
            for plugin in plugins {
                runner.run(plugin) { result in
                    counts[result.status, default: 0] += 1
                    switch result.status {
                    case .passed: print("✔ \(result.fullName)")
                    case .skipped: print("- \(result.fullName) (skipped)")
                    case .failed:
                        failures.append(result)
                        let location = result.location.map { " (\($0))" } ?? ""
                        print("✘ \(result.fullName): \(Self.firstLine(result.message))\(location)")
                    }
                    fflush(nil)
                }
            }
            if !failures.isEmpty {
                print("\nFailures:")
                for (n, failure) in failures.enumerated() {
                    print("\n\(n + 1)) \(failure.plugin): \(failure.fullName)")
                    print("   \(failure.message ?? "failed")".replacingOccurrences(of: "\n", with: "\n   "))
                    print("   at \(failure.location ?? failure.file)")
                    if let traceback = failure.traceback, traceback.contains("\n") {
                        print(traceback.split(separator: "\n").map { "     " + $0 }.joined(separator: "\n"))
                    }
                }
                print("")
            }
            let skipped = counts[.skipped] ?? 0
            print(
                "\(counts[.passed] ?? 0) passed, \(counts[.failed] ?? 0) failed"
                    + (skipped > 0 ? ", \(skipped) skipped" : ""))
            if !failures.isEmpty || broken > 0 { throw CommandFailure.reportedFailures }
        }

        static func firstLine(_ text: String?) -> String {
            String((text ?? "failed").split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
        }
    }
}
