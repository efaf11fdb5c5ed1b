// The research corpus the benchmarks read (never copied into the repo): ../shared/corpus, or
// QUARRY_CORPUS. Benchmarks that need it say so and skip when it is absent.
import Foundation

enum BenchCorpus {
    static var path: String? {
        let env = ProcessInfo.processInfo.environment
        let candidates = [
            env["QUARRY_CORPUS"], "../shared/corpus/reuters21578.jsonl", "../../shared/corpus/reuters21578.jsonl",
        ]
        return candidates.compactMap { $0 }.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The stories' texts, in corpus order.
    static func texts() -> [String]? {
        guard let path, let data = FileManager.default.contents(atPath: path) else { return nil }
        var texts: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            if let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let text = object["text"] as? String
            {
                texts.append(text)
            }
        }
        return texts
    }

    /// One document of about `bytes` bytes made of whole stories.
    static func document(of bytes: Int, from texts: [String]) -> String {
        var out = ""
        out.reserveCapacity(bytes + 10_000)
        var i = 0
        while out.utf8.count < bytes {
            out += texts[i % texts.count]
            out += "\n\n"
            i += 1
        }
        return out
    }
}
