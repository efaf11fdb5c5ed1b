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
            JSON line each, for pipes. Runs in the sandbox unless --unsafe is given. The code may start \
            with a Lua comment (`-- ...`), follow `--`, come from a file (`-f FILE`, and then every argument \
            is a document) or from standard input (`-` as the code); it is run as the bytes it is. \
            --select EXPR runs those plugins (with their options, --set) on each document first, so the \
            snippet sees their annotations and fields; a plugin that fails is reported and the snippet still \
            runs with what the others did.
            """
    )

    @Argument(
        help: ArgumentHelp(
            "Lua code (an expression or statements; - reads it from standard input), then documents to run it "
                + "on: files, folders, globs, or - for standard input.",
            valueName: "code-and-paths"))
    var arguments: [String] = []

    @Option(name: [.short, .customLong("file")], help: "Read the Lua code from this file (- for standard input).")
    var file: String?

    /// Code that starts with `--` (a Lua comment), moved here by `protectingCode` before parsing.
    @Option(name: .customLong("code"), help: .hidden)
    var codeArgument: String?

    @Flag(name: [.short, .long], help: "Print strings as they are, a list an item a line, tables as JSON lines.")
    var raw = false

    @OptionGroup var lua: LuaLimitOptions
    @OptionGroup var reading: ReaderFlags
    /// --select: plugins to run on each document before the snippet (with --plugins and --set).
    @OptionGroup var pick: PluginPickFlags

    /// The argument parser takes any argument that starts with `--` for an option; code that starts with a
    /// Lua comment (`quarry eval "$(cat x.lua)"`) is passed on as the hidden `--code` option instead. An
    /// argument is code when what follows `--` is not an option name (letters, digits and `-`, up to `=`).
    static func protectingCode(_ arguments: [String]) -> [String] {
        guard arguments.first == "eval" else { return arguments }
        var out = [arguments[0]]
        var done = false
        for argument in arguments.dropFirst() {
            if done || argument == "--" {
                done = true
                out.append(argument)
                continue
            }
            if argument.hasPrefix("--") {
                let name = argument.dropFirst(2).prefix { $0 != "=" }
                let optionLike =
                    !name.isEmpty
                    && name.utf8.allSatisfy { c in
                        (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) || c == 45
                    }
                if !optionLike {
                    out.append("--code=" + argument)
                    continue
                }
            }
            out.append(argument)
        }
        return out
    }

    /// The code's bytes and the documents, from `-f`, `--code` or the first argument.
    func codeAndPaths() throws -> (code: [UInt8], paths: [String]) {
        var paths = arguments
        let code: [UInt8]
        if let file {
            if codeArgument != nil { throw CommandFailure.usage("give the code either with -f or as an argument") }
            code = try Self.read(file)
        } else if let codeArgument {
            code = Self.rawBytes(of: codeArgument)
        } else {
            guard !paths.isEmpty else {
                throw CommandFailure.usage("missing the Lua code (an argument, - for standard input, or -f FILE)")
            }
            let first = paths.removeFirst()
            code = first == "-" ? try Self.read("-") : Self.rawBytes(of: first)
        }
        let codeFromInput = file == "-" || (file == nil && codeArgument == nil && arguments.first == "-")
        if codeFromInput, paths.contains("-") {
            throw CommandFailure.usage("standard input cannot hold both the code and a document")
        }
        return (code, paths)
    }

    /// A file's bytes, or standard input's for `-`.
    static func read(_ path: String) throws -> [UInt8] {
        if path == "-" { return Array(FileHandle.standardInput.readDataToEndOfFile()) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.usage("\(path): no such file")
        }
        return Array(data)
    }

    /// The bytes of the command-line argument that reads as `text`: an argument that is not valid UTF-8
    /// reaches Swift repaired (U+FFFD), while Lua code is run as the bytes it was given.
    static func rawBytes(of text: String) -> [UInt8] {
        for index in 0..<Int(CommandLine.argc) {
            guard let pointer = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeBufferPointer(start: pointer, count: strlen(pointer))).map { UInt8(bitPattern: $0) }
            if String(decoding: bytes, as: UTF8.self) == text { return bytes }
        }
        return Array(text.utf8)
    }

    func run() throws {
        let (code, paths) = try codeAndPaths()
        let configuration = lua.configuration()
        let session = try LuaCommand.session(
            configuration, name: "eval", folder: FileManager.default.currentDirectoryPath)
        let chunk: LuaRef
        do {
            chunk = try session.compileSnippet(bytes: code, chunkName: "(eval)")
        } catch let error as LuaError {
            throw CommandFailure.usage("syntax error: \(error.description)")
        }
        let plugins = try SnippetPlugins.make(pick, configuration: configuration)
        if plugins != nil && paths.isEmpty {
            throw CommandFailure.usage("--select runs plugins on documents: give the documents to run on")
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
            case .document(var document):
                if several { print("== \(document.id)") }
                if let plugins {
                    let applied = plugins.apply(document)
                    document = applied.document
                    failures += applied.failures > 0 ? 1 : 0
                }
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
    static func session(_ configuration: LuaVM.Configuration, name: String, folder: String?) throws -> ScriptSession {
        do {
            let session = try ScriptSession(configuration: configuration, name: name, folder: folder)
            session.vm.printBytesHandler = { _, bytes in writeLine(bytes) }  // Lua's print writes bytes
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
                for item in items { writeLine(rawLine(item)) }
            } else {
                writeLine(rawLine(value))
            }
        }
    }

    /// One value as `--raw` prints it: a string as its bytes, a table as a line of JSON, anything else as usual.
    static func rawLine(_ value: LuaValue) -> [UInt8] {
        switch value {
        case .string(let s): return Array(s.utf8)
        case .bytes(let b): return b
        case .array, .object: return Array((value.jsonValue.map(\.description) ?? value.render(indent: nil)).utf8)
        default: return Array(value.render().utf8)
        }
    }

    /// Writes a line of bytes as they are (a Lua string need not be UTF-8), after what `print` has buffered.
    static func writeLine(_ bytes: [UInt8]) {
        fflush(nil)
        FileHandle.standardOutput.write(Data(bytes + [10]))
    }
}
