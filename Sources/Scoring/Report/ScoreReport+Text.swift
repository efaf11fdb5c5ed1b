// The report as people read it in a terminal: a table of figures, then the documents that could not be
// scored, then misses, false hits and feature mismatches, each with its context.
import DocumentModel

extension ScoreReport {
    /// The report as text.
    ///
    /// - Parameters:
    ///   - show: How many entries of each list to print.
    ///   - quiet: Figures only, no lists.
    public func renderText(show: Int, quiet: Bool) -> String {
        var out: [String] = []
        var how = "matching: \(options.match.rawValue); documents by \(options.key.rawValue)"
        if !options.conditions.isEmpty {
            how += "; where " + options.conditions.map(\.description).joined(separator: ", ")
        }
        out.append("\(goldPath) against \(resultsPath) (\(how))")
        out.append("")
        out += table()
        out.append("")
        var docs = "documents: \(goldDocuments) in the gold, \(scoredDocuments) scored"
        if !missingDocuments.isEmpty { docs += ", \(missingDocuments.count) missing from the results" }
        if unscoredResults > 0 { docs += ", \(unscoredResults) in the results without gold (not scored)" }
        out.append(docs)
        if quiet { return out.joined(separator: "\n") + "\n" }

        if !missingDocuments.isEmpty {
            out.append("")
            out.append("Missing from the results (their annotations count as misses): \(missingDocuments.count)")
            for m in missingDocuments.prefix(show) {
                out.append(
                    "  \(m.document) (\(goldPath):\(m.line)): \(m.annotations) annotation\(m.annotations == 1 ? "" : "s")"
                )
            }
            out += more(missingDocuments.count, show)
        }
        out += section("Misses (in the gold, not found by the system)", misses, show)
        out += section("False hits (found by the system, not in the gold)", falseHits, show)
        if !mismatches.isEmpty {
            out.append("")
            out.append("Feature mismatches (matched spans, different values): \(mismatches.count)")
            for m in mismatches.prefix(show) {
                let text = m.gold.text ?? m.system.text ?? m.context?.text
                out.append("  \(m.document)  \(Self.offsets(m.gold))  \(m.gold.type)  \(text.map(Self.quoted) ?? "")")
                if m.system.start != m.gold.start || m.system.end != m.gold.end {
                    out.append("      system span \(Self.offsets(m.system))  \(m.system.text.map(Self.quoted) ?? "")")
                }
                out.append("      \(m.feature): gold \(Self.value(m.goldValue)), system \(Self.value(m.systemValue))")
                if let c = m.context { out.append("      " + Self.render(c)) }
            }
            out += more(mismatches.count, show)
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The figures table: a row per type, a row per feature under it, and the total.
    func table() -> [String] {
        var rows: [(String, Counts)] = []
        for t in types {
            rows.append((t.type, t.counts))
            // A feature neither side gives for this type would only be a row of dashes.
            for f in t.features where f.counts.gold + f.counts.system > 0 { rows.append(("  ." + f.feature, f.counts)) }
        }
        rows.append(("total", total))
        let width = max(12, rows.map { $0.0.count }.max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        func name(_ s: String) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        func figure(_ d: Double?) -> String { d.map(Self.format) ?? "-" }
        var lines = [
            name("type") + pad("gold", 7) + pad("system", 8) + pad("TP", 6) + pad("FP", 6) + pad("FN", 6)
                + pad("precision", 11) + pad("recall", 8) + pad("F1", 7)
        ]
        for (label, c) in rows {
            lines.append(
                name(label) + pad("\(c.gold)", 7) + pad("\(c.system)", 8) + pad("\(c.correct)", 6)
                    + pad("\(c.falsePositives)", 6) + pad("\(c.falseNegatives)", 6)
                    + pad(figure(c.precision), 11) + pad(figure(c.recall), 8) + pad(figure(c.f1), 7))
        }
        return lines
    }

    private func section(_ title: String, _ items: [Item], _ show: Int) -> [String] {
        guard !items.isEmpty else { return [] }
        var out = ["", "\(title): \(items.count)"]
        for item in items.prefix(show) {
            let s = item.span
            let text = s.text ?? item.context?.text
            var line =
                "  \(item.document)  \(Self.offsets(s))  \(s.type)  \(text.map(Self.quoted) ?? "(text unknown: give --docs)")"
            if !s.features.isEmpty { line += "  " + JSONValue.object(s.features).description }
            out.append(line)
            if let c = item.context { out.append("      " + Self.render(c)) }
        }
        return out + more(items.count, show)
    }

    private func more(_ count: Int, _ show: Int) -> [String] {
        count > show ? ["  … \(count - show) more (--show N to list more)"] : []
    }

    /// A figure with three decimals.
    static func format(_ d: Double) -> String {
        let thousandths = Int((d * 1000).rounded())
        let frac = String(thousandths % 1000)
        return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    static func offsets(_ s: LabeledSpan) -> String {
        s.parts.isEmpty
            ? "\(s.start)-\(s.end)" : s.parts.map { "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    static func quoted(_ text: String) -> String { JSONValue.string(text).description }

    static func value(_ v: JSONValue?) -> String { v.map(\.description) ?? "none" }

    /// `left [text] right` on one line: white space runs shown as one space.
    static func render(_ c: Context) -> String {
        func flat(_ s: String) -> String {
            var out = ""
            var space = false
            for ch in s {
                if ch.isWhitespace { space = true; continue }
                if space && !out.isEmpty { out.append(" ") }
                space = false
                out.append(ch)
            }
            if space && !out.isEmpty { out.append(" ") }
            return out
        }
        let left = flat(c.left), right = flat(c.right)
        let leftSpace = c.left.last?.isWhitespace == true && !left.hasSuffix(" ") ? " " : ""
        let rightSpace = c.right.first?.isWhitespace == true && !right.hasPrefix(" ") ? " " : ""
        var line = left + leftSpace + "[" + flat(c.text) + "]" + rightSpace + right
        while line.last == " " { line.removeLast() }
        return line
    }
}
