// The `quarry` command: the root of the subcommands, and the one place that turns errors into
// messages on standard error and exit codes (ARCHITECTURE §7).
import ArgumentParser
import Foundation
import LuaBridge
import PluginHost

@main
struct Quarry: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarry",
        abstract: "A document-analysis workbench: parse documents, run Lua plugins over them.",
        discussion: """
            Exit codes: 0 all fine, 1 the run finished but something failed, 2 bad usage or \
            configuration, 3 could not run at all.
            """,
        version: "quarry \(QuarryAPI.quarryVersion) (\(LuaVM.luaVersion))",
        subcommands: [
            Run.self, Merge.self, Map.self, Reduce.self, Eval.self, Script.self, Repl.self, Inspect.self, Score.self,
            Plugins.self, Api.self, Manual.self,
        ]
    )

    static func main() {
        do {
            var command = try parseAsRoot(Eval.protectingCode(Array(CommandLine.arguments.dropFirst())))
            try command.run()
        } catch let failure as QuarryFailure {
            if !failure.diagnostic.isEmpty { Terminal.error(failure.diagnostic) }
            Foundation.exit(failure.exitStatus.rawValue)
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
            Foundation.exit(code == .validationFailure ? ExitStatus.usage.rawValue : code.rawValue)
        }
    }
}
