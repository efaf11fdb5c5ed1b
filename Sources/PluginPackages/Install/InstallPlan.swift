// InstallPlan: what one `quarry plugins install` / `update` will put in place — the packages asked for,
// resolved (a registry name to one published version, checked against the index's SHA-256 or commit),
// staged and validated, then what they require that is not installed in a version that fits: from the
// same registry, a sibling folder of the same repository or archive, or any registry named. A conflict
// (two plugins wanting versions of a third that no version satisfies both) says who wants what.
import Foundation
import PluginHost

public struct InstallPlan {
    public var installer: PackageInstaller
    /// The registries named in quarry.toml and the user's config, in order.
    public var registries: [Registry]
    /// The plugins found on the search path now (installed and standard).
    public var installed: PluginCatalog
    /// Packages staged so far, in order.
    public private(set) var staged: [StagedPackage] = []
    /// Name → who asked for it ("weekly-brief (requires 'entities >= 2')"), for required packages.
    public private(set) var wantedBy: [String: String] = [:]
    private var opened: [String: OpenRegistry] = [:]

    public init(installer: PackageInstaller, registries: [Registry], installed: PluginCatalog) {
        self.installer = installer
        self.registries = registries
        self.installed = installed
    }

    /// Removes what was staged and the registry clones.
    public mutating func discard() {
        for package in staged { installer.discard(package) }
        staged = []
        close()
    }

    /// Removes the registry clones (call when done).
    public mutating func close() {
        for registry in opened.values { registry.close() }
        opened = [:]
    }

    /// Throws away one staged package (`update` found it unchanged).
    public mutating func discard(named name: String) {
        for package in staged where package.manifest.name == name { installer.discard(package) }
        staged.removeAll { $0.manifest.name == name }
    }

    /// Takes the next staged package out of the plan (to install it).
    public mutating func takeFirst() -> StagedPackage? { staged.isEmpty ? nil : staged.removeFirst() }

    // MARK: - Registries

    mutating func open(_ registry: Registry) throws(PackageError) -> OpenRegistry {
        if let open = opened[registry.name] { return open }
        let scratch = installer.folder(for: .project)
        try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let open = try registry.open(scratchParent: scratch)
        opened[registry.name] = open
        return open
    }

    /// The registries a registry source may come from: the one it names, else all.
    func candidates(_ name: String?, for source: String) throws(PackageError) -> [Registry] {
        guard let name else {
            guard !registries.isEmpty else {
                throw PackageError(
                    .badInput, source,
                    "no such folder or file, and no registry is named (add [registries] to quarry.toml, e.g. team = \"/srv/quarry-registry\")"
                )
            }
            return registries
        }
        guard let registry = registries.first(where: { $0.name == name }) else {
            let names = registries.map(\.name)
            let hint = suggestion(for: name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw PackageError(
                .badInput, source,
                "no registry named '\(name)'\(hint); registries named: \(names.isEmpty ? "none" : names.joined(separator: ", "))"
            )
        }
        return [registry]
    }

    /// The published version a registry source stands for: the newest that fits, over the registries it
    /// may come from.
    public mutating func resolve(_ source: PackageSource) throws(PackageError) -> (OpenRegistry, RegistryIndex.Entry) {
        guard case .registry(let registryName, let name, let constraintText) = source.location else {
            throw PackageError(.badInput, source.text, "not a registry source")
        }
        let constraint = constraintText.flatMap(VersionConstraint.parse)
        var best: (OpenRegistry, RegistryIndex.Entry)?
        var published: [String] = []
        var tooNew: [String] = []
        for registry in try candidates(registryName, for: source.text) {
            let open = try open(registry)
            let versions = open.index.versions(of: name)
            published += versions.map { "\($0.version) in \(registry.name)" }
            tooNew += versions.filter { !$0.fitsThisQuarry }.map { "\($0.version) needs Lua API \($0.quarry ?? "?")" }
            guard let entry = open.index.best(name, constraint: constraint) else { continue }
            if let current = best, let a = current.1.semanticVersion, let b = entry.semanticVersion, a >= b { continue }
            best = (open, entry)
        }
        if let best { return best }
        if published.isEmpty {
            let names = Set(opened.values.flatMap { $0.index.entries.map(\.name) }).sorted()
            let hint = suggestion(for: name, in: names).map { " (did you mean '\($0)'?)" } ?? ""
            throw PackageError(.badInput, source.text, "no registry has a plugin named '\(name)'\(hint)")
        }
        let why =
            tooNew.isEmpty ? "" : "; " + tooNew.joined(separator: ", ") + " (this quarry has \(QuarryAPI.apiVersion))"
        throw PackageError(
            .badInput, source.text,
            "no published version of '\(name)' fits \(constraintText ?? "this quarry") (published: \(published.joined(separator: ", "))\(why))"
        )
    }

    // MARK: - Staging

    /// Fetches, checks and stages one source; a registry source is resolved first and checked against
    /// the index. Returns the staged package (also kept in the plan).
    @discardableResult
    public mutating func stage(_ source: PackageSource, scope: PluginLock.Scope) throws(PackageError) -> StagedPackage {
        var package: StagedPackage
        if case .registry(_, let name, let constraint) = source.location {
            let (open, entry) = try resolve(source)
            package = try installer.stage(try open.source(of: entry), scope: scope)
            let mismatch: String? =
                if let sha = entry.sha256, package.sha256 != sha {
                    "the archive's SHA-256 is \(package.sha256 ?? "none"), the index says \(sha)"
                } else if let commit = entry.commit, package.commit != commit, entry.sha256 == nil {
                    "the commit is \(package.commit ?? "none"), the index says \(commit)"
                } else if package.manifest.name != name || package.manifest.version != entry.version {
                    "the package holds \(package.manifest.name) \(package.manifest.version), the index says \(name) \(entry.version)"
                } else { nil }
            if let mismatch {
                installer.discard(package)
                throw PackageError(.badInput, "\(open.registry.name):\(name)@\(entry.version)", mismatch)
            }
            package.source = PackageSource.registry(open.registry.name, name: name, constraint: entry.version)
            package.constraint = constraint
            package.commit = nil
        } else {
            package = try installer.stage(source, scope: scope)
        }
        if let other = staged.first(where: { $0.manifest.name == package.manifest.name }) {
            installer.discard(package)
            throw PackageError(
                .badInput, source.text,
                "a package named '\(package.manifest.name)' also comes from \(other.source.text); install one of them")
        }
        staged.append(package)
        return package
    }

    /// Stages what the staged packages require and is not installed in a version that fits, transitively.
    public mutating func addRequirements() throws(PackageError) {
        var next = 0
        while next < staged.count {
            let package = staged[next]
            next += 1
            for requirement in package.manifest.requirements {
                try satisfy(requirement, of: package)
            }
        }
    }

    private mutating func satisfy(_ requirement: Requirement, of package: StagedPackage) throws(PackageError) {
        let name = requirement.name
        let asker = "\(package.manifest.name) (requires '\(requirement.description)')"
        func fits(_ version: String) -> Bool {
            guard let constraint = requirement.constraint else { return true }
            return VersionConstraint.version(version).map(constraint.allows) ?? false
        }
        if let coming = staged.first(where: { $0.manifest.name == name }) {
            guard fits(coming.manifest.version) else {
                let reason = wantedBy[name].map { ", for \($0)" } ?? ""
                throw PackageError(
                    .badInput, package.source.text,
                    "conflict: \(asker), but \(name) \(coming.manifest.version) is being installed from \(coming.source.text)\(reason)"
                )
            }
            return
        }
        let present = installed.plugin(name)
        if let present, fits(present.version) { return }
        let source: PackageSource
        switch package.source.location {
        case .registry(let registry, _, _):
            source = PackageSource.registry(registry, name: name, constraint: requirement.constraint?.text)
        case _ where package.source.subfolder != nil:
            // A sibling folder of the same repository or archive (`…#plugins/weekly-brief` → `…#plugins/entities`).
            let sibling = ((package.source.subfolder! as NSString).deletingLastPathComponent as NSString)
                .appendingPathComponent(name)
            var text = package.source.text
            text.removeLast(package.source.subfolder!.count)
            source = try PackageSource.parse(text + sibling)
        default:
            guard !registries.isEmpty else {
                let found = present.map { ", but \(name) is \($0.version) (\($0.file))" } ?? ", which is not installed"
                throw PackageError(
                    .badInput, package.source.text,
                    "\(asker)\(found); install it too (no registry is named to find it in)")
            }
            source = PackageSource.registry(nil, name: name, constraint: requirement.constraint?.text)
        }
        let staged: StagedPackage
        do {
            staged = try stage(source, scope: package.scope)
        } catch {
            let found =
                present.map { ", but \(name) \($0.version) is installed (\($0.file))" }
                ?? ", which is not installed here"
            throw PackageError(.badInput, package.source.text, "\(asker)\(found); \(error.message)")
        }
        guard fits(staged.manifest.version) else {
            throw PackageError(
                .badInput, package.source.text,
                "\(asker), but \(source.text) holds \(name) \(staged.manifest.version)")
        }
        wantedBy[name] = asker
    }
}
