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
}
