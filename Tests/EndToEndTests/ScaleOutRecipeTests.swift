// The recipes of docs/scale-out.md, run as written: the Slurm array script (each task as Slurm
// starts it, with SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT) and its merge, and GNU parallel
// (when installed), on a project whose plugin is pinned in quarry.lock — the merged outputs are the
// bytes of one run. The Kubernetes manifest is checked for the same shard contract.
import Foundation
import QuarryTestSupport
import Testing

@Suite struct ScaleOutRecipeTests {
    static let recipes = TestSupport.repositoryRoot.appendingPathComponent("docs/scale-out")

    /// A project with one plugin installed from a package folder (so quarry.lock pins it), a corpus,
    /// and the outputs of one plain run to compare with.
    func project() throws -> (project: URL, corpus: URL, single: URL) {
        let work = try TestSupport.temporaryFolder()
        let package = work.appendingPathComponent("package/wordcount")
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        try """
        -- Counts the words of each document; finish writes a table of every document's count.
        return {
          name = "wordcount", version = "1.0.0", kind = "report", categories = {"default"},
          description = "Counts words.",
          process = function(doc, ctx)
            local n = 0
            for _ in doc.tokens:each{kind = "word"} do n = n + 1 end
            ctx:emit({id = doc.id, n = n})
          end,
          finish = function(records, ctx)
            local lines, total = {}, 0
            for r in records do
              lines[#lines + 1] = r.id .. "\\t" .. r.n
              total = total + r.n
            end
            ctx:write("wordcount.tsv", table.concat(lines, "\\n") .. "\\ntotal\\t" .. total .. "\\n")
          end,
        }
        """.write(to: package.appendingPathComponent("init.lua"), atomically: true, encoding: .utf8)
        let project = work.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        let install = try TestSupport.quarry(
            ["plugins", "install", package.path, "--yes"], currentDirectory: project, timeout: 120)
        #expect(install.status == 0, "\(install.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.appendingPathComponent("quarry.lock").path))
        var files: [String: String] = [:]
        for n in 1...25 {
            files["story\(n).txt"] = "Story \(n). " + String(repeating: "The port reopened. ", count: n % 6 + 1)
        }
        files["wire.jsonl"] = (1...8).map { #"{"text": "Wire item \#($0) from the harbour desk."}"# }.joined(
            separator: "\n")
        let corpus = try TestSupport.folder(with: files)
        let single = work.appendingPathComponent("single")
        let run = try TestSupport.quarry(
            ["run", corpus.path, "--locked", "--out", single.path, "--quiet"], currentDirectory: project, timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        return (project, corpus, single)
    }

    var path: String {
        TestSupport.quarryBinary.deletingLastPathComponent().path + ":"
            + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }

    func expectSame(_ single: URL, _ merged: URL) {
        for file in ["results.jsonl", "errors.jsonl", "wordcount.tsv"] {
            let a = FileManager.default.contents(atPath: single.appendingPathComponent(file).path)
            let b = FileManager.default.contents(atPath: merged.appendingPathComponent(file).path)
            #expect(a != nil && a == b, "\(file) differs")
        }
    }

    @Test func theSlurmArrayRecipe() throws {
        let (project, corpus, single) = try project()
        let env = ["PATH": path, "PROJECT": project.path, "CORPUS": corpus.path, "SLURM_ARRAY_TASK_COUNT": "3"]
        for task in [2, 0, 1] {
            var taskEnv = env
            taskEnv["SLURM_ARRAY_TASK_ID"] = "\(task)"
            let result = try TestSupport.run(
                URL(fileURLWithPath: "/bin/bash"), [Self.recipes.appendingPathComponent("slurm-shard.sbatch").path],
                environment: taskEnv, timeout: 120)
            #expect(result.status == 0, "task \(task): \(result.stderr)")
        }
        let merge = try TestSupport.run(
            URL(fileURLWithPath: "/bin/bash"), [Self.recipes.appendingPathComponent("slurm-merge.sbatch").path],
            environment: env, timeout: 120)
        #expect(merge.status == 0, "\(merge.stderr)")
        expectSame(single, project.appendingPathComponent("merged"))
    }

    static var hasParallel: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/parallel") }

    @Test(.enabled(if: hasParallel, "GNU parallel is not installed")) func theGNUParallelRecipe() throws {
        let (project, corpus, single) = try project()
        let result = try TestSupport.run(
            URL(fileURLWithPath: "/bin/bash"),
            [Self.recipes.appendingPathComponent("parallel.sh").path, project.path, corpus.path, "4"],
            environment: ["PATH": path, "HOME": project.path], timeout: 180)
        #expect(result.status == 0, "\(result.stderr)")
        expectSame(single, project.appendingPathComponent("merged"))
    }

    @Test func theKubernetesManifestUsesTheShardContract() throws {
        let text = try String(contentsOf: Self.recipes.appendingPathComponent("indexed-job.yaml"), encoding: .utf8)
        #expect(text.contains("completionMode: Indexed"))
        guard let completions = text.firstMatch(of: /completions: (\d+)/)?.1,
            let shard = text.firstMatch(of: /--shard "\$JOB_COMPLETION_INDEX\/(\d+)"/)?.1
        else {
            Issue.record("the manifest has no completions or --shard \"$JOB_COMPLETION_INDEX/N\"")
            return
        }
        #expect(completions == shard, "as many pods as shards")
        #expect(text.contains("--locked") && text.contains("--resume"))
    }
}
