// `quarry eval` and the command's basics, end to end through the built binary.
import Foundation
import QuarryTestSupport
import Testing

@Suite struct EvalTests {
    @Test func versionAndHelp() throws {
        let version = try TestSupport.quarry(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("quarry "))
        #expect(version.stdout.contains("Lua 5.4"))
        let luaVersion = try TestSupport.quarry(["eval", "return quarry.version"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\"", with: "")
        #expect(!luaVersion.isEmpty && version.stdout.hasPrefix("quarry \(luaVersion) "), "one version: \(luaVersion)")
        let help = try TestSupport.quarry(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("eval"))
        #expect(help.stdout.contains("inspect"))
    }

    @Test func printsWhatTheSnippetReturns() throws {
        let result = try TestSupport.quarry(["eval", "return 1 + 1, 'two', {a = 1, list = {1, 2}}, nil"])
        #expect(result.status == 0)
        #expect(result.stdout == "2\n\"two\"\n{a = 1, list = {1, 2}}\nnil\n")
        #expect(result.stderr.isEmpty)
        let expression = try TestSupport.quarry(["eval", "('quarry'):upper()"])
        #expect(expression.stdout == "\"QUARRY\"\n")
        let printed = try TestSupport.quarry(["eval", "print('a', 1, true)"])
        #expect(printed.stdout == "a\t1\ttrue\n")
    }

    @Test func rawPrintsStringsAsTheyAreAndListsALineEach() throws {
        let text = try TestSupport.quarry(["eval", "-r", "'a \"quoted\" line'"])
        #expect(text.stdout == "a \"quoted\" line\n")
        let list = try TestSupport.quarry(["eval", "--raw", "return {'one', 'two words', 3, true}"])
        #expect(list.stdout == "one\ntwo words\n3\ntrue\n")
        let tables = try TestSupport.quarry(["eval", "-r", "return {{x = 1}, {y = 'q\"z', list = {1, 2}}}"])
        #expect(tables.stdout == "{\"x\":1}\n{\"list\":[1,2],\"y\":\"q\\\"z\"}\n", "\(tables.stdout)")
        let map = try TestSupport.quarry(["eval", "-r", "{name = 'n'}"])
        #expect(map.stdout == "{\"name\":\"n\"}\n")
        let plain = try TestSupport.quarry(["eval", "'s'"])
        #expect(plain.stdout == "\"s\"\n", "without --raw, strings stay quoted")
    }

    @Test func syntaxErrorsNameLineAndColumn() throws {
        let result = try TestSupport.quarry(["eval", "local x = 1\nlocal y = x +* 2"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("(eval):2:14:"))
        #expect(result.stderr.contains("unexpected symbol near '*'"))
        #expect(result.stdout.isEmpty)
    }

    @Test func runtimeErrorsShowTheTraceback() throws {
        let result = try TestSupport.quarry(["eval", "local function f() error('it broke') end\nf()"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("quarry: error: (eval):1: it broke"))
        #expect(result.stderr.contains("stack traceback:"))
        #expect(result.stderr.contains("in local 'f'") || result.stderr.contains("in function 'f'"))
    }

    @Test func theSandboxIsOnByDefault() throws {
        let result = try TestSupport.quarry(["eval", "return io, os.execute, debug, package"])
        #expect(result.status == 0)
        #expect(result.stdout == "nil\nnil\nnil\nnil\n")
        let escape = try TestSupport.quarry(["eval", "return io.open('/etc/passwd'):read('a')"])
        #expect(escape.status == 1)
        #expect(escape.stderr.contains("attempt to index a nil value (global 'io')"))
    }

    @Test func unsafeOpensTheStandardLibraryLoudly() throws {
        let result = try TestSupport.quarry(["eval", "--unsafe", "return type(io.open)"])
        #expect(result.status == 0)
        #expect(result.stdout == "\"function\"\n")
        #expect(result.stderr.contains("warning: --unsafe"))
    }

    @Test func limitsStopRunawayCode() throws {
        let loop = try TestSupport.quarry(["eval", "--instructions", "1000000", "while true do end"], timeout: 30)
        #expect(!loop.timedOut)
        #expect(loop.status == 1)
        #expect(loop.stderr.contains("instruction limit of 1000000 exceeded in (eval):1"))
        let slow = try TestSupport.quarry(["eval", "--timeout", "0.5", "while true do end"], timeout: 30)
        #expect(!slow.timedOut)
        #expect(slow.status == 1)
        #expect(slow.stderr.contains("time limit of 0.5"))
        let bomb = try TestSupport.quarry(["eval", "--memory", "16", "return string.rep('x', 1e9)"], timeout: 30)
        #expect(bomb.status == 1)
        #expect(bomb.stderr.contains("memory limit of 16 MiB exceeded"))
    }

    @Test func badOptionsAreUsageErrors() throws {
        let result = try TestSupport.quarry(["eval", "--timeout", "-1", "1"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--timeout"))
        let unknown = try TestSupport.quarry(["frobnicate"])
        #expect(unknown.status == 2)
        let missing = try TestSupport.quarry(["eval"])
        #expect(missing.status == 2)
    }

    @Test func codeMayStartWithACommentFollowDashDashOrComeFromAFileOrStandardInput() throws {
        let comment = try TestSupport.quarry(["eval", "-- a comment first\nreturn 1 + 1"])
        #expect(comment.status == 0 && comment.stdout == "2\n", "\(comment.stderr)")
        let withRaw = try TestSupport.quarry(["eval", "--raw", "--[[ long ]] return 'x'"])
        #expect(withRaw.status == 0 && withRaw.stdout == "x\n", "\(withRaw.stderr)")
        let dashes = try TestSupport.quarry(["eval", "-r", "--", "-- after the separator\nreturn 'y'"])
        #expect(dashes.status == 0 && dashes.stdout == "y\n", "\(dashes.stderr)")
        let input = try TestSupport.quarry(["eval", "-"], stdin: "-- from standard input\nreturn 40 + 2")
        #expect(input.status == 0 && input.stdout == "42\n", "\(input.stderr)")
        let folder = try TestSupport.folder(with: [
            "snippet.lua": "-- counts words\nreturn #doc.tokens", "a.txt": "one two three",
        ])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try TestSupport.quarry(["eval", "-f", "snippet.lua", "a.txt"], currentDirectory: folder)
        #expect(file.status == 0 && file.stdout == "3\n", "\(file.stderr)")
        let fileFromInput = try TestSupport.quarry(
            ["eval", "--file", "-", "a.txt"], stdin: "return doc.id", currentDirectory: folder)
        #expect(fileFromInput.status == 0 && fileFromInput.stdout == "\"a.txt\"\n", "\(fileFromInput.stderr)")
        let both = try TestSupport.quarry(["eval", "-", "-"], stdin: "1")
        #expect(both.status == 2 && both.stderr.contains("standard input cannot hold both"))
        let missingFile = try TestSupport.quarry(["eval", "-f", "nope.lua"], currentDirectory: folder)
        #expect(missingFile.status == 2 && missingFile.stderr.contains("nope.lua: no such file"))
    }

    @Test func chunksAreTheBytesTheyAre() throws {
        // a string literal holding the byte 0xE1 (Latin-1 in an editor) is one byte long, as in lua5.4
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = Array("return #\"".utf8) + [0xE1] + Array("\", (\"".utf8) + [0xE1] + Array("\"):byte()\n".utf8)
        try Data(source).write(to: folder.appendingPathComponent("latin1.lua"))
        try Data(Array("local s = \"".utf8) + [0xE9] + Array("\"\nreturn {n = #s}\n".utf8))
            .write(to: folder.appendingPathComponent("mod.lua"))
        try Data("print(require('mod').n)\n".utf8).write(to: folder.appendingPathComponent("main.lua"))
        let script = try TestSupport.quarry(["script", "latin1.lua"], currentDirectory: folder)
        #expect(script.status == 0 && script.stdout == "1\n225\n", "\(script.stdout) \(script.stderr)")
        let module = try TestSupport.quarry(["script", "main.lua"], currentDirectory: folder)
        #expect(module.status == 0 && module.stdout == "1\n", "\(module.stdout) \(module.stderr)")
        let file = try TestSupport.quarry(["eval", "-f", "latin1.lua"], currentDirectory: folder)
        #expect(file.status == 0 && file.stdout == "1\n225\n", "\(file.stdout) \(file.stderr)")
        // print and --raw write a string's bytes as they are, as Lua's print does
        let printed = try TestSupport.quarry(["eval", "-r", "print('a\\225b') return 'c\\233'"])
        #expect(
            printed.status == 0
                && Array(printed.stdoutBytes) == Array("a".utf8) + [0xE1] + Array("b\nc".utf8) + [0xE9, 10])
    }
}
