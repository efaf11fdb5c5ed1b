// PackageFetcher: brings a package source into a temporary folder — a folder copied, an archive
// extracted safely (ArchiveExtractor), a git repository cloned with Debian's `git` and checked out at
// its ref — and says which commit or archive SHA-256 it was.
import Foundation
import PluginHost

/// A package brought into a temporary folder.
public struct FetchedPackage: Sendable {
    /// The package's folder (inside `scratch`).
    public var folder: String
    /// The git commit it was checked out at.
    public var commit: String?
    /// The archive's SHA-256.
    public var sha256: String?
    /// The temporary folder to remove when done.
    public var scratch: String
}

public struct PackageFetcher: Sendable {
    /// Relative folders and archives are taken from here (the project folder).
    public var baseFolder: String
    public var hasher: @Sendable ([UInt8]) -> String

    public init(baseFolder: String, hasher: @escaping @Sendable ([UInt8]) -> String) {
        self.baseFolder = baseFolder
        self.hasher = hasher
    }

    /// Fetches `source` into a new temporary folder under `scratchParent`.
    public func fetch(_ source: PackageSource, scratchParent: String) throws(PackageError) -> FetchedPackage {
        let fm = FileManager.default
        let scratch = (scratchParent as NSString).appendingPathComponent(".quarry-fetch-\(UUID().uuidString)")
        do {
            try fm.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        } catch {
            throw PackageError(
                .cannotRun, scratchParent, "cannot create a temporary folder: \(error.localizedDescription)")
        }
        do throws(PackageError) {
            var fetched = FetchedPackage(folder: scratch, commit: nil, sha256: nil, scratch: scratch)
            var root: String
            switch source.location {
            case .folder(let path):
                let full = absolute(path)
                guard isFolder(full) else {
                    throw PackageError(
                        .badInput, source.text,
                        fm.fileExists(atPath: full) ? "not a folder, a .zip or a .tar.gz" : "no such folder")
                }
                root = (scratch as NSString).appendingPathComponent("package")
                do {
                    try fm.copyItem(atPath: full, toPath: root)
                } catch {
                    throw PackageError(.cannotRun, source.text, "cannot copy the folder: \(error.localizedDescription)")
                }
            case .zip(let path), .tarGz(let path):
                let full = absolute(path)
                guard let data = fm.contents(atPath: full), !isFolder(full) else {
                    throw PackageError(.badInput, source.text, "no such archive")
                }
                fetched.sha256 = hasher(Array(data))
                root = (scratch as NSString).appendingPathComponent("package")
                let extractor = ArchiveExtractor(destination: root, source: source.text)
                if case .zip = source.location {
                    try extractor.extractZip(data)
                } else {
                    try extractor.extractTarGz(full)
                }
                root = Self.singleTopFolder(root)
            case .git(let url, let ref):
                root = (scratch as NSString).appendingPathComponent("repository")
                fetched.commit = try Git(source: source.text).checkout(url: absoluteURL(url), ref: ref, into: root)
            case .registry:
                throw PackageError(.badInput, source.text, "a registry source is resolved to a package before fetching")
            }
            for name in FolderHash.ignored {
                try? fm.removeItem(atPath: (root as NSString).appendingPathComponent(name))
            }
            if let sub = source.subfolder {
                root = (root as NSString).appendingPathComponent(sub)
                guard isFolder(root) else {
                    throw PackageError(.badInput, source.text, "no folder '\(sub)' in the package")
                }
            }
            try Self.checkLinks(in: root, source: source.text)
            fetched.folder = root
            return fetched
        } catch {
            try? fm.removeItem(atPath: scratch)
            throw error
        }
    }

    private func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        return expanded.hasPrefix("/") ? expanded : (baseFolder as NSString).appendingPathComponent(expanded)
    }

    private func absoluteURL(_ url: String) -> String { url }

    /// Refuses symbolic links that point outside the package (folders and repositories can hold them too).
    static func checkLinks(in root: String, source: String) throws(PackageError) {
        let fm = FileManager.default
        guard let paths = fm.enumerator(atPath: root)?.allObjects as? [String] else { return }
        for relative in paths {
            guard
                let target = try? fm.destinationOfSymbolicLink(
                    atPath: (root as NSString).appendingPathComponent(relative))
            else { continue }
            var depth = relative.split(separator: "/").count - 1
            var escapes = target.hasPrefix("/")
            for part in target.split(separator: "/") where part != "." {
                depth += part == ".." ? -1 : 1
                if depth < 0 { escapes = true }
            }
            if escapes {
                throw PackageError(
                    .badInput, source, "'\(relative)' is a symbolic link pointing outside the package (\(target))")
            }
        }
    }

    /// An archive holding one folder and nothing else (`weekly-brief-1.0/…`) is that folder.
    static func singleTopFolder(_ root: String) -> String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { !$0.hasPrefix(".") }
        guard !FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent("init.lua")),
            names.count == 1
        else { return root }
        let only = (root as NSString).appendingPathComponent(names[0])
        return isFolder(only) ? only : root
    }
}

func isFolder(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
}

/// A remote git repository, asked without cloning it.
public struct RemoteRepository: Sendable {
    /// The source as the user gave it, for messages.
    public var source: String

    public init(source: String) { self.source = source }

    /// The commit a branch (nil: the default head) points to, or nil when there is no such branch.
    public func head(url: String, ref: String?) throws(PackageError) -> String? {
        try Git(source: source).remoteHead(url: url, ref: ref)
    }
}

/// The `git` command, run without prompts.
struct Git {
    var source: String

    /// Clones `url` into `folder`, checks out `ref` (tag, branch or commit; nil: the default head), returns the commit.
    func checkout(url: String, ref: String?, into folder: String) throws(PackageError) -> String {
        let clone = try run(["clone", "--quiet", "--no-checkout", url, folder], in: nil)
        guard clone.status == 0 else {
            throw PackageError(.badInput, source, "cannot clone \(url): \(Self.lastLine(clone.error))")
        }
        var commit: String?
        for candidate in ref.map({ [$0, "origin/\($0)", "refs/tags/\($0)"] }) ?? [["HEAD"]].flatMap({ $0 }) {
            let parsed = try run(["rev-parse", "--verify", "--quiet", "\(candidate)^{commit}"], in: folder)
            if parsed.status == 0 {
                commit = parsed.output.trimmingCharacters(in: .whitespacesAndNewlines)
                break
            }
        }
        guard let commit else {
            throw PackageError(
                .badInput, source, ref.map { "no tag, branch or commit '\($0)' in \(url)" } ?? "\(url) has no commits")
        }
        let checkout = try run(
            ["-c", "advice.detachedHead=false", "checkout", "--quiet", "--detach", commit], in: folder)
        guard checkout.status == 0 else {
            throw PackageError(.badInput, source, "cannot check out \(commit): \(Self.lastLine(checkout.error))")
        }
        return commit
    }

    private func run(_ arguments: [String], in folder: String?) throws(PackageError) -> (
        status: Int32, output: String, error: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + (folder.map { ["-C", $0] } ?? []) + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_SSH_COMMAND"] = environment["GIT_SSH_COMMAND"] ?? "ssh -o BatchMode=yes"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PackageError(
                .cannotRun, source, "cannot run git: \(error.localizedDescription) (install Debian's git)")
        }
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if process.terminationStatus == 127 {
            throw PackageError(.cannotRun, source, "git is not installed (apt-get install git)")
        }
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self)
        )
    }

    /// A shallow clone of the default branch (a registry is read, not checked out at a ref).
    func clone(url: String, into folder: String) throws(PackageError) {
        let clone = try run(["clone", "--quiet", "--depth", "1", url, folder], in: nil)
        guard clone.status == 0 else {
            throw PackageError(.badInput, source, "cannot clone \(url): \(Self.lastLine(clone.error))")
        }
    }

    /// Commits `files` in the clone at `folder` and pushes to where it came from.
    func commitAndPush(in folder: String, files: [String], message: String) throws(PackageError) {
        let add = try run(["add", "--"] + files, in: folder)
        guard add.status == 0 else { throw PackageError(.cannotRun, source, "git add: \(Self.lastLine(add.error))") }
        // The user's own identity when git has one; otherwise a neutral one, so publishing never stops on it.
        let named = try run(["config", "user.email"], in: folder).status == 0
        let identity = named ? [] : ["-c", "user.name=quarry", "-c", "user.email=quarry@localhost"]
        let commit = try run(identity + ["commit", "--quiet", "-m", message], in: folder)
        guard commit.status == 0 else {
            throw PackageError(.cannotRun, source, "git commit: \(Self.lastLine(commit.error + commit.output))")
        }
        let push = try run(["push", "--quiet", "origin", "HEAD"], in: folder)
        guard push.status == 0 else {
            throw PackageError(.cannotRun, source, "cannot push to the registry: \(Self.lastLine(push.error))")
        }
    }

    /// The commit a branch (nil: the default head) points to in a remote repository, without cloning it.
    func remoteHead(url: String, ref: String?) throws(PackageError) -> String? {
        let listed = try run(["ls-remote", url, ref ?? "HEAD"], in: nil)
        guard listed.status == 0 else {
            throw PackageError(.badInput, source, "cannot reach \(url): \(Self.lastLine(listed.error))")
        }
        for line in listed.output.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            guard fields.count == 2 else { continue }
            let name = String(fields[1])
            if ref == nil || name == "refs/heads/\(ref!)" || name == ref! { return String(fields[0]) }
        }
        return nil
    }

    static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map { String($0).replacingOccurrences(of: "fatal: ", with: "") }
            ?? "git failed"
    }
}
