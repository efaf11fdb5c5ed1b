// Team registries end to end through the built binary, the README's "Sharing plugins" story: Ana
// publishes to a registry folder (and a git registry), Ben searches, installs NAME@^1.0 with what it
// requires, runs with `--select NAME+`, sees a new version in `outdated`, updates within his constraint;
// a third machine restores Ben's lock to the same bytes. Then bad input: a changed published version,
// a malformed index, an unknown registry or plugin, no version that fits, a version needing a newer
// Lua API, a requirement conflict, a tampered archive; and declared `writes` enforced at run time.
import Foundation
import QuarryTestSupport
import Testing

@Suite(.serialized) struct RegistryTests {
    typealias Machine = SharingTests.Machine

    /// A report plugin that requires `tally` and writes its brief.
    static func brief(version: String, requires: String = "tally >= 1.0", heading: String = "Brief") -> [String: String]
    {
        [
            "weekly-brief/init.lua": """
            return {
              name = "weekly-brief", version = "\(version)", kind = "report", categories = {"report"},
              description = "Who said what this week", author = "Ana",
              requires = {"\(requires)"}, quarry = ">= 1.0", writes = {"weekly-brief.md"},
              process = function(doc, ctx) ctx:emit(doc.meta.tally_hits or 0) end,
              finish = function(records, ctx)
                local n = 0
                for _ in records do n = n + 1 end
                ctx:write("weekly-brief.md", "# \(heading)\\n\\n" .. n .. " documents\\n")
              end,
            }
            """
        ]
    }

    /// A project's quarry.toml naming the registry `team` (and any other lines).
    static func config(_ registry: String, _ extra: String = "") -> String {
        (extra.isEmpty ? "" : extra + "\n") + "[registries]\nteam = \"\(registry)\"\n"
    }

    /// Ana's machine with `tally` and `weekly-brief` in her Plugins/, and the registry folder.
    static func publisher() throws -> (ana: Machine, registry: URL) {
        let registry = try TestSupport.temporaryFolder().appendingPathComponent("registry")
        try FileManager.default.createDirectory(at: registry, withIntermediateDirectories: true)
        let ana = try Machine()
        try SharingTests.write(
            SharingTests.plugin("tally").mapKeys { "Plugins/" + $0 }.merging(
                brief(version: "1.0.0").mapKeys { "Plugins/" + $0 }, uniquingKeysWith: { a, _ in a }),
            under: ana.project)
        try Data(config(registry.path).utf8).write(to: ana.project.appendingPathComponent("quarry.toml"))
        return (ana, registry)
    }

    @Test func anaPublishesBenInstallsAndUpdatesWithinHisConstraintAndCarlRestoresTheLock() throws {
        let (ana, registry) = try Self.publisher()
        for name in ["tally", "weekly-brief"] {
            let published = try ana.quarry(["plugins", "publish", name])
            #expect(published.status == 0, "\(published.stderr)")
            #expect(published.stdout.hasPrefix("published \(name) 1.0.0 to team (sha256 "))
        }
        #expect(try ana.quarry(["plugins", "publish", "weekly-brief"]).stdout.contains("already in team, unchanged"))
        let index = try String(contentsOf: registry.appendingPathComponent("index.toml"), encoding: .utf8)
        #expect(index.contains("name = \"weekly-brief\"\nversion = \"1.0.0\""))
        #expect(index.contains("requires = [\"tally >= 1.0\"]"))
        #expect(index.contains("quarry = \">= 1.0\""))

        // Ben: search, then install without --yes from a non-terminal (refused), then trusted.
        let ben = try Machine()
        try SharingTests.write(SharingTests.corpus, under: ben.project.appendingPathComponent("news"))
        try Data(Self.config(registry.path).utf8).write(to: ben.project.appendingPathComponent("quarry.toml"))
        let search = try ben.quarry(["plugins", "search", "who", "said"])
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout == "team:weekly-brief 1.0.0  Who said what this week\n")
        let asked = try ben.quarry(["plugins", "install", "weekly-brief@^1.0"])
        #expect(asked.status == 2)
        #expect(asked.stderr.contains("give --yes"))
        #expect(
            !FileManager.default.fileExists(atPath: ben.project.appendingPathComponent("Plugins/weekly-brief").path))
        try Data(Self.config(registry.path, "trusted = [\"team\"]").utf8)
            .write(to: ben.project.appendingPathComponent("quarry.toml"))
        let install = try ben.quarry(["plugins", "install", "weekly-brief@^1.0"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("installed weekly-brief 1.0.0"))
        #expect(install.stdout.contains("installed tally 1.0.0"))
        #expect(install.stderr.contains("for      weekly-brief (requires 'tally >= 1.0')"))
        let lock = try String(contentsOf: ben.project.appendingPathComponent("quarry.lock"), encoding: .utf8)
        #expect(lock.contains("source = \"team:weekly-brief@1.0.0\"\nconstraint = \"^1.0\""))
        #expect(lock.contains("source = \"team:tally@1.0.0\"\nconstraint = \">= 1.0\""))

        // `NAME+` selects the plugin and what it requires.
        let run = try ben.quarry(["run", "news", "--select", "weekly-brief+", "--quiet", "--jobs", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            try String(contentsOf: ben.project.appendingPathComponent("quarry-out/weekly-brief.md"), encoding: .utf8)
                == "# Brief\n\n2 documents\n")

        // Ana publishes 1.1.0 and 2.0.0; Ben's ^1.0 moves to 1.1.0 only.
        for version in ["1.1.0", "2.0.0"] {
            try SharingTests.write(
                Self.brief(version: version, heading: "Brief \(version)").mapKeys { "Plugins/" + $0 },
                under: ana.project)
            #expect(try ana.quarry(["plugins", "publish", "weekly-brief"]).status == 0)
        }
        let outdated = try ben.quarry(["plugins", "outdated"])
        #expect(outdated.status == 0, "\(outdated.stderr)")
        #expect(outdated.stdout.contains("weekly-brief  1.0.0      1.1.0   2.0.0   team"), "\(outdated.stdout)")
        #expect(!outdated.stdout.contains("tally"))
        let update = try ben.quarry(["plugins", "update"])
        #expect(update.status == 0, "\(update.stderr)")
        #expect(update.stdout.contains("installed weekly-brief 1.1.0"))
        #expect(update.stdout.contains("tally 1.0.0: up to date"))
        #expect(try ben.quarry(["plugins", "verify"]).status == 0)
        let rerun = try ben.quarry(["run", "news", "--select", "weekly-brief+", "--quiet", "--jobs", "1", "--force"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let benBrief = try Data(contentsOf: ben.project.appendingPathComponent("quarry-out/weekly-brief.md"))
        #expect(String(decoding: benBrief, as: UTF8.self).hasPrefix("# Brief 1.1.0\n"))

        // Carl restores Ben's lock: the same folders, the same outputs.
        let carl = try Machine()
        try SharingTests.write(SharingTests.corpus, under: carl.project.appendingPathComponent("news"))
        for file in ["quarry.toml", "quarry.lock"] {
            try FileManager.default.copyItem(
                at: ben.project.appendingPathComponent(file), to: carl.project.appendingPathComponent(file))
        }
        let restore = try carl.quarry(["plugins", "install"])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains("installed weekly-brief 1.1.0") && restore.stdout.contains("(as locked)"))
        #expect(try carl.quarry(["plugins", "verify"]).status == 0)
        let carlRun = try carl.quarry(["run", "news", "--select", "weekly-brief+", "--quiet", "--jobs", "1"])
        #expect(carlRun.status == 0, "\(carlRun.stderr)")
        #expect(try Data(contentsOf: carl.project.appendingPathComponent("quarry-out/weekly-brief.md")) == benBrief)
        #expect(
            try Data(contentsOf: carl.project.appendingPathComponent("quarry-out/results.jsonl"))
                == Data(contentsOf: ben.project.appendingPathComponent("quarry-out/results.jsonl")))

        // pack is reproducible: twice the same bytes, and the same SHA-256 the registry holds for 1.1.0.
        let first = try carl.quarry(["plugins", "pack", "weekly-brief", "-o", "a.tar.gz"])
        let second = try carl.quarry(["plugins", "pack", "weekly-brief", "-o", "b.tar.gz"])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)")
        #expect(
            try Data(contentsOf: carl.project.appendingPathComponent("a.tar.gz"))
                == Data(contentsOf: carl.project.appendingPathComponent("b.tar.gz")))
        let sha = String(first.stdout.split(separator: " ").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let finalIndex = try String(contentsOf: registry.appendingPathComponent("index.toml"), encoding: .utf8)
        #expect(
            finalIndex.contains(
                "version = \"1.1.0\"\nsource = \"packages/weekly-brief/weekly-brief-1.1.0.tar.gz\"\nsha256 = \"\(sha)\""
            ))
    }

    @Test func aGitRegistryIsClonedPublishedToAndInstalledFrom() throws {
        let (ana, _) = try Self.publisher()
        let bare = try TestSupport.temporaryFolder().appendingPathComponent("registry.git")
        try SharingTests.shell(
            """
            git init -q --bare '\(bare.path)' && git clone -q '\(bare.path)' seed 2>/dev/null && cd seed && \
            git -c user.name=T -c user.email=t@t.invalid commit -q --allow-empty -m start && git push -q origin HEAD
            """, in: bare.deletingLastPathComponent())
        try Data(Self.config("file://" + bare.path).utf8).write(to: ana.project.appendingPathComponent("quarry.toml"))
        for name in ["tally", "weekly-brief"] {
            let published = try ana.quarry(["plugins", "publish", name])
            #expect(published.status == 0, "\(published.stderr)")
        }
        let log = try SharingTests.shell(
            "git --git-dir='\(bare.path)' log --format=%s", in: bare.deletingLastPathComponent())
        #expect(log.stdout.hasPrefix("publish weekly-brief 1.0.0\npublish tally 1.0.0\n"))

        let ben = try Machine()
        try Data(Self.config("file://" + bare.path).utf8).write(to: ben.project.appendingPathComponent("quarry.toml"))
        let install = try ben.quarry(["plugins", "install", "team:weekly-brief", "--yes"])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stdout.contains("installed weekly-brief 1.0.0") && install.stdout.contains("installed tally"))
        // No clone is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: ben.project.appendingPathComponent("Plugins").path)
        #expect(leftovers.sorted() == ["tally", "weekly-brief"])
    }

    @Test func outdatedAndUpdateFollowAGitBranchAndKeepATag() throws {
        let sources = try TestSupport.temporaryFolder()
        let repo = sources.appendingPathComponent("plugins")
        let url = try SharingTests.repository(SharingTests.plugin("tally"), tag: "v1.0.0", at: repo)
        try SharingTests.write(SharingTests.plugin("marks", words: "union\n"), under: repo)
        try SharingTests.shell(
            "git add -A && git -c user.name=T -c user.email=t@t.invalid commit -qm marks && git branch -M main",
            in: repo)
        let ben = try Machine()
        let install = try ben.quarry(["plugins", "install", url + "@main#tally", url + "@v1.0.0#marks", "--yes"])
        // marks did not exist at v1.0.0.
        #expect(install.status == 2)
        #expect(install.stderr.contains("no folder 'marks' in the package"))
        #expect(try ben.quarry(["plugins", "install", url + "@main#tally", "--yes"]).status == 0)
        #expect(try ben.quarry(["plugins", "outdated"]).stdout == "every plugin in quarry.lock is up to date\n")

        try SharingTests.shell(
            """
            printf 'strike\\nferry\\ndams\\n' > tally/data/words.txt && \
            git -c user.name=T -c user.email=t@t.invalid commit -qam more
            """, in: repo)
        let head = try SharingTests.shell("git rev-parse HEAD", in: repo).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let outdated = try ben.quarry(["plugins", "outdated"])
        #expect(outdated.stdout.contains("tally   "), "\(outdated.stdout)")
        #expect(outdated.stdout.contains(String(head.prefix(10))), "\(outdated.stdout)")
        let update = try ben.quarry(["plugins", "update", "tally", "--yes"])
        #expect(update.status == 0, "\(update.stderr)")
        let lock = try String(contentsOf: ben.project.appendingPathComponent("quarry.lock"), encoding: .utf8)
        #expect(lock.contains("commit = \"\(head)\""))
        #expect(
            try String(contentsOf: ben.project.appendingPathComponent("Plugins/tally/data/words.txt"), encoding: .utf8)
                == "strike\nferry\ndams\n")
        #expect(try ben.quarry(["plugins", "update", "tally"]).stdout.contains("tally 1.0.0: up to date"))
        let unknown = try ben.quarry(["plugins", "update", "nothing"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("'nothing' is not in quarry.lock"))
    }

    @Test func badRegistriesAndVersionsAreRefusedNamingTheCauseAndInstallNothing() throws {
        let (ana, registry) = try Self.publisher()
        #expect(try ana.quarry(["plugins", "publish", "tally"]).status == 0)
        #expect(try ana.quarry(["plugins", "publish", "weekly-brief"]).status == 0)
        let before = try Data(contentsOf: registry.appendingPathComponent("index.toml"))

        // A published version never changes.
        try SharingTests.write(
            Self.brief(version: "1.0.0", heading: "Other").mapKeys { "Plugins/" + $0 }, under: ana.project)
        let changed = try ana.quarry(["plugins", "publish", "weekly-brief"])
        #expect(changed.status == 2)
        #expect(changed.stderr.contains("weekly-brief 1.0.0: already published in registry 'team' with other content"))
        #expect(try Data(contentsOf: registry.appendingPathComponent("index.toml")) == before)

        let ben = try Machine()
        try Data(Self.config(registry.path).utf8).write(to: ben.project.appendingPathComponent("quarry.toml"))
        func refused(_ arguments: [String], _ message: String) throws {
            let result = try ben.quarry(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: ben.project.appendingPathComponent("quarry.lock").path))
        }
        try refused(["plugins", "install", "nope:weekly-brief", "--yes"], "no registry named 'nope'")
        try refused(
            ["plugins", "install", "weekly-breif", "--yes"],
            "no registry has a plugin named 'weekly-breif' (did you mean 'weekly-brief'?)")
        try refused(
            ["plugins", "install", "weekly-brief@^3", "--yes"],
            "no published version of 'weekly-brief' fits ^3 (published: 1.0.0 in team)")
        try refused(["plugins", "install", "weekly-brief@^x", "--yes"], "'^x' is not a version constraint")

        // A tampered archive does not match the index.
        let archive = registry.appendingPathComponent("packages/tally/tally-1.0.0.tar.gz")
        let original = try Data(contentsOf: archive)
        let other = try Machine()
        try SharingTests.write(SharingTests.plugin("tally", words: "evil\n"), under: other.project)
        #expect(
            try other.quarry(["plugins", "pack", "tally", "--plugins", other.project.path, "-o", archive.path]).status
                == 0)
        try refused(["plugins", "install", "tally", "--yes"], "the archive's SHA-256 is ")
        try original.write(to: archive)

        // A version made for a newer Lua API is skipped, and saying so when nothing else fits.
        var index = try String(contentsOf: registry.appendingPathComponent("index.toml"), encoding: .utf8)
        index += """

            [[package]]
            name = "future"
            version = "1.0.0"
            source = "packages/tally/tally-1.0.0.tar.gz"
            sha256 = "00"
            quarry = ">= 9"

            """
        try Data(index.utf8).write(to: registry.appendingPathComponent("index.toml"))
        try refused(["plugins", "install", "future", "--yes"], "1.0.0 needs Lua API >= 9")

        // Two plugins wanting versions of a third that none satisfies both.
        try SharingTests.write(
            Self.brief(version: "3.0.0", requires: "tally >= 2").mapKeys { "Plugins/" + $0 }, under: ana.project)
        #expect(try ana.quarry(["plugins", "publish", "weekly-brief"]).status == 0)
        try SharingTests.write(
            SharingTests.plugin("tally", version: "2.0.0").mapKeys { "Plugins/" + $0 }, under: ana.project)
        #expect(try ana.quarry(["plugins", "publish", "tally"]).status == 0)
        try SharingTests.write(
            [
                "old-brief/init.lua": """
                return {name = "old-brief", version = "1.0.0", requires = {"tally < 2"}, process = function() end}
                """
            ].mapKeys { "Plugins/" + $0 }, under: ana.project)
        #expect(try ana.quarry(["plugins", "publish", "old-brief"]).status == 0)
        try refused(
            ["plugins", "install", "weekly-brief@3", "old-brief", "--yes"],
            "conflict: old-brief (requires 'tally < 2'), but tally 2.0.0 is being installed from team:tally@2.0.0, for weekly-brief (requires 'tally >= 2')"
        )

        // A malformed index names its file and line.
        try Data("format = 1\n[[package]\nname = 1\n".utf8).write(to: registry.appendingPathComponent("index.toml"))
        let malformed = try ben.quarry(["plugins", "search"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains(registry.appendingPathComponent("index.toml").path + ": line 2"))
        // Nothing staged or cloned is left in the project.
        let left =
            (try? FileManager.default.contentsOfDirectory(atPath: ben.project.appendingPathComponent("Plugins").path))
            ?? []
        #expect(left.isEmpty, "\(left)")
    }

    @Test func declaredWritesAndReadsAreEnforcedAtRunTime() throws {
        let machine = try Machine()
        try SharingTests.write(SharingTests.corpus, under: machine.project.appendingPathComponent("news"))
        try SharingTests.write(
            [
                "Plugins/sneaky/init.lua": """
                return {
                  name = "sneaky", kind = "report", writes = {"sneaky.md"}, reads = {"data/*.tsv"},
                  finish = function(records, ctx)
                    ctx:write("sneaky.md", "ok\\n")
                    local ok, err = pcall(ctx.read, ctx, "init.lua")
                    ctx:write("sneaky.md", "read: " .. tostring(ok) .. " " .. tostring(err) .. "\\n")
                    ctx:write("elsewhere.md", "not declared\\n")
                  end,
                }
                """
            ], under: machine.project)
        let run = try machine.quarry(["run", "news", "--select", "sneaky", "--jobs", "1"])
        #expect(run.status != 0 || run.stderr.contains("finish of sneaky failed"))
        #expect(
            run.stderr.contains(
                "ctx:write: 'elsewhere.md' is not among the files plugin 'sneaky' declares it writes (writes = {\"sneaky.md\"})"
            ),
            "\(run.stderr)")
        let written = try String(
            contentsOf: machine.project.appendingPathComponent("quarry-out/sneaky.md"), encoding: .utf8)
        #expect(written.contains("read: false"))
        #expect(written.contains("'init.lua' is not among the files plugin 'sneaky' declares it reads"))
        #expect(
            !FileManager.default.fileExists(
                atPath: machine.project.appendingPathComponent("quarry-out/elsewhere.md").path))
    }
}

extension Dictionary where Key == String {
    /// The same values under keys changed by `transform`.
    func mapKeys(_ transform: (String) -> String) -> [String: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}
