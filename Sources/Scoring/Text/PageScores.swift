// The figures of `quarry score --pages`: one text-overlap comparison per page (extracted main content
// against a reference text), their means over pages, the worst pages, and floors over the means and the
// lowest page. Works on texts; reading the pages is the command line's job.
import DocumentModel

/// Word n-gram figures of many pages, averaged over pages.
public struct PageScores: Sendable {
    /// One page: its name and figures.
    public struct Page: Sendable, Hashable {
        public var name: String
        public var figures: TextOverlap.Figures
        /// Whether the page's reference text has no n-gram (such a page is left out of `lowest`).
        public var referenceIsEmpty: Bool { figures.reference == 0 }

        public init(name: String, figures: TextOverlap.Figures) {
            self.name = name
            self.figures = figures
        }
    }

    public var n: Int
    public private(set) var pages: [Page] = []

    public init(n: Int = 4) {
        precondition(n >= 1, "an n-gram has at least one word")
        self.n = n
    }

    /// Scores one page.
    public mutating func add(name: String, extracted: String, reference: String) {
        pages.append(Page(name: name, figures: TextOverlap.compare(extracted: extracted, reference: reference, n: n)))
    }

    /// Means over pages (nil without pages).
    public var precision: Double? { mean(\.figures.precision) }
    public var recall: Double? { mean(\.figures.recall) }
    public var f1: Double? { mean(\.figures.f1) }

    private func mean(_ key: KeyPath<Page, Double>) -> Double? {
        pages.isEmpty ? nil : pages.reduce(0) { $0 + $1[keyPath: key] } / Double(pages.count)
    }

    /// The page with the lowest F1 among those whose reference is not empty.
    public var lowest: Page? { ranked.first { !$0.referenceIsEmpty } }

    /// Pages by F1, lowest first (ties by name).
    public var ranked: [Page] {
        pages.sorted { ($0.figures.f1, $0.name) < ($1.figures.f1, $1.name) }
    }

    // MARK: - Floors

    /// The figure a floor names: `f1`, `precision`, `recall` (means over pages) or `min.f1`,
    /// `min.precision`, `min.recall` (the lowest page whose reference is not empty).
    ///
    /// - Throws: `ScoringError` for a spec of another shape.
    public func value(of floor: Floor) throws -> Double? {
        switch (floor.type, floor.feature) {
        case (nil, nil):
            switch floor.metric {
            case .precision: return precision
            case .recall: return recall
            case .f1: return f1
            }
        case ("min"?, nil):
            let scored = pages.filter { !$0.referenceIsEmpty }
            guard !scored.isEmpty else { return nil }
            switch floor.metric {
            case .precision: return scored.map(\.figures.precision).min()
            case .recall: return scored.map(\.figures.recall).min()
            case .f1: return scored.map(\.figures.f1).min()
            }
        default:
            throw ScoringError(
                "--min \(floor.spec): page scores have f1, precision, recall (means over pages) and min.f1, "
                    + "min.precision, min.recall (the lowest page)")
        }
    }

    /// Whether the pages reach a floor (an undefined figure does not).
    public func isMet(_ floor: Floor) throws -> Bool {
        guard let v = try value(of: floor) else { return false }
        return (v * 1e9).rounded() >= (floor.minimum * 1e9).rounded()
    }

    // MARK: - Output

    /// The means and the `worst` lowest pages as text; `all` lists every page.
    public func renderText(worst: Int) -> String {
        func f(_ x: Double?) -> String { x.map { String(format: "%.3f", $0) } ?? "-" }
        var out = "pages \(pages.count), word \(n)-grams\n"
        out += "mean precision \(f(precision))  recall \(f(recall))  F1 \(f(f1))\n"
        if let lowest { out += "lowest F1 \(f(lowest.figures.f1)) (\(lowest.name))\n" }
        let empty = pages.filter(\.referenceIsEmpty).count
        if empty > 0 { out += "pages with an empty reference: \(empty)\n" }
        let shown = ranked.prefix(worst)
        if !shown.isEmpty {
            out += "worst pages:\n"
            let width = min(shown.map(\.name.count).max() ?? 0, 40)
            for p in shown {
                let name = p.name.padding(toLength: max(width, p.name.count), withPad: " ", startingAt: 0)
                out +=
                    "  \(name)  P \(f(p.figures.precision))  R \(f(p.figures.recall))  F1 \(f(p.figures.f1))"
                    + "  (\(p.figures.extracted) extracted, \(p.figures.reference) reference n-grams)\n"
            }
        }
        return out
    }

    /// The figures as JSON (`schema: quarry.page-scores/1`), every page included; figures rounded to 4 decimals.
    public func json(floors: [Floor] = []) -> JSONValue {
        func r(_ x: Double?) -> JSONValue { x.map { .double(($0 * 1e4).rounded() / 1e4) } ?? .null }
        var root = JSONObject()
        root["schema"] = "quarry.page-scores/1"
        root["n"] = .int(n)
        root["pages"] = .int(pages.count)
        root["precision"] = r(precision)
        root["recall"] = r(recall)
        root["f1"] = r(f1)
        root["lowest"] = lowest.map { .string($0.name) } ?? .null
        root["by_page"] = .array(
            ranked.map { p in
                [
                    "page": .string(p.name), "precision": r(p.figures.precision), "recall": r(p.figures.recall),
                    "f1": r(p.figures.f1), "extracted": .int(p.figures.extracted),
                    "reference": .int(p.figures.reference),
                ]
            })
        root["floors"] = .array(
            floors.map { fl in
                let v = try? value(of: fl)
                return [
                    "spec": .string(fl.spec), "minimum": .double(fl.minimum), "value": r(v ?? nil),
                    "met": .bool((try? isMet(fl)) ?? false),
                ]
            })
        return .object(root)
    }
}
