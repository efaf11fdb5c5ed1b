// End-to-end: HTML main content through the built binary — the warning that names a page with no article,
// and `quarry score --pages` (word 4-gram figures, worst pages, floors, bad input) on pages made at test time.
import Foundation
import QuarryTestSupport
import Testing

private let mainFixtures = TestSupport.repositoryRoot.appendingPathComponent("Tests/ReadersTests/Fixtures/html/main")

@Suite struct MainContentTests {
    @Test func aPageWithNoArticleIsNamedInTheWarning() throws {
        let page = mainFixtures.appendingPathComponent("login-wall.html").path
        let r = try TestSupport.quarry(["inspect", page])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: \(page): main-content extraction found no article"), "\(r.stderr)")
        #expect(!r.stdout.contains("Markets"))
        let whole = try TestSupport.quarry(["inspect", "--html-main", "off", page])
        #expect(whole.stdout.contains("Markets"))
        #expect(!whole.stderr.contains("no article"))
    }

    @Test func scorePagesPrintsMeansWorstPagesAndChecksFloors() throws {
        let root = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let fm = FileManager.default
        // "ferry": the furniture fixture against its article paragraphs; "wall": a login wall whose
        // reference is a story the page does not hold (F1 0).
        let ferry = root.appendingPathComponent("ferry"), wall = root.appendingPathComponent("wall")
        for folder in [ferry, wall] { try fm.createDirectory(at: folder, withIntermediateDirectories: true) }
        try fm.copyItem(
            at: mainFixtures.appendingPathComponent("furniture.html"), to: ferry.appendingPathComponent("source.html"))
        try """
        <div><h1>Ferry timetable cut again as crews run short</h1>
        <p>The estuary ferry will run every forty minutes instead of every twenty from Monday, the operator said,
        because it cannot find enough qualified deckhands to crew both boats through the winter months.</p></div>
        """.write(to: ferry.appendingPathComponent("expected.html"), atomically: true, encoding: .utf8)
        try fm.copyItem(
            at: mainFixtures.appendingPathComponent("login-wall.html"), to: wall.appendingPathComponent("source.html"))
        try "<p>A story behind the wall, which the page does not show to anyone.</p>".write(
            to: wall.appendingPathComponent("expected.html"), atomically: true, encoding: .utf8)
        try fm.createDirectory(at: root.appendingPathComponent("stray"), withIntermediateDirectories: true)

        // ferry: recall below 1 only for the grams across the heading and the paragraph, which the kept
        // caption separates; wall: 0. The mean is just under 0.5.
        let r = try TestSupport.quarry(["score", "--pages", root.path, "--min", "recall=0.4"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("pages 2, word 4-grams"), "\(r.stdout)")
        #expect(r.stdout.contains("lowest F1 0.000 (wall)"), "\(r.stdout)")
        #expect(r.stdout.contains("worst pages:\n  wall "), "\(r.stdout)")
        #expect(r.stderr.contains("stray: no source.html and expected.html"), "\(r.stderr)")

        let floor = try TestSupport.quarry(["score", "--pages", root.path, "--min", "min.f1=0.5", "--json"])
        #expect(floor.status == 1)
        #expect(floor.stderr.contains("floor not met: min.f1 is 0.000, below 0.5"), "\(floor.stderr)")
        let json = try #require(JSONSerialization.jsonObject(with: Data(floor.stdout.utf8)) as? [String: Any])
        #expect(json["schema"] as? String == "quarry.page-scores/1")
        #expect((json["by_page"] as? [[String: Any]])?.first?["page"] as? String == "wall")

        let bad = try TestSupport.quarry(["score", "--pages", root.path, "--min", "PERSON.f1=0.5"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("min.f1"), "\(bad.stderr)")
        let missing = try TestSupport.quarry(["score", "--pages", root.appendingPathComponent("none").path])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no such folder"), "\(missing.stderr)")
        let both = try TestSupport.quarry(["score", "--pages", root.path, "gold.jsonl", "run"])
        #expect(both.status == 2)
    }
}
