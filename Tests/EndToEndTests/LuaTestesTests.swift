// Lua 5.4's own test suite (`../shared/lua-testes/`, the `testes/` folder of Lua 5.4.4) run by the built
// `quarry script`: in the sandbox with every change listed in `LuaTestes.exclusions` (and in README "The
// sandbox"), and unchanged under --unsafe, where the files pass as they do in `lua5.4`.
import Foundation
import QuarryTestSupport
import Testing

/// The files, what the sandbox run changes in them and why.
enum LuaTestes {
    static let folder = TestSupport.repositoryRoot.deletingLastPathComponent().appendingPathComponent(
        "shared/lua-testes")
    static let available = FileManager.default.fileExists(atPath: folder.appendingPathComponent("pm.lua").path)

    /// The files run, each as `lua5.4 -e "_port=true _soft=true" FILE` would run it (all.lua's flags: no
    /// assumptions about the platform, no long tests).
    static let files = [
        "pm", "strings", "sort", "tpack", "math", "utf8", "vararg", "nextvar", "closure", "events", "calls",
        "constructs", "literals", "locals", "goto", "bitwise", "coroutine", "errors", "cstack", "big", "verybig",
        "api", "code",
    ]

    /// The files not run, and why. `api.lua` and `code.lua` need the C test library `T` and skip their tests
    /// without it; they are run all the same (to their skip message).
    static let notRun: [String: String] = [
        "db": "the debug library throughout (the sandbox removes debug)",
        "files": "io and os.remove/tmpname/getenv throughout (the sandbox removes io and keeps os.time/clock/date)",
        "main": "runs the standalone `lua` interpreter through os.execute and io.popen",
        "gc": "__gc finalizers and collectgarbage's stop/generational/setpause (the sandbox refuses __gc and the "
            + "options that change the collector every plugin of the VM shares)",
        "gengc": "collectgarbage(\"generational\") and the debug library (as gc)",
        "attrib": "package.path, package.searchpath, C libraries and require's file search (the sandbox removes "
            + "package; its require looks only in the plugin's folders)",
        "heavy": "needs gigabytes of memory and minutes; all.lua does not run it either",
        "all": "the driver: runs the others with dofile and checks the C test library",
        "bwcoercion": "a module of bitwise.lua, not a test",
        "tracegc": "a module of locals.lua and cstack.lua, not a test",
    ]

    /// One change to a file's copy: the lines are commented out (`skip`) or `text` on the first line is
    /// replaced; the line must still hold `text`, so a changed file fails instead of being patched blindly.
    /// No change adds or removes a line, so error messages keep their line numbers.
    struct Exclusion: Sendable {
        let file: String
        let lines: ClosedRange<Int>
        let text: String
        let replacement: String?
        let why: String

        init(_ file: String, _ lines: ClosedRange<Int>, _ text: String, skip why: String) {
            (self.file, self.lines, self.text, replacement, self.why) = (file, lines, text, nil, why)
        }

        init(_ file: String, _ lines: ClosedRange<Int>, _ text: String, replace: String, _ why: String) {
            (self.file, self.lines, self.text, replacement, self.why) = (file, lines, text, replace, why)
        }
    }

    static let stringMetatable =
        "the string metatable is shared by every plugin of a VM, so the sandbox locks it: bwcoercion.lua cannot "
        + "add bitwise metamethods to strings"

    static let traceGC =
        "tracegc writes to io.stderr from a __gc metamethod; io and __gc are removed (its start and stop do nothing)"

    /// Every change the sandbox run makes: only what the sandbox takes away on purpose (io, debug, package,
    /// string.dump, os.setlocale, __gc, writable library tables and string metatable).
    static let exclusions: [Exclusion] = [
        .init("strings", 168...169, "io.stdin", skip: "io is removed (io.stdin as a %p argument)"),
        .init(
            "nextvar", 277...277, "package.loaded[n]",
            replace: "({string=1, table=1, math=1, utf8=1, coroutine=1, os=1})[n]",
            "package is removed (package.loaded names the libraries to keep)"),
        .init(
            "nextvar", 310...310, "function table.maxn (t)",
            replace: "local table = setmetatable({}, {__index = table}) function table.maxn (t)",
            "library tables are read-only in the sandbox (table.maxn goes in a local copy)"),
        .init(
            "nextvar", 344...344, "[io.stdin] = 9", replace: "[{}] = 9",
            "io is removed (io.stdin as a userdata key: a table instead)"),
        .init(
            "closure", 231...268, "local debug = require'debug'",
            skip: "debug is removed (debug.upvalueid, debug.upvaluejoin)"),
        .init("events", 6...6, "require'debug'", replace: "nil", "debug is removed"),
        .init(
            "events", 196...196, "assert(not pcall(rawlen, io.stdin))", skip: "io is removed (io.stdin as a userdata)"),
        .init(
            "events", 438...463, "debug.setmetatable(10, mt)",
            skip: "debug is removed (debug.setmetatable on numbers, booleans, nil)"),
        .init("calls", 6...6, "require \"debug\"", replace: "nil", "debug is removed"),
        .init(
            "calls", 299...299, "assert(debug.getinfo(a).source == \"modname\")",
            skip: "debug is removed (debug.getinfo)"),
        .init(
            "calls", 316...334, "f = load(string.dump(function () return 1 end), nil, \"b\", {})",
            skip: "string.dump is removed (binary chunks)"),
        .init(
            "calls", 346...359, "-- load when _ENV is not first upvalue",
            skip: "string.dump and debug are removed (binary chunks, debug.setupvalue)"),
        .init(
            "calls", 374...419, "-- repeat the test loading a binary chunk",
            skip: "string.dump and debug are removed (binary chunks, debug.setupvalue, debug.upvaluejoin)"),
        .init("calls", 437...478, "print(\"testing binary chunks\")", skip: "string.dump is removed (binary chunks)"),
        .init("constructs", 6...6, "require \"debug\"", replace: "nil", "debug is removed"),
        .init(
            "constructs", 279...279, "assert(debug.getinfo(1, \"n\").name == 'F')",
            skip: "debug is removed (debug.getinfo)"),
        .init("literals", 6...6, "require \"debug\"", replace: "nil", "debug is removed"),
        .init(
            "literals", 35...35, "require\"debug\".getinfo(1).currentline", replace: "nil",
            "debug is removed (the line a string ends on, through debug.getinfo)"),
        .init(
            "literals", 37...37, "assert(s == y and l == n)", replace: "assert(s == y)",
            "debug is removed (the line a string ends on, through debug.getinfo)"),
        .init(
            "literals", 247...247, "return require\"debug\".getinfo(1).currentline", replace: "return 11",
            "debug is removed (the line a chunk ends on, through debug.getinfo: the chunk returns its line count)"),
        .init(
            "literals", 296...296, "if os.setlocale(\"pt_BR\") or os.setlocale(\"ptb\") then", replace: "if false then",
            "os.setlocale is removed (locales are the process's, not a plugin's)"),
        .init("locals", 6...6, "require\"debug\"", replace: "nil", "debug is removed"),
        .init(
            "locals", 8...8, "require\"tracegc\"", replace: "{start = function () end, stop = function () end}", traceGC
        ),
        .init(
            "locals", 80...80, "assert(getenv(load\"a=3\") == _G)",
            skip: "debug is removed (debug.getupvalue reads _ENV)"),
        .init("locals", 82...82, "assert(getenv(f) == c)", skip: "debug is removed (debug.getupvalue reads _ENV)"),
        .init("locals", 165...165, "assert(getenv(foo) == mt)", skip: "debug is removed (debug.getupvalue reads _ENV)"),
        .init(
            "locals", 260...260, "assert(debug.getinfo(2).name == \"foo\")",
            skip: "debug is removed (debug.getinfo names the caller)"),
        .init(
            "locals", 407...407, "assert(debug.getinfo(2).name == \"pcall\")",
            skip: "debug is removed (debug.getinfo names the caller)"),
        .init(
            "locals", 413...413, "assert(debug.getinfo(2).name == \"pcall\")",
            skip: "debug is removed (debug.getinfo names the caller)"),
        .init(
            "locals", 422...422, "assert(debug.getinfo(2).name == \"pcall\")",
            skip: "debug is removed (debug.getinfo names the caller)"),
        .init(
            "locals", 430...430, "assert(debug.getinfo(2).name == \"pcall\")",
            skip: "debug is removed (debug.getinfo names the caller)"),
        .init(
            "locals", 461...461, "debug.traceback", replace: "function (m) return m end",
            "debug is removed (debug.traceback as the handler: the message alone)"),
        .init(
            "locals", 469...469, "debug.traceback", replace: "function (m) return m end",
            "debug is removed (debug.traceback as the handler: the message alone)"),
        .init(
            "locals", 471...471, "assert(string.find(msg, \"in metamethod 'close'\"))",
            skip: "debug is removed (debug.traceback's text)"),
        .init(
            "locals", 740...764, "do   -- '__close' vs. return hooks in Lua functions",
            skip: "debug is removed (debug.sethook)"),
        .init("goto", 157...157, "require 'debug'", replace: "nil", "debug is removed"),
        .init("goto", 186...219, "-- all functions share same 'a'", skip: "debug is removed (debug.upvalueid)"),
        .init(
            "bitwise", 6...6, "require \"bwcoercion\"",
            skip: stringMetatable
        ),
        .init(
            "bitwise", 26...27, "a = 0xF0.0; b = 0xCC.0; c = \"0xAA.0\"; d = \"0xFD.0\"",
            skip: stringMetatable
        ),
        .init(
            "bitwise", 59...85, "-- coercion from strings to integers",
            skip: stringMetatable
        ),
        .init(
            "bitwise", 90...90, "package.preload.bit32 = function ()", replace: "local bit32 = (function ()",
            "package is removed (package.preload): bit32 is built by calling the same function"),
        .init(
            "bitwise", 193...193, "end  --}", replace: "end)()  --}",
            "package is removed (package.preload): bit32 is built by calling the same function"),
        .init(
            "bitwise", 198...198, "local bit32 = require'bit32'",
            skip: "package is removed (package.preload): bit32 is built by calling the same function"),
        .init("coroutine", 6...6, "require'debug'", replace: "nil", "debug is removed"),
        .init(
            "coroutine", 226...226, "Y = debug.getinfo(2)", replace: "Y = {what = \"C\"}",
            "debug is removed (debug.getinfo)"),
        .init(
            "coroutine", 335...352, "do   -- testing single trace of coroutines",
            skip: "debug is removed (debug.sethook on a coroutine)"),
        .init("coroutine", 356...357, "assert(debug.getinfo(1).currentline", skip: "debug is removed (debug.getinfo)"),
        .init("coroutine", 937...944, "-- getuptable & setuptable", skip: "debug is removed (debug.setupvalue)"),
        .init("errors", 6...6, "require\"debug\"", replace: "nil", "debug is removed"),
        .init(
            "errors", 203...203, "checkmessage(\"for i = io.stdin, 10 do end\", \"FILE\")",
            skip: "io is removed (a FILE* in a message)"),
        .init("errors", 212...218, "_G.D = debug", skip: "debug is removed (debug.upvalueid, debug.setuservalue)"),
        .init("errors", 221...221, "io.input()", skip: "io is removed (a FILE* in a message)"),
        .init("errors", 224...224, "io.input(XX)", skip: "io is removed (a FILE* in a message)"),
        .init("errors", 226...226, "~io.stdin", skip: "io is removed (a FILE* in a message)"),
        .init("errors", 229...229, "XX < io.stdin", skip: "io is removed (a FILE* in a message)"),
        .init("errors", 250...250, "(io.write or print){}", skip: "io is removed (io.write in a message)"),
        .init(
            "errors", 253...266, "-- errors in functions without debug info",
            skip: "string.dump is removed (chunks stripped of debug information)"),
        .init("errors", 316...316, "getmetatable(io.stdin).__gc()", skip: "io is removed (a FILE*'s __gc)"),
        .init(
            "errors", 549...549, "debug.getinfo(1, \"l\").currentline - 2", replace: "547",
            "debug is removed (debug.getinfo: the line is written out)"),
        .init(
            "cstack", 5...5, "require\"tracegc\"", replace: "{start = function () end, stop = function () end}", traceGC
        ),
    ]

    /// The file's bytes, changed by its exclusions when `sandboxed`, with all.lua's flags set on its first line.
    static func prepared(_ file: String, sandboxed: Bool) throws -> [UInt8] {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(file).lua"))
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Array.init)
        for exclusion in exclusions where sandboxed && exclusion.file == file {
            let first = exclusion.lines.lowerBound - 1
            let text = Array(exclusion.text.utf8)
            guard exclusion.lines.upperBound <= lines.count, let at = lines[first].firstRange(of: text) else {
                throw Failure("\(file).lua:\(first + 1) no longer holds \"\(exclusion.text)\"")
            }
            if let replacement = exclusion.replacement {
                lines[first].replaceSubrange(at, with: Array(replacement.utf8))
            } else {
                for index in exclusion.lines.map({ $0 - 1 }) { lines[index] = Array("-- ".utf8) + lines[index] }
            }
        }
        lines[0] = Array("_port = true; _soft = true; ".utf8) + lines[0]
        return Array(lines.joined(separator: [UInt8(ascii: "\n")]))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Writes the prepared file and the suite's helper modules into a new folder; returns the file's path.
    static func stage(_ file: String, sandboxed: Bool) throws -> URL {
        let work = try TestSupport.temporaryFolder()
        for module in ["bwcoercion", "tracegc"] {
            try Data(contentsOf: folder.appendingPathComponent("\(module).lua"))
                .write(to: work.appendingPathComponent("\(module).lua"))
        }
        let url = work.appendingPathComponent("\(file).lua")
        try Data(try prepared(file, sandboxed: sandboxed)).write(to: url)
        return url
    }
}

@Suite(.enabled(if: LuaTestes.available, "../shared/lua-testes is absent"))
struct LuaTestesTests {
    @Test(arguments: LuaTestes.files)
    func passesInTheSandbox(file: String) throws {
        let url = try LuaTestes.stage(file, sandboxed: true)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let result = try TestSupport.quarry(
            ["script", url.path], currentDirectory: url.deletingLastPathComponent(), timeout: 300)
        #expect(result.status == 0 && !result.timedOut, "\(file).lua in the sandbox: \(result.stderr)")
    }

    @Test(arguments: LuaTestes.files)
    func passesUnchangedUnderUnsafeAsInLua(file: String) throws {
        let url = try LuaTestes.stage(file, sandboxed: false)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let result = try TestSupport.quarry(
            ["script", "--unsafe", url.path], currentDirectory: url.deletingLastPathComponent(), timeout: 300)
        #expect(result.status == 0 && !result.timedOut, "\(file).lua under --unsafe: \(result.stderr)")
        let lua = URL(fileURLWithPath: "/usr/bin/lua5.4")
        if FileManager.default.isExecutableFile(atPath: lua.path) {
            let reference = try TestSupport.run(
                lua, [url.lastPathComponent], currentDirectory: url.deletingLastPathComponent(), timeout: 300)
            #expect(reference.status == result.status, "\(file).lua: lua5.4 exits \(reference.status)")
        }
    }

    @Test func everyFileIsRunOrExplained() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: LuaTestes.folder.path)
            .filter { $0.hasSuffix(".lua") }.map { String($0.dropLast(4)) }
        for name in names {
            #expect(LuaTestes.files.contains(name) != (LuaTestes.notRun[name] != nil), "\(name).lua")
        }
        for exclusion in LuaTestes.exclusions {
            #expect(LuaTestes.files.contains(exclusion.file))
            #expect(!exclusion.why.isEmpty)
        }
    }
}

/// The sandbox's pattern matcher and `lua5.4` on the same generated patterns (with %z, sets, frontiers,
/// captures, balances and malformed ones): `Fixtures/scripts/random-patterns.lua` prints every result of
/// find, match, gmatch and gsub, and both outputs must be the same bytes.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/lua5.4"), "lua5.4 is not installed"))
struct RandomPatternsTests {
    @Test(arguments: [("42", "6000"), ("7", "6000")])
    func theSandboxMatchesAsLua54Does(seed: String, count: String) throws {
        let folder = TestSupport.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/scripts")
        let script = folder.appendingPathComponent("random-patterns.lua").path
        let mine = try TestSupport.quarry(["script", script, "--arg", "count=\(count)", "--arg", "seed=\(seed)"])
        let theirs = try TestSupport.run(URL(fileURLWithPath: "/usr/bin/lua5.4"), [script, count, seed])
        #expect(mine.status == 0 && theirs.status == 0, "\(mine.stderr) \(theirs.stderr)")
        let a = mine.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let b = theirs.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(a.count == b.count && a.count > Int(count)!)
        let differing = zip(a, b).filter { $0 != $1 }
        #expect(differing.count == 0, "first difference: \(differing.first.map { "\($0.0)\nlua5.4: \($0.1)" } ?? "")")
    }
}
