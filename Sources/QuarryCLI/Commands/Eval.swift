// `quarry eval 'CODE' [PATH ...]`: runs a Lua snippet (once, or once per document with `doc`
// bound) and prints what it returns.
import ArgumentParser
import DocumentModel
import Foundation
import LuaBridge
import PluginHost
import Readers

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Lua snippet, once or for each document, and print what it returns.",
        discussion: """
            With paths, the snippet runs once per document with the global `doc` bound to it; \
            without, it runs once. An expression is returned as it is (`quarry eval '#doc.tokens' a.txt`); \
            statements run as a chunk and may `return` values. Tables and spans are pretty-printed; with \
            --raw (like jq -r), strings print as they are, a list prints an item a line, and tables as one \
            JSON line each, for pipes. Runs in the sandbox unless --unsafe is given.
            """
    )

    @Argument(help: "Lua code: an expression or statements.")
    var code: String

    @Argument(help: "Documents to run it on: files, folders, globs, or - for standard input.")
    var paths: [String] = []

    @Flag(name: [.short, .long], help: "Print strings as they are, a list an item a line, tables as JSON lines.")
    var raw = false

    @OptionGroup var lua: LuaLimitOptions
    @OptionGroup var reading: ReaderFlags

    func run() throws {
        let session = try LuaCommand.session(lua, name: "eval", folder: FileManager.default.currentDirectoryPath)
        let chunk: LuaRef
        do {
            chunk = try session.compileSnippet(code, chunkName: "(eval)")
        } catch let error as LuaError {
            throw CommandFailure.usage("syntax error: \(error.description)")
        }
        if paths.isEmpty {
            do {
                LuaCommand.printResults(try session.run(chunk), raw: raw)
            } catch let error as LuaError {
                throw CommandFailure.failed(error.fullDescription)
            }
            return
        }
        var failures = 0
        let stream = try DocumentStream(paths: paths, flags: reading)
        var first: ReadResult? = stream.next()
        var second: ReadResult? = first == nil ? nil : stream.next()
        let several = second != nil
        while let result = first {
            first = second
            second = first == nil ? nil : stream.next()
            switch result {
            case .failure(let failure):
                Terminal.error(failure.description)
                failures += 1
            case .document(let document):
                if several { print("== \(document.id)") }
                do {
                    try session.bind(document)
                    LuaCommand.printResults(try session.run(chunk), raw: raw)
                } catch let error as LuaError {
                    Terminal.error("\(document.id): \(error.fullDescription)")
                    failures += 1
                }
            }
        }
        if failures > 0 {
            throw CommandFailure.failed("\(failures) document\(failures == 1 ? "" : "s") failed")
        }
    }
}

/// What the commands that run Lua share.
enum LuaCommand {
    static func session(_ lua: LuaLimitOptions, name: String, folder: String?) throws -> ScriptSession {
        do {
            let session = try ScriptSession(configuration: lua.configuration(), name: name, folder: folder)
            session.vm.printHandler = { _, text in print(text) }
            session.runtime.logHandler = { plugin, level, message in
                Terminal.write("[\(level.rawValue)] \(plugin): \(message)\n")
            }
            return session
        } catch let error as LuaError {
            throw CommandFailure.cannotRun("could not start Lua: \(error.message)")
        }
    }

    static func printResults(_ results: [LuaValue], raw: Bool = false) {
        for value in results {
            guard raw else {
                print(value.render())
                continue
            }
            if case .array(let items) = value {
                for item in items { print(rawLine(item)) }
            } else {
                print(rawLine(value))
            }
        }
    }

    /// One value as `--raw` prints it: a string as it is, a table as a line of JSON, anything else as usual.
    static func rawLine(_ value: LuaValue) -> String {
        switch value {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .array, .object: return value.jsonValue.map(\.description) ?? value.render(indent: nil)
        default: return value.render()
        }
    }
}
