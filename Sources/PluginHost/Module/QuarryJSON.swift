// quarry.json: encode Lua values as JSON and decode JSON text, through DocumentModel's one JSON
// reader and writer.
import DocumentModel
import LuaBridge

extension QuarryRuntime {
    func jsonEncode(_ call: LuaCall) throws -> Int32 {
        let value = try call.jsonArgument(1, path: "value")
        var pretty = false
        if !call.isNil(2), case .object(let options) = try call.value(2), options["pretty"] == .bool(true) {
            pretty = true
        }
        return call.push(pretty ? value.prettyDescription() : value.description)
    }

    func jsonDecode(_ call: LuaCall) throws -> Int32 {
        let text = try call.string(1)
        do {
            return call.push(json: try JSONParser.parse(text))
        } catch let error as JSONParseError {
            call.pushNil()
            call.push("invalid JSON at line \(error.line), column \(error.column): \(error.message)")
            return 2
        }
    }
}
