// CorpusFeeder and Worker: batching, the order and positions of work items (records of a record
// file spread one per item), stopping, and what a worker makes of each kind of item.
import DocumentModel
import Foundation
import QuarryTestSupport
import Readers
import Testing

@testable import BatchRunner
@testable import PluginHost

@Suite struct FeedAndWorkTests {
    func add(_ batcher: inout WorkBatcher, _ seq: Int, bytes: Int) -> Bool {
        batcher.add(.skipped(seq: seq, path: "p", reason: "r"), bytes: bytes)
    }

    /// How many items the batch taken holds (nil: none).
    func take(_ batcher: inout WorkBatcher) -> Int? { batcher.take()?.count }

    @Test func batchesAreSmallAndHeavyItemsTravelAlone() {
        var batcher = WorkBatcher()
        #expect(take(&batcher) == nil)
        for i in 0..<(WorkBatcher.maxItems - 1) {
            #expect(!add(&batcher, i, bytes: 10))
        }
        #expect(add(&batcher, 99, bytes: 10), "full by count")
        #expect(take(&batcher) == WorkBatcher.maxItems)
        #expect(take(&batcher) == nil, "starts over")
        #expect(add(&batcher, 0, bytes: WorkBatcher.maxBytes), "full by size")
        #expect(take(&batcher) == 1)
    }

    @Test func theFeederNumbersEntriesAndSpreadsRecords() throws {
        let root = try TestSupport.folder(with: [
            "a.txt": "First document.",
            "b.jsonl": #"{"text": "one"}"# + "\n" + #"{"text": "two"}"# + "\n" + #"{"text": "three"}"# + "\n",
            "c.txt": "Last document.",
            "d.jsonl": "",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let control = RunControl()
        var batches: [[WorkItem]] = []
        var parts: [String] = []
        let walked = CorpusFeeder(settings: settings(paths: [root.path])).feed(
            control: control, window: Window(capacity: 100), send: { batches.append($0) },
            parts: { parts.append("\($0):\($1)") })
        #expect(walked == 4)
        #expect(control.walked.load(ordering: .relaxed) == 4)
        #expect(batches.count == 1, "small items travel together")
        let items = batches.flatMap { $0 }
        #expect(items.map { "\($0.position.seq).\($0.position.part)" } == ["0.0", "1.0", "1.1", "1.2", "2.0", "3.0"])
        #expect(items.map(\.knownParts) == [1, nil, nil, nil, 1, nil])
        #expect(parts == ["1:3", "3:1"], "the record files' counts")
        if case .record(_, _, _, .failure(let failure)) = items[5] {
            #expect(failure.message == "the file is empty")
        } else {
            Issue.record("an empty record file is one failed part")
        }
        if case .record(_, _, _, let result) = items[2] {
            #expect(result.document?.text == "two")
        } else {
            Issue.record("not a record")
        }
    }

    @Test func theFeederSendsWhatItHasBeforeWaitingForRoom() throws {
        let root = try TestSupport.folder(with: ["a.txt": "A.", "b.txt": "B.", "c.txt": "C."])
        defer { try? FileManager.default.removeItem(at: root) }
        let window = Window(capacity: 2)
        var batches: [[Int]] = []
        CorpusFeeder(settings: settings(paths: [root.path])).feed(
            control: RunControl(), window: window,
            send: { batch in
                batches.append(batch.map(\.position.seq))
                for _ in batch { window.release() }  // the writer wrote them
            }, parts: { _, _ in })
        #expect(batches == [[0, 1], [2]])
    }

    @Test func aStoppedFeederWalksNoFurther() throws {
        let root = try TestSupport.folder(with: ["a.txt": "A.", "b.txt": "B."])
        defer { try? FileManager.default.removeItem(at: root) }
        let control = RunControl()
        control.requestStop()
        var sent = 0
        let walked = CorpusFeeder(settings: settings(paths: [root.path])).feed(
            control: control, window: Window(capacity: 10),
            send: { sent += $0.count }, parts: { _, _ in })
        #expect(walked == 0)
        #expect(sent == 0)
    }

    // MARK: - Worker

    func lineObject(_ doc: DocOutput) throws -> JSONObject {
        let bytes = try #require(doc.line?.bytes)
        guard case .object(let object) = try JSONParser.parse(bytes: Array(bytes.dropLast())) else {
            throw CocoaError(.coderInvalidValue)
        }
        return object
    }

    @Test func aWorkerProcessesEachKindOfItem() throws {
        let root = try TestSupport.folder(with: ["a.txt": "Hello there, world."])
        defer { try? FileManager.default.removeItem(at: root) }
        let plugin = manifest(
            "counter",
            source: """
                return {name = "counter", version = "1.0.0", kind = "extract",
                  process = function(doc, ctx) doc:set("tokens", #doc.tokens); ctx:emit({id = doc.id}) end}
                """)
        let worker = try Worker(
            index: 0, settings: settings(plugins: [plugin]), reuse: ReuseIndex(), control: RunControl(),
            log: { _, _, _ in })
        let path = root.appendingPathComponent("a.txt").path

        let processed = worker.output(for: .entry(seq: 3, CorpusEntry(id: "a.txt", path: path)))
        #expect(processed.position == InputPosition(seq: 3, part: 0))
        #expect(processed.parts == 1)
        let doc = try #require(processed.docs.first)
        #expect(doc.bytes == 19)
        #expect(doc.seconds.keys.sorted() == ["counter"])
        #expect(doc.line?.status == .ok)
        #expect(doc.line?.records.map(\.plugin) == ["counter"])
        let object = try lineObject(doc)
        #expect(object["features"] == ["tokens": 5])
        #expect(object["plugins"] == ["counter": "ok"])

        let skipped = worker.output(for: .skipped(seq: 4, path: "big.txt", reason: "too large"))
        #expect(skipped.docs.map(\.skipped) == [true])
        #expect(
            try lineObject(skipped.docs[0]) == [
                "id": "big.txt", "path": "big.txt", "status": "skipped", "reason": "too large",
            ])

        let unreadable = worker.output(for: .failure(seq: 5, path: "locked.txt", message: "permission denied"))
        #expect(unreadable.docs.first?.line?.status == .failed)
        #expect(
            try lineObject(unreadable.docs[0])["errors"] == [
                [
                    "plugin": nil, "phase": "read", "kind": "reader",
                    "message": "permission denied", "location": nil,
                ]
            ])
        #expect(
            unreadable.docs[0].line.map { String(decoding: $0.errorBytes, as: UTF8.self) }
                == #"{"document":"locked.txt","path":"locked.txt","plugin":null,"phase":"read","kind":"reader","message":"permission denied","location":null}"#
                + "\n")

        let record = worker.output(
            for: .record(seq: 6, part: 2, corpusPart: 2, .document(Document(id: "r#3", text: "Rec."))))
        #expect(record.position == InputPosition(seq: 6, part: 2))
        #expect(record.parts == nil, "the feeder tells the count")
    }

    @Test func aWorkerReusesWhatTheEarlierRunDidAndDrainsAfterAStop() throws {
        var document = Document(id: "a", text: "Same text.")
        document.metadata.sha256 = "sha-a"
        let folder = try freshFolder()
        try folder.append(results: ResultEncoder.bytes(resultLine("a")), errors: [])
        folder.close()
        let control = RunControl()
        let worker = try Worker(
            index: 0, settings: settings(), reuse: ReuseIndex(try folder.keptLines()), control: control,
            log: { _, _, _ in })
        let reused = worker.output(for: .record(seq: 0, part: 0, corpusPart: 0, .document(document)))
        #expect(reused.docs.count == 1)
        #expect(reused.docs[0].reused && reused.docs[0].line == nil)
        #expect(reused.docs[0].bytes == 10)

        control.stopEverything()
        let drained = worker.output(for: .entry(seq: 1, CorpusEntry(id: "x", path: "/nonexistent")))
        #expect(drained.docs.isEmpty)
        #expect(drained.position == InputPosition(seq: 1, part: 0) && drained.parts == 1, "still takes its place")
    }
}

/// Shards: a stable key hash, the parsing of I/N, and a feeder that takes a shard's documents only.
@Suite struct ShardTests {
    @Test func theHashIsFNV1aAndStable() {
        // FNV-1a 64 of "" is the offset basis; of "a", the published value.
        #expect(Shard.stableHash("") == 0xcbf2_9ce4_8422_2325)
        #expect(Shard.stableHash("a") == 0xaf63_dc4c_8601_ec8c)
    }

    @Test func everyKeyIsInExactlyOneShard() {
        for count in 1...5 {
            for n in 0..<200 {
                let key = "doc-\(n)"
                #expect((0..<count).filter { Shard(index: $0, count: count).holds(key) }.count == 1)
            }
        }
    }

    @Test func parsing() {
        #expect(Shard(parsing: "0/1") == Shard(index: 0, count: 1))
        #expect(Shard(parsing: "2/3") == Shard(index: 2, count: 3))
        for bad in ["3/3", "1", "/2", "1/", "a/2", "-1/2", "0/0", "1/2/3"] {
            #expect(Shard(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func theFeederTakesTheShardsDocumentsAndTellsTheOthersAsEmpty() throws {
        let root = try TestSupport.folder(with: [
            "a.txt": "First.",
            "b.jsonl": (1...6).map { #"{"id": "r\#($0)", "text": "t\#($0)"}"# }.joined(separator: "\n"),
            "c.txt": "Last.",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        var seen: [String] = []
        for index in 0..<2 {
            var run = settings(paths: [root.path])
            run.shard = Shard(index: index, count: 2)
            var items: [WorkItem] = []
            var parts: [Int: Int] = [:]
            CorpusFeeder(settings: run).feed(
                control: RunControl(), window: Window(capacity: 100), send: { items += $0 },
                parts: { parts[$0] = $1 })
            for item in items {
                switch item {
                case .entry(_, let entry): seen.append(entry.id)
                case .record(let seq, let part, let corpusPart, let result):
                    #expect(seq == 1)
                    #expect(result.id == "b.jsonl#\(corpusPart + 1)", "the record keeps its place in the file")
                    #expect(part < (parts[1] ?? 0), "parts are numbered within the shard")
                    seen.append(result.id)
                default: Issue.record("unexpected \(item)")
                }
            }
            #expect(
                parts[1] == (1...6).filter { Shard(index: index, count: 2).holds("b.jsonl#\($0)") }.count)
        }
        #expect(seen.sorted() == ["a.txt"] + (1...6).map { "b.jsonl#\($0)" } + ["c.txt"])
    }
}
