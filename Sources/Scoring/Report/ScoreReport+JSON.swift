// The report as JSON for CI (`quarry score --json`): settings, figures per type and feature, the total,
// documents, the complete lists, floors, hints and warnings. Figures are rounded to four decimals;
// an undefined figure is null.
import DocumentModel

extension ScoreReport {
    /// The report as one JSON object (`schema: quarry.score/1`).
    ///
    /// - Parameter floors: The floors checked, with their values and whether they were met.
    public func json(floors: [Floor] = []) -> JSONValue {
        var root = JSONObject()
        root["schema"] = "quarry.score/1"
        root["gold"] = .string(goldPath)
        root["results"] = .string(resultsPath)
        root["match"] = .string(options.match.rawValue)
        root["by"] = .string(options.key.rawValue)
        root["where"] = .array(options.conditions.map { .string($0.description) })
        root["features"] = .array(options.features.map { .string($0) })
        root["total"] = Self.json(total)
        var byType = JSONObject()
        for t in types {
            guard case .object(var o) = Self.json(t.counts) else { continue }
            var features = JSONObject()
            for f in t.features { features[f.feature] = Self.json(f.counts) }
            o["features"] = .object(features)
            byType[t.type] = .object(o)
        }
        root["types"] = .object(byType)
        root["documents"] = [
            "gold": .int(goldDocuments), "scored": .int(scoredDocuments),
            "missing": .array(
                missingDocuments.map { m in
                    ["document": .string(m.document), "line": .int(m.line), "annotations": .int(m.annotations)]
                }),
            "unscored_results": .int(unscoredResults),
        ]
        root["misses"] = .array(misses.map(Self.json))
        root["false_hits"] = .array(falseHits.map(Self.json))
        root["feature_mismatches"] = .array(
            mismatches.map { m in
                var o = JSONObject()
                o["document"] = .string(m.document)
                o["type"] = .string(m.gold.type)
                o["feature"] = .string(m.feature)
                o["gold"] = Self.json(span: m.gold)
                o["system"] = Self.json(span: m.system)
                o["gold_value"] = m.goldValue ?? .null
                o["system_value"] = m.systemValue ?? .null
                if let c = m.context { o["context"] = Self.json(c) }
                return .object(o)
            })
        root["floors"] = .array(
            floors.map { f in
                [
                    "spec": .string(f.spec), "min": .double(f.minimum), "value": Self.figure(f.value(in: self)),
                    "met": .bool(f.isMet(by: self)),
                ]
            })
        root["hints"] = .array(hints.map { .string($0) })
        root["warnings"] = .array(warnings.map { .string($0) })
        return .object(root)
    }

    static func json(_ c: Counts) -> JSONValue {
        [
            "gold": .int(c.gold), "system": .int(c.system), "tp": .int(c.correct), "fp": .int(c.falsePositives),
            "fn": .int(c.falseNegatives), "precision": figure(c.precision), "recall": figure(c.recall),
            "f1": figure(c.f1),
        ]
    }

    static func figure(_ d: Double?) -> JSONValue {
        guard let d else { return .null }
        let rounded = (d * 10_000).rounded() / 10_000
        return rounded == rounded.rounded() ? .int(Int(rounded)) : .double(rounded)
    }

    static func json(span s: LabeledSpan) -> JSONValue {
        var o = JSONObject()
        o["type"] = .string(s.type)
        o["start"] = .int(s.start)
        o["end"] = .int(s.end)
        if !s.parts.isEmpty { o["parts"] = .array(s.parts.map { [.int($0.lowerBound), .int($0.upperBound)] }) }
        o["text"] = s.text.map { .string($0) } ?? .null
        o["features"] = .object(s.features)
        if s.line > 0 { o["line"] = .int(s.line) }
        return .object(o)
    }

    static func json(_ item: Item) -> JSONValue {
        guard case .object(var o) = json(span: item.span) else { return .null }
        var out: JSONObject = ["document": .string(item.document)]
        for (k, v) in o { out[k] = v }
        o = out
        if let c = item.context { o["context"] = json(c) }
        return .object(o)
    }

    static func json(_ c: Context) -> JSONValue {
        ["left": .string(c.left), "text": .string(c.text), "right": .string(c.right)]
    }
}
