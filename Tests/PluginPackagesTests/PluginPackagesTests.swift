// PluginPackages' pieces on their own: source parsing, the tar reader's refusals (special files, hard
// links, paths leaving the package), quarry.lock written and read back, and recovery after an install
// killed half-way. The commands around them are tested end to end in EndToEndTests/SharingTests.
import Foundation
import PluginHost
@testable import PluginPackages
import QuarryTestSupport
import Testing

@Suite struct PackageSourceTests {
    @Test func sourcesAreFoldersArchivesOrGitURLsWithRefAndSubfolder() throws {
        #expect(try PackageSource.parse("./speaker-stats").location == .folder("./speaker-stats"))
        #expect(try PackageSource.parse("pkgs/brief.zip").location == .zip("pkgs/brief.zip"))
        #expect(try PackageSource.parse("brief-1.0.tar.gz").location == .tarGz("brief-1.0.tar.gz"))
        let git = try PackageSource.parse("https://git.example.org/team/plugins.git@v1.2.0#weekly-brief")
        #expect(git.location == .git(url: "https://git.example.org/team/plugins.git", ref: "v1.2.0"))
        #expect(git.subfolder == "weekly-brief")
        #expect(
            try PackageSource.parse("git@example.org:team/plugins.git").location
                == .git(url: "git@example.org:team/plugins.git", ref: nil))
        #expect(
            try PackageSource.parse("ssh://git@example.org/team/plugins@main").location
                == .git(url: "ssh://git@example.org/team/plugins", ref: "main"))
        #expect(try PackageSource.parse("file:///srv/plugins").location == .git(url: "file:///srv/plugins", ref: nil))
        let pinned = try PackageSource.parse("file:///srv/plugins@main#a/b").pinned(commit: "abc123")
        #expect(pinned.text == "file:///srv/plugins@abc123#a/b")
    }

    @Test func badSubfoldersAndEmptyRefsAreRefused() {
        #expect(throws: PackageError.self) { try PackageSource.parse("file:///srv/plugins#../x") }
        #expect(throws: PackageError.self) { try PackageSource.parse("file:///srv/plugins#/etc") }
        #expect(throws: PackageError.self) { try PackageSource.parse("file:///srv/plugins@") }
    }
}

@Suite struct ArchiveExtractorTests {
    /// One ustar header and its data, padded to 512-byte blocks.
    static func entry(_ name: String, type: Character = "0", link: String = "", data: [UInt8] = []) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (i, byte) in text.utf8.enumerated() { header[offset + i] = byte }
        }
        put(name, at: 0)
        put("0000644", at: 100)
        put(String(data.count, radix: 8).leftPadded(11), at: 124)
        header[156] = type.asciiValue!
        put(link, at: 157)
        put("ustar", at: 257)
        let padded = data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
        return header + padded
    }

    static func extract(_ entries: [[UInt8]]) throws -> URL {
        let folder = try TestSupport.temporaryFolder().appendingPathComponent("x")
        try ArchiveExtractor(destination: folder.path, source: "test.tar.gz")
            .extractTar(entries.flatMap { $0 } + [UInt8](repeating: 0, count: 1024))
        return folder
    }

    @Test func aSafeArchiveIsExtracted() throws {
        let folder = try Self.extract([
            Self.entry("pkg/", type: "5"), Self.entry("pkg/init.lua", data: Array("return {}".utf8)),
            Self.entry("pkg/data/link.tsv", type: "2", link: "../init.lua"),
        ])
        #expect(try String(contentsOf: folder.appendingPathComponent("pkg/init.lua"), encoding: .utf8) == "return {}")
        #expect(
            try FileManager.default.destinationOfSymbolicLink(
                atPath: folder.appendingPathComponent("pkg/data/link.tsv").path)
                == "../init.lua")
    }

    @Test func specialFilesHardLinksAndEscapingPathsAreRefused() {
        let cases: [([UInt8], String)] = [
            (Self.entry("pkg/tty", type: "3"), "device files"),
            (Self.entry("pkg/fifo", type: "6"), "device files, FIFOs"),
            (Self.entry("pkg/hard", type: "1", link: "/etc/passwd"), "hard links"),
            (Self.entry("../evil.lua"), "'..'"),
            (Self.entry("/tmp/evil.lua"), "an absolute path"),
            (Self.entry("pkg/out", type: "2", link: "../../x"), "pointing outside"),
            (Self.entry("pkg/abs", type: "2", link: "/etc"), "an absolute path"),
        ]
        for (entry, cause) in cases {
            do {
                _ = try Self.extract([entry])
                Issue.record("accepted: \(cause)")
            } catch let error as PackageError {
                #expect(error.kind == .badInput)
                #expect(error.description.hasPrefix("test.tar.gz: unsafe archive entry"), "\(error)")
                #expect(error.description.contains(cause), "\(error)")
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func anEntryWrittenThroughALinkInsideThePackageIsRefused() {
        #expect(throws: PackageError.self) {
            try Self.extract([Self.entry("pkg/sub", type: "2", link: "."), Self.entry("pkg/sub/x.lua")])
        }
    }
}

@Suite struct PluginLockTests {
    @Test func theLockIsWrittenSortedAndReadBack() throws {
        let folder = try TestSupport.temporaryFolder()
        let path = folder.appendingPathComponent("quarry.lock").path
        let lock = PluginLock(plugins: [
            .init(
                name: "weekly-brief", version: "1.1.0", source: "file:///srv/p@v1.1.0#weekly-brief", commit: "abc",
                sha256: nil, scope: .project, folderHash: "f1",
                files: ["init.lua": "h1", "data/odd \"name\".tsv": "h2"]),
            .init(
                name: "alpha", version: "0.1.0", source: "alpha.zip", commit: nil, sha256: "s", scope: .user,
                folderHash: "f2", files: ["init.lua": "h3"]),
        ])
        try lock.write(to: path)
        #expect(try PluginLock.read(at: path) == lock)
        #expect(
            lock.toml.range(of: "name = \"alpha\"")!.lowerBound
                < lock.toml.range(of: "name = \"weekly-brief\"")!.lowerBound)
        #expect(try PluginLock.read(at: folder.appendingPathComponent("none").path) == nil)
        try Data("[[plugin]]\nname = 1\n".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: PackageError.self) { try PluginLock.read(at: path) }
    }

    @Test func differencesNameChangedMissingAndAddedFiles() throws {
        let folder = try TestSupport.folder(with: ["p/init.lua": "a", "p/data.tsv": "b"])
        let hasher: ([UInt8]) -> String = { $0.map(String.init).joined(separator: ",") }
        let hash = try FolderHash.of(folder.appendingPathComponent("p").path, hasher: hasher)
        let entry = PluginLock.Entry(
            name: "p", version: "1", source: "p", commit: nil, sha256: nil, scope: .project,
            folderHash: hash.hash, files: hash.files)
        #expect(
            PluginLock.differences(entry, installedAt: folder.appendingPathComponent("p").path, hasher: hasher).isEmpty)
        try Data("c".utf8).write(to: folder.appendingPathComponent("p/data.tsv"))
        try Data("d".utf8).write(to: folder.appendingPathComponent("p/new.lua"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("p/init.lua"))
        #expect(
            PluginLock.differences(entry, installedAt: folder.appendingPathComponent("p").path, hasher: hasher)
                == ["data.tsv: changed", "init.lua: missing", "new.lua: added"])
        #expect(
            PluginLock.differences(entry, installedAt: folder.appendingPathComponent("q").path, hasher: hasher).count
                == 1)
    }
}

@Suite struct PackageInstallerTests {
    @Test func aPluginSetAsideByAKilledInstallIsPutBack() throws {
        let root = try TestSupport.folder(with: [
            ".quarry-old-\(UUID().uuidString)-brief/init.lua": "old",
            ".quarry-staging-\(UUID().uuidString)/init.lua": "half",
            ".quarry-fetch-\(UUID().uuidString)/x": "x",
        ])
        let installer = PackageInstaller(
            projectFolder: root.path, userFolder: root.path, libraryFolders: [],
            configuration: .init(), hasher: { _ in "" })
        installer.recover(root.path)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["brief"])
        #expect(try String(contentsOf: root.appendingPathComponent("brief/init.lua"), encoding: .utf8) == "old")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

@Suite struct RegistrySourceTests {
    @Test func aBareNameIsARegistrySourceUnlessAFileHasThatName() throws {
        #expect(
            try PackageSource.parse("weekly-brief@^1.2").location
                == .registry(registry: nil, name: "weekly-brief", constraint: "^1.2"))
        #expect(
            try PackageSource.parse("team:weekly-brief").location
                == .registry(registry: "team", name: "weekly-brief", constraint: nil))
        #expect(
            PackageSource.registry("team", name: "brief", constraint: "1.0.0").text == "team:brief@1.0.0")
        #expect(throws: PackageError.self) { try PackageSource.parse("weekly-brief@^x") }
        let folder = try TestSupport.folder(with: ["weekly-brief/init.lua": "return {}"])
        #expect(
            try PackageSource.parse("weekly-brief", baseFolder: folder.path).location == .folder("weekly-brief"))
        // Git shorthands are never registry names.
        #expect(
            try PackageSource.parse("git@example.org:team/plugins.git").location
                == .git(url: "git@example.org:team/plugins.git", ref: nil))
    }
}

@Suite struct RegistryIndexTests {
    static let text = """
        format = 1

        [[package]]
        name = "brief"
        version = "1.0.0"
        source = "packages/brief/brief-1.0.0.tar.gz"
        sha256 = "aa"

        [[package]]
        name = "brief"
        version = "1.4.0"
        source = "packages/brief/brief-1.4.0.tar.gz"
        sha256 = "bb"
        requires = ["tally >= 1"]

        [[package]]
        name = "brief"
        version = "2.0.0-beta.1"
        source = "packages/brief/brief-2.0.0-beta.1.tar.gz"
        sha256 = "cc"

        [[package]]
        name = "brief"
        version = "3.0.0"
        source = "https://git.example.org/brief.git"
        commit = "0123456789abcdef0123456789abcdef01234567"
        quarry = ">= 99"
        """

    @Test func theNewestVersionThatFitsTheConstraintAndThisQuarryIsChosen() throws {
        let index = try RegistryIndex.parse(Self.text, path: "index.toml")
        #expect(index.versions(of: "brief").map(\.version) == ["3.0.0", "2.0.0-beta.1", "1.4.0", "1.0.0"])
        // 3.0.0 needs a newer Lua API; the pre-release is only taken when asked for.
        #expect(index.best("brief", constraint: nil)?.version == "1.4.0")
        #expect(index.best("brief", constraint: VersionConstraint.parse("< 1.4"))?.version == "1.0.0")
        #expect(index.best("brief", constraint: VersionConstraint.parse(">= 2.0.0-beta.1"))?.version == "2.0.0-beta.1")
        #expect(index.best("brief", constraint: VersionConstraint.parse("^5")) == nil)
        #expect(index.best("other", constraint: nil) == nil)
        // Written and read back, it is the same index.
        #expect(try RegistryIndex.parse(index.toml, path: "again.toml") == index)
    }

    @Test func aMalformedIndexNamesTheFileTheEntryAndTheField() {
        func message(_ text: String) -> String {
            do {
                _ = try RegistryIndex.parse(text, path: "/srv/reg/index.toml")
                return ""
            } catch { return error.description }
        }
        #expect(message("format = 1\n[[package]\n").hasPrefix("/srv/reg/index.toml: line 2"))
        #expect(message("format = 2\n").contains("format 2 is not one this quarry reads"))
        #expect(message("[[package]]\nname = \"a\"\nversion = \"1.0\"\n").contains("package 1: 'source' is missing"))
        #expect(
            message("[[package]]\nname = \"a\"\nversion = \"one\"\nsource = \"x\"\nsha256 = \"a\"\n")
                .contains("'one' is not a version"))
        #expect(
            message("[[package]]\nname = \"a\"\nversion = \"1.0\"\nsource = \"x\"\n").contains(
                "needs a 'sha256' (an archive) or a 'commit' (git)"))
        #expect(message("plugins = 1\n").contains("unknown key 'plugins'"))
    }
}

@Suite struct PackageArchiveTests {
    @Test func packingIsReproducibleAndReadsBackAsTheSameFolder() throws {
        let long = String(repeating: "deep/", count: 25) + "file.txt"
        let folder = try TestSupport.folder(with: [
            "init.lua": "return {}", "data/words.txt": "a\nb\n", long: "far down", ".git/HEAD": "ref",
        ])
        let first = try PackageArchive.pack(folder.path, top: "brief-1.0.0")
        // Touching the files changes their times, not the archive.
        try Data("a\nb\n".utf8).write(to: folder.appendingPathComponent("data/words.txt"))
        #expect(try PackageArchive.pack(folder.path, top: "brief-1.0.0") == first)
        let tar = try PackageArchive.tarBytes(folder.path, top: "brief-1.0.0")
        let out = try TestSupport.temporaryFolder()
        try ArchiveExtractor(destination: out.path, source: "packed").extractTar(tar)
        let unpacked = out.appendingPathComponent("brief-1.0.0")
        let hasher: @Sendable ([UInt8]) -> String = { "\($0.hashValue)" }
        #expect(
            try FolderHash.of(unpacked.path, hasher: hasher).files.keys.sorted()
                == ["data/words.txt", "init.lua", long].sorted())
        #expect(try String(contentsOf: unpacked.appendingPathComponent(long), encoding: .utf8) == "far down")
        #expect(!FileManager.default.fileExists(atPath: unpacked.appendingPathComponent(".git").path))
    }
}
