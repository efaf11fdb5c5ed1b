// Limits: instruction budget (sticky through pcall and coroutines), timeout, cancellation,
// memory cap, recursion and backtracking patterns. Each stops, and the VM stays usable.
import Foundation
import Testing

@testable import LuaBridge

@Suite struct LimitTests {
    func limited(instructions: Int? = 5_000_000, timeout: Double? = 10, memory: Int? = 64 << 20) throws -> LuaVM {
        var configuration = LuaVM.Configuration()
        configuration.instructionLimit = instructions
        configuration.timeout = timeout
        configuration.memoryLimit = memory
        return try LuaVM(configuration)
    }

    func expectStillUsable(_ vm: LuaVM) throws {
        #expect(try vm.run("local s = 0 for i = 1, 100 do s = s + i end return s", chunkName: "ok.lua") == [5050])
        #expect(vm.stackTop == 0)
    }

    @Test(arguments: [
        "while true do end",
        "while true do pcall(function() while true do end end) end",
        "for i = 1, 10 do pcall(error) end while true do local ok = pcall(function() local x = 0 while true do x = x + 1 end end) end",
        "local co = coroutine.wrap(function() while true do end end) co()",
        "while true do local co = coroutine.create(function() while true do end end) coroutine.resume(co) end",
        "local function f() return f() end f()",
    ])
    func instructionLimitIsSticky(source: String) throws {
        let vm = try limited()
        let started = Date()
        #expect {
            _ = try vm.run(source, chunkName: "Plugins/x.lua")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .instructionLimit
                && error.message.contains("instruction limit of 5000000 exceeded in Plugins/x.lua:1")
        }
        #expect(Date().timeIntervalSince(started) < 5)
        try expectStillUsable(vm)
    }

    @Test func theAllocatorKeepsBlocksOfEverySizeIntact() throws {
        // Tables grown through the small-block classes into malloc's, strings of every small size and
        // some large ones, a third of them freed and the space reused: every value reads back as made.
        let vm = try LuaVM()
        let before = vm.memoryInUse
        let result = try vm.run(
            """
            keep = {}
            for i = 1, 6000 do
              local t = {}
              for k = 1, i % 70 do t[k] = k * i end
              t.s = string.rep(string.char(65 + i % 26), i % 300)
              keep[i] = t
            end
            for i = 1, 6000, 3 do keep[i] = nil end
            collectgarbage("collect")
            for i = 6001, 9000 do keep[i] = {s = string.rep("y", i % 257), i} end
            local sum = 0
            for i = 1, 9000 do
              local t = keep[i]
              if t and i <= 6000 then
                for k = 1, i % 70 do if t[k] ~= k * i then error("table " .. i .. " lost item " .. k) end end
                if t.s ~= string.rep(string.char(65 + i % 26), i % 300) then error("string " .. i) end
                sum = sum + #t
              elseif t then
                if t[1] ~= i or #t.s ~= i % 257 then error("late table " .. i) end
              end
            end
            return sum
            """, chunkName: "blocks.lua")
        let expected = (1...6000).filter { ($0 - 1) % 3 != 0 }.reduce(0) { $0 + $1 % 70 }
        #expect(result == [.int(Int64(expected))])
        _ = try vm.run("keep = nil collectgarbage('collect') collectgarbage('collect')", chunkName: "free.lua")
        #expect(vm.memoryInUse <= before + 64 * 1024, "in use \(vm.memoryInUse), before \(before)")
    }

    /// The highest heap (KB) while a loop makes garbage next to ~1.5 MB of live tables.
    func heapPeak(pause: Int, memory: Int? = nil) throws -> Double {
        var configuration = LuaVM.Configuration()
        configuration.collectorPause = pause
        configuration.memoryLimit = memory
        let vm = try LuaVM(configuration)
        let result = try vm.run(
            """
            local keep = {}
            for i = 1, 20000 do keep[i] = {i, i + 1} end
            collectgarbage("collect")
            local peak = 0
            for i = 1, 300000 do
              local garbage = {i, tostring(i)}
              if i % 64 == 0 then peak = math.max(peak, collectgarbage("count")) end
            end
            return peak
            """, chunkName: "garbage.lua")
        guard case .double(let peak)? = result.first else {
            throw LuaError(kind: .runtime, message: "no peak: \(result)")
        }
        return peak
    }

    @Test func theCollectorPauseLetsTheHeapGrowFurtherBeforeACycle() throws {
        let lua = try heapPeak(pause: 200)  // Lua's default: about twice the live heap
        let quarry = try heapPeak(pause: 400)  // Quarry's: about four times
        #expect(LuaVM.Configuration().collectorPause == 400)
        #expect(quarry > lua * 1.4, "peak \(quarry) KB at pause 400, \(lua) KB at 200")
        // the memory cap still holds: a full collection runs before an allocation past it fails
        let capped = try heapPeak(pause: 1000, memory: 8 << 20)
        #expect(capped < 8 * 1024)
    }

    @Test(arguments: [
        #"return #string.rep("", math.maxinteger)"#,  // an empty repetition: answered at once, not looped
        "return #table.move({}, 1, 1 << 40, 1, {})",
        #"return #table.concat(setmetatable({}, {__index = function() return "" end}), "", 1, 1 << 40)"#,
        #"return #table.concat(setmetatable({}, {__index = function() return "" end}), "", 1 << 40, 1 << 41)"#,
    ])
    func libraryLoopsInCStopAtTheTimeout(source: String) throws {
        // loops inside C library functions run no Lua instructions: the sandbox's versions check the limits
        let vm = try limited(instructions: nil, timeout: 0.3)
        let started = Date()
        do {
            let result = try vm.run(source, chunkName: "loop.lua")
            #expect(result == [.int(0)], "only the empty repetition finishes: \(result)")
        } catch let error as LuaError {
            #expect(error.kind == .timeout, "\(error)")
            // in C (the library's loop) or in Lua (an __index function it calls): a time limit either way
            #expect("\(error)".contains("time limit"), "\(error)")
        }
        #expect(Date().timeIntervalSince(started) < 5)
        try expectStillUsable(vm)
    }

    @Test func theBoundedLibraryFunctionsGiveLuasResults() throws {
        let vm = try limited(instructions: nil, timeout: 5)
        let cases: [(String, LuaValue)] = [
            (#"return string.rep("ab", 3, "-")"#, .string("ab-ab-ab")),
            (#"return string.rep("x", 0)"#, .string("")),
            (#"return string.rep("", 5, "")"#, .string("")),
            (#"return string.rep("", 3, ",")"#, .string(",,")),
            (#"return table.concat({1, "b", 3.5}, ", ")"#, .string("1, b, 3.5")),
            (#"return table.concat({"a", "b", "c"}, "", 2, 3)"#, .string("bc")),
            (#"return table.concat({}, "x")"#, .string("")),
            (#"return table.concat(table.move({1, 2, 3}, 1, 3, 2), ",")"#, .string("1,1,2,3")),
            (#"return table.concat(table.move({1, 2, 3}, 2, 3, 1), ",")"#, .string("2,3,3")),
            (
                #"local t = table.move({1, 2}, 1, 2, 3, {9}) return t[1] .. "," .. tostring(t[2]) .. "," .. t[3] .. "," .. t[4]"#,
                .string("9,nil,1,2")
            ),
            (
                #"local log = {} local t = setmetatable({}, {__newindex = function(_, k, v) log[#log + 1] = k .. "=" .. v end, __index = function(_, k) return k * 10 end}) table.move(t, 1, 2, 5) return table.concat(log, " ")"#,
                .string("5=10 6=20")
            ),
        ]
        for (source, expected) in cases {
            #expect(try vm.run(source, chunkName: "lib.lua").first == expected, "\(source)")
        }
        #expect(throws: LuaError.self) { try vm.run(#"return table.concat({1, {}, 3})"#, chunkName: "bad.lua") }
        #expect(throws: LuaError.self) { try vm.run(#"return table.move(1, 1, 2, 3)"#, chunkName: "bad.lua") }
    }

    @Test func timeoutStopsALoop() throws {
        let vm = try limited(instructions: nil, timeout: 0.2)
        let started = Date()
        #expect {
            _ = try vm.run("while true do end", chunkName: "t.lua")
        } throws: { error in
            (error as? LuaError)?.kind == .timeout && "\(error)".contains("time limit of 0.2")
        }
        #expect(Date().timeIntervalSince(started) < 3)
        try expectStillUsable(vm)
    }

    /// Without an instruction budget nothing counts instructions: a watchdog stops the call,
    /// inside pcall and inside coroutines too, and the same VM runs the next call at full speed.
    @Test(arguments: [
        "while true do end",
        "while true do pcall(function() while true do end end) end",
        "local co = coroutine.wrap(function() while true do end end) co()",
        "local co = coroutine.create(function() local x = 0 while true do x = x + 1 end end) coroutine.resume(co) error('swallowed')",
    ])
    func timeoutStopsLoopsWithoutCounting(source: String) throws {
        let vm = try limited(instructions: nil, timeout: 0.2)
        let started = Date()
        #expect {
            _ = try vm.run(source, chunkName: "t.lua")
        } throws: { error in
            (error as? LuaError)?.kind == .timeout && "\(error)".contains("time limit of 0.2")
        }
        #expect(Date().timeIntervalSince(started) < 3)
        try expectStillUsable(vm)
        // A later call is not stopped early by what the watchdog did to this one.
        #expect(
            try vm.run("local s = 0 for i = 1, 3000000 do s = s + 1 end return s", chunkName: "ok.lua") == [3_000_000])
    }

    @Test func cancellationFromAnotherThread() throws {
        let vm = try limited(instructions: nil, timeout: nil)
        let token = LuaCancellation()
        let canceller = Thread {
            Thread.sleep(forTimeInterval: 0.1)
            token.cancel()
        }
        canceller.start()
        let loop = try vm.load("while true do end", chunkName: "c.lua")
        #expect {
            _ = try vm.call(loop, limits: .init(cancellation: token))
        } throws: { error in
            (error as? LuaError)?.kind == .cancelled
        }
        try expectStillUsable(vm)
    }

    @Test(arguments: [
        "return string.rep('x', 2e9)",
        "local t = {} for i = 1, 1e9 do t[i] = i end",
        "local t = {} for i = 1, 1e9 do t[#t + 1] = ('x'):rep(100) .. i end",
        "local s = 'x' while true do s = s .. s end",
    ])
    func memoryCapStopsBombs(source: String) throws {
        let vm = try limited(instructions: nil, timeout: 20, memory: 32 << 20)
        let started = Date()
        #expect {
            _ = try vm.run(source, chunkName: "m.lua")
        } throws: { error in
            (error as? LuaError)?.kind == .memory && "\(error)".contains("memory limit of 32 MiB exceeded")
        }
        #expect(Date().timeIntervalSince(started) < 10)
        vm.collectGarbage()
        #expect(vm.memoryInUse < 4 << 20)
        try expectStillUsable(vm)
    }

    @Test(arguments: [
        "local function f(n) return 1 + f(n + 1) end return f(1)",
        "local t = setmetatable({}, {}) getmetatable(t).__index = function(t, k) return t[k] end return t.x",
        "local mt = {} mt.__index = setmetatable({}, mt) local t = setmetatable({}, mt) return t.x",
        "local function f() return pcall(f) end return f()",
        "local s = string.rep('(', 1e5) return load('return ' .. s)",
    ])
    func deepRecursionFailsCleanly(source: String) throws {
        let vm = try limited(instructions: 50_000_000)
        do {
            _ = try vm.run(source, chunkName: "r.lua")
        } catch let error as LuaError {
            #expect([.runtime, .instructionLimit, .memory].contains(error.kind))
        }
        try expectStillUsable(vm)
    }

    @Test(arguments: [
        "return string.rep('a', 200000):find('.-.-.-b')",
        "return string.rep('a', 300000):match('(a*)*b')",
        "local n = 0 for _ in string.rep('a', 100000):gmatch('a-a-a-b') do n = n + 1 end return n",
        "return string.rep('a', 100000):gsub('%w+%s', '')",
    ])
    func backtrackingPatternsStop(source: String) throws {
        let vm = try limited(instructions: nil, timeout: 30)
        let started = Date()
        #expect {
            _ = try vm.run(source, chunkName: "p.lua")
        } throws: { error in
            "\(error)".contains("pattern too complex") || "\(error)".contains("malformed")
        }
        #expect(Date().timeIntervalSince(started) < 5)
        try expectStillUsable(vm)
    }

    @Test func patternSizesAreBounded() throws {
        var configuration = LuaVM.Configuration()
        configuration.patternSubjectLimit = 1000
        configuration.patternLengthLimit = 10
        let vm = try LuaVM(configuration)
        #expect(throws: LuaError.self) { _ = try vm.run("return ('x'):rep(2000):find('x+')", chunkName: "p") }
        #expect(throws: LuaError.self) { _ = try vm.run("return ('x'):find(('x?'):rep(20))", chunkName: "p") }
        #expect(try vm.run("return ('abc'):find('b')", chunkName: "p") == [2, 2])
    }

    @Test func patternTimeoutInterruptsOneLongCCall() throws {
        var configuration = LuaVM.Configuration()
        configuration.timeout = 0.3
        configuration.patternStepLimit = Int.max / 64
        let vm = try LuaVM(configuration)
        let started = Date()
        #expect(throws: LuaError.self) {
            _ = try vm.run("return string.rep('a', 300000):find('.-.-.-b')", chunkName: "p")
        }
        #expect(Date().timeIntervalSince(started) < 5)
        try expectStillUsable(vm)
    }

    @Test func limitsApplyPerCallNotPerVM() throws {
        let vm = try limited(instructions: 2_000_000)
        let f = try vm.load("local x = 0 for i = 1, 100000 do x = x + i end return x", chunkName: "f")
        for _ in 0..<50 {
            #expect(try vm.call(f) == [5000050000])
        }
    }
}
