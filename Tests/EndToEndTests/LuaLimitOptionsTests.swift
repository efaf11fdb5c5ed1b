// The Lua limit options (--timeout, --memory, --instructions, --unsafe): one declaration, one
// validation, the same defaults for every command that runs Lua; quarry.toml's limits for `run`.
import ArgumentParser
import Foundation
import LuaBridge
import QuarryTestSupport
import Testing

@testable import QuarryCLI

@Suite struct LuaLimitOptionsTests {
    @Test func validation() {
        #expect(LuaLimitOptions.problem(timeout: nil, memory: nil, instructions: nil) == nil)
        #expect(LuaLimitOptions.problem(timeout: 0.5, memory: 1, instructions: 1) == nil)
        #expect(LuaLimitOptions.problem(timeout: nil, memory: 1_048_576, instructions: nil) == nil, "1 TiB is the most")
        for timeout in [0, -1, .infinity, .nan] as [Double] {
            #expect(
                LuaLimitOptions.problem(timeout: timeout, memory: nil, instructions: nil)
                    == "--timeout must be a positive number of seconds")
        }
        for memory in [0, -5, 1_048_577, 17_592_186_044_417] {
            #expect(
                LuaLimitOptions.problem(timeout: nil, memory: memory, instructions: nil)
                    == "--memory must be between 1 and 1048576 MB")
        }
        #expect(
            LuaLimitOptions.problem(timeout: nil, memory: nil, instructions: 0) == "--instructions must be positive")
    }

    @Test func defaultsAreTheSameForEveryCommand() throws {
        let configurations = [
            try Eval.parse(["1"]).lua.configuration(),
            try Script.parse(["x.lua"]).lua.configuration(),
            try Repl.parse([]).lua.configuration(),
            try Run.parse(["corpus"]).lua.configuration(),
            try Plugins.Test.parse([]).lua.configuration(),
        ]
        for configuration in configurations {
            #expect(configuration.timeout == 60)
            #expect(configuration.memoryLimit == 512 << 20)
            #expect(configuration.instructionLimit == nil)
            #expect(configuration.sandboxed)
        }
    }

    @Test func theCommandLineBeatsQuarryTomlWhichBeatsTheDefaults() throws {
        let given = try Run.parse(["corpus", "--timeout", "2.5", "--memory", "64", "--instructions", "1000"]).lua
        let fromFlags = given.configuration(timeout: 9, memory: 9)
        #expect(fromFlags.timeout == 2.5)
        #expect(fromFlags.memoryLimit == 64 << 20)
        #expect(fromFlags.instructionLimit == 1000)
        let fromToml = try Run.parse(["corpus"]).lua.configuration(timeout: 9, memory: 32)
        #expect(fromToml.timeout == 9)
        #expect(fromToml.memoryLimit == 32 << 20)
    }

    @Test func everyCommandRejectsTheSameValues() {
        for arguments in [["run", "corpus"], ["eval", "1"], ["script", "x.lua"], ["repl"], ["plugins", "test"]] {
            #expect(throws: (any Error).self) { try Quarry.parseAsRoot(arguments + ["--memory", "17592186044417"]) }
            #expect(throws: (any Error).self) { try Quarry.parseAsRoot(arguments + ["--timeout", "inf"]) }
            #expect(throws: (any Error).self) { try Quarry.parseAsRoot(arguments + ["--instructions", "0"]) }
            #expect(throws: Never.self) {
                try Quarry.parseAsRoot(arguments + ["--memory", "1048576", "--timeout", "0.1"])
            }
        }
    }

    // MARK: - End to end

    @Test func runRejectsAMemoryThatWouldOverflow() throws {
        let out = try TestSupport.temporaryFolder().appendingPathComponent("out")
        let result = try TestSupport.quarry(
            ["run", "Samples", "--out", out.path, "--memory", "17592186044417"],
            currentDirectory: TestSupport.repositoryRoot)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--memory must be between 1 and 1048576 MB"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path), "nothing ran")
        let test = try TestSupport.quarry(
            ["plugins", "test", "--timeout", "0"], currentDirectory: TestSupport.repositoryRoot)
        #expect(test.status == 2)
        #expect(test.stderr.contains("--timeout must be a positive number of seconds"), "\(test.stderr)")
    }

    @Test func quarryTomlMemoryIsBoundedToo() throws {
        let folder = try TestSupport.folder(with: ["quarry.toml": "memory = 17592186044417\n", "a.txt": "Text."])
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try TestSupport.quarry(
            ["run", "a.txt", "--plugins", TestSupport.repositoryRoot.appendingPathComponent("Plugins").path],
            currentDirectory: folder)
        #expect(result.status == 2)
        #expect(
            result.stderr.contains("'memory' must be a positive number of megabytes, at most 1048576"),
            "\(result.stderr)")
    }
}
