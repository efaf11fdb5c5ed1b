// ProfileReport: what `quarry run --profile` writes — the Lua stacks the workers and finishes sampled (about
// every 4 ms of a plugin call), as profile.folded (one line per distinct stack and its count: flame-graph
// tools and speedscope read it) and profile.txt (time by plugin and phase, then the Lua functions by self
// and total time, with file:line).
import Foundation

/// The samples of a run, counted.
struct ProfileReport {
    /// Each distinct stack ("plugin/phase;outer;...;inner") and how often it was sampled.
    private(set) var stacks: [String: Int] = [:]
    private(set) var total = 0

    /// Counts folded lines (one sample a line), as LuaVM.takeProfileSamples gives them.
    mutating func add(_ bytes: [UInt8]) {
        for line in bytes.split(separator: 10) where !line.isEmpty {
            stacks[String(decoding: line, as: UTF8.self), default: 0] += 1
            total += 1
        }
    }

    /// profile.folded: "stack count" lines, most sampled first.
    var folded: String {
        stacks.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.key) \($0.value)\n" }.joined()
    }

    /// profile.txt.
    func text(partial: String?, measured: [(plugin: String, seconds: Double)]) -> String {
        var out =
            "Quarry profile: \(total) sample\(total == 1 ? "" : "s") of the running Lua code, about one every 4 ms "
        out += "of a plugin call (profile.folded has every stack, for flame-graph tools and speedscope).\n"
        if let partial { out += "PARTIAL: \(partial); the samples cover the run up to there.\n" }
        guard total > 0 else {
            return out + "\nNo samples: the plugins ran for less than a sampling interval, or the run had none.\n"
        }
        var byPhase: [String: Int] = [:]
        var selfCount: [String: Int] = [:]
        var totalCount: [String: Int] = [:]
        for (stack, count) in stacks {
            let frames = stack.split(separator: ";").map(String.init)
            byPhase[frames[0], default: 0] += count
            guard frames.count > 1 else { continue }
            selfCount[frames[frames.count - 1], default: 0] += count
            for frame in Set(frames.dropFirst()) { totalCount[frame, default: 0] += count }
        }
        func percent(_ n: Int) -> String { String(format: "%5.1f%%", 100 * Double(n) / Double(total)) }
        func ranked(_ counts: [String: Int]) -> [(String, Int)] {
            counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map {
                ($0.key, $0.value)
            }
        }
        out += "\nSamples by plugin and phase\n"
        for (phase, count) in ranked(byPhase) { out += "  \(percent(count))  \(phase)\n" }
        if !measured.isEmpty {
            out += "\nTime by plugin, measured (process, all documents, all workers)\n"
            for (plugin, seconds) in measured { out += "  \(String(format: "%8.2f s", seconds))  \(plugin)\n" }
        }
        out += """

            How to read it: a sample is taken when Lua code runs, so time inside the API's own functions (marked
            [C]: doc:find, doc:match, doc:annotate...) is counted at the first Lua code that runs after them: the
            frame above a [C] frame (for doc:find and doc:match the prelude's `iterate`, which hands out their
            matches) stands for the work of the [C] function below it. Functions are named as Lua knows them
            ("(function)" for one stored in a table field, such as a plugin's process) and by where they are
            defined.

            """
        out += "\nLua functions by self time (sampled while the function itself ran)\n"
        out += "   self   total  function and where it is defined\n"
        for (frame, count) in ranked(selfCount).prefix(40) {
            out += "  \(percent(count)) \(percent(totalCount[frame] ?? count))  \(frame)\n"
        }
        out += "\nLua functions by total time (sampled while the function was on the stack)\n"
        out += "  total    self  function and where it is defined\n"
        for (frame, count) in ranked(totalCount).prefix(40) {
            out += "  \(percent(count)) \(percent(selfCount[frame] ?? 0))  \(frame)\n"
        }
        return out
    }

    /// Writes profile.txt and profile.folded into the run's folder.
    func write(to folder: String, partial: String?, measured: [(plugin: String, seconds: Double)]) throws {
        let base = URL(fileURLWithPath: folder)
        try Data(text(partial: partial, measured: measured).utf8).write(to: base.appendingPathComponent("profile.txt"))
        try Data(folded.utf8).write(to: base.appendingPathComponent("profile.folded"))
    }
}
