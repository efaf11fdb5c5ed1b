// Values crossing the bridge: round trips, binary strings, cycles, depth, and a balanced stack.
import Testing

@testable import LuaBridge

@Suite struct ValueTests {
    let vm: LuaVM
    init() throws { vm = try LuaVM() }

    func roundTrip(_ value: LuaValue) throws -> LuaValue {
        try vm.push(value)
        defer { vm.popAll() }
        return try vm.value(at: -1)
    }

    @Test(arguments: [
        LuaValue.nil, .bool(true), .bool(false), .int(0), .int(-7), .int(Int64.max), .int(Int64.min),
        .double(3.25), .double(-0.5), .double(1e300), .string(""), .string("héllo wörld ✓ 日本"),
        .string("nul\0inside\0"), .array([1, "two", 3.5, false]), .object(["a": 1, "b": ["x": [true]]]),
        .array([.array([.array([])])]),
    ])
    func roundTrips(value: LuaValue) throws {
        #expect(try roundTrip(value) == value)
        #expect(vm.stackTop == 0)
    }

    @Test func invalidUTF8IsKeptAsBytes() throws {
        let bytes: [UInt8] = [0xFF, 0x00, 0xC3, 0x28, 0x41]
        #expect(try roundTrip(.bytes(bytes)) == .bytes(bytes))
        let f = try vm.load("local s = ...; return #s, s:byte(1), s:byte(2)", chunkName: "t")
        #expect(try vm.call(f, [.bytes(bytes)]) == [.int(5), .int(255), .int(0)])
    }

    @Test func tablesFromLua() throws {
        let results = try vm.run(
            "return {1, 2, 3}, {x = 1, [2] = 'two'}, {}, {[1] = 'a', [3] = 'c'}, 2^53, 7 // 2",
            chunkName: "t")
        #expect(results[0] == [1, 2, 3])
        #expect(results[1] == ["x": 1, "2": "two"])
        #expect(results[2] == .array([]))
        #expect(results[3] == ["1": "a", "3": "c"])
        #expect(results[4] == .double(9007199254740992))
        #expect(results[5] == .int(3))
        #expect(vm.stackTop == 0)
    }

    @Test func cyclesAreDetected() throws {
        let f = try vm.load("local t = {}; t.self = t; return t", chunkName: "cycle.lua")
        #expect {
            _ = try vm.call(f)
        } throws: { error in
            (error as? LuaError)?.kind == .conversion && "\(error)".contains("cycle")
        }
        // The same table twice, side by side, is not a cycle.
        let shared = try vm.run("local t = {1}; return {t, t}", chunkName: "t")
        #expect(shared == [[[1], [1]]])
        #expect(vm.stackTop == 0)
    }

    @Test func functionsAreRefusedStrictlyAndDescribedLeniently() throws {
        let f = try vm.load("return print", chunkName: "t")
        #expect(throws: LuaError.self) { _ = try vm.call(f) }
        let lenient = try vm.call(f, lenient: true)
        guard case .opaque(let type, _) = lenient.first else {
            Issue.record("expected an opaque value, got \(lenient)")
            return
        }
        #expect(type == "function")
        #expect(vm.stackTop == 0)
    }

    @Test func deepNestingIsRefused() throws {
        var value: LuaValue = 1
        for _ in 0..<300 { value = .array([value]) }
        #expect(throws: LuaError.self) { try vm.push(value) }
        vm.popAll()
        let deep = try vm.load("local t = {} for i = 1, 500 do t = {t} end return t", chunkName: "t")
        #expect(throws: LuaError.self) { _ = try vm.call(deep) }
        #expect(vm.stackTop == 0)
    }

    @Test func renderingLooksLikeLua() {
        let value: LuaValue = ["name": "Ada", "tags": ["a", "b"], "n": 2, "x y": .double(1.5)]
        #expect(value.render(indent: nil) == #"{n = 2, name = "Ada", tags = {"a", "b"}, ["x y"] = 1.5}"#)
        #expect(LuaValue.double(2).description == "2.0")
        #expect(LuaValue.string("a\"b\n").description == #""a\"b\n""#)
    }
}
