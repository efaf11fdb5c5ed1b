// `quarry script FILE.lua [PATH ...]`: an analysis script over documents. The script may define
// `process(doc)` (called per document) and `finish()` (called once at the end), or iterate
// `quarry.documents()` itself.
import ArgumentParser
import DocumentModel
import Foundation
import LuaBridge
import PluginHost

struct Script: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Lua analysis script over documents.",
        discussion: """
            The script runs once, top to bottom; it can loop over `quarry.documents()` itself. If it \
            defines a global `process(doc)`, that runs for every document (read one at a time), and a \
            global `finish()` runs after the last; what `finish` returns is printed. `require` and data \
            files are found in the script's folder; `--arg name=value` puts values in the global table \
            `args`. Runs in the sandbox unless --unsafe is given.
            """
    )

    @Argument(help: "The script (a .lua file).")
    var file: String

    @Argument(help: "Documents: files, folders, globs, or - for standard input.")
    var paths: [String] = []

    @Option(
        name: .customLong("arg"),
        help: ArgumentHelp("A value for the script, in its global table `args` (repeatable).", valueName: "name=value"))
    var arguments: [String] = []

    @OptionGroup var lua: LuaLimitOptions
    @OptionGroup var reading: ReaderFlags

    func validate() throws {
        for argument in arguments where argument.firstIndex(of: "=").map({ $0 == argument.startIndex }) ?? true {
            throw ValidationError("--arg '\(argument)': expected NAME=VALUE")
        }
    }

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CommandFailure.usage("\(file): no such file")
        }
        let url = URL(fileURLWithPath: file)
        let name = url.deletingPathExtension().lastPathComponent
        let session = try LuaCommand.session(
            lua.configuration(), name: name, folder: url.deletingLastPathComponent().path)
        let stream = try DocumentStream(paths: paths, flags: reading)
        var failures = 0
        let next: () throws -> Document? = {
            while let result = stream.next() {
                switch result {
                case .document(let document): return document
                case .failure(let failure):
                    Terminal.error(failure.description)
                    failures += 1
                }
            }
            return nil
        }
        session.runtime.documentSource = next
        var given: [String: LuaValue] = [:]
        for argument in arguments {
            let equals = argument.firstIndex(of: "=")!
            given[String(argument[..<equals])] = .string(String(argument[argument.index(after: equals)...]))
        }
        try session.environment.set("args", .object(given))
        let chunk: LuaRef
        do {
            chunk = try session.vm.load(bytes: Array(data), chunkName: file, environment: session.environment)
        } catch let error as LuaError {
            throw CommandFailure.usage("syntax error: \(error.description)")
        }
        do {
            LuaCommand.printResults(try session.run(chunk))
            if let process = try session.function(named: "process") {
                while let document = try next() {
                    do {
                        try session.bind(document)
                        _ = try session.runWithDocument(process)
                    } catch let error as LuaError {
                        Terminal.error("\(document.id): \(error.fullDescription)")
                        failures += 1
                    }
                }
                try session.bind(nil)
            }
            if let finish = try session.function(named: "finish") {
                LuaCommand.printResults(try session.run(finish))
            }
        } catch let error as LuaError {
            throw CommandFailure.failed(error.fullDescription)
        }
        if failures > 0 {
            throw CommandFailure.failed("\(failures) document\(failures == 1 ? "" : "s") failed")
        }
    }
}
