// `quarry eval 'CODE'`: runs a Lua snippet in the sandbox and prints what it returns.
import ArgumentParser
import Foundation
import LuaBridge

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Lua snippet and print what it returns.",
        discussion: """
            The snippet runs in the sandbox unless --unsafe is given. An expression is returned as it \
            is (`quarry eval '1 + 1'` prints 2); statements run as a chunk and may `return` values.
            """
    )

    @Argument(help: "Lua code: an expression or statements.")
    var code: String

    @OptionGroup var lua: LuaOptions

    func run() throws {
        let vm: LuaVM
        do {
            vm = try LuaVM(lua.configuration())
        } catch let error as LuaError {
            throw CLIFailure("could not start Lua: \(error.message)", code: .cannotRun)
        }
        vm.printHandler = { _, text in print(text) }
        let environment = try vm.makeEnvironment(name: "eval", requireRoots: [FileManager.default.currentDirectoryPath])
        let chunk: LuaRef
        do {
            chunk = try vm.load("return " + code, chunkName: "(eval)", environment: environment)
        } catch {
            do {
                chunk = try vm.load(code, chunkName: "(eval)", environment: environment)
            } catch let error as LuaError {
                throw CLIFailure("syntax error: \(error.description)", code: .usage)
            }
        }
        do {
            let results = try vm.call(chunk, lenient: true)
            for value in results { print(value.render()) }
        } catch let error as LuaError {
            throw CLIFailure(error.fullDescription, code: .failed)
        }
    }
}
