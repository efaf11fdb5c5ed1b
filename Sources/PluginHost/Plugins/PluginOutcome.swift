// The outcome of running plugins on a document: each plugin's status, its failures (phase, kind,
// message, location) and the records it emitted. Made by PluginSet; written out by BatchRunner.
import DocumentModel
import LuaBridge

/// What became of one plugin for one document.
public enum PluginStatus: String, Sendable {
    case ok, failed, skipped
    case notApplicable = "not-applicable"
}

/// A plugin that failed: where, in what phase, and why.
public struct PluginFailure: Sendable, Equatable {
    /// When a plugin runs: loading its file, `setup`, `applies`, `process` or `finish`.
    public enum Phase: String, Sendable, CaseIterable {
        case load, setup, applies, process, finish
    }

    /// Why it failed: the Lua error's kind (`runtime`, `syntax`, `timeout`, `instruction-limit`,
    /// `memory`, `cancelled`...), or `host` for a failure in Swift outside Lua.
    public enum Kind: Sendable, Equatable {
        case lua(LuaError.Kind)
        case host

        /// The name written to errors.jsonl and spec reports.
        public var name: String {
            switch self {
            case .lua(let kind): kind.rawValue
            case .host: "host"
            }
        }
    }

    public var plugin: String
    public var phase: Phase
    public var kind: Kind
    public var message: String
    /// `file:line`, when known.
    public var location: String?
    public var traceback: String?

    public init(
        plugin: String, phase: Phase, kind: Kind, message: String, location: String? = nil, traceback: String? = nil
    ) {
        self.plugin = plugin
        self.phase = phase
        self.kind = kind
        self.message = message
        self.location = location
        self.traceback = traceback
    }

    init(plugin: String, phase: Phase, error: Error) {
        if let error = error as? LuaError {
            let location = error.chunk.map { chunk in error.line.map { "\(chunk):\($0)" } ?? chunk }
            self.init(
                plugin: plugin, phase: phase, kind: .lua(error.kind), message: error.message, location: location,
                traceback: error.traceback)
        } else {
            self.init(plugin: plugin, phase: phase, kind: .host, message: "\(error)")
        }
    }
}

/// What the plugins made of one document.
public struct ProcessOutcome: Sendable {
    public var document: Document
    /// Each plugin's status, in run order.
    public var statuses: [(plugin: String, status: PluginStatus)]
    public var failures: [PluginFailure]
    /// Records each plugin emitted with `ctx:emit`, in order, as one JSON array per plugin (written
    /// straight from the Lua values: the results line and finish take these bytes as they are).
    public var encodedRecords: [String: [UInt8]]
    /// Seconds each plugin took on this document.
    public var seconds: [String: Double]

    /// The records as values (parsed from `encodedRecords`, for specs and tests).
    public var records: [String: [JSONValue]] {
        Dictionary(uniqueKeysWithValues: encodedRecords.keys.map { ($0, records(of: $0)) })
    }

    /// One plugin's records as values (none when it emitted none).
    public func records(of plugin: String) -> [JSONValue] {
        guard let bytes = encodedRecords[plugin], case .array(let items)? = try? JSONParser.parse(bytes: bytes) else {
            return []
        }
        return items
    }
}
