// The development golds as a regression test: `Scripts/eval.sh` (what `make eval` runs) scores the default
// plugins on the 64 + 14 hand-annotated stories of Tests/Gold/ and fails when a figure drops below its floor in
// Tests/Gold/floors.txt. Skips cleanly when the corpus (research-only, outside the repository) is absent.
import Foundation
import QuarryTestSupport
import Testing

@Suite struct GoldEvalTests {
    static let corpus = TestSupport.repositoryRoot.appendingPathComponent("../shared/corpus/reuters21578.jsonl")
        .standardizedFileURL

    static var hasCorpus: Bool {
        FileManager.default.fileExists(atPath: ProcessInfo.processInfo.environment["QUARRY_CORPUS"] ?? corpus.path)
    }

    @Test(.enabled(if: hasCorpus, "no corpus at ../shared/corpus: the gold's stories are not in the repository"))
    func theDefaultPluginsStayAtOrAboveTheirFloorsOnTheDevelopmentGold() throws {
        let script = TestSupport.repositoryRoot.appendingPathComponent("Scripts/eval.sh")
        let result = try TestSupport.run(
            URL(fileURLWithPath: "/bin/bash"), [script.path, TestSupport.quarryBinary.path],
            timeout: 600)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        // every scoring ran on all 64 stories, and printed its figures
        for name in ["direct-quotes", "direct-quotes-overlap", "indirect-speech", "entities", "dates"] {
            #expect(result.stdout.contains("== \(name) "), "\(result.stdout)")
        }
        // the dates gold has stories of its own, all scored
        #expect(result.stdout.contains("documents: 14 in the gold, 14 scored"), "\(result.stdout)")
        #expect(
            result.stdout.components(separatedBy: "documents: 64 in the gold, 64 scored").count == 5, "\(result.stdout)"
        )
        let pages = TestSupport.repositoryRoot.appendingPathComponent("../shared/html-dev/pages").standardizedFileURL
        if FileManager.default.fileExists(atPath: pages.path) {
            #expect(result.stdout.contains("== html-main "), "\(result.stdout)")
            #expect(result.stdout.contains("mean precision"), "\(result.stdout)")
        }
        let floors = try String(
            contentsOf: TestSupport.repositoryRoot.appendingPathComponent("Tests/Gold/floors.txt"),
            encoding: .utf8)
        #expect(
            floors.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.count >= 8,
            "floors.txt holds a floor for each main figure")
    }

    @Test(.enabled(if: hasCorpus, "no corpus at ../shared/corpus"))
    func aFigureBelowItsFloorFailsTheEval() throws {
        // A floor no system reaches: eval must say so and exit 1 (the floors are real checks).
        let root = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        for folder in ["Scripts", "Tests/Gold"] {
            try fm.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
        }
        try fm.copyItem(
            at: TestSupport.repositoryRoot.appendingPathComponent("Scripts/eval.sh"),
            to: root.appendingPathComponent("Scripts/eval.sh"))
        for gold in ["reuters-dev.jsonl", "reuters-dates-dev.jsonl"] {
            try fm.copyItem(
                at: TestSupport.repositoryRoot.appendingPathComponent("Tests/Gold/\(gold)"),
                to: root.appendingPathComponent("Tests/Gold/\(gold)"))
        }
        try "entities PERSON.f1 0.999\n".write(
            to: root.appendingPathComponent("Tests/Gold/floors.txt"),
            atomically: true, encoding: .utf8)
        let result = try TestSupport.run(
            URL(fileURLWithPath: "/bin/bash"),
            [root.appendingPathComponent("Scripts/eval.sh").path, TestSupport.quarryBinary.path],
            environment: [
                "QUARRY_CORPUS": Self.corpus.path,
                "EVAL_PLUGINS": TestSupport.repositoryRoot.appendingPathComponent("Plugins").path,
            ],
            timeout: 600)
        #expect(result.status == 1, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stderr.contains("below its floor"), "\(result.stderr)")
    }
}
