// The fuzzer's entry point: libFuzzer's driver with the target QUARRY_FUZZ_TARGET names (`make fuzz`
// sets it per run). Builds only with `-sanitize=fuzzer`, which links the driver. SwiftPM renames an
// executable's `main`, so this one starts the driver itself; libFuzzer's own `main` still needs the
// C entry point below to link.

import CFuzzDriver
import Foundation

/// The target named by the environment, read once.
let selectedTarget: FuzzTarget? = ProcessInfo.processInfo.environment["QUARRY_FUZZ_TARGET"].flatMap(FuzzTarget.init)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget?.run(bytes)
    return 0
}

@main
enum QuarryFuzz {
    static func main() {
        if CommandLine.arguments.dropFirst().first == "--targets" {
            // For Scripts/fuzz.sh: each target and the folders that seed it, tab-separated.
            for target in FuzzTarget.allCases { print(([target.rawValue] + target.seeds).joined(separator: "\t")) }
            exit(0)
        }
        guard selectedTarget != nil else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("QuarryFuzz: set QUARRY_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) })
    }
}
