// One VM per thread: N VMs on N threads at once give correct, independent results.
import Foundation
import Synchronization
import Testing

@testable import LuaBridge

@Suite struct ThreadTests {
    @Test func independentVMsOnParallelThreads() throws {
        let threads = 4
        let results = Mutex<[Int: [LuaValue]]>([:])
        let group = DispatchGroup()
        for index in 0..<threads {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                do {
                    let vm = try LuaVM()
                    let env = try vm.makeEnvironment(name: "t\(index)")
                    try env.set("id", .int(Int64(index)))
                    let value = try vm.run(
                        """
                        counter = (counter or 0) + id
                        local s = 0
                        for i = 1, 200000 do s = s + (i % 7) end
                        local words = {}
                        for w in ("alpha beta gamma"):gmatch("%a+") do words[#words + 1] = w .. id end
                        return s, counter, table.concat(words, ",")
                        """, chunkName: "thread.lua", environment: env)
                    results.withLock { $0[index] = value }
                } catch {
                    results.withLock { $0[index] = [.string("error: \(error)")] }
                }
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        group.wait()
        let collected = results.withLock { $0 }
        #expect(collected.count == threads)
        for index in 0..<threads {
            let expectedSum = (1...200000).reduce(0) { $0 + $1 % 7 }
            #expect(
                collected[index] == [
                    .int(Int64(expectedSum)), .int(Int64(index)), .string("alpha\(index),beta\(index),gamma\(index)"),
                ])
        }
    }
}
