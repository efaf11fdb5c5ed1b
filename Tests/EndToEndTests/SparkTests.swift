// The proof on a real engine: a PySpark job in local[2] over 2,000 stories of ../shared/corpus —
// documents as an RDD, rdd.pipe("quarry map …"), `quarry reduce` over Spark's part files — gives the
// bytes of `quarry run` on the same stories (results, errors and every report). Skips cleanly without
// Java, the PySpark of `make deps-spark` (.venv-spark) or the corpus.
import Foundation
import QuarryTestSupport
import Testing

@Suite struct SparkTests {
    static let root = TestSupport.repositoryRoot
    static let python = root.appendingPathComponent(".venv-spark/bin/python")
    static let corpus = root.appendingPathComponent("../shared/corpus")
    static var hasJava: Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/java")
        }
    }
    static var ready: Bool {
        hasJava && FileManager.default.isExecutableFile(atPath: python.path)
            && FileManager.default.fileExists(atPath: corpus.appendingPathComponent("reuters21578.jsonl").path)
    }

    @Test(.enabled(if: ready, "needs Java and PySpark (make deps-spark) and ../shared/corpus"))
    func sparkPipeThenReduceIsByteIdenticalToRun() throws {
        let work = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: work) }
        let stories = work.appendingPathComponent("stories")
        let explode = try TestSupport.run(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "python3", Self.corpus.appendingPathComponent("explode").path,
                Self.corpus.appendingPathComponent("reuters21578.jsonl").path, stories.path, "2000",
            ], timeout: 120)
        #expect(explode.status == 0, "\(explode.stderr)")
        let plugins = ["--plugins", Self.root.appendingPathComponent("Plugins").path]

        let single = work.appendingPathComponent("single")
        let run = try TestSupport.quarry(
            ["run", stories.path, "--out", single.path, "--quiet"] + plugins, timeout: 600)
        #expect(run.status == 0, "\(run.stderr)")

        let sparkOut = work.appendingPathComponent("spark-out")
        let spark = try TestSupport.run(
            Self.python,
            [
                Self.root.appendingPathComponent("Scripts/spark-map.py").path, TestSupport.quarryBinary.path,
                stories.path, sparkOut.path,
            ] + plugins, timeout: 900)
        #expect(spark.status == 0, "\(spark.stderr.suffix(2000))")
        let parts = try FileManager.default.contentsOfDirectory(atPath: sparkOut.path).filter { $0.hasPrefix("part-") }
            .map { sparkOut.appendingPathComponent($0).path }
        #expect(parts.count > 1, "the documents went through several Spark tasks")

        let reduced = work.appendingPathComponent("reduced")
        let reduce = try TestSupport.quarry(
            ["reduce"] + parts.shuffled() + ["--out", reduced.path, "--quiet"] + plugins, timeout: 600)
        #expect(reduce.status == 0, "\(reduce.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: single.path).filter {
            !["run.json", "run.log"].contains($0)
        }
        #expect(files.contains("results.jsonl") && files.count > 3, "results, errors and the reports: \(files)")
        for file in files {
            let a = FileManager.default.contents(atPath: single.appendingPathComponent(file).path)
            let b = FileManager.default.contents(atPath: reduced.appendingPathComponent(file).path)
            #expect(a != nil && a == b, "\(file) differs between quarry run and Spark + reduce")
        }
    }
}
