// DocumentBox: a Document as Lua sees it. Holds the Swift model (annotations and features are
// written here, so they outlive the VM) and a C copy of the hot columns that spans read directly.
import DocumentModel
import PluginShim

/// A document handed to Lua. Lua keeps it alive while any span of it lives.
public final class DocumentBox {
    /// The model; annotations, features and scores written by plugins land here.
    public private(set) var document: Document
    /// The columns PluginShim reads: stable until the box is freed.
    let columns: UnsafeMutablePointer<qs_doc>
    private var allocations: [UnsafeMutableRawPointer] = []
    private(set) lazy var codePoints = document.makeCodePointIndex()

    public init(_ document: Document) {
        var document = document
        document.text.makeContiguousUTF8()
        self.document = document
        columns = .allocate(capacity: 1)
        columns.initialize(to: qs_doc())
        fillColumns()
    }

    deinit {
        for allocation in allocations { allocation.deallocate() }
        columns.deallocate()
    }

    private func copy<T>(_ array: [T]) -> UnsafePointer<T>? {
        guard !array.isEmpty else { return nil }
        let pointer = UnsafeMutablePointer<T>.allocate(capacity: array.count)
        _ = UnsafeMutableBufferPointer(start: pointer, count: array.count).initialize(from: array)
        allocations.append(UnsafeMutableRawPointer(pointer))
        return UnsafePointer(pointer)
    }

    private func fillColumns() {
        let d = document
        let text = Array(d.text.utf8)
        let textPointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, text.count))
        text.withUnsafeBytes { raw in
            if let base = raw.baseAddress { UnsafeMutableRawPointer(textPointer).copyMemory(from: base, byteCount: text.count) }
        }
        allocations.append(UnsafeMutableRawPointer(textPointer))
        columns.pointee.text = UnsafePointer(textPointer)
        columns.pointee.text_len = text.count
        columns.pointee.ntokens = UInt32(d.tokens.count)
        columns.pointee.tok_start = copy(d.tokens.starts)
        columns.pointee.tok_end = copy(d.tokens.ends)
        columns.pointee.tok_kind = copy(d.tokens.kinds.map(\.rawValue))
        columns.pointee.tok_flags = copy(d.tokens.flags.map(\.rawValue))
        columns.pointee.nsentences = UInt32(d.sentences.count)
        columns.pointee.sen_start = copy(d.sentences.starts)
        columns.pointee.sen_end = copy(d.sentences.ends)
        columns.pointee.nblocks = UInt32(d.blocks.count)
        columns.pointee.blk_start = copy(d.blocks.blocks.map(\.range.start))
        columns.pointee.blk_end = copy(d.blocks.blocks.map(\.range.end))
        columns.pointee.blk_kind = copy(d.blocks.blocks.map(\.kind.rawValue))
        columns.pointee.blk_level = copy(d.blocks.blocks.map(\.level))
        columns.pointee.nquotes = UInt32(d.quotations.count)
        columns.pointee.quo_start = copy(d.quotations.map(\.outer.start))
        columns.pointee.quo_end = copy(d.quotations.map(\.outer.end))
    }

    /// The text's UTF-8 bytes (the C copy), for regular expressions.
    var textBytes: UnsafeBufferPointer<UInt8> {
        UnsafeRawPointer(columns.pointee.text).map {
            UnsafeBufferPointer(start: $0.assumingMemoryBound(to: UInt8.self), count: columns.pointee.text_len)
        } ?? UnsafeBufferPointer(start: nil, count: 0)
    }

    // MARK: Writing

    func addAnnotation(layer: String, type: String, range: TextRange, features: JSONObject) -> Int {
        document.annotations.add(layer: layer, type: type, range: range, features: features)
    }

    func removeAnnotation(id: Int) -> Bool { document.annotations.remove(id: id) }

    func setFeature(_ key: String, _ value: JSONValue?) { document.features[key] = value }

    func setScore(_ key: String, _ value: JSONValue?) { document.scores[key] = value }
}
