// `quarry plugins install [SOURCE ...] | remove NAME | verify`: plugin packages from folders, archives, git
// repositories and registries, installed atomically into ./Plugins (or the user's folder) with what they
// require, and pinned in quarry.lock; install with no source restores the lock exactly; verify names what
// differs from it. The steps shared with `update` (plan, confirm, install) are here too.
import ArgumentParser
import Foundation
import LuaBridge
import PluginHost
import PluginPackages
import Readers

extension Plugins {
    /// The installer of this project (the working directory) and its lock.
    static func installer(config: QuarryConfig) throws -> PackageInstaller {
        let roots = try PluginSearchPath.roots(given: [], config: config)
        var limits = LuaVM.Configuration()
        limits.timeout = 10
        return PackageInstaller(
            projectFolder: FileManager.default.currentDirectoryPath, userFolder: PluginSearchPath.userFolder(),
            libraryFolders: roots.map(\.libraryFolder).filter(PluginSearchPath.isFolder), configuration: limits,
            hasher: { SHA256.hex($0) })
    }

    /// Puts back what an install killed half-way left, in both plugin folders.
    static func recover(_ installer: PackageInstaller) {
        for scope in [PluginLock.Scope.project, .user] where PluginSearchPath.isFolder(installer.folder(for: scope)) {
            installer.recover(installer.folder(for: scope))
        }
    }

    /// An empty plan over the search path's plugins and the registries named.
    static func plan(installer: PackageInstaller, config: QuarryConfig) throws -> InstallPlan {
        let roots = try PluginSearchPath.roots(given: [], config: config)
        var limits = LuaVM.Configuration()
        limits.timeout = 10
        let installed = PluginCatalog.discover(roots: roots, configuration: limits, hasher: { SHA256.hex($0) })
        return InstallPlan(installer: installer, registries: config.registries, installed: installed)
    }

    /// Whether a source is trusted by quarry.toml or the user's config (`trusted`): a registry's name, or
    /// the start of the source.
    static func isTrusted(_ source: PackageSource, config: QuarryConfig) -> Bool {
        if case .registry(let registry?, _, _) = source.location, config.trusted.contains(registry) { return true }
        return config.trusted.contains { !$0.isEmpty && source.text.hasPrefix($0) }
    }

    /// Shows what the plan will install — source, commit or SHA-256, what each declares it reads and
    /// writes, what it replaces and who required it — and asks, unless `yes` or every source is trusted.
    static func confirm(_ plan: InstallPlan, lock: PluginLock, config: QuarryConfig, yes: Bool) throws {
        let standard = PluginSearchPath.systemFolder
        for package in plan.staged {
            let m = package.manifest
            var lines = ["\(m.name) \(m.version) (\(m.kind.rawValue)) from \(package.source.text)"]
            if let reason = plan.wantedBy[m.name] { lines.append("  for      \(reason)") }
            if let commit = package.commit { lines.append("  commit   \(commit)") }
            if let sha = package.sha256 { lines.append("  sha256   \(sha)") }
            lines.append("  reads    " + (m.reads.isEmpty ? "nothing declared" : m.reads.joined(separator: ", ")))
            lines.append("  writes   " + (m.writes.isEmpty ? "nothing declared" : m.writes.joined(separator: ", ")))
            let replaces = lock.entry(m.name).map { " (replaces \($0.version))" } ?? ""
            lines.append("  into     \(package.target)\(replaces)")
            Terminal.write(lines.joined(separator: "\n") + "\n")
            let hidden = (standard as NSString).appendingPathComponent(m.name)
            if FileManager.default.fileExists(atPath: hidden) || FileManager.default.fileExists(atPath: hidden + ".lua")
            {
                Terminal.warning("'\(m.name)' from \(package.source.text) will shadow the standard plugin at \(hidden)")
            }
        }
        if yes || plan.staged.allSatisfy({ isTrusted($0.source, config: config) }) { return }
        guard isatty(0) == 1 else {
            throw CommandFailure.usage(
                "standard input is not a terminal: give --yes to install without asking (or list the source under `trusted` in quarry.toml)"
            )
        }
        Terminal.write("Install \(plan.staged.count == 1 ? "it" : "them")? [y/N] ")
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else { throw CommandFailure.failed("nothing installed") }
    }

    /// Renames every staged package into place, recording each in quarry.lock as soon as it is there.
    static func installAll(_ plan: inout InstallPlan, lock: inout PluginLock, installer: PackageInstaller) throws {
        while let package = plan.takeFirst() {
            try installer.install(package)
            lock.record(package.lockEntry)
            try lock.write(to: installer.lockPath)
            print("installed \(package.manifest.name) \(package.manifest.version) into \(package.target)")
        }
    }

    // MARK: - install

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Install plugin packages and pin them in quarry.lock; with no SOURCE, restore what quarry.lock says.",
            discussion: """
                SOURCE is a folder, a .zip or .tar.gz archive, or a git URL (file://, https://, ssh://, \
                git@host:path) with an optional @TAG, @BRANCH or @COMMIT; any of them may end with #SUB/FOLDER, \
                the plugin's folder inside a repository or archive of several. Or [REGISTRY:]NAME[@CONSTRAINT] \
                (e.g. weekly-brief@^1.2): the newest version that fits from the registries named in \
                quarry.toml, checked against the index's SHA-256. What the packages require is installed too \
                when no installed plugin has a version that fits. A package is a plugin folder with \
                init.lua at its top (an archive holding a single folder is that folder). Each package is \
                fetched, staged next to its target, its manifest checked, then renamed into place: never half a \
                plugin, and an installed one stays as it was if anything fails. install shows the source, commit \
                and what the plugin declares it reads and writes, and asks before installing (--yes to skip, \
                required when standard input is not a terminal, unless every source is listed under `trusted` \
                in quarry.toml). Plugins go into ./Plugins, or the user's folder \
                with --user; quarry.lock (next to quarry.toml) records name, version, source, commit or archive \
                SHA-256 and folder hash. Without SOURCE, every plugin in quarry.lock is installed from its source \
                at its commit, and must hash to what the lock says.
                """)

        @Argument(help: "Folders, archives, git URLs or registry names (default: restore quarry.lock).")
        var sources: [String] = []

        @Flag(help: "Install into the user's folder ($XDG_DATA_HOME/quarry/plugins) instead of ./Plugins.")
        var user = false

        @Flag(name: [.customShort("y"), .long], help: "Install without asking.")
        var yes = false

        func run() throws {
            let config = try QuarryConfig.load()
            let installer = try Plugins.installer(config: config)
            var lock = try PluginLock.read(at: installer.lockPath) ?? PluginLock()
            Plugins.recover(installer)
            if sources.isEmpty {
                try restore(lock, installer: installer, config: config)
                return
            }
            let parsed = try sources.map { try PackageSource.parse($0, baseFolder: installer.projectFolder) }
            var plan = try Plugins.plan(installer: installer, config: config)
            defer { plan.discard() }
            for source in parsed {
                let package = try plan.stage(source, scope: user ? .user : .project)
                try Self.checkOrigin(package, lock: lock)
            }
            try plan.addRequirements()
            try Plugins.confirm(plan, lock: lock, config: config, yes: yes)
            try Plugins.installAll(&plan, lock: &lock, installer: installer)
        }

        /// A plugin installed from one source is not silently replaced from another.
        static func checkOrigin(_ package: StagedPackage, lock: PluginLock) throws {
            if let locked = lock.entry(package.manifest.name), let was = try? PackageSource.parse(locked.source),
                origin(was) != origin(package.source)
            {
                throw PackageError(
                    .badInput, package.source.text,
                    "'\(package.manifest.name)' is installed from \(locked.source); run `quarry plugins remove \(package.manifest.name)` first to install it from another source"
                )
            }
        }

        /// A source without its ref: installing it again at another ref replaces the plugin.
        static func origin(_ source: PackageSource) -> String {
            switch source.location {
            case .git(let url, _): url + "#" + (source.subfolder ?? "")
            case .registry(let registry, let name, _): "registry \(registry ?? "") \(name)"
            default: source.text
            }
        }

        /// Installs every plugin of the lock that is missing or differs, from its source at its commit.
        func restore(_ lock: PluginLock, installer: PackageInstaller, config: QuarryConfig) throws {
            guard FileManager.default.fileExists(atPath: installer.lockPath) else {
                throw CommandFailure.usage(
                    "no \(PluginLock.fileName) in \(installer.projectFolder): give a SOURCE to install")
            }
            for entry in lock.plugins {
                let target = (installer.folder(for: entry.scope) as NSString).appendingPathComponent(entry.name)
                if PluginLock.differences(entry, installedAt: target, hasher: { SHA256.hex($0) }).isEmpty {
                    print("\(entry.name) \(entry.version): as locked")
                    continue
                }
                var source = try PackageSource.parse(entry.source)
                if let commit = entry.commit { source = source.pinned(commit: commit) }
                var plan = try Plugins.plan(installer: installer, config: config)
                defer { plan.close() }
                var package = try plan.stage(source, scope: entry.scope)
                package.constraint = entry.constraint
                if let sha = entry.sha256, package.sha256 != sha {
                    installer.discard(package)
                    throw PackageError(
                        .badInput, entry.source,
                        "the archive's SHA-256 is \(package.sha256 ?? "none"), quarry.lock says \(sha)")
                }
                guard package.manifest.name == entry.name else {
                    installer.discard(package)
                    throw PackageError(
                        .badInput, entry.source,
                        "holds plugin '\(package.manifest.name)', quarry.lock says '\(entry.name)'")
                }
                guard package.hash.hash == entry.folderHash else {
                    installer.discard(package)
                    let files = FolderHash(files: entry.files, hasher: { SHA256.hex($0) }).differences(
                        from: package.hash
                    )
                    .map { "\($0.path) \($0.change)" }.joined(separator: ", ")
                    throw PackageError(
                        .badInput, entry.source,
                        "'\(entry.name)' does not match quarry.lock (folder hash \(package.hash.hash), locked \(entry.folderHash)\(files.isEmpty ? "" : "; " + files))"
                    )
                }
                try installer.install(package)
                print("installed \(entry.name) \(entry.version) into \(target) (as locked)")
            }
        }
    }

    // MARK: - remove

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an installed plugin and its entry in quarry.lock.")

        @Argument(help: "The plugin's name.")
        var name: String

        @Flag(help: "Remove it from the user's folder (default: where quarry.lock says, else ./Plugins).")
        var user = false

        func run() throws {
            let installer = try Plugins.installer(config: try QuarryConfig.load())
            var lock = try PluginLock.read(at: installer.lockPath)
            let scope = user ? .user : lock?.entry(name)?.scope ?? .project
            try installer.remove(name, scope: scope)
            if lock?.entry(name) != nil {
                lock!.remove(name)
                try lock!.write(to: installer.lockPath)
            }
            print("removed \(name) from \(installer.folder(for: scope))")
        }
    }

    // MARK: - verify

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the installed plugins against quarry.lock, naming every file that differs.",
            discussion:
                "Exit code 0 when every locked plugin is installed as locked, 1 when one differs, 2 without quarry.lock."
        )

        func run() throws {
            let installer = try Plugins.installer(config: try QuarryConfig.load())
            guard let lock = try PluginLock.read(at: installer.lockPath) else {
                throw CommandFailure.usage("no \(PluginLock.fileName) in \(installer.projectFolder)")
            }
            var differing = 0
            for entry in lock.plugins {
                let folder = (installer.folder(for: entry.scope) as NSString).appendingPathComponent(entry.name)
                let differences = PluginLock.differences(entry, installedAt: folder, hasher: { SHA256.hex($0) })
                if differences.isEmpty {
                    print("\(entry.name) \(entry.version): ok")
                } else {
                    differing += 1
                    print("\(entry.name) \(entry.version): differs from \(PluginLock.fileName)")
                    for difference in differences { print("  \(difference)") }
                }
            }
            if differing > 0 {
                throw CommandFailure.failed(
                    "\(differing) plugin\(differing == 1 ? "" : "s") differ\(differing == 1 ? "s" : "") from \(PluginLock.fileName)"
                )
            }
        }
    }
}
