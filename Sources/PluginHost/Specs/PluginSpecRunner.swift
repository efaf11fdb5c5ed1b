// PluginSpecRunner: runs a plugin's Lua specs (`spec/*_spec.lua`), each file in a fresh sandboxed VM
// with the spec library; `run(...)` and `finish(...)` drive the plugin through a PluginSet.
// `quarry plugins test` prints what it reports.
import DocumentModel
import Foundation
import LuaBridge
import TextAnalysis

/// The outcome of one test of a plugin spec.
public struct SpecResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        case passed, failed, skipped
    }

    /// The plugin under test.
    public var plugin: String
    /// The spec file.
    public var file: String
    /// The names of the enclosing `describe` blocks, then the test's own name.
    public var names: [String]
    public var status: Status
    /// Why it failed (without the location).
    public var message: String?
    /// `file:line` of the failure, when known.
    public var location: String?
    /// The Lua traceback, without the spec library's own frames.
    public var traceback: String?

    public init(
        plugin: String, file: String, names: [String], status: Status, message: String? = nil,
        location: String? = nil, traceback: String? = nil
    ) {
        self.plugin = plugin
        self.file = file
        self.names = names
        self.status = status
        self.message = message
        self.location = location
        self.traceback = traceback
    }

    /// `describe › describe › it`.
    public var fullName: String { names.joined(separator: " › ") }
}

/// Runs plugin specs.
public final class PluginSpecRunner {
    /// Reads a fixture file into a document (the command line reads every format; the default reads text).
    public typealias FixtureReader = (_ path: String) throws -> Document

    public let catalog: PluginCatalog
    public let configuration: LuaVM.Configuration
    /// Where `print` in specs and plugins goes.
    public var printHandler: (String) -> Void = { print($0) }
    /// Where `quarry.log` lines go: the plugin, the level, the message.
    public var logHandler: (String, LogLevel, String) -> Void = { _, _, _ in }
    private let readFixture: FixtureReader

    public init(
        catalog: PluginCatalog, configuration: LuaVM.Configuration = LuaVM.Configuration(),
        readFixture: FixtureReader? = nil
    ) {
        self.catalog = catalog
        self.configuration = configuration
        self.readFixture =
            readFixture ?? { path in
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                return try Analyzer.analyze(bytes: bytes, id: URL(fileURLWithPath: path).lastPathComponent, path: path)
            }
    }

    // MARK: - Finding specs

    /// Whether the plugin lives in a folder of its own (`NAME/init.lua`) rather than a single file.
    static func hasOwnFolder(_ plugin: PluginManifest) -> Bool {
        URL(fileURLWithPath: plugin.file).lastPathComponent == "init.lua" && plugin.folder != plugin.pluginsFolder
    }

    /// The folder of a plugin's specs: `NAME/spec/`, or `spec/` next to a single-file plugin.
    public static func specFolder(for plugin: PluginManifest) -> String {
        let base = hasOwnFolder(plugin) ? plugin.folder : plugin.pluginsFolder
        return (base as NSString).appendingPathComponent("spec")
    }

    /// The spec files of a plugin, sorted: every `*_spec.lua` under `NAME/spec/` for a folder plugin,
    /// `spec/NAME_spec.lua` for a single-file one.
    public static func specFiles(for plugin: PluginManifest) -> [String] {
        let folder = specFolder(for: plugin)
        guard hasOwnFolder(plugin) else {
            let file = (folder as NSString).appendingPathComponent("\(plugin.name)_spec.lua")
            return FileManager.default.fileExists(atPath: file) ? [file] : []
        }
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if relative.hasSuffix("_spec.lua") { files.append((folder as NSString).appendingPathComponent(relative)) }
        }
        return files.sorted()
    }

    // MARK: - Running

    /// Runs every spec file of `plugin`, reporting each test as it finishes.
    /// - Returns: every result, in order.
    @discardableResult
    public func run(_ plugin: PluginManifest, report: (SpecResult) -> Void = { _ in }) -> [SpecResult] {
        var results: [SpecResult] = []
        for file in Self.specFiles(for: plugin) {
            runFile(file, plugin: plugin) { result in
                results.append(result)
                report(result)
            }
        }
        return results
    }

    /// Runs one spec file in a fresh VM.
    public func runFile(_ file: String, plugin: PluginManifest, report: (SpecResult) -> Void) {
        func fileFailure(_ message: String, _ error: Error? = nil) {
            var result = SpecResult(
                plugin: plugin.name, file: file, names: [(file as NSString).lastPathComponent],
                status: .failed, message: message)
            if let error = error as? LuaError {
                Self.describe(error, into: &result)
                result.message = message + ": " + (result.message ?? "")
            } else if let error {
                result.message = message + ": \(error)"
            }
            report(result)
        }
        guard let source = FileManager.default.contents(atPath: file).map(Array.init) else {
            return fileFailure("cannot read the spec file")
        }
        let limits = LuaVM.CallLimits(instructionLimit: configuration.instructionLimit, timeout: configuration.timeout)
        let vm: LuaVM
        let control: LuaRef
        // The API's functions hold their runtime unowned: it lives as long as the spec runs.
        let runtime: QuarryRuntime
        do {
            vm = try LuaVM(configuration)
            vm.printHandler = { [printHandler] _, text in printHandler(text) }
            runtime = try QuarryRuntime(vm: vm)
            runtime.logHandler = logHandler
            runtime.currentPlugin = plugin.name
            let folder = Self.specFolder(for: plugin)
            let environment = try vm.makeEnvironment(
                name: "\(plugin.name) spec", requireRoots: [folder] + plugin.requireRoots)
            try runtime.install(in: environment, plugin: PluginScope(name: plugin.name, folder: folder))
            let driver = SpecDriver(plugin: plugin, runner: self)
            let run = vm.function("run") { call in try driver.run(call) }
            let finish = vm.function("finish") { call in try driver.finish(call) }
            let library = try vm.load(SpecLibrary.source, chunkName: SpecLibrary.chunkName, environment: environment)
            guard let table = try vm.callReturningReferences(library, arguments: [.ref(run), .ref(finish)]).first else {
                return fileFailure("the spec library did not start")
            }
            control = table
            let chunk = try vm.load(
                bytes: source, chunkName: Self.displayName(file, plugin: plugin), environment: environment)
            _ = try vm.call(chunk, limits: limits, lenient: true)
        } catch {
            return fileFailure("could not load the spec", error)
        }
        defer { withExtendedLifetime(runtime) {} }
        do {
            guard let count = try call(vm, control, "count").first?.intValue else { return }
            if count == 0 { return fileFailure("the spec defines no tests (use describe and it)") }
            var broken: String?
            for i in 1...count {
                let info = try call(vm, control, "info", [.int(i)])
                let names: [String] =
                    if case .array(let items)? = info.first { items.compactMap(\.stringValue) } else { ["test \(i)"] }
                var result = SpecResult(plugin: plugin.name, file: file, names: names, status: .passed)
                if info.count > 1, info[1] == .bool(true) {
                    result.status = .skipped
                } else if let broken {
                    result.status = .failed
                    result.message = "not run: \(broken)"
                } else {
                    do {
                        _ = try call(vm, control, "run", [.int(i)], limits: limits)
                    } catch {
                        result.status = .failed
                        result.message = Self.message(of: error)
                        if let error = error as? LuaError {
                            Self.describe(error, into: &result)
                            if error.kind != .runtime, (try? vm.run("return 1", chunkName: "=[health]")) != [.int(1)] {
                                broken =
                                    "the spec's Lua state stopped after '\(result.fullName)' (\(error.kind.rawValue))"
                            }
                        }
                    }
                    if broken == nil {
                        do {
                            _ = try call(vm, control, "cleanup", [.int(i)], limits: limits)
                        } catch  where result.status == .passed {
                            result.status = .failed
                            result.message = "after_each: " + Self.message(of: error)
                            if let error = error as? LuaError { Self.describe(error, into: &result) }
                        } catch {}
                    }
                }
                report(result)
            }
        } catch {
            fileFailure("the spec library failed", error)
        }
    }

    private func call(
        _ vm: LuaVM, _ control: LuaRef, _ name: String, _ arguments: [LuaValue] = [],
        limits: LuaVM.CallLimits? = nil
    ) throws -> [LuaValue] {
        guard let function = try vm.field(control, name) else { throw LuaError(kind: .runtime, message: "no \(name)") }
        return try vm.call(function, arguments, limits: limits, lenient: true)
    }

    // MARK: - Messages

    /// The spec's name in messages: relative to the current folder when inside it, else to the
    /// plugins folder (Lua shortens chunk names past 60 bytes to their end).
    static func displayName(_ file: String, plugin: PluginManifest) -> String {
        func relative(_ path: String, to folder: String) -> String? {
            let base = URL(fileURLWithPath: folder).standardizedFileURL.path
            let full = URL(fileURLWithPath: path).standardizedFileURL.path
            return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count + 1)) : nil
        }
        if let local = relative(file, to: FileManager.default.currentDirectoryPath), local.utf8.count < 58 {
            return local
        }
        return relative(file, to: plugin.pluginsFolder) ?? file
    }

    static func message(of error: Error) -> String {
        guard let error = error as? LuaError else { return "\(error)" }
        return error.description
    }

    /// Splits `file:line: message` into message and location, and keeps the useful traceback lines.
    static func describe(_ error: LuaError, into result: inout SpecResult) {
        var message = error.description
        if let match = message.firstMatch(of: #/^([^\n]+?):(\d+): /#) {
            result.location = "\(match.1):\(match.2)"
            message = String(message[match.range.upperBound...])
        } else if let chunk = error.chunk, let line = error.line, chunk != SpecLibrary.chunkName {
            result.location = "\(chunk):\(line)"
        }
        result.message = message
        if let traceback = error.traceback {
            let lines = traceback.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
                !$0.hasPrefix("[quarry spec]") && !$0.hasPrefix("[C]") && $0 != "stack traceback:"
                    && !$0.hasPrefix("(...tail")
            }
            let shown = lines.map { $0.replacingOccurrences(of: " in field 'fn'", with: " in the test") }
            if !shown.isEmpty { result.traceback = shown.joined(separator: "\n") }
        }
    }

    // MARK: - Documents and options for `run`

    /// The document `run(input)` works on: a fixture from `spec/fixtures/` or the text itself.
    func document(_ input: String, plugin: PluginManifest) throws -> Document {
        let fixtures = (Self.specFolder(for: plugin) as NSString).appendingPathComponent("fixtures")
        let looksLikeFile =
            !input.contains(where: { $0.isWhitespace })
            && input.range(of: #"\.[A-Za-z0-9]+$"#, options: .regularExpression) != nil
        if looksLikeFile {
            let path = ((fixtures as NSString).appendingPathComponent(input) as NSString).standardizingPath
            guard path.hasPrefix((fixtures as NSString).standardizingPath + "/") else {
                throw SpecFailure("fixture '\(input)' is outside spec/fixtures/")
            }
            guard FileManager.default.fileExists(atPath: path) else {
                throw SpecFailure(
                    "no fixture '\(input)' in \(fixtures) (pass text with a space or a newline to analyse it as is)")
            }
            return try readFixture(path)
        }
        return try Analyzer.analyze(text: input, id: "spec", path: "")
    }

    /// The plugin's defaults overridden by the spec's options, each checked against its declaration.
    static func options(_ given: JSONObject, for plugin: PluginManifest) throws -> JSONObject {
        var object = plugin.defaultOptions
        for (name, value) in given {
            guard let spec = plugin.option(name) else {
                let close =
                    suggestion(for: name, in: plugin.options.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
                throw SpecFailure("plugin '\(plugin.name)' has no option '\(name)'\(close)")
            }
            do {
                object[name] = try spec.check(value)
            } catch {
                throw SpecFailure(error.message)
            }
        }
        return object
    }

    /// The plugin after everything it requires, transitively, in run order.
    func chain(for plugin: PluginManifest) throws -> [PluginManifest] {
        var found: [String: PluginManifest] = [plugin.name: plugin]
        var queue = [plugin]
        while let next = queue.popLast() {
            for name in next.requires where found[name] == nil {
                guard let required = catalog.plugin(name) else {
                    throw SpecFailure("plugin '\(next.name)' requires '\(name)', which is not in the plugin folders")
                }
                found[name] = required
                queue.append(required)
            }
        }
        let ordered = catalog.plugins.filter { found[$0.name] != nil && $0.name != plugin.name } + [plugin]
        return try PluginSelection.order(ordered)
    }
}

/// A misuse of `run` or `finish` in a spec, reported as a Lua error.
struct SpecFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
