// ScriptSession: one VM with the Lua API for `quarry eval`, `quarry script` and `quarry repl`:
// a sandboxed environment of its own, the `quarry` module, and `doc` bound per document.
import DocumentModel
import LuaBridge

/// A VM set up to run an analysis script or snippets over documents.
public final class ScriptSession {
    public let vm: LuaVM
    public let runtime: QuarryRuntime
    public let environment: LuaEnvironment
    public let context: PluginScope
    /// The document bound as `doc`, if any.
    public private(set) var current: DocumentHandle?
    /// The Lua object of the bound document.
    public private(set) var currentObject: LuaRef?

    /// - Parameters:
    ///   - name: the script's name (log tag and default annotation layer).
    ///   - folder: the script's folder: `require` and data files are found there.
    public init(configuration: LuaVM.Configuration, name: String, folder: String?, readRoots: [String] = []) throws {
        vm = try LuaVM(configuration)
        runtime = try QuarryRuntime(vm: vm)
        runtime.currentPlugin = name
        context = PluginScope(name: name, folder: folder, readRoots: readRoots)
        environment = try vm.makeEnvironment(name: name, requireRoots: context.allRoots)
        try runtime.install(in: environment, plugin: context)
    }

    /// Binds a document as the global `doc` (nil unbinds).
    @discardableResult
    public func bind(_ document: Document?) throws -> DocumentHandle? {
        guard let document else {
            current?.finished = true
            try environment.set("doc", .nil)
            current = nil
            currentObject = nil
            return nil
        }
        current?.finished = true  // the previous document: read-only from now on
        let box = DocumentHandle(document)
        let object = try runtime.makeDocument(box)
        try environment.set("doc", object)
        current = box
        currentObject = object
        return box
    }

    /// Compiles a snippet as an expression if it is one (`1 + 1`), else as statements.
    public func compileSnippet(_ code: String, chunkName: String) throws -> LuaRef {
        try compileSnippet(bytes: Array(code.utf8), chunkName: chunkName)
    }

    /// Compiles a snippet given as bytes (as Lua reads a chunk: string literals keep bytes that are not UTF-8).
    public func compileSnippet(bytes code: [UInt8], chunkName: String) throws -> LuaRef {
        if let expression = try? vm.load(
            bytes: Array("return ".utf8) + code, chunkName: chunkName, environment: environment)
        {
            return expression
        }
        return try vm.load(bytes: code, chunkName: chunkName, environment: environment)
    }

    /// Runs a compiled chunk or function and returns its results (functions and userdata described).
    public func run(_ function: LuaRef, _ arguments: [LuaValue] = []) throws -> [LuaValue] {
        try vm.call(function, arguments, lenient: true)
    }

    /// Calls a function with the bound document as its argument.
    public func runWithDocument(_ function: LuaRef) throws -> [LuaValue] {
        guard let currentObject else { return try run(function) }
        return try vm.call(function, arguments: [.ref(currentObject)], lenient: true)
    }

    /// A global function the script defined (`process`, `finish`), if any.
    public func function(named name: String) throws -> LuaRef? {
        guard let ref = try environment.reference(name), ref.isFunction else { return nil }
        return ref
    }
}
