// QuarryFailure: library errors keep their own terms; the command line maps them to its exit codes
// (2 bad usage or configuration, 3 could not run) and messages in one place.
import BatchRunner
import Foundation
import QuarryTestSupport
import Testing

@testable import PluginHost
@testable import QuarryCLI

@Suite struct QuarryFailureTests {
    @Test func libraryErrorsMapToExitCodes() {
        let configuration = RunError(.configuration, "out already holds a run")
        #expect(configuration.exitStatus == .usage)
        #expect(configuration.diagnostic == "out already holds a run")
        #expect(RunError(.cannotRun, "disk full").exitStatus == .cannotRun)
        #expect(OptionError(message: "--set x.y: no plugin x").exitStatus == .usage)
        #expect(OptionError(message: "--set x.y: no plugin x").diagnostic == "--set x.y: no plugin x")
        #expect(ExitStatus.failed.rawValue == 1 && ExitStatus.usage.rawValue == 2 && ExitStatus.cannotRun.rawValue == 3)
        #expect(
            CommandFailure.reportedFailures.diagnostic.isEmpty && CommandFailure.reportedFailures.exitStatus == .failed)
    }

    @Test func aRunThatCannotCreateItsFolderExitsWith3() throws {
        let folder = try TestSupport.folder(with: ["a.txt": "Text.", "file": "not a folder"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let plugins = TestSupport.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/run/plugins").path
        let blocked = try TestSupport.quarry(
            ["run", "a.txt", "--plugins", plugins, "--select", "counter", "--out", "file/out", "--quiet"],
            currentDirectory: folder)
        #expect(blocked.status == 3)
        #expect(blocked.stderr.hasPrefix("quarry: error: "), "\(blocked.stderr)")
        #expect(blocked.stderr.contains("cannot create the output folder"), "\(blocked.stderr)")
        let isFile = try TestSupport.quarry(
            ["run", "a.txt", "--plugins", plugins, "--select", "counter", "--out", "file", "--quiet"],
            currentDirectory: folder)
        #expect(isFile.status == 2)
        #expect(isFile.stderr.contains("the output path is a file, not a folder"), "\(isFile.stderr)")
    }
}
