// LuaLimitOptions: --timeout, --memory, --instructions and --unsafe, declared once for every
// command that runs Lua (eval, script, repl, run, plugins test), validated once, and resolved
// against the defaults (quarry.toml's for `run`) into a VM configuration.
import ArgumentParser
import LuaBridge

struct LuaLimitOptions: ParsableArguments {
    /// The defaults when neither the command line nor quarry.toml sets a limit.
    static let defaultTimeout = 60.0
    static let defaultMemory = 512
    /// The largest --memory in megabytes (1 TiB): more would overflow the byte count.
    static let maxMemory = 1 << 20

    @Flag(help: "Open the full Lua standard library (io, os, debug, package). Only for code you trust.")
    var unsafe = false

    @Option(help: ArgumentHelp("Wall-clock seconds one call into Lua may take (default 60).", valueName: "seconds"))
    var timeout: Double?

    @Option(help: ArgumentHelp("Megabytes the Lua heap may hold (default 512).", valueName: "MB"))
    var memory: Int?

    @Option(
        help: ArgumentHelp(
            "Lua instructions one call may run (default: no count; counting slows Lua code).", valueName: "N"))
    var instructions: Int?

    func validate() throws {
        if let message = Self.problem(timeout: timeout, memory: memory, instructions: instructions) {
            throw ValidationError(message)
        }
    }

    /// What is wrong with these limits, if anything (nil: all valid), naming the option.
    static func problem(timeout: Double?, memory: Int?, instructions: Int?) -> String? {
        if let timeout, !(timeout > 0 && timeout.isFinite) { return "--timeout must be a positive number of seconds" }
        if let memory, !(1...maxMemory).contains(memory) { return "--memory must be between 1 and \(maxMemory) MB" }
        if let instructions, instructions < 1 { return "--instructions must be positive" }
        return nil
    }

    /// The VM configuration: these options, else the given defaults (quarry.toml's), else Quarry's.
    /// Warns on standard error when unsafe, in the command's words.
    func configuration(
        timeout defaultTimeout: Double? = nil, memory defaultMemory: Int? = nil,
        unsafeWarning: String =
            "--unsafe: the full Lua standard library is open (io, os, debug, package); run only code you trust"
    ) -> LuaVM.Configuration {
        var configuration = LuaVM.Configuration()
        configuration.timeout = timeout ?? defaultTimeout ?? Self.defaultTimeout
        configuration.memoryLimit = (memory ?? defaultMemory ?? Self.defaultMemory) << 20
        configuration.instructionLimit = instructions
        if unsafe {
            configuration.sandboxed = false
            Terminal.warning(unsafeWarning)
        }
        return configuration
    }
}
