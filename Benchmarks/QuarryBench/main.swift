// Quarry's benchmarks (`make bench`): figures and ratios against a baseline measured in the same
// run. Printed, not asserted; targets are quoted next to each figure.
import Foundation
import LuaBridge

// MARK: - Helpers

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let elapsed = try clock.measure(body)
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
}

/// The best of `repeats` timings: the least disturbed by the other core's work.
func best(_ repeats: Int = 5, _ body: () throws -> Void) rethrows -> Double {
    var result = Double.infinity
    for _ in 0..<repeats { result = min(result, try seconds(body)) }
    return result
}

func heading(_ title: String) {
    print("\n== \(title)")
}

func row(_ label: String, _ value: String, _ note: String = "") {
    let padded = label.padding(toLength: 46, withPad: " ", startingAt: 0)
    print("  \(padded) \(value)\(note.isEmpty ? "" : "   \(note)")")
}

func format(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }

// MARK: - Lua bridge

func benchBridge() throws {
    heading("Lua bridge: calls from a Lua loop (sandboxed VM, limits on)")
    let vm = try LuaVM()
    let env = try vm.makeEnvironment(name: "bench")
    try env.register("swift_identity") { call in
        call.pushArgument(1)
    }
    let n = 5_000_000
    let empty = try vm.load("for i = 1, \(n) do end", chunkName: "empty", environment: env)
    let luaCalls = try vm.load(
        "local function f(x) return x end for i = 1, \(n) do f(i) end", chunkName: "lua", environment: env)
    let swiftCalls = try vm.load(
        "local f = swift_identity for i = 1, \(n) do f(i) end", chunkName: "swift", environment: env)
    let tEmpty = try best { _ = try vm.call(empty) }
    let tLua = try best { _ = try vm.call(luaCalls) }
    let tSwift = try best { _ = try vm.call(swiftCalls) }
    let perLua = (tLua - tEmpty) / Double(n) * 1e9
    let perSwift = (tSwift - tEmpty) / Double(n) * 1e9
    row("Lua function call (baseline)", "\(format(perLua)) ns/call", "\(format(1e3 / perLua)) M calls/s")
    row(
        "Swift function call through the trampoline", "\(format(perSwift)) ns/call",
        "\(format(1e3 / perSwift)) M calls/s")
    row("Swift call / Lua call", "\(format(perSwift / perLua, 2))x", "target <= 3x")

    heading("Lua bridge: VM creation")
    let creations = 300
    let tCreate = try best(3) {
        for _ in 0..<creations {
            let vm = try LuaVM()
            _ = try vm.makeEnvironment(name: "p")
        }
    }
    let tBare = try best(3) {
        var c = LuaVM.Configuration.unsafe
        c.sandboxed = false
        for _ in 0..<creations { _ = try LuaVM(c) }
    }
    row(
        "sandboxed VM with limits + one environment", "\(format(tCreate / Double(creations) * 1e6)) µs",
        "target < 2000 µs")
    row("unsandboxed VM, no limits (baseline)", "\(format(tBare / Double(creations) * 1e6)) µs")

    heading("Lua bridge: a tight Lua loop, sandboxed with limits")
    let loop = "local x = 0 for i = 1, 20000000 do x = x + i % 3 end return x"
    let watched = try LuaVM()  // the default: a timeout, watched from outside, no hook
    var countingConfiguration = LuaVM.Configuration()
    countingConfiguration.instructionLimit = 1 << 40
    let counting = try LuaVM(countingConfiguration)
    let free = try LuaVM(.unsafe)
    let fWatched = try watched.load(loop, chunkName: "loop")
    let fCounting = try counting.load(loop, chunkName: "loop")
    let fFree = try free.load(loop, chunkName: "loop")
    let tWatched = try best(3) { _ = try watched.call(fWatched) }
    let tCounting = try best(3) { _ = try counting.call(fCounting) }
    let tFree = try best(3) { _ = try free.call(fFree) }
    row("no limits, unsandboxed (baseline)", "\(format(tFree * 1e3)) ms")
    row("timeout and memory cap (the default)", "\(format(tWatched * 1e3)) ms", "\(format(tWatched / tFree, 2))x")
    row("with an instruction budget (counting)", "\(format(tCounting * 1e3)) ms", "\(format(tCounting / tFree, 2))x")

    heading("Lua bridge: pattern matching, sandbox matcher vs Lua's own")
    let text = String(repeating: "The quick brown fox jumps over the lazy dog, said Ms. Example. ", count: 40_000)
    let scan = "local s = ... local n = 0 for w in s:gmatch('%a+') do n = n + 1 end return n"
    let fSandbox = try watched.load(scan, chunkName: "scan")
    let fLua = try free.load(scan, chunkName: "scan")
    let tSandboxScan = try best(3) { _ = try watched.call(fSandbox, [.string(text)]) }
    let tLuaScan = try best(3) { _ = try free.call(fLua, [.string(text)]) }
    let megabytes = Double(text.utf8.count) / 1e6
    row("Lua's string.gmatch (baseline)", "\(format(megabytes / tLuaScan)) MB/s")
    row(
        "sandbox string.gmatch (step-counted)", "\(format(megabytes / tSandboxScan)) MB/s",
        "\(format(tSandboxScan / tLuaScan, 2))x the time")
}

// `QuarryBench` runs every section; `QuarryBench batch plugins` only those named.
let wanted = Set(CommandLine.arguments.dropFirst())
func selected(_ name: String) -> Bool { wanted.isEmpty || wanted.contains(name) }

print("Quarry benchmarks (release build; best of several runs)")
if selected("bridge") { try benchBridge() }
if selected("readers") { try benchReaders() }
if let texts = BenchCorpus.texts() {
    if selected("analysis") { try benchAnalysis(texts) }
    if selected("lua-api") { try benchLuaAPI(texts) }
    if selected("batch") { try benchBatch(texts) }
    if selected("idioms") { try benchIdioms(texts) }
    if selected("scale") { try benchScale(texts) }
    if selected("plugins") {
        try benchStandardPlugins(texts)
        try benchStandardRun(texts)
    }
    if selected("report") { try benchReport() }
} else {
    print(
        "\n(the news corpus is not at ../shared/corpus/reuters21578.jsonl nor QUARRY_CORPUS: corpus benchmarks skipped)"
    )
}
