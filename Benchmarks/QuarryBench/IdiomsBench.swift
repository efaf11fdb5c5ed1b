// `make bench SECTIONS=idioms`: what plugin authors write, measured. Each task is a plugin written the
// natural way (ipairs over a view, fields read per item), run by the release `quarry run --jobs 2` over the
// news corpus as one file per story, against the same work in standalone lua5.4 on the same files (one
// process, one core) and against the API's fast path for it, in the same run.
import Foundation

/// One task: the natural plugin, its fast-path plugin (nil when there is none) and the standalone script.
private struct Idiom {
    let name: String
    let natural: String
    let fast: String?
    let standalone: String
}

/// The standalone script's frame: reads every file named in arg[1] as `s` and runs the task's body on it.
private func standaloneScript(_ body: String) -> String {
    """
    local result = {}
    for path in io.lines(arg[1]) do
      local f = assert(io.open(path, "rb")) local s = f:read("a") f:close()
    \(body)
    end
    """
}

/// A plugin file with one process function.
private func plugin(_ name: String, _ body: String) -> String {
    """
    return {
      name = "\(name)", categories = {"\(name)"}, description = "A benchmark idiom.",
      process = function(doc, ctx)
    \(body)
      end,
    }
    """
}

private let idioms: [Idiom] = [
    Idiom(
        name: "word frequencies",
        natural: """
                local counts, total = {}, 0
                for _, t in ipairs(doc.tokens) do
                  if t.kind == "word" then counts[t.norm] = (counts[t.norm] or 0) + 1; total = total + 1 end
                end
                doc:set("words", total)
            """,
        fast: """
                local terms, counts, total = doc:frequencies{kind = "word"}
                doc:set("words", total)
            """,
        standalone: """
              local counts = {}
              for w in s:lower():gmatch("%a+") do counts[w] = (counts[w] or 0) + 1 end
            """),
    Idiom(
        name: "sentence lengths",
        natural: """
                local lengths = {}
                for _, s in ipairs(doc.sentences) do
                  local n = 0
                  for _, t in ipairs(s:tokens()) do if t.kind == "word" then n = n + 1 end end
                  lengths[#lengths + 1] = n
                end
                doc:set("sentences", #lengths)
            """,
        fast: """
                local lengths = {}
                for s in doc.sentences:each() do
                  local n = 0
                  for _ in s:tokens():each{kind = "word"} do n = n + 1 end
                  lengths[#lengths + 1] = n
                end
                doc:set("sentences", #lengths)
            """,
        standalone: """
              local lengths = {}
              for sentence in s:gmatch("[^%.!?]+") do
                local n = 0
                for _ in sentence:gmatch("%a+") do n = n + 1 end
                lengths[#lengths + 1] = n
              end
            """),
    Idiom(
        name: "capitalised runs",
        natural: """
                local runs, current = {}, {}
                for _, t in ipairs(doc.tokens) do
                  if t.kind == "word" and t.capitalized then
                    current[#current + 1] = t.text
                  else
                    if #current > 1 then runs[#runs + 1] = table.concat(current, " ") end
                    current = {}
                  end
                end
                doc:set("runs", #runs)
            """,
        fast: """
                local runs = {}
                for m in doc:find([[\\p{Lu}\\p{Ll}+(?:\\s+\\p{Lu}\\p{Ll}+)+]]) do runs[#runs + 1] = m.text end
                doc:set("runs", #runs)
            """,
        standalone: """
              local runs = {}
              for run in s:gmatch("%u%l+[ \\t]+%u%l+[%u%l \\t]*") do runs[#runs + 1] = run end
            """),
    Idiom(
        name: "quotation contexts",
        natural: """
                local lines = {}
                for _, q in ipairs(doc.quotes) do lines[#lines + 1] = q:context(5) end
                doc:set("quotes", #lines)
            """,
        fast: nil,
        standalone: """
              local lines = {}
              for at, quote in s:gmatch('()"([^"]*)"') do
                lines[#lines + 1] = s:sub(math.max(1, at - 40), at - 1) .. quote
              end
            """),
    Idiom(
        name: "annotations read back",
        natural: """
                for _, t in ipairs(doc.tokens) do
                  if t.kind == "number" then doc:annotate("NUMBER", t, {value = tonumber(t.text)}) end
                end
                local total = 0
                for _, a in ipairs(doc:annotations{type = "NUMBER"}) do total = total + (a.features.value or 0) end
                doc:set("total", total)
            """,
        fast: """
                for m in doc:find([[\\d+(?:\\.\\d+)?]]) do doc:annotate("NUMBER", m, {value = tonumber(m.text)}) end
                local total = 0
                for _, a in ipairs(doc:annotations{type = "NUMBER"}) do total = total + (a.features.value or 0) end
                doc:set("total", total)
            """,
        standalone: """
              local found = {}
              for number in s:gmatch("%d+%.?%d*") do found[#found + 1] = {value = tonumber(number)} end
              local total = 0
              for _, a in ipairs(found) do total = total + (a.value or 0) end
            """),
]

/// The wall time of standalone lua5.4 running a script over the files listed in `list` (best of 3), or nil
/// without lua5.4.
func standaloneLuaTime(script: URL, list: URL) throws -> Double? {
    guard
        let lua = ["/usr/bin/lua5.4", "/usr/local/bin/lua5.4"].first(where: {
            FileManager.default.isExecutableFile(atPath: $0)
        })
    else { return nil }
    return try best(3) { _ = try measuredRun(lua, [script.path, list.path]) }
}

func benchIdioms(_ texts: [String]) throws {
    heading("Idioms: plugins written the natural way, quarry run --jobs 2, one file per story")
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
        "quarry")
    guard FileManager.default.isExecutableFile(atPath: executable.path) else {
        row("quarry", "not built in release (make bench builds it)")
        return
    }
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("quarry-idioms-\(getpid())")
    defer { try? FileManager.default.removeItem(at: root) }
    let files = root.appendingPathComponent("corpus")
    let plugins = root.appendingPathComponent("plugins")
    for folder in [files, plugins] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    var list = ""
    for (i, text) in texts.enumerated() {
        let file = files.appendingPathComponent(String(format: "%05d.txt", i))
        try Data(text.utf8).write(to: file)
        list += file.path + "\n"
    }
    let listFile = root.appendingPathComponent("files.txt")
    try Data(list.utf8).write(to: listFile)
    let megabytes = Double(texts.reduce(0) { $0 + $1.utf8.count }) / 1e6
    row("corpus", "\(texts.count) files, \(format(megabytes)) MB")

    func quarry(_ select: String) throws -> Double {
        let out = root.appendingPathComponent("out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        return try (0..<2).map { _ in
            try measuredRun(
                executable.path,
                [
                    "run", files.path, "--plugins", plugins.path, "--select", select, "--jobs", "2", "--out", out.path,
                    "--quiet", "--force",
                ])
        }.min()!
    }

    try Data(plugin("noop", "").utf8).write(to: plugins.appendingPathComponent("noop.lua"))
    let tNoop = try quarry("noop")
    row("quarry run, a plugin that does nothing", "\(format(tNoop, 2)) s", "reading, analysis and the host")
    for (k, idiom) in idioms.enumerated() {
        let natural = "natural-\(k)"
        try Data(plugin(natural, idiom.natural).utf8).write(to: plugins.appendingPathComponent("\(natural).lua"))
        let script = root.appendingPathComponent("standalone-\(k).lua")
        try Data(standaloneScript(idiom.standalone).utf8).write(to: script)
        let tNatural = try quarry(natural)
        let tLua = try standaloneLuaTime(script: script, list: listFile)
        print("  \(idiom.name)")
        if let tLua {
            row("    standalone lua5.4, one core", "\(format(tLua, 2)) s")
        }
        let ratio = tLua.map { "\(format(tNatural / $0, 2))x standalone lua5.4" } ?? "no lua5.4 to compare"
        let target = k == 0 ? " (target <= 1.0x)" : ""
        row("    natural plugin", "\(format(tNatural, 2)) s", ratio + target)
        if let fast = idiom.fast {
            let name = "fast-\(k)"
            try Data(plugin(name, fast).utf8).write(to: plugins.appendingPathComponent("\(name).lua"))
            let tFast = try quarry(name)
            row(
                "    the API's fast path", "\(format(tFast, 2)) s",
                "natural / fast: \(format(tNatural / tFast, 2))x")
        }
    }
}
