// `quarry plugins search | publish | pack | outdated | update`: the team registry (index.toml in a shared
// folder or git repository, named in quarry.toml or the user's config) and keeping installed plugins
// current within the versions asked for.
import ArgumentParser
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import PluginPackages
import Readers

extension Plugins {
    /// The registry called `name`, or the only one when nil.
    static func registry(_ name: String?, config: QuarryConfig) throws -> Registry {
        let names = config.registries.map(\.name).joined(separator: ", ")
        guard let name else {
            guard config.registries.count == 1 else {
                throw CommandFailure.usage(
                    config.registries.isEmpty
                        ? "no registry is named: add [registries] to quarry.toml (e.g. team = \"/srv/quarry-registry\")"
                        : "several registries are named (\(names)): give --registry NAME")
            }
            return config.registries[0]
        }
        guard let registry = config.registries.first(where: { $0.name == name }) else {
            throw CommandFailure.usage(
                "no registry named '\(name)' (named in quarry.toml and the user's config: \(names.isEmpty ? "none" : names))"
            )
        }
        return registry
    }

    /// A scratch folder for registry clones.
    static var scratch: String { NSTemporaryDirectory() }

    // MARK: - search

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search the registries for plugins.",
            discussion:
                "Every WORD must appear in the plugin's name, description, categories or author (any case). Without WORDS, lists every plugin. Shows each plugin's newest version that works with this quarry."
        )

        @Argument(help: "Words to look for.")
        var words: [String] = []

        @Option(help: "Search only this registry.")
        var registry: String?

        @Flag(help: "One JSON object per plugin.")
        var json = false

        func run() throws {
            let config = try QuarryConfig.load()
            let registries = try registry.map { [try Plugins.registry($0, config: config)] } ?? config.registries
            guard !registries.isEmpty else { _ = try Plugins.registry(nil, config: config); return }
            var found = 0
            for registry in registries {
                let open = try registry.open(scratchParent: Plugins.scratch)
                defer { open.close() }
                for name in Set(open.index.entries.map(\.name)).sorted() {
                    let versions = open.index.versions(of: name)
                    guard let shown = open.index.best(name, constraint: nil) ?? versions.first else { continue }
                    let haystack = ([name, shown.description, shown.author ?? ""] + shown.categories)
                        .joined(separator: " ").lowercased()
                    guard words.allSatisfy({ haystack.contains($0.lowercased()) }) else { continue }
                    found += 1
                    if json {
                        let object: JSONValue = .object([
                            "name": .string(name), "version": .string(shown.version),
                            "registry": .string(registry.name), "description": .string(shown.description),
                            "categories": .array(shown.categories.map { .string($0) }),
                            "versions": .array(versions.map { .string($0.version) }),
                        ])
                        print(object.description)
                    } else {
                        let fits = shown.fitsThisQuarry ? "" : " (needs Lua API \(shown.quarry ?? "?"))"
                        print("\(registry.name):\(name) \(shown.version)\(fits)  \(shown.description)")
                    }
                }
            }
            if found == 0 && !json {
                Terminal.write("no plugin matches\(words.isEmpty ? "" : " '" + words.joined(separator: " ") + "'")\n")
            }
        }
    }

    // MARK: - pack

    struct Pack: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Pack a plugin into a reproducible NAME-VERSION.tar.gz.",
            discussion:
                "Sorted entries, fixed times and owners, no version-control folders: the same folder always gives the same bytes (and SHA-256). Prints the archive's path and SHA-256."
        )

        @Argument(help: "The plugin's name (found on the plugin search path).")
        var name: String

        @Option(name: .shortAndLong, help: "The archive to write (default: NAME-VERSION.tar.gz here).")
        var out: String?

        @OptionGroup var plugins: PluginFolderOptions

        func run() throws {
            let manifest = try Plugins.plugin(name, plugins: plugins)
            let bytes = try PackageArchive.pack(manifest.packagePath, top: "\(manifest.name)-\(manifest.version)")
            let path = out ?? "\(manifest.name)-\(manifest.version).tar.gz"
            do {
                try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CommandFailure.failed("\(path): cannot write the archive: \(error.localizedDescription)")
            }
            print("\(path)  sha256 \(SHA256.hex(bytes))")
        }
    }

    /// A plugin folder found on the search path, by name (a single-file plugin cannot be packed).
    static func plugin(_ name: String, plugins: PluginFolderOptions) throws -> PluginManifest {
        let catalog = try plugins.catalog()
        guard let manifest = catalog.plugin(name) else {
            if let problem = catalog.problems.first(where: {
                $0.file.hasSuffix("/\(name)/init.lua") || $0.file.hasSuffix("/\(name).lua")
            }) {
                throw CommandFailure.usage(problem.description)
            }
            let hint = suggestion(for: name, in: catalog.plugins.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
            throw CommandFailure.usage("no plugin named '\(name)' on the plugin search path\(hint)")
        }
        guard manifest.packagePath == manifest.folder else {
            throw CommandFailure.usage(
                "\(manifest.file) is a single-file plugin; make it a folder (\(name)/init.lua) to pack or publish it")
        }
        return manifest
    }

    // MARK: - publish

    struct Publish: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a plugin's current version to a registry.",
            discussion: """
                Packs the plugin (as `pack` does) into the registry's packages/NAME/NAME-VERSION.tar.gz and adds \
                the version to its index.toml, with the archive's SHA-256, the manifest's description, \
                categories, author, requires and Lua API gate. A git registry is cloned, committed to and pushed. \
                A published version never changes: publishing the same version with other content is refused \
                (raise `version` in the manifest); publishing it again unchanged does nothing.
                """)

        @Argument(help: "The plugin's name (found on the plugin search path).")
        var name: String

        @Option(help: "The registry (default: the only one named).")
        var registry: String?

        @OptionGroup var plugins: PluginFolderOptions

        func run() throws {
            let config = try QuarryConfig.load()
            let target = try Plugins.registry(registry, config: config)
            let manifest = try Plugins.plugin(name, plugins: plugins)
            let open = try target.open(scratchParent: Plugins.scratch)
            defer { open.close() }
            switch try open.publish(manifest, folder: manifest.folder, hasher: { SHA256.hex($0) }) {
            case .added(let entry):
                print("published \(entry.name) \(entry.version) to \(target.name) (sha256 \(entry.sha256 ?? ""))")
            case .alreadyThere(let entry):
                print("\(entry.name) \(entry.version) is already in \(target.name), unchanged")
            }
        }
    }

    // MARK: - outdated

    struct Outdated: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List installed plugins that have newer versions.",
            discussion: """
                For each plugin in quarry.lock: from a registry, the newest version within what was asked for \
                (WANTED, what `update` installs) and the newest published (LATEST); from a git branch, whether \
                the branch has moved. Exit code 0.
                """)

        func run() throws {
            let config = try QuarryConfig.load()
            let installer = try Plugins.installer(config: config)
            guard let lock = try PluginLock.read(at: installer.lockPath) else {
                throw CommandFailure.usage("no \(PluginLock.fileName) in \(installer.projectFolder)")
            }
            var plan = try Plugins.plan(installer: installer, config: config)
            defer { plan.close() }
            var rows: [[String]] = [["PLUGIN", "INSTALLED", "WANTED", "LATEST", "SOURCE"]]
            for entry in lock.plugins {
                let source = try PackageSource.parse(entry.source)
                switch source.location {
                case .registry(let registry, let name, _):
                    let wanted = try? plan.resolve(
                        .registry(registry, name: name, constraint: entry.constraint)
                    ).1.version
                    let latest = try? plan.resolve(.registry(registry, name: name, constraint: nil)).1.version
                    guard wanted != entry.version || latest != entry.version else { continue }
                    rows.append([entry.name, entry.version, wanted ?? "-", latest ?? "-", registry ?? ""])
                case .git(let url, let ref):
                    guard let commit = entry.commit, ref == nil || !Self.isCommit(ref!) else { continue }
                    let head = try RemoteRepository(source: entry.source).head(url: url, ref: ref)
                    guard let head, head != commit else { continue }
                    rows.append([
                        entry.name, String(commit.prefix(10)), String(head.prefix(10)), String(head.prefix(10)),
                        url + (ref.map { "@" + $0 } ?? ""),
                    ])
                default: continue
                }
            }
            if rows.count == 1 {
                print("every plugin in \(PluginLock.fileName) is up to date")
                return
            }
            print(Plugins.columns(rows))
        }

        static func isCommit(_ ref: String) -> Bool {
            ref.count >= 7 && ref.count <= 40 && ref.allSatisfy(\.isHexDigit) && ref.contains(where: \.isNumber)
        }
    }

    // MARK: - update

    struct Update: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Update installed plugins within the versions asked for, and quarry.lock with them.",
            discussion: """
                A plugin from a registry moves to the newest version its constraint allows (`install NAME@^1.2` \
                stays below 2); from a git branch, to the branch's head; from a folder or archive, to what is \
                there now. A git tag or commit stays (install another ref to move it). Shows and asks as \
                install does; what the new versions require is installed too.
                """)

        @Argument(help: "Plugins to update (default: every plugin in quarry.lock).")
        var names: [String] = []

        @Flag(name: [.customShort("y"), .long], help: "Update without asking.")
        var yes = false

        func run() throws {
            let config = try QuarryConfig.load()
            let installer = try Plugins.installer(config: config)
            guard var lock = try PluginLock.read(at: installer.lockPath) else {
                throw CommandFailure.usage("no \(PluginLock.fileName) in \(installer.projectFolder)")
            }
            for name in names where lock.entry(name) == nil {
                throw CommandFailure.usage("'\(name)' is not in \(PluginLock.fileName)")
            }
            Plugins.recover(installer)
            var plan = try Plugins.plan(installer: installer, config: config)
            defer { plan.discard() }
            for entry in lock.plugins where names.isEmpty || names.contains(entry.name) {
                let locked = try PackageSource.parse(entry.source)
                var source = locked
                switch locked.location {
                case .registry(let registry, let name, _):
                    source = .registry(registry, name: name, constraint: entry.constraint)
                    let best = try plan.resolve(source).1
                    guard best.version != entry.version else {
                        print("\(entry.name) \(entry.version): up to date")
                        continue
                    }
                case .git(_, let ref) where ref != nil && Outdated.isCommit(ref!):
                    print("\(entry.name) \(entry.version): pinned to commit \(ref!)")
                    continue
                default: break
                }
                let package = try plan.stage(source, scope: entry.scope)
                if package.hash.hash == entry.folderHash {
                    plan.discard(named: entry.name)
                    print("\(entry.name) \(entry.version): up to date")
                }
            }
            guard !plan.staged.isEmpty else { return }
            try plan.addRequirements()
            try Plugins.confirm(plan, lock: lock, config: config, yes: yes)
            try Plugins.installAll(&plan, lock: &lock, installer: installer)
        }
    }
}
