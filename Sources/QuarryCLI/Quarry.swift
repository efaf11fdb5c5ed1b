// The `quarry` command: the root of the subcommands, and the one place that turns errors into
// messages on standard error and exit codes (ARCHITECTURE §7).
import ArgumentParser
import Foundation
import LuaBridge

/// Quarry's version, shown by `quarry --version` and recorded in run files.
let quarryVersion = "0.1.0"

@main
struct Quarry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "A document-analysis workbench: parse documents, run Lua plugins over them.",
        discussion: """
            Exit codes: 0 all fine, 1 the run finished but something failed, 2 bad usage or \
            configuration, 3 could not run at all.
            """,
        version: "quarry \(quarryVersion) (\(LuaVM.luaVersion))",
        subcommands: [Run.self, Eval.self, Script.self, Repl.self, Inspect.self, Score.self, Plugins.self, Api.self]
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CLIFailure {
            Terminal.error(failure.message)
            Foundation.exit(failure.code.rawValue)
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // Usage errors (argument parser's EX_USAGE) are exit code 2, as documented.
            Foundation.exit(code == .validationFailure ? CLIFailure.Code.usage.rawValue : code.rawValue)
        }
    }
}
