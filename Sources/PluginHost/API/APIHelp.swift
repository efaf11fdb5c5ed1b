// APIHelp: the reference of one API name as plain text, for the REPL's :doc and `quarry api NAME`.

public enum APIHelp {
    /// The text for a name (`quarry.phrases`, `doc:find`, `Span.text`), or the list of names.
    public static func text(for name: String) -> String {
        let all = QuarryAPI.entries
        guard !name.isEmpty else {
            return all.map { APIDocs.displayName($0) }.joined(separator: "\n")
        }
        let wanted = name.replacingPrefix("doc:", with: "Doc:").replacingPrefix("doc.", with: "Doc.")
            .replacingPrefix("span:", with: "Span:").replacingPrefix("span.", with: "Span.")
            .replacingPrefix("ctx:", with: "Context:").replacingPrefix("ctx.", with: "Context.")
        guard let entry = all.first(where: { $0.name == wanted || APIDocs.displayName($0) == name }) else {
            let close = all.filter { $0.name.lowercased().contains(name.lowercased()) }.map { APIDocs.displayName($0) }
            return "no API entry named \(name)"
                + (close.isEmpty ? "" : "; did you mean: " + close.joined(separator: ", "))
        }
        var out = APIDocs.signature(entry) + "\n  " + entry.summary
        for parameter in entry.parameters { out += "\n  \(parameter.name) (\(parameter.type)): \(parameter.doc)" }
        for result in entry.results { out += "\n  returns \(result.type): \(result.doc)" }
        if let example = entry.example { out += "\n  example: \(example)" }
        out += "\n  since \(entry.since)"
        return out
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
