// Sharing plugins end to end through the built binary: `make install DESTDIR=…` and the installed binary
// run from a folder outside the repository; folder hashes and --resume; quarry.lock, install from folders,
// archives and git repositories made here (file:// URLs), restore on a second "machine", verify, --locked,
// and bad input (missing sources, unknown refs, unsafe archives, bad manifests, duplicates, lock mismatches).
import Foundation
import QuarryTestSupport
import Testing

@Suite(.serialized) struct SharingTests {
    /// A sandbox "machine": a project folder and a HOME of its own, and no QUARRY_PLUGINS.
    struct Machine {
        var root: URL
        var project: URL { root.appendingPathComponent("project") }
        var home: URL { root.appendingPathComponent("home") }
        var environment: [String: String] {
            [
                "HOME": home.path, "XDG_DATA_HOME": home.appendingPathComponent(".local/share").path,
                "QUARRY_PLUGINS": "",
            ]
        }

        init() throws {
            root = try TestSupport.temporaryFolder()
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("project"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(
                at: root.appendingPathComponent("home"), withIntermediateDirectories: true)
        }

        func quarry(_ arguments: [String], binary: URL? = nil) throws -> ProcessResult {
            try TestSupport.run(
                binary ?? TestSupport.quarryBinary, arguments, environment: environment,
                currentDirectory: project, timeout: 120)
        }
    }

    static let corpus: [String: String] = [
        "a.txt": "Dockworkers began a strike on Monday. \"We will not move,\" said Lena Brandt of the union.",
        "b.txt": "The ferry resumed on Friday. Talks on the river dams went on in Orm.",
    ]

    /// A plugin that counts the words of its data file in each document.
    static func plugin(_ name: String, words: String = "strike\nferry\n", version: String = "1.0.0") -> [String: String]
    {
        [
            "\(name)/init.lua": """
            local words
            ---@type Plugin
            return {
              name = "\(name)", version = "\(version)", kind = "extract", categories = {"default"},
              reads = {"data/*.txt"}, writes = {},
              setup = function(ctx)
                words = {}
                for w in ctx:read("data/words.txt"):gmatch("%S+") do words[#words + 1] = w end
              end,
              process = function(doc, ctx)
                local n = 0
                for _, w in ipairs(words) do if doc.text:find(w, 1, true) then n = n + 1 end end
                doc:set("\(name)_hits", n)
              end,
            }
            """,
            "\(name)/data/words.txt": words,
            "\(name)/README.md": "# \(name)\n",
        ]
    }

    static func write(_ files: [String: String], under root: URL) throws {
        for (path, contents) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contents.utf8).write(to: url)
        }
    }

    @discardableResult
    static func shell(_ script: String, in folder: URL) throws -> ProcessResult {
        let result = try TestSupport.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", script], currentDirectory: folder, timeout: 120)
        #expect(result.status == 0, "\(script): \(result.stderr)")
        return result
    }

    /// A git repository holding `files`, committed and tagged `tag`; returns its file:// URL.
    static func repository(_ files: [String: String], tag: String, at folder: URL) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try write(files, under: folder)
        try shell(
            "git init -q . && git add -A && git -c user.name=T -c user.email=t@t.invalid commit -qm one && git tag \(tag)",
            in: folder)
        return "file://" + folder.path
    }

    // MARK: - Install layout

    @Test func makeInstallThenTheInstalledBinaryRunsTheStandardPluginsFromAnyFolder() throws {
        let staging = try TestSupport.temporaryFolder()
        let install = try TestSupport.run(
            URL(fileURLWithPath: "/usr/bin/make"),
            ["-s", "install", "QUARRY_BIN=\(TestSupport.quarryBinary.path)", "DESTDIR=\(staging.path)", "PREFIX=/usr"],
            currentDirectory: TestSupport.repositoryRoot, timeout: 120)
        #expect(install.status == 0, "\(install.stderr)")
        let prefix = staging.appendingPathComponent("usr")
        for path in [
            "bin/quarry", "share/quarry/plugins/quotes/init.lua", "share/quarry/plugins/lib/newsroom.lua",
            "share/quarry/plugins/quarry.d.lua", "share/quarry/plugins/.luarc.json",
            "share/bash-completion/completions/quarry", "share/zsh/site-functions/_quarry",
            "share/fish/vendor_completions.d/quarry.fish", "share/man/man1/quarry.1",
        ] {
            #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent(path).path), "\(path)")
        }
        let man = try String(contentsOf: prefix.appendingPathComponent("share/man/man1/quarry.1"), encoding: .utf8)
        #expect(man.hasPrefix(".TH QUARRY 1"))
        #expect(man.contains("plugins install"))

        let machine = try Machine()
        let news = machine.home.appendingPathComponent("news")
        try Self.write(Self.corpus, under: news)
        let binary = prefix.appendingPathComponent("bin/quarry")
        let run = try machine.quarry(["run", news.path, "--quiet"], binary: binary)
        #expect(run.status == 0, "\(run.stderr)")
        let results = try String(
            contentsOf: machine.project.appendingPathComponent("quarry-out/results.jsonl"), encoding: .utf8)
        #expect(results.split(separator: "\n").count == 2)
        #expect(results.contains("\"QUOTE\""))
        let runJSON = try String(
            contentsOf: machine.project.appendingPathComponent("quarry-out/run.json"), encoding: .utf8)
        #expect(runJSON.contains("share/quarry/plugins/quotes (standard)"))

        // A project plugin hiding a standard one: listed, and a warning names both.
        try Self.write(Self.plugin("quotes"), under: machine.project.appendingPathComponent("Plugins"))
        let list = try machine.quarry(["plugins", "list"], binary: binary)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdout.contains("standard  " + prefix.appendingPathComponent("share/quarry/plugins").path))
        #expect(list.stdout.contains("Plugins/quotes/init.lua (project) hides"))
        #expect(
            list.stderr.contains("plugin 'quotes' at Plugins/quotes/init.lua (project) shadows the standard plugin at"))
    }

    // MARK: - Folder hashes and resume

    @Test func resumeRecomputesWhenAPluginsDataFileChangesAndReusesOtherwise() throws {
        let machine = try Machine()
        try Self.write(Self.plugin("counter"), under: machine.project.appendingPathComponent("Plugins"))
        try Self.write(Self.corpus, under: machine.project.appendingPathComponent("news"))
        func run(_ extra: [String]) throws -> (ProcessResult, String, String) {
            let result = try machine.quarry(["run", "news", "--select", "counter", "--quiet", "--jobs", "1"] + extra)
            let out = machine.project.appendingPathComponent("quarry-out")
            return (
                result, try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8),
                try String(contentsOf: out.appendingPathComponent("results.jsonl"), encoding: .utf8)
            )
        }
        let (first, _, results) = try run([])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(results.contains("\"counter_hits\":1"))
        let (same, sameRun, _) = try run(["--resume"])
        #expect(same.status == 0)
        #expect(Self.reused(sameRun) == 2)
        try Data("strike\nferry\nOrm\ndams\n".utf8).write(
            to: machine.project.appendingPathComponent("Plugins/counter/data/words.txt"))
        let (changed, changedRun, changedResults) = try run(["--resume"])
        #expect(changed.status == 0, "\(changed.stderr)")
        #expect(Self.reused(changedRun) == 0)
        #expect(changedResults.contains("\"counter_hits\":3"))
        let log = try String(contentsOf: machine.project.appendingPathComponent("quarry-out/run.log"), encoding: .utf8)
        #expect(log.contains("recomputing every document"))
    }

    static func reused(_ runJSON: String) -> Int? {
        let run = try? JSONSerialization.jsonObject(with: Data(runJSON.utf8)) as? [String: Any]
        return (run?["counts"] as? [String: Any])?["reused"] as? Int
    }

    // MARK: - Install, lock, restore

    @Test func installFromGitAndArchivesThenRestoreTheLockOnASecondMachine() throws {
        let sources = try TestSupport.temporaryFolder()
        let gitURL = try Self.repository(
            Self.plugin("weekly-brief"), tag: "v1.0.0", at: sources.appendingPathComponent("brief-repo"))
        // A second commit after the tag: installing @v1.0.0 must not see it.
        try Self.shell(
            """
            printf 'strike\\nferry\\nOrm\\n' > weekly-brief/data/words.txt && \
            git -c user.name=T -c user.email=t@t.invalid commit -qam two
            """, in: sources.appendingPathComponent("brief-repo"))
        try Self.write(Self.plugin("tally", words: "dams\n"), under: sources.appendingPathComponent("tally-src"))
        try Self.shell("tar -czf tally.tar.gz -C tally-src tally", in: sources)
        try Self.write(Self.plugin("marks", words: "union\n"), under: sources.appendingPathComponent("marks-src"))
        try Self.shell("cd marks-src && zip -qr ../marks.zip marks", in: sources)

        let ana = try Machine()
        try Self.write(Self.corpus, under: ana.project.appendingPathComponent("news"))
        let install = try ana.quarry([
            "plugins", "install", gitURL + "@v1.0.0#weekly-brief",
            sources.appendingPathComponent("tally.tar.gz").path,
            sources.appendingPathComponent("marks.zip").path, "--yes",
        ])
        #expect(install.status == 0, "\(install.stderr)")
        #expect(install.stderr.contains("commit   "))
        #expect(install.stderr.contains("reads    data/*.txt"))
        let lock = try String(contentsOf: ana.project.appendingPathComponent("quarry.lock"), encoding: .utf8)
        #expect(lock.contains("name = \"weekly-brief\""))
        #expect(lock.contains("commit = \""))
        #expect(lock.contains("sha256 = \""))
        #expect(lock.contains("\"data/words.txt\" = \""))
        let anaRun = try ana.quarry(["run", "news", "--quiet", "--jobs", "1"])
        #expect(anaRun.status == 0, "\(anaRun.stderr)")
        let anaResults = try Data(contentsOf: ana.project.appendingPathComponent("quarry-out/results.jsonl"))
        // v1.0.0's words (strike, ferry), not the later commit's (Orm too).
        #expect(String(decoding: anaResults, as: UTF8.self).contains("\"weekly-brief_hits\":1"))
        #expect(!String(decoding: anaResults, as: UTF8.self).contains("\"weekly-brief_hits\":2"))

        let ben = try Machine()
        try Self.write(Self.corpus, under: ben.project.appendingPathComponent("news"))
        try FileManager.default.copyItem(
            at: ana.project.appendingPathComponent("quarry.lock"),
            to: ben.project.appendingPathComponent("quarry.lock"))
        let restore = try ben.quarry(["plugins", "install"])
        #expect(restore.status == 0, "\(restore.stderr)")
        let verify = try ben.quarry(["plugins", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
        let anaList = try ana.quarry(["plugins", "list", "--json"])
        let benList = try ben.quarry(["plugins", "list", "--json"])
        func hashes(_ json: String) throws -> [String: String] {
            let objects = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
            return Dictionary(
                uniqueKeysWithValues: objects.map { ($0["name"] as! String, $0["folder_hash"] as! String) })
        }
        #expect(try hashes(anaList.stdout) == hashes(benList.stdout))
        #expect(try hashes(benList.stdout).count == 3)
        let benRun = try ben.quarry(["run", "news", "--quiet", "--jobs", "1", "--locked"])
        #expect(benRun.status == 0, "\(benRun.stderr)")
        #expect(try Data(contentsOf: ben.project.appendingPathComponent("quarry-out/results.jsonl")) == anaResults)

        // A changed data file: verify names it (exit 1), --locked refuses (exit 2), install restores it.
        try Data("changed\n".utf8).write(to: ben.project.appendingPathComponent("Plugins/tally/data/words.txt"))
        let changed = try ben.quarry(["plugins", "verify"])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("tally 1.0.0: differs from quarry.lock\n  data/words.txt: changed"))
        #expect(changed.stdout.contains("weekly-brief 1.0.0: ok"))
        let refused = try ben.quarry(["run", "news", "--quiet", "--locked", "--force"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("--locked: plugin 'tally'"))
        #expect(refused.stderr.contains("data/words.txt: changed"))
        #expect(try ben.quarry(["plugins", "install"]).status == 0)
        #expect(try ben.quarry(["plugins", "verify"]).status == 0)

        // remove takes the plugin and its lock entry away.
        let remove = try ben.quarry(["plugins", "remove", "marks"])
        #expect(remove.status == 0, "\(remove.stderr)")
        #expect(!FileManager.default.fileExists(atPath: ben.project.appendingPathComponent("Plugins/marks").path))
        #expect(
            !(try String(contentsOf: ben.project.appendingPathComponent("quarry.lock"), encoding: .utf8)).contains(
                "marks"))

        // --user installs into the user's folder, which every project then finds.
        let user = try ben.quarry([
            "plugins", "install", "--user", "--yes", sources.appendingPathComponent("marks.zip").path,
        ])
        #expect(user.status == 0, "\(user.stderr)")
        #expect(
            FileManager.default.fileExists(
                atPath: ben.home.appendingPathComponent(".local/share/quarry/plugins/marks/init.lua").path))
        #expect(try ben.quarry(["plugins", "list"]).stdout.contains("marks"))
    }

    // MARK: - Bad input

    @Test func badSourcesAreRefusedWithTheSourceAndTheCauseAndLeaveTheInstalledPluginAsItWas() throws {
        let sources = try TestSupport.temporaryFolder()
        let machine = try Machine()
        func install(_ source: String) throws -> ProcessResult {
            try machine.quarry(["plugins", "install", "--yes", source])
        }

        let missing = try install(sources.appendingPathComponent("nowhere").path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("nowhere: no such folder"))

        let url = try Self.repository(Self.plugin("good"), tag: "v1", at: sources.appendingPathComponent("repo"))
        let badRef = try install(url + "@v9")
        #expect(badRef.status == 2)
        #expect(badRef.stderr.contains("no tag, branch or commit 'v9' in \(url)"))
        let noRepo = try install("file://" + sources.appendingPathComponent("no-repo").path)
        #expect(noRepo.status == 2)
        #expect(noRepo.stderr.contains("cannot clone"))

        // Installed at v1; every failure below leaves it byte for byte as it was.
        #expect(try install(url + "@v1#good").status == 0)
        let installed = machine.project.appendingPathComponent("Plugins/good/init.lua")
        let before = try Data(contentsOf: installed)
        let lockBefore = try Data(contentsOf: machine.project.appendingPathComponent("quarry.lock"))

        try Self.write(["bad/README.md": "no manifest"], under: sources)
        let noManifest = try install(sources.appendingPathComponent("bad").path)
        #expect(noManifest.status == 2)
        #expect(noManifest.stderr.contains("bad: not a valid plugin package: the package: no manifest"))
        try Self.write(
            ["good/init.lua": "return {name = 'good', kind = 'nonsense', process = function() end}"],
            under: sources.appendingPathComponent("invalid"))
        let invalid = try machine.quarry([
            "plugins", "install", "--yes", sources.appendingPathComponent("invalid/good").path,
        ])
        #expect(invalid.status == 2)
        #expect(
            invalid.stderr.contains(
                "not a valid plugin package: init.lua: field 'kind': must be one of extract, score, report"))

        let other = sources.appendingPathComponent("other")
        try Self.write(Self.plugin("good", words: "other\n"), under: other)
        let elsewhere = try install(other.appendingPathComponent("good").path)
        #expect(elsewhere.status == 2)
        #expect(
            elsewhere.stderr.contains("'good' is installed from \(url)@v1#good; run `quarry plugins remove good` first")
        )

        try Self.write(Self.plugin("twin"), under: sources.appendingPathComponent("one"))
        try Self.write(Self.plugin("twin"), under: sources.appendingPathComponent("two"))
        let twins = try machine.quarry([
            "plugins", "install", "--yes", sources.appendingPathComponent("one/twin").path,
            sources.appendingPathComponent("two/twin").path,
        ])
        #expect(twins.status == 2)
        #expect(twins.stderr.contains("a package named 'twin' also comes from"))
        #expect(!FileManager.default.fileExists(atPath: machine.project.appendingPathComponent("Plugins/twin").path))

        // Archives that would write outside the package.
        try Self.shell(
            """
            mkdir -p slip/evil && echo x > slip/evil/init.lua && \
            tar -P -czf dotdot.tar.gz --transform 's,^slip/,../,' slip/evil/init.lua && \
            tar -czf absolute.tar.gz -P "$PWD/slip/evil/init.lua" && \
            mkdir -p link/pkg && ln -s ../../../../etc link/pkg/escape && tar -czf link.tar.gz -C link pkg && \
            mkdir -p zip/pkg && ln -s /etc/passwd zip/pkg/passwd && (cd zip && zip -qry ../link.zip pkg)
            """, in: sources)
        for (archive, cause) in [
            ("dotdot.tar.gz", "a path with '..'"), ("absolute.tar.gz", "an absolute path"),
            ("link.tar.gz", "a symbolic link pointing outside the package"),
            ("link.zip", "a symbolic link to an absolute path"),
        ] {
            let result = try install(sources.appendingPathComponent(archive).path)
            #expect(result.status == 2, "\(archive)")
            #expect(result.stderr.contains("\(archive): unsafe archive entry"), "\(archive): \(result.stderr)")
            #expect(result.stderr.contains(cause), "\(archive): \(result.stderr)")
        }
        #expect(
            !FileManager.default.fileExists(
                atPath: sources.deletingLastPathComponent().appendingPathComponent("evil").path))
        try Self.write(Self.plugin("linked"), under: sources.appendingPathComponent("linked"))
        try FileManager.default.createSymbolicLink(
            atPath: sources.appendingPathComponent("linked/linked/data/secret").path,
            withDestinationPath: "/etc/passwd")
        let linked = try install(sources.appendingPathComponent("linked/linked").path)
        #expect(linked.status == 2)
        #expect(linked.stderr.contains("'data/secret' is a symbolic link pointing outside the package (/etc/passwd)"))

        #expect(try Data(contentsOf: installed) == before)
        #expect(try Data(contentsOf: machine.project.appendingPathComponent("quarry.lock")) == lockBefore)
        let leftovers = try FileManager.default.contentsOfDirectory(
            atPath: machine.project.appendingPathComponent("Plugins").path)
        #expect(leftovers == ["good"])

        // Without --yes and without a terminal, install asks for --yes.
        let asked = try machine.quarry(["plugins", "install", other.appendingPathComponent("good").path])
        #expect(asked.status == 2)

        // A lock that does not match what its source gives.
        var lock = String(decoding: lockBefore, as: UTF8.self)
        let hash = try #require(lock.firstMatch(of: #/folder_hash = "([0-9a-f]+)"/#)?.output.1)
        lock = lock.replacingOccurrences(of: String(hash), with: String(repeating: "0", count: 64))
        try Data(lock.utf8).write(to: machine.project.appendingPathComponent("quarry.lock"))
        let mismatch = try machine.quarry(["plugins", "install"])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("'good' does not match quarry.lock"))
        #expect(try Data(contentsOf: installed) == before)
    }
}
