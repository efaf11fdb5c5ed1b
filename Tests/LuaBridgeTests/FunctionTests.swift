// Swift functions called from Lua and Swift objects handed to Lua: errors through the
// trampoline, nested protected calls, objects freed when collected, nothing leaked.
import Synchronization
import Testing

@testable import LuaBridge

final class Counter {
    static let live = Atomic<Int>(0)
    static var alive: Int { live.load(ordering: .relaxed) }
    var value = 0
    init() { Counter.live.add(1, ordering: .relaxed) }
    deinit { Counter.live.subtract(1, ordering: .relaxed) }
}

final class Tracked {
    let onDeinit: () -> Void
    init(_ onDeinit: @escaping () -> Void) { self.onDeinit = onDeinit }
    deinit { onDeinit() }
}

@Suite(.serialized) struct FunctionTests {
    @Test func swiftFunctionsTakeAndReturnValues() throws {
        let vm = try LuaVM()
        vm.register("add") { call in
            call.push(try call.integer(1) + call.integer(2))
        }
        vm.register("greet") { call in
            call.push("hello, " + (try call.string(1)))
        }
        #expect(try vm.run("return add(2, 40), greet('Ada')", chunkName: "t") == [42, "hello, Ada"])
        #expect(vm.stackTop == 0)
    }

    @Test func aSwiftThrowBecomesALuaErrorAtTheCallersLine() throws {
        let vm = try LuaVM()
        vm.register("fail") { call in throw call.error("it went wrong") }
        let source = "local x = 1\nlocal y = 2\nfail()\n"
        #expect {
            _ = try vm.run(source, chunkName: "Plugins/x.lua")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .runtime && error.message == "Plugins/x.lua:3: fail: it went wrong"
                && error.chunk == "Plugins/x.lua" && error.line == 3
                && (error.traceback ?? "").contains("Plugins/x.lua:3")
        }
        #expect(vm.stackTop == 0)
    }

    @Test func argumentErrorsNameTheFunctionAndArgument() throws {
        let vm = try LuaVM()
        vm.register("find") { call in
            _ = try call.string(1)
            return 0
        }
        let caught = try vm.run("local ok, e = pcall(function() return find({}) end) return ok, e", chunkName: "a.lua")
        #expect(caught == [false, "a.lua:1: find: argument 1 must be a string, got table"])
    }

    @Test func throwInsideCallbackInsidePcallInsideCallbackUnwindsCleanly() throws {
        let vm = try LuaVM()
        let alive = Counter.alive
        vm.register("inner") { call in
            let guardObject = Counter()  // must be released although we throw
            guardObject.value = 1
            throw call.error("inner failed")
        }
        vm.register("outer") { call in
            let guardObject = Counter()
            defer { guardObject.value = 2 }
            let results = try call.callArgument(1, [])
            return try call.push(results.first ?? .nil)
        }
        let results = try vm.run(
            """
            local function body()
              local ok, err = pcall(function() inner() end)
              return (ok and "no error" or err)
            end
            return outer(body), pcall(outer, function() inner() end)
            """, chunkName: "nested.lua")
        #expect(results[0] == "nested.lua:2: inner: inner failed")
        #expect(results[1] == false)
        #expect(results[2].stringValue?.contains("inner: inner failed") == true)
        #expect(Counter.alive == alive)
        #expect(vm.stackTop == 0)
    }

    @Test func aThousandErrorsLeakNothing() throws {
        let vm = try LuaVM()
        let alive = Counter.alive
        vm.register("boom") { call in
            _ = Counter()
            throw call.error("boom")
        }
        let f = try vm.load("boom()", chunkName: "leak.lua")
        for _ in 0..<50 { _ = try? vm.call(f) }
        vm.collectGarbage()
        let before = vm.memoryInUse
        for _ in 0..<1000 {
            #expect(throws: LuaError.self) { _ = try vm.call(f) }
        }
        vm.collectGarbage()
        #expect(Counter.alive == alive)
        #expect(vm.memoryInUse <= before + 4096)
        #expect(vm.stackTop == 0)
    }

    @Test func objectsAreFreedWhenLuaCollectsThem() throws {
        let vm = try LuaVM()
        var definition = LuaTypeDefinition<Counter>(name: "test.Counter")
        definition.methods["bump"] = { call in
            let counter = try call.object(1, Counter.self)
            counter.value += try call.optionalInteger(2, default: 1)
            return call.push(counter.value)
        }
        definition.index = { call in
            let counter = try call.object(1, Counter.self)
            switch try call.string(2) {
            case "value": return call.push(counter.value)
            default: return call.pushNil()
            }
        }
        definition.metamethods["__tostring"] = { call in
            call.push("Counter(\(try call.object(1, Counter.self).value))")
        }
        vm.registerType(definition)
        let alive = Counter.alive
        vm.register("make") { call in try call.push(object: Counter()) }
        let results = try vm.run(
            "local c = make(); c:bump(); c:bump(5); return c.value, c.nope, tostring(c), getmetatable(c)",
            chunkName: "t")
        #expect(results == [6, nil, "Counter(6)", "test.Counter"])
        #expect(Counter.alive == alive + 1)  // not collected yet
        vm.collectGarbage()
        #expect(Counter.alive == alive)
        // A wrong type is refused with the type's name.
        vm.register("bump") { call in
            _ = try call.object(1, Counter.self)
            return 0
        }
        let refused = try vm.run("return pcall(bump, {})", chunkName: "t")
        #expect(refused[1].stringValue?.contains("argument 1 must be a test.Counter, got table") == true)
    }

    @Test func closingTheVMReleasesEverything() throws {
        var released = 0
        do {
            let vm = try LuaVM()
            var definition = LuaTypeDefinition<Tracked>(name: "Tracked")
            definition.methods["noop"] = { _ in 0 }
            vm.registerType(definition)
            for _ in 0..<10 {
                try vm.pushObject(Tracked { released += 1 })
            }
            vm.register("keep") { _ in 0 }
        }
        #expect(released == 10)
    }

    @Test(arguments: [
        ("error('plain')", "e.lua:1: plain"),
        ("error({code = 1})", "(error object is a table value)"),
        ("error(setmetatable({}, {__tostring = function() return 'custom message' end}))", "custom message"),
        ("error(nil)", "(error object is a nil value)"),
        ("error('no position', 0)", "no position"),
        ("local t = nil; return t.x", "e.lua:1: attempt to index a nil value (local 't')"),
    ])
    func errorObjectsOfEveryKind(source: String, message: String) throws {
        let vm = try LuaVM()
        #expect {
            _ = try vm.run(source, chunkName: "e.lua")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .runtime && error.message == message && error.line == 1
                && error.traceback?.hasPrefix("stack traceback:") == true
        }
        #expect(vm.stackTop == 0)
    }

    @Test func syntaxErrorsNameLineAndColumn() throws {
        let vm = try LuaVM()
        #expect {
            _ = try vm.load("local a = 1\nlocal b = a +* 2\n", chunkName: "Plugins/x.lua")
        } throws: { error in
            guard let error = error as? LuaError else { return false }
            return error.kind == .syntax && error.chunk == "Plugins/x.lua" && error.line == 2
                && error.column == 14 && error.description.hasPrefix("Plugins/x.lua:2:14:")
        }
        #expect {
            _ = try vm.load("if x then\n  y = 1\n", chunkName: "eof.lua")
        } throws: { error in
            (error as? LuaError)?.line == 3 && (error as? LuaError)?.column == 1
        }
        #expect(vm.stackTop == 0)
    }

    @Test func modulesOfSwiftFunctions() throws {
        let vm = try LuaVM()
        let module = try vm.makeModule(
            "demo", functions: ["twice": { call in call.push(try call.number(1) * 2) }], values: ["version": "1.0"])
        let env = try vm.makeEnvironment(name: "p")
        try env.set("demo", module)
        #expect(try vm.run("return demo.twice(21), demo.version", chunkName: "t", environment: env) == [42.0, "1.0"])
        let error = try vm.run(
            "return pcall(function() return demo.twice('x') end)", chunkName: "m.lua", environment: env)
        #expect(error[1] == "m.lua:1: demo.twice: argument 1 must be a number, got string")
    }
}
