// `quarry manual` (hidden): the man page quarry(1) in roff, made from the commands' own help, so it
// cannot drift from them. `make install` writes it to PREFIX/share/man/man1/quarry.1.
import ArgumentParser
import Foundation
import LuaBridge
import PluginHost

struct Manual: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the man page quarry(1) in roff.", shouldDisplay: false)

    func run() throws {
        print(Self.page(), terminator: "")
    }

    /// The man page: name, synopsis, description, every command's help, plugin search path, environment, exit codes.
    static func page() -> String {
        var out = """
            .TH QUARRY 1 "" "quarry \(QuarryAPI.quarryVersion)" "User Commands"
            .SH NAME
            quarry \\- \(escape(Quarry.configuration.abstract))
            .SH SYNOPSIS
            .B quarry
            .I command
            [\\fIoptions\\fR] [\\fIpaths\\fR ...]
            .SH DESCRIPTION
            Quarry parses documents into one rich model and runs Lua 5.4 plugins over them, sandboxed, on every core.
            .SH COMMANDS

            """
        func commands(_ type: ParsableCommand.Type, path: [String]) {
            for sub in type.configuration.subcommands where sub.configuration.shouldDisplay {
                let name = sub.configuration.commandName ?? String(describing: sub).lowercased()
                let full = path + [name]
                out += ".SS \(escape(full.joined(separator: " ")))\n.nf\n"
                out += escape(Quarry.helpMessage(for: sub, columns: 100)) + "\n.fi\n"
                commands(sub, path: full)
            }
        }
        commands(Quarry.self, path: ["quarry"])
        out += """
            .SH PLUGIN SEARCH PATH
            First match wins per plugin name: \\fB\\-\\-plugins\\fR DIR (repeatable; replaces the rest),
            \\fBQUARRY_PLUGINS\\fR (colon-separated), the \\fBplugins\\fR of ./quarry.toml, ./Plugins,
            $XDG_DATA_HOME/quarry/plugins (default ~/.local/share/quarry/plugins),
            and the standard plugins in <bin>/../share/quarry/plugins.
            .SH ENVIRONMENT
            .TP
            .B QUARRY_PLUGINS
            Plugin folders, colon-separated.
            .TP
            .B XDG_DATA_HOME
            Where the user's plugins live (quarry/plugins under it).
            .TP
            .B NO_COLOR
            No colour in messages.
            .SH FILES
            .TP
            .B quarry.toml
            The project's settings.
            .TP
            .B quarry.lock
            The installed plugins, their sources, commits and folder hashes.
            .SH EXIT STATUS
            0 all fine, 1 the run finished but something failed, 2 bad usage or configuration, 3 could not run at all.

            """
        return out
    }

    /// Text made safe for roff: backslashes doubled, lines starting with `.` or `'` protected.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\e").split(separator: "\n", omittingEmptySubsequences: false).map {
            line in
            line.hasPrefix(".") || line.hasPrefix("'") ? "\\&" + line : String(line)
        }.joined(separator: "\n")
    }
}
