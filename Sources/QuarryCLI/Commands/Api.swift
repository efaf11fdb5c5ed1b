// `quarry api`: the Lua API reference, the LuaLS stub and `.luarc.json`, generated from the
// declarations (the committed docs/lua-api.md and Plugins/quarry.d.lua are these outputs).
import ArgumentParser
import PluginHost

struct Api: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the Lua API reference, the editor stub, or one entry.",
        discussion: "With a NAME (quarry.phrases, doc:find), prints that entry; with no option, every name."
    )

    @Flag(help: "The reference in Markdown (docs/lua-api.md).")
    var markdown = false

    @Flag(help: "The lua-language-server definition file (Plugins/quarry.d.lua).")
    var stub = false

    @Flag(help: "The .luarc.json for a plugins folder.")
    var luarc = false

    @Argument(help: "An API name.")
    var name: String?

    func validate() throws {
        if [markdown, stub, luarc].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --markdown, --stub, --luarc")
        }
    }

    func run() throws {
        if markdown {
            print(APIDocs.markdown(), terminator: "")
        } else if stub {
            print(APIDocs.luaLSStub(), terminator: "")
        } else if luarc {
            print(APIDocs.luarc(), terminator: "")
        } else {
            print(APIHelp.text(for: name ?? ""))
        }
    }
}
