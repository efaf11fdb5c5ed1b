// quarry.svg: small charts as inline SVG strings (bars, histogram, timeline, sparkline) for HTML reports:
// no JavaScript is needed to see them; every label goes through HTML.escape; each chart has a title
// for screen readers (`role="img"`, `aria-label`) and a `<title>` per mark for the value on hover.
import Foundation
import LuaBridge

/// Chart options read from a Lua table.
struct ChartOptions {
    var map: [String: LuaValue]
    let call: LuaCall

    init(_ call: LuaCall, argument: Int32) throws {
        self.call = call
        if call.isNil(argument) {
            map = [:]
            return
        }
        switch try call.value(argument) {
        case .object(let m): map = m
        case .array([]): map = [:]
        default: throw call.argumentError(argument, "a table of options")
        }
    }

    func number(_ name: String, _ fallback: Double, min: Double = 1, max: Double = 10000) throws -> Double {
        guard let v = map[name] else { return fallback }
        guard let d = v.doubleValue, d.isFinite, d >= min, d <= max else {
            throw call.error("option '\(name)' must be a number from \(SVG.number(min)) to \(SVG.number(max))")
        }
        return d
    }

    func optionalNumber(_ name: String) throws -> Double? {
        guard let v = map[name] else { return nil }
        guard let d = v.doubleValue, d.isFinite else { throw call.error("option '\(name)' must be a number") }
        return d
    }

    func string(_ name: String, _ fallback: String) throws -> String {
        guard let v = map[name] else { return fallback }
        guard let s = v.stringValue else { throw call.error("option '\(name)' must be a string") }
        return s
    }
}

/// The SVG text the helpers share.
enum SVG {
    /// A coordinate or value: at most two decimals, no trailing zeros.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        var s = String(format: "%.2f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    /// The opening tag with size, class and accessible name.
    static func open(kind: String, width: Double, height: Double, title: String) -> String {
        let t = HTML.escape(title)
        return
            "<svg class=\"q-chart q-\(kind)\" viewBox=\"0 0 \(number(width)) \(number(height))\" width=\"\(number(width))\" height=\"\(number(height))\" role=\"img\" aria-label=\"\(t)\"><title>\(t)</title>"
    }

    /// A chart with nothing to draw says so.
    static func empty(kind: String, width: Double, height: Double, title: String) -> String {
        open(kind: kind, width: width, height: height, title: title)
            + "<text x=\"8\" y=\"\(number(min(height - 4, 20)))\" class=\"q-empty\">no data</text></svg>"
    }

    /// At most `limit` characters, with an ellipsis when cut.
    static func shorten(_ s: String, _ limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(max(1, limit - 1))) + "…"
    }

    /// A colour for an attribute: kept only when it is a plain colour (`#hex`, a name, `rgb(...)`,
    /// `var(--x)`), else the fallback, so data cannot break out of the attribute.
    static func color(_ s: String, fallback: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#(),.%- ")
        return !s.isEmpty && s.count <= 64 && s.allSatisfy({ allowed.contains($0) }) ? s : fallback
    }
}

extension QuarryRuntime {
    /// The numbers of a Lua list, each finite; errors name the item.
    static func numbers(_ call: LuaCall, _ argument: Int32) throws -> [Double] {
        guard case .array(let items) = try call.value(argument) else {
            throw call.argumentError(argument, "a list of numbers")
        }
        return try items.enumerated().map { i, v in
            guard let d = v.doubleValue, d.isFinite else {
                throw call.error("item \(i + 1) must be a finite number, got \(v.typeName)")
            }
            return d
        }
    }

    /// The records of a Lua list of tables, each checked to be a table.
    static func records(_ call: LuaCall, _ argument: Int32, what: String) throws -> [[String: LuaValue]] {
        let value = try call.value(argument)
        let items: [LuaValue]
        switch value {
        case .array(let list): items = list
        default: throw call.argumentError(argument, "a list of \(what)")
        }
        return try items.enumerated().map { i, v in
            guard case .object(let map) = v else { throw call.error("item \(i + 1) must be a table (\(what))") }
            return map
        }
    }

    /// `quarry.svg.bars(items, options)`: horizontal bars, one a row, labelled, optionally linked.
    func svgBars(_ call: LuaCall) throws -> Int32 {
        let items = try Self.records(call, 1, what: "{label =, value =}")
        let options = try ChartOptions(call, argument: 2)
        let width = try options.number("width", 480, min: 120)
        let barHeight = try options.number("bar_height", 18, min: 4, max: 200)
        let labelWidth = try options.number("label_width", 160, min: 0, max: width - 40)
        let color = SVG.color(try options.string("color", "#4e79a7"), fallback: "#4e79a7")
        let title = try options.string("title", "Bar chart")
        var rows: [(label: String, value: Double, href: String?, color: String?, title: String?)] = []
        for (i, item) in items.enumerated() {
            guard let label = item["label"]?.stringValue ?? item["label"]?.intValue.map({ String($0) }) else {
                throw call.error("item \(i + 1) needs a label (a string)")
            }
            guard let value = item["value"]?.doubleValue, value.isFinite else {
                throw call.error("item \(i + 1) ('\(label)') needs a value (a finite number)")
            }
            rows.append(
                (label, value, item["href"]?.stringValue, item["color"]?.stringValue, item["title"]?.stringValue))
        }
        let gap = 4.0
        let height = max(barHeight + 2 * gap, Double(rows.count) * (barHeight + gap) + gap)
        guard !rows.isEmpty else { return call.push(SVG.empty(kind: "bars", width: width, height: 28, title: title)) }
        let top = max(rows.map(\.value).max() ?? 0, 1e-12)
        let plot = width - labelWidth - 48
        let labelChars = max(4, Int(labelWidth / 7))
        var out = SVG.open(kind: "bars", width: width, height: height, title: title)
        for (i, row) in rows.enumerated() {
            let y = gap + Double(i) * (barHeight + gap)
            let w = max(0, row.value) / top * plot
            let text = HTML.escape(SVG.shorten(row.label, labelChars))
            let tip = HTML.escape(row.title ?? "\(row.label): \(SVG.number(row.value))")
            let fill = SVG.color(row.color ?? color, fallback: color)
            var mark =
                "<text x=\"\(SVG.number(labelWidth - 6))\" y=\"\(SVG.number(y + barHeight * 0.72))\" text-anchor=\"end\">\(text)</text>"
                + "<rect x=\"\(SVG.number(labelWidth))\" y=\"\(SVG.number(y))\" width=\"\(SVG.number(max(w, 1)))\" height=\"\(SVG.number(barHeight))\" fill=\"\(fill)\"><title>\(tip)</title></rect>"
            if let href = row.href { mark = "<a href=\"\(HTML.escape(href))\">" + mark + "</a>" }
            out += "<g>" + mark
            out +=
                "<text x=\"\(SVG.number(labelWidth + max(w, 1) + 4))\" y=\"\(SVG.number(y + barHeight * 0.72))\" class=\"q-value\">\(SVG.number(row.value))</text></g>"
        }
        return call.push(out + "</svg>")
    }

    /// `quarry.svg.histogram(values, options)`: counts of values in equal bins.
    func svgHistogram(_ call: LuaCall) throws -> Int32 {
        let values = try Self.numbers(call, 1)
        let options = try ChartOptions(call, argument: 2)
        let width = try options.number("width", 480, min: 80)
        let height = try options.number("height", 160, min: 40)
        let bins = Int(try options.number("bins", 10, min: 1, max: 1000))
        let color = SVG.color(try options.string("color", "#59a14f"), fallback: "#59a14f")
        let title = try options.string("title", "Histogram")
        guard !values.isEmpty else {
            return call.push(SVG.empty(kind: "histogram", width: width, height: height, title: title))
        }
        var low = try options.optionalNumber("min") ?? values.min()!
        var high = try options.optionalNumber("max") ?? values.max()!
        if high < low { swap(&low, &high) }
        if high == low { high = low + 1 }
        var counts = [Int](repeating: 0, count: bins)
        for v in values where v >= low && v <= high {
            counts[min(bins - 1, Int((v - low) / (high - low) * Double(bins)))] += 1
        }
        let top = Double(max(counts.max() ?? 0, 1))
        let axis = 16.0
        let plotHeight = height - axis - 14
        let step = (width - 2) / Double(bins)
        var out = SVG.open(kind: "histogram", width: width, height: height, title: title)
        out += "<text x=\"2\" y=\"10\" class=\"q-axis\">\(Int(top))</text>"
        for (i, count) in counts.enumerated() {
            let h = Double(count) / top * plotHeight
            let from = low + Double(i) * (high - low) / Double(bins)
            let to = from + (high - low) / Double(bins)
            out +=
                "<rect x=\"\(SVG.number(1 + Double(i) * step))\" y=\"\(SVG.number(14 + plotHeight - h))\" width=\"\(SVG.number(max(step - 1, 0.5)))\" height=\"\(SVG.number(h))\" fill=\"\(color)\"><title>\(SVG.number(from)) to \(SVG.number(to)): \(count)</title></rect>"
        }
        let y = SVG.number(height - 3)
        out += "<text x=\"1\" y=\"\(y)\" class=\"q-axis\">\(SVG.number(low))</text>"
        out +=
            "<text x=\"\(SVG.number(width - 1))\" y=\"\(y)\" text-anchor=\"end\" class=\"q-axis\">\(SVG.number(high))</text>"
        return call.push(out + "</svg>")
    }

    /// `quarry.svg.timeline(points, options)`: values at dates, placed by time.
    func svgTimeline(_ call: LuaCall) throws -> Int32 {
        let items = try Self.records(call, 1, what: "{date =, value =}")
        let options = try ChartOptions(call, argument: 2)
        let width = try options.number("width", 640, min: 80)
        let height = try options.number("height", 160, min: 40)
        let color = SVG.color(try options.string("color", "#e15759"), fallback: "#e15759")
        let title = try options.string("title", "Timeline")
        var points: [(day: Int, date: String, value: Double, label: String?, href: String?)] = []
        for (i, item) in items.enumerated() {
            guard let date = item["date"]?.stringValue, let day = Self.dayNumber(date) else {
                throw call.error(
                    "item \(i + 1) needs a date as YYYY-MM-DD, YYYY-MM or YYYY, got \(item["date"]?.description ?? "nil")"
                )
            }
            guard let value = item["value"]?.doubleValue, value.isFinite else {
                throw call.error("item \(i + 1) (\(date)) needs a value (a finite number)")
            }
            points.append((day, date, value, item["label"]?.stringValue, item["href"]?.stringValue))
        }
        guard !points.isEmpty else {
            return call.push(SVG.empty(kind: "timeline", width: width, height: height, title: title))
        }
        points.sort { $0.day < $1.day || ($0.day == $1.day && $0.date < $1.date) }
        let first = points.first!.day
        let span = Double(max(points.last!.day - first, 1))
        let top = max(points.map(\.value).max() ?? 0, 1e-12)
        let axis = 16.0
        let plotHeight = height - axis - 14
        let barWidth = max(2, min(24, (width - 4) / Double(max(points.count, 1)) - 1))
        let plotWidth = width - 4 - barWidth
        var out = SVG.open(kind: "timeline", width: width, height: height, title: title)
        out += "<text x=\"2\" y=\"10\" class=\"q-axis\">\(SVG.number(top))</text>"
        out +=
            "<line x1=\"0\" y1=\"\(SVG.number(14 + plotHeight))\" x2=\"\(SVG.number(width))\" y2=\"\(SVG.number(14 + plotHeight))\" stroke=\"currentColor\" stroke-width=\"0.5\"/>"
        for p in points {
            let x = 2 + Double(p.day - first) / span * plotWidth
            let h = max(0, p.value) / top * plotHeight
            let tip = HTML.escape("\(p.date): \(SVG.number(p.value))" + (p.label.map { " — \($0)" } ?? ""))
            var mark =
                "<rect x=\"\(SVG.number(x))\" y=\"\(SVG.number(14 + plotHeight - h))\" width=\"\(SVG.number(barWidth))\" height=\"\(SVG.number(max(h, 1)))\" fill=\"\(color)\"><title>\(tip)</title></rect>"
            if let href = p.href { mark = "<a href=\"\(HTML.escape(href))\">" + mark + "</a>" }
            out += mark
        }
        let y = SVG.number(height - 3)
        out += "<text x=\"1\" y=\"\(y)\" class=\"q-axis\">\(HTML.escape(points.first!.date))</text>"
        out +=
            "<text x=\"\(SVG.number(width - 1))\" y=\"\(y)\" text-anchor=\"end\" class=\"q-axis\">\(HTML.escape(points.last!.date))</text>"
        return call.push(out + "</svg>")
    }

    /// Days since 1970-01-01 of `YYYY-MM-DD`, `YYYY-MM` (the 1st) or `YYYY` (1 January); a longer ISO
    /// text (a time after the date) counts by its date. Nil when it is not such a date.
    static func dayNumber(_ text: String) -> Int? {
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
            parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        let y = Int(parts[0])!
        let m = parts.count > 1 ? Int(parts[1])! : 1
        let d = parts.count > 2 ? Int(parts[2])! : 1
        guard (1...12).contains(m), (1...31).contains(d) else { return nil }
        // Days from civil (proleptic Gregorian), after Howard Hinnant's published algorithm.
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// `quarry.svg.sparkline(values, options)`: a small line of the values in order.
    func svgSparkline(_ call: LuaCall) throws -> Int32 {
        let values = try Self.numbers(call, 1)
        let options = try ChartOptions(call, argument: 2)
        let width = try options.number("width", 100, min: 10)
        let height = try options.number("height", 20, min: 4)
        let color = SVG.color(try options.string("color", "currentColor"), fallback: "currentColor")
        let title = try options.string("title", "Sparkline")
        guard !values.isEmpty else {
            return call.push(SVG.empty(kind: "sparkline", width: width, height: height, title: title))
        }
        let low = values.min()!
        let high = values.max()!
        let range = high > low ? high - low : 1
        let step = values.count > 1 ? (width - 2) / Double(values.count - 1) : 0
        let points = values.enumerated().map { i, v in
            let x = 1 + Double(i) * step
            let y = height - 1 - (v - low) / range * (height - 2)
            return "\(SVG.number(x)),\(SVG.number(y))"
        }
        let line =
            values.count > 1
            ? "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
            : "<circle cx=\"\(SVG.number(width / 2))\" cy=\"\(SVG.number(height / 2))\" r=\"2\" fill=\"\(color)\"/>"
        return call.push(SVG.open(kind: "sparkline", width: width, height: height, title: title) + line + "</svg>")
    }
}
