// `quarry repl [PATH]`: an interactive Lua prompt with `doc` loaded, line editing and history
// (libedit), multi-line input, pretty-printed results, and :help, :doc, :load, :quit.
import ArgumentParser
import CEdit
import DocumentModel
import Foundation
import LuaBridge
import PluginHost

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "An interactive Lua prompt, with `doc` bound to a document.",
        discussion: """
            Type Lua; expressions print their value. An unfinished chunk (an open `function`, `do`, \
            string...) continues on the next line. Commands: :help, :doc NAME (the API reference of \
            a function, e.g. :doc doc:find), :load FILE (run a file; a plugin's file runs as a run would run \
            it, on the document), :reload, :plugins, :annotations [TYPE], :quit. \
            --select EXPR runs those plugins (with --set) on the document first, so `doc:annotations{}` shows \
            their work. History is kept in ~/.quarry_history.
            """
    )

    @Argument(help: "A document to bind as `doc`.")
    var path: String?

    @OptionGroup var lua: LuaLimitOptions
    @OptionGroup var reading: ReaderFlags
    /// --select: plugins to run on the document before the prompt (with --plugins and --set).
    @OptionGroup var pick: PluginPickFlags

    func run() throws {
        let configuration = lua.configuration()
        let session = try LuaCommand.session(
            configuration, name: "repl", folder: FileManager.default.currentDirectoryPath)
        let state = ReplState(configuration: configuration)
        state.plugins = try SnippetPlugins.make(pick, configuration: configuration)
        if let path {
            let document = try DocumentStream.single(path, options: reading.readerOptions)
            state.original = document
            try session.bind(state.plugins.map { $0.apply(document).document } ?? document)
        } else if state.plugins != nil {
            throw CommandFailure.usage("--select runs plugins on a document: give the document")
        }
        let interactive = isatty(STDIN_FILENO) != 0
        let history = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".quarry_history").path
        if interactive {
            _ = read_history(history)
            print(
                "Quarry \(QuarryAPI.quarryVersion) (Lua API \(QuarryAPI.apiVersion)). :help for help, :quit to leave.")
            if let document = session.current?.document {
                print("doc = \(document.id): \(document.tokens.count) tokens, \(document.sentences.count) sentences")
            }
        }
        var buffer = ""
        var line = 0
        while let input = readLine(prompt: buffer.isEmpty ? "quarry> " : "   ...> ", interactive: interactive) {
            line += 1
            if buffer.isEmpty, input.hasPrefix(":") {
                if !command(input, session: session, state: state) { break }
                continue
            }
            buffer += (buffer.isEmpty ? "" : "\n") + input
            if buffer.trimmingCharacters(in: .whitespaces).isEmpty {
                buffer = ""
                continue
            }
            do {
                let chunk = try session.compileSnippet(buffer, chunkName: "stdin")
                if interactive { add_history(buffer) }
                buffer = ""
                LuaCommand.printResults(try session.run(chunk))
            } catch let error as LuaError where error.kind == .syntax && error.message.hasSuffix("<eof>") {
                continue  // an unfinished chunk: read more
            } catch let error as LuaError {
                if interactive { add_history(buffer) }
                buffer = ""
                Terminal.error(error.kind == .syntax ? error.description : error.fullDescription)
            }
        }
        if interactive {
            _ = write_history(history)
            print("")
        }
    }

    private func readLine(prompt: String, interactive: Bool) -> String? {
        guard interactive else { return Swift.readLine() }
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    /// Runs a `:` command; false means leave.
    private func command(_ input: String, session: ScriptSession, state: ReplState) -> Bool {
        let parts = input.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        switch parts[0] {
        case ":quit", ":q", ":exit":
            return false
        case ":help", ":h":
            print(
                """
                Lua with `quarry` and `doc`. Expressions print their value; statements run.
                  :doc NAME    the reference of a function or field (:doc quarry.phrases, :doc doc:find)
                  :doc         every name there is
                  :load FILE   run a Lua file here; a plugin's file (Plugins/NAME/init.lua) is loaded as a run
                               loads it (its requires, the plugins it requires) and run on the document
                  :reload      load the last :load file again, after you edited it
                  :plugins     the plugins --select ran on the document
                  :annotations [TYPE]  the document's annotations (of one type), a line each
                  :quit        leave (or Ctrl-D)
                """)
        case ":doc":
            print(APIHelp.text(for: argument))
        case ":plugins":
            print(
                state.plugins.map { $0.names.joined(separator: "\n") }
                    ?? "no plugins ran: start the repl with --select EXPR or :load a plugin")
        case ":reload":
            guard let last = state.lastLoad else {
                Terminal.error(":reload loads the last :load file again; nothing was loaded yet")
                return true
            }
            load(last, session: session, state: state)
        case ":annotations":
            guard let document = session.current?.document else {
                Terminal.error("no document: start the repl with a path")
                return true
            }
            let listed = document.annotations.all.filter { argument.isEmpty || $0.type == argument }
            for annotation in listed { print(Self.line(annotation, in: document)) }
            if listed.isEmpty { print(argument.isEmpty ? "no annotations" : "no \(argument) annotations") }
        case ":load":
            load(argument, session: session, state: state)
        default:
            Terminal.error("unknown command \(parts[0]); :help lists them")
        }
        return true
    }

    /// An annotation as `:annotations` lists it: type, layer, text and features.
    static func line(_ annotation: Annotation, in document: Document) -> String {
        let text = document.text(of: annotation.range).replacingOccurrences(of: "\n", with: " ")
        let features = JSONValue.object(annotation.features).description
        return "\(annotation.type) [\(annotation.layer)] \"\(text.prefix(80))\" \(features)"
    }

    /// `:load FILE`: a plugin's file is loaded as a run loads it and run on the document (see
    /// SnippetPlugins.loading); any other file runs here, in the prompt's environment.
    private func load(_ path: String, session: ScriptSession, state: ReplState) {
        guard let data = FileManager.default.contents(atPath: path) else {
            Terminal.error("\(path): no such file")
            return
        }
        state.lastLoad = path
        do {
            if let plugins = try SnippetPlugins.loading(file: path, configuration: state.configuration) {
                state.plugins = plugins
                let names = plugins.names.joined(separator: ", ")
                guard let original = state.original else {
                    print("loaded \(names); start the repl with a document to run them")
                    return
                }
                let applied = plugins.apply(original)
                try session.bind(applied.document)
                let added = applied.document.annotations.count - original.annotations.count
                print("ran \(names) on \(original.id): \(added) annotation\(added == 1 ? "" : "s")")
                return
            }
            let chunk = try session.vm.load(bytes: Array(data), chunkName: path, environment: session.environment)
            LuaCommand.printResults(try session.run(chunk))
        } catch let error as LuaError {
            Terminal.error(error.fullDescription)
        } catch let failure as QuarryFailure {
            Terminal.error(failure.diagnostic)
        } catch {
            Terminal.error("\(error)")
        }
    }
}

/// What the repl keeps between commands: the document as read, the plugins that ran on it, the last :load.
final class ReplState {
    let configuration: LuaVM.Configuration
    var original: Document?
    var plugins: SnippetPlugins?
    var lastLoad: String?

    init(configuration: LuaVM.Configuration) { self.configuration = configuration }
}
