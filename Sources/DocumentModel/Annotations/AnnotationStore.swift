// The annotation store: standoff annotations kept sorted in document order, with range queries.
// Every query returns annotations in document order (start, then longer first, then id).

/// A sorted collection of annotations with queries by type, layer and range.
public struct AnnotationStore: Sendable, Hashable {
    /// All annotations in document order.
    public private(set) var all: [Annotation] = []
    private var nextID = 1
    /// Where each annotation is in `all`, at index id - 1 (ids are handed out in order), -1 once removed;
    /// kept up to date by every change.
    private var positions: [Int32] = []

    /// Creates an empty store.
    public init() {}

    /// The number of annotations.
    public var count: Int { all.count }

    /// How a query range relates to the annotations it selects.
    public enum Relation: Sendable {
        /// The annotation lies inside the range.
        case within
        /// The annotation shares at least one byte with the range (see `TextRange.overlaps`).
        case overlapping
        /// The annotation contains the whole range.
        case covering
    }

    /// Adds an annotation and returns its new id.
    @discardableResult
    public mutating func add(layer: String, type: String, range: TextRange, features: JSONObject = JSONObject()) -> Int
    {
        let a = Annotation(id: nextID, layer: layer, type: type, range: range, features: features)
        nextID += 1
        // Insert after every annotation that precedes it (appends are the common case).
        if let last = all.last, Annotation.precedes(a, last) {
            var lo = 0, hi = all.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if Annotation.precedes(all[mid], a) { lo = mid + 1 } else { hi = mid }
            }
            all.insert(a, at: lo)
            positions.append(Int32(lo))
            for i in lo..<all.count { positions[all[i].id - 1] = Int32(i) }
        } else {
            positions.append(Int32(all.count))
            all.append(a)
        }
        return a.id
    }

    /// Removes the annotation with `id`; returns whether it existed.
    @discardableResult
    public mutating func remove(id: Int) -> Bool {
        guard let i = position(id) else { return false }
        all.remove(at: i)
        positions[id - 1] = -1
        for j in i..<all.count { positions[all[j].id - 1] = Int32(j) }
        return true
    }

    /// Removes every annotation of `layer`; returns how many were removed.
    @discardableResult
    public mutating func removeAll(layer: String) -> Int {
        let n = all.count
        all.removeAll { $0.layer == layer }
        for i in positions.indices { positions[i] = -1 }
        for (i, a) in all.enumerated() { positions[a.id - 1] = Int32(i) }
        return n - all.count
    }

    /// The annotation with `id`, if any.
    public func annotation(id: Int) -> Annotation? { position(id).map { all[$0] } }

    private func position(_ id: Int) -> Int? {
        guard id >= 1 && id <= positions.count, positions[id - 1] >= 0 else { return nil }
        return Int(positions[id - 1])
    }

    /// Annotations matching every given condition, in document order.
    ///
    /// - Parameters:
    ///   - type: Only this type, when given.
    ///   - layer: Only this layer, when given.
    ///   - range: Only annotations in `relation` to this range, when given.
    ///   - relation: How `range` selects annotations (default `.within`).
    public func query(
        type: String? = nil, layer: String? = nil, range: TextRange? = nil,
        relation: Relation = .within
    ) -> [Annotation] {
        var lo = 0
        var hi = all.count
        if let r = range {
            // Only annotations starting before the range end (or at it, for empty ones) can qualify.
            hi = upperBound(start: relation == .covering ? r.start : r.end)
            if relation == .within { lo = lowerBound(start: r.start) }
        }
        var out: [Annotation] = []
        // The fields are tested in place: a copy of each annotation would retain its strings and features.
        all.withUnsafeBufferPointer { all in
            for i in lo..<max(lo, hi) {
                if let type, all[i].type != type { continue }
                if let layer, all[i].layer != layer { continue }
                if let r = range {
                    let ar = all[i].range
                    switch relation {
                    case .within: if !r.contains(ar) { continue }
                    case .overlapping: if !ar.overlaps(r) { continue }
                    case .covering: if !ar.contains(r) { continue }
                    }
                }
                out.append(all[i])
            }
        }
        return out
    }

    private func lowerBound(start: UInt32) -> Int {
        var lo = 0, hi = all.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if all[mid].range.start < start { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    private func upperBound(start: UInt32) -> Int {
        var lo = 0, hi = all.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if all[mid].range.start <= start { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
