// Benchmarks of the Lua API: a plugin-style loop over every token (vs standalone lua5.4 over
// string.gmatch on the same text), regular expressions, and 10 vs 10,000 phrases.
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import TextAnalysis

func benchLuaAPI(_ texts: [String]) throws {
    let text = BenchCorpus.document(of: 5_000_000, from: texts)
    let megabytes = Double(text.utf8.count) / 1e6
    let document = try Analyzer.analyze(text: text, id: "bench")
    heading("Lua API on a \(format(megabytes)) MB document (\(document.tokens.count) tokens)")

    func session(_ configuration: LuaVM.Configuration) throws -> ScriptSession {
        let s = try ScriptSession(configuration: configuration, name: "bench", folder: nil)
        try s.bind(document)
        return s
    }
    let loop = """
        local n = 0
        for i, t in ipairs(doc.tokens) do if t.kind == "word" then n = n + 1 end end
        return n
        """
    let each = """
        local n = 0
        for t in doc.tokens:each() do if t.kind == "word" then n = n + 1 end end
        return n
        """
    for (label, configuration) in [
        ("sandbox, limits on (default)", LuaVM.Configuration()), ("unsafe, no limits", LuaVM.Configuration.unsafe),
    ] {
        let s = try session(configuration)
        for (idiom, source) in [("ipairs(doc.tokens)", loop), ("doc.tokens:each()", each)] {
            let f = try s.compileSnippet(source, chunkName: "loop")
            let t = try best(3) { _ = try s.run(f) }
            row(
                "\(idiom), \(label)", "\(format(Double(document.tokens.count) / t / 1e6, 1)) M tokens/s",
                "target >= 10 M tokens/s")
        }
    }

    // Baseline: standalone Lua counting words with string.gmatch over the same text.
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-bench-\(getpid())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let textFile = folder.appendingPathComponent("text.txt")
    try Data(text.utf8).write(to: textFile)
    let script = folder.appendingPathComponent("count.lua")
    try Data(
        """
        local f = assert(io.open(arg[1], "rb")) local s = f:read("a") f:close()
        local best = math.huge
        for r = 1, 3 do
          local c = os.clock() local n = 0
          for w in s:gmatch("%a+") do n = n + 1 end
          best = math.min(best, os.clock() - c)
        end
        print(best)
        """.utf8
    ).write(to: script)
    if let lua = ["/usr/bin/lua5.4", "/usr/local/bin/lua5.4"].first(where: {
        FileManager.default.isExecutableFile(atPath: $0)
    }) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lua)
        process.arguments = [script.path, textFile.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        if let seconds = Double(output.trimmingCharacters(in: .whitespacesAndNewlines)) {
            row(
                "baseline: lua5.4, string.gmatch('%a+') words",
                "\(format(Double(document.tokens.count) / seconds / 1e6, 1)) M tokens/s",
                "(same text; counts the tokens Quarry made)")
        }
    } else {
        row("baseline: lua5.4", "not installed (make deps installs it)")
    }

    let s = try session(LuaVM.Configuration())
    let regex = try s.compileSnippet(
        "local n = 0 for m in doc:find([[\\b[A-Z][a-z]+\\b]]) do n = n + 1 end return n", chunkName: "regex")
    var matches: [LuaValue] = []
    let tRegex = try best(3) { matches = try s.run(regex) }
    row(
        "doc:find, capitalized words", "\(format(megabytes / tRegex)) MB/s",
        "\(matches.first?.description ?? "?") matches; target >= 50 MB/s")

    // Phrases: the same 10 frequent bigrams in both lists, the larger padded with 9,990 name-like
    // phrases (corpus words paired at random), as a gazetteer is: matches stay comparable, so the
    // figures show the cost of the list's size.
    let words = text.split(whereSeparator: { !$0.isLetter }).prefix(200_000).map(String.init)
    var counts: [String: Int] = [:]
    for i in 0..<(words.count - 1) { counts[words[i] + " " + words[i + 1], default: 0] += 1 }
    let frequent = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(10).map(
        \.key)
    var generator = SystemRandomNumberGenerator()
    var padded = Set(frequent)
    while padded.count < 10_000 {
        padded.insert(
            words[Int.random(in: 0..<words.count, using: &generator)].capitalized + " "
                + words[Int.random(in: 0..<words.count, using: &generator)].capitalized)
    }
    let small = LuaValue.array(frequent.map { .string($0) })
    let large = LuaValue.array(frequent.map { .string($0) } + padded.subtracting(frequent).sorted().map { .string($0) })
    for (label, list) in [("10 phrases", small), ("10,000 phrases", large)] {
        let compile = try s.compileSnippet("local list = ... return quarry.phrases(list)", chunkName: "phrases")
        let f = try s.compileSnippet(
            "local list = ... local p = quarry.phrases(list) local n = 0 for m in doc:match(p) do n = n + 1 end return n",
            chunkName: "match")
        let tCompile = try best(3) { _ = try s.vm.call(compile, [list], lenient: true) }
        var found: [LuaValue] = []
        let t = try best(3) { found = try s.vm.call(f, [list]) } - tCompile
        row(
            "doc:match, \(label)", "\(format(megabytes / t)) MB/s",
            "\(found.first?.description ?? "?") matches; compile \(format(tCompile * 1e3)) ms; target >= 50 MB/s")
    }
}
