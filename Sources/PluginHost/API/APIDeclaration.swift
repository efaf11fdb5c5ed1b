// The declarations of the Lua API: every function, method and field plugins can use, with its
// parameters, results, text, example and the version it appeared in. Registration, the API
// reference (docs/lua-api.md) and the LuaLS stub (quarry.d.lua) are all made from these.
import Foundation
import LuaBridge

/// A parameter of a Lua function, for docs and editor stubs.
public struct APIParameter: Sendable, Equatable {
    public var name: String
    /// A LuaLS type expression (`string`, `integer?`, `Span|integer`, `table<string, any>`).
    public var type: String
    public var doc: String

    public init(_ name: String, _ type: String, _ doc: String) {
        self.name = name
        self.type = type
        self.doc = doc
    }

    var isOptional: Bool { type.hasSuffix("?") }
}

/// A result of a Lua function.
public struct APIResult: Sendable, Equatable {
    public var type: String
    public var doc: String
    public init(_ type: String, _ doc: String) {
        self.type = type
        self.doc = doc
    }
}

/// One entry of the Lua API.
public struct APIEntry: Sendable {
    public enum Kind: String, Sendable {
        /// `quarry.text.lower(s)`
        case function
        /// `doc:find(pattern)`: the object is the implicit first argument.
        case method
        /// `doc.text`: a read-only field of an object.
        case field
        /// `quarry.version`: a value of a module.
        case value
    }

    /// The full name: `quarry.text.lower`, `Doc:find`, `Span.text`, `quarry.version`.
    public var name: String
    public var kind: Kind
    public var parameters: [APIParameter]
    public var results: [APIResult]
    /// The type of a field or value.
    public var type: String
    public var summary: String
    public var example: String?
    public var since: String
    /// The Swift implementation; nil for fields and for methods served by C (PluginShim).
    var body: APIBody?

    /// The owner (`quarry.text`, `Doc`) and the member name (`lower`, `find`).
    public var owner: String {
        let separator = kind == .method ? ":" : "."
        guard let range = name.range(of: separator, options: .backwards) else { return "" }
        return String(name[..<range.lowerBound])
    }

    public var member: String {
        let separator = kind == .method ? ":" : "."
        guard let range = name.range(of: separator, options: .backwards) else { return name }
        return String(name[range.upperBound...])
    }
}

/// The Swift side of an API function: given the runtime and the calling plugin, serve the call.
typealias APIBody = @Sendable (QuarryRuntime, PluginScope, LuaCall) throws -> Int32

/// A class of objects plugins see (`Doc`, `Span`...), for docs and stubs.
public struct APIClass: Sendable {
    public var name: String
    public var summary: String
    /// A parent class in the stub (`Token` extends `Span`).
    public var parent: String?
}

// MARK: - Builders used by the declaration files

func function(
    _ name: String, _ summary: String, params: [APIParameter] = [], returns: [APIResult] = [],
    example: String? = nil, since: String = "1.0", _ body: @escaping APIBody
) -> APIEntry {
    APIEntry(
        name: name, kind: .function, parameters: params, results: returns, type: "function", summary: summary,
        example: example, since: since, body: body)
}

func method(
    _ name: String, _ summary: String, params: [APIParameter] = [], returns: [APIResult] = [],
    example: String? = nil, since: String = "1.0", _ body: APIBody?
) -> APIEntry {
    APIEntry(
        name: name, kind: .method, parameters: params, results: returns, type: "function", summary: summary,
        example: example, since: since, body: body)
}

func field(_ name: String, _ type: String, _ summary: String, example: String? = nil, since: String = "1.0")
    -> APIEntry
{
    APIEntry(
        name: name, kind: .field, parameters: [], results: [], type: type, summary: summary, example: example,
        since: since, body: nil)
}

func value(_ name: String, _ type: String, _ summary: String, example: String? = nil, since: String = "1.0")
    -> APIEntry
{
    APIEntry(
        name: name, kind: .value, parameters: [], results: [], type: type, summary: summary, example: example,
        since: since, body: nil)
}
