// Finish at scale: the record spool keeps records in memory while few and on disk past its limit, and
// gives them back in input order either way; finish reads them as a table (loaded on first use, up to
// a limit, with a clear error past it) or as an iterator (`for r in records do`), which has no limit.
import DocumentModel
import Foundation
import QuarryTestSupport
import Testing

@testable import BatchRunner
@testable import PluginHost

@Suite struct RecordSpoolTests {
    func chunks(_ count: Int) -> [(String, [UInt8])] {
        (0..<count).map { n in (n % 3 == 0 ? "a" : "b", Array("[{\"n\":\(n)},\(n)]".utf8)) }
    }

    func readAll(_ source: RecordSource) throws -> [[UInt8]] {
        let next = try source.open()
        var out: [[UInt8]] = []
        while let chunk = try next() { out.append(chunk) }
        return out
    }

    @Test(arguments: [1 << 30, 64]) func recordsComeBackInOrderFromMemoryOrDisk(limit: Int) throws {
        let spool = RecordSpool(memoryLimit: limit)
        let input = chunks(500)
        for (plugin, json) in input { try spool.add(plugin, json) }
        #expect(spool.spilled == (limit < 1000))
        let sources = try spool.sources()
        for plugin in ["a", "b"] {
            let expected = input.filter { $0.0 == plugin }.map(\.1)
            let source = try #require(sources[plugin])
            #expect(try readAll(source) == expected)
            #expect(try readAll(source) == expected, "read again from the start")
            #expect(source.bytes == expected.reduce(0) { $0 + $1.count })
        }
        spool.removeFiles()
    }

    @Test func chunksWeighWhatTheyHoldNotWhatTheirJSONNeeds() throws {
        // Records read back from map lines are written by a JSONWriter: a few bytes in 256 of capacity.
        func chunk(_ n: Int) -> [UInt8] {
            var writer = JSONWriter()
            writer.value(.array([.int(n)]))
            return writer.bytes
        }
        let spool = RecordSpool(memoryLimit: 30 * (256 + RecordSpool.chunkOverhead))
        for n in 0..<20 { try spool.add("a", chunk(n)) }
        #expect(!spool.spilled)
        for n in 20..<40 { try spool.add("a", chunk(n)) }
        #expect(spool.spilled, "40 chunks of 256 bytes are past the limit, whatever their JSON's length")
        let source = try #require(try spool.sources()["a"])
        #expect(try readAll(source) == (0..<40).map(chunk))
        spool.removeFiles()
    }

    /// A finish that reads its records both ways and writes what it saw.
    func finish(_ body: String, chunks: [[UInt8]], limit: Int) throws -> (String?, [PluginFailure]) {
        let out = try TestSupport.temporaryFolder()
        let plugin = manifest(
            "summer", source: "return { finish = function(records, ctx)\n\(body)\nend }", kind: .report,
            hasProcess: false, hasFinish: true)
        var settings = PluginSet.Settings(outputFolder: out.path)
        settings.recordsTableLimit = limit
        let set = try PluginSet(plugins: [plugin], options: [:], settings: settings)
        let failures = set.finish(sources: ["summer": .chunks(chunks)])
        let text = try? String(contentsOf: out.appendingPathComponent("out.txt"), encoding: .utf8)
        return (text, failures)
    }

    @Test func finishTakesRecordsAsAnIteratorOrATable() throws {
        let input = (0..<40).map { n in Array("[{\"n\":\(2 * n)},{\"n\":\(2 * n + 1)}]".utf8) }
        let both = """
            local sum, count = 0, 0
            for r in records do sum = sum + r.n; count = count + 1 end
            local again = 0
            for r in records do again = again + 1 end
            local firsts = {}
            for i, r in ipairs(records) do if i <= 3 then firsts[#firsts + 1] = r.n end end
            local keys = 0
            for _ in pairs(records) do keys = keys + 1 end
            ctx:write("out.txt", table.concat({sum, count, again, #records, records[80].n, table.concat(firsts, ","), keys}, " "))
            """
        let (text, failures) = try finish(both, chunks: input, limit: 1 << 20)
        #expect(failures.isEmpty, "\(failures.map(\.message))")
        #expect(text == "3160 80 80 80 79 0,1,2 80")

        let iterator = """
            local sum = 0
            for r in records do sum = sum + r.n end
            ctx:write("out.txt", tostring(sum))
            """
        let (small, none) = try finish(iterator, chunks: input, limit: 10)
        #expect(none.isEmpty && small == "3160", "the iterator has no size limit")

        let table = "ctx:write(\"out.txt\", tostring(#records))"
        let (nothing, refused) = try finish(table, chunks: input, limit: 10)
        #expect(nothing == nil)
        #expect(refused.count == 1)
        #expect(refused.first?.message.contains("too many to load as a table") == true, "\(refused.map(\.message))")
        #expect(refused.first?.message.contains("for r in records do") == true)

        let (empty, fine) = try finish(
            "local n = 0\nfor r in records do n = n + 1 end\nctx:write(\"out.txt\", n .. \" \" .. #records)",
            chunks: [],
            limit: 10)
        #expect(fine.isEmpty && empty == "0 0")
    }
}
