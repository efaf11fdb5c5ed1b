// The sandbox: each escape known from LUA-EMBEDDING is denied with a clear message, and
// plugins' environments are kept apart.
import Foundation
import QuarryTestSupport
import Testing

@testable import LuaBridge

@Suite struct SandboxTests {
    func run(_ source: String, in env: LuaEnvironment? = nil, vm: LuaVM? = nil) throws -> [LuaValue] {
        let vm = try vm ?? LuaVM()
        let env = try env ?? vm.makeEnvironment(name: "plugin")
        return try vm.run(source, chunkName: "Plugins/escape.lua", environment: env)
    }

    @Test(arguments: [
        "debug", "io", "package", "dofile", "loadfile", "loadstring", "module",
    ])
    func dangerousGlobalsAreAbsent(name: String) throws {
        #expect(try run("return \(name) == nil") == [true])
    }

    @Test func osKeepsOnlyTheClock() throws {
        let results = try run(
            "return os.execute, os.exit, os.remove, os.rename, os.getenv, os.tmpname, os.setlocale, type(os.time()), type(os.clock()), type(os.date('%Y'))"
        )
        #expect(results == [nil, nil, nil, nil, nil, nil, nil, "number", "number", "string"])
    }

    @Test func stringDumpIsGone() throws {
        #expect(try run("return string.dump, ('').dump") == [nil, nil])
    }

    @Test func binaryChunksAreRefused() throws {
        // A binary chunk starts with ESC "Lua"; the unsafe VM can make a real one to try.
        let unsafe = try LuaVM(.unsafe)
        let dumped = try unsafe.run("return string.dump(function() return 1 end)", chunkName: "t")
        guard case .bytes(let bytecode) = dumped.first else {
            Issue.record("string.dump gave \(dumped)")
            return
        }
        let vm = try LuaVM()
        let env = try vm.makeEnvironment(name: "p")
        let f = try vm.load("local code = ...; return load(code)", chunkName: "b.lua", environment: env)
        let refused = try vm.call(f, [.bytes(bytecode)])
        #expect(refused[0] == .nil)
        #expect(refused[1].stringValue?.contains("attempt to load a binary chunk") == true)
        let withMode = try vm.call(
            try vm.load("local code = ...; return load(code, 'x', 'b')", chunkName: "b.lua", environment: env),
            [.bytes(bytecode)])
        #expect(withMode[1].stringValue?.contains("text chunks only") == true)
        // A reader function that hands over the bytecode piece by piece is refused as well.
        let pieces = try vm.call(
            try vm.load(
                "local code = ...; local done = false; return load(function() if done then return nil end "
                    + "done = true; return code end, 'x', 'bt')", chunkName: "b.lua", environment: env),
            [.bytes(bytecode)])
        #expect(pieces[0] == .nil && pieces[1].stringValue?.contains("text chunks only") == true)
        // Loading the bytes as source from Swift is refused too.
        #expect(throws: LuaError.self) {
            _ = try vm.load(String(decoding: bytecode, as: UTF8.self), chunkName: "b.lua")
        }
    }

    @Test func loadDefaultsToThePluginsOwnEnvironment() throws {
        let vm = try LuaVM()
        let env = try vm.makeEnvironment(name: "p")
        let results = try run("secret = 42; local f = load('return secret, io'); return f()", in: env, vm: vm)
        #expect(results == [42, nil])
    }

    @Test func theStringMetatableIsLocked() throws {
        let results = try run(
            """
            local mt = getmetatable("")
            local ok, err = pcall(function() string.upper = function() return "pwned" end end)
            local ok2 = pcall(rawset, string, "upper", nil)
            return mt, ok, err, ("abc"):upper()
            """)
        #expect(results[0] == false)
        #expect(results[1] == false)
        #expect(results[2].stringValue?.contains("read-only library 'string'") == true)
        #expect(results[3] == "ABC")
    }

    @Test func gcMetamethodsAreRefused() throws {
        #expect {
            _ = try run("setmetatable({}, {__gc = function() while true do end end})")
        } throws: { error in
            "\(error)".contains("__gc metamethods are not allowed in the sandbox")
        }
    }

    @Test func loadTakesLuasModesAndEnvironments() throws {
        // as in Lua: a text chunk under mode "b" fails with Lua's message, "bt" and "t" load it, an explicit
        // nil environment is nil, and an error from a reader function is load's message
        #expect(try run("return load('return 1', 'x', 'b')") == [nil, "attempt to load a text chunk (mode is 'b')"])
        #expect(try run("return load('return 1', 'x', 'bt')(), load('return 2', 'x', 't')()") == [1, 2])
        #expect(try run("return pcall(load('return print', 'x', 't', nil))").first == false)
        #expect(try run("return load(function() error('hhi') end)").last?.stringValue?.contains("hhi") == true)
    }

    @Test func requireOfAStandardLibraryReturnsTheSandboxsCopy() throws {
        #expect(
            try run(
                """
                return require 'string' == string, require 'table' == table, require 'math' == math,
                  require 'utf8' == utf8, require 'coroutine' == coroutine, require 'os' == os, require '_G' == _G
                """) == [true, true, true, true, true, true, true])
        #expect(try run("string = nil; return require('string').upper('a')") == ["A"])
        for withheld in ["io", "debug", "package"] {
            #expect {
                _ = try run("return require '\(withheld)'")
            } throws: { error in
                "\(error)".contains("module '\(withheld)' is not available in the sandbox")
            }
        }
    }

    @Test func setmetatableAndCollectgarbageReportBadArgumentsAsLuaDoes() throws {
        let message = try run("return select(2, pcall(string.gsub, 's', 's', setmetatable))").first?.stringValue
        #expect(message?.contains("bad argument #1 to 'setmetatable' (table expected, got string)") == true)
        let option = try run("return select(2, pcall(collectgarbage, 'nooption'))").first?.stringValue
        #expect(option?.contains("bad argument #1 to 'collectgarbage' (invalid option 'nooption')") == true)
        #expect(
            try run("local t = setmetatable({}, {__metatable = 1}); return pcall(setmetatable, t, {})").first == false)
        #expect(try run("return getmetatable(setmetatable({}, {__index = {x = 1}})).__index.x") == [1])
    }

    @Test func printIsACFunctionAsInLua() throws {
        let vm = try LuaVM()
        var lines: [String] = []
        vm.printHandler = { _, text in lines.append(text) }
        let env = try vm.makeEnvironment(name: "p")
        _ = try vm.run(
            "print(1, nil, 2.5, setmetatable({}, {__tostring = function() return 'T' end}), 'x')", chunkName: "p.lua",
            environment: env)
        #expect(lines == ["1\tnil\t2.5\tT\tx"])
        // string.dump refuses C functions; in the unsafe VM (which has it) print cannot be dumped either
        let unsafe = try LuaVM(.unsafe)
        #expect(
            try unsafe.run(
                "return pcall(string.dump, print)", chunkName: "p", environment: unsafe.makeEnvironment(name: "u")
            )
            .first == false)
    }

    @Test func collectgarbageStopIsRefused() throws {
        #expect(throws: LuaError.self) { _ = try run("collectgarbage('stop')") }
        #expect(try run("return type(collectgarbage('count'))") == ["number"])
    }

    @Test func pluginsCannotSeeOrClobberEachOthersGlobals() throws {
        let vm = try LuaVM()
        let a = try vm.makeEnvironment(name: "a")
        let b = try vm.makeEnvironment(name: "b")
        _ = try vm.run(
            """
            shared = "from a"
            print = function() return "hijacked" end
            rawset_ok, rawset_error = pcall(rawset, string, "find", function() return "evil" end)
            pcall(function() table.insert = nil end)
            """, chunkName: "a.lua", environment: a)
        // rawset refuses a library even in the plugin's own environment: its libraries never change under it.
        let own = try vm.run("return rawset_ok, rawset_error, string.find('abc', 'b')", chunkName: "a2", environment: a)
        #expect(own == [false, "rawset: the table is read-only", 2, 2])
        let seen = try vm.run(
            "return shared, type(print), string.find('abc', 'b'), type(table.insert), _G == _ENV", chunkName: "b.lua",
            environment: b)
        #expect(seen == [nil, "function", 2, "function", true])
        // Each library proxy is per environment, and pairs still lists the library.
        let listed = try vm.run(
            "local n = 0 for k in pairs(math) do n = n + 1 end return n > 20", chunkName: "c", environment: b)
        #expect(listed == [true])
    }

    @Test func requireLoadsOnlyFromAllowedRoots() throws {
        let root = try TestSupport.folder(with: [
            "lib/helper.lua": "return { twice = function(x) return 2 * x end }",
            "lib/pkg/init.lua": "return 'package init'",
            "lib/bad.lua": "this is not lua",
            "outside.lua": "return 'outside'",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let vm = try LuaVM()
        let env = try vm.makeEnvironment(name: "p", requireRoots: [root.appendingPathComponent("lib").path])
        #expect(
            try vm.run("return require('helper').twice(4), (require('pkg'))", chunkName: "r.lua", environment: env) == [
                8, "package init",
            ])
        #expect(
            try vm.run("return require('helper') == require('helper')", chunkName: "r.lua", environment: env) == [true])
        for name in ["../outside", "..outside", "/etc/passwd", "missing"] {
            #expect {
                _ = try vm.run("require('\(name)')", chunkName: "r.lua", environment: env)
            } throws: { error in
                let message = "\(error)"
                return message.hasPrefix("r.lua:1:")
                    && (message.contains("invalid module name") || message.contains("not found"))
            }
        }
        #expect {
            _ = try vm.run("require('bad')", chunkName: "r.lua", environment: env)
        } throws: { error in "\(error)".contains("bad.lua:1:") }
    }

    @Test func unsafeModeOpensEverything() throws {
        let vm = try LuaVM(.unsafe)
        let env = try vm.makeEnvironment(name: "trusted")
        let results = try vm.run(
            "return type(io.open), type(debug.traceback), type(os.getenv)", chunkName: "u", environment: env)
        #expect(results == ["function", "function", "function"])
    }
}
