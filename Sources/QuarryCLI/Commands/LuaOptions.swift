// Options shared by the commands that run Lua: sandbox, limits.
import ArgumentParser
import LuaBridge

struct LuaOptions: ParsableArguments {
    @Flag(help: "Open the full Lua standard library (io, os, debug, package). Only for code you trust.")
    var unsafe = false

    @Option(help: ArgumentHelp("Wall-clock seconds one call into Lua may take.", valueName: "seconds"))
    var timeout: Double = 60

    @Option(help: ArgumentHelp("Megabytes the Lua heap may hold.", valueName: "MB"))
    var memory: Int = 512

    @Option(help: ArgumentHelp("Lua instructions one call may run (default: no count; counting slows Lua code).", valueName: "N"))
    var instructions: Int?

    func validate() throws {
        guard timeout > 0, timeout.isFinite else { throw ValidationError("--timeout must be a positive number of seconds") }
        guard memory > 0, memory <= 1 << 20 else { throw ValidationError("--memory must be between 1 and 1048576 MB") }
        if let instructions, instructions < 1 { throw ValidationError("--instructions must be positive") }
    }

    /// The VM configuration these options describe; warns on standard error when unsafe.
    func configuration() -> LuaVM.Configuration {
        var configuration = LuaVM.Configuration()
        configuration.timeout = timeout
        configuration.memoryLimit = memory << 20
        configuration.instructionLimit = instructions
        if unsafe {
            configuration.sandboxed = false
            Terminal.warning("--unsafe: the full Lua standard library is open (io, os, debug, package); run only code you trust")
        }
        return configuration
    }
}
