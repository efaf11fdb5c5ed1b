// DocumentHandle: a Document as Lua sees it. Holds the Swift model (annotations and features are
// written here, so they outlive the VM) and a C copy of the hot columns that spans read directly.
import DocumentModel
import LuaBridge
import PluginShim

/// A document handed to Lua. Lua keeps it alive while any span of it lives.
public final class DocumentHandle {
    /// The model; annotations, features and scores written by plugins land here.
    public private(set) var document: Document
    /// Set once the plugins are done with the document (its outcome is taken): later writes are errors,
    /// not silently lost (a plugin that kept `doc` in a global and writes to it at the next document).
    public internal(set) var finished = false {
        didSet { if finished { releaseHostMemory() } }
    }
    /// The VM whose memory limit counts what plugins add to this document (`chargeHostMemory`).
    weak var chargedTo: LuaVM?
    /// Bytes of features, scores and annotations added by plugins, counted against the VM's memory limit.
    private(set) var hostBytes = 0
    /// What each feature's value was counted as, so that setting it again counts the difference.
    private var featureBytes: [String: Int] = [:]
    /// The columns PluginShim reads: stable until the box is freed.
    let columns: UnsafeMutablePointer<qp_doc>
    private(set) lazy var codePoints = document.makeCodePointIndex()

    public init(_ document: Document) {
        var document = document
        document.text.makeContiguousUTF8()
        self.document = document
        columns = .allocate(capacity: 1)
        columns.initialize(to: qp_doc())
        fillColumns()
    }

    deinit {
        storage?.deallocate()
        columns.deallocate()
    }

    /// One allocation holds the text and every column (they live and die together).
    private var storage: UnsafeMutableRawPointer?

    private func fillColumns() {
        let d = document
        let tokens = d.tokens, blocks = d.blocks.blocks, quotes = d.quotations
        let length = d.text.utf8.count
        let nt = tokens.count, ns = d.sentences.count, nb = blocks.count, nq = quotes.count
        // 4-byte columns first, then the 1-byte ones and the text: every column stays aligned.
        let words = 2 * nt + 2 * ns + 2 * nb + 2 * nq
        let size = words * 4 + 2 * nt + 2 * nb + max(1, length)
        let base = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        storage = base
        var offset = 0
        func column<T>(_ count: Int, _ item: (Int) -> T) -> UnsafePointer<T>? {
            guard count > 0 else { return nil }
            let pointer = (base + offset).bindMemory(to: T.self, capacity: count)
            for i in 0..<count { (pointer + i).initialize(to: item(i)) }
            offset += count * MemoryLayout<T>.stride
            return UnsafePointer(pointer)
        }
        columns.pointee.ntokens = UInt32(nt)
        columns.pointee.tok_start = tokens.starts.withUnsafeBufferPointer { b in column(nt) { b[$0] } }
        columns.pointee.tok_end = tokens.ends.withUnsafeBufferPointer { b in column(nt) { b[$0] } }
        columns.pointee.nsentences = UInt32(ns)
        columns.pointee.sen_start = d.sentences.starts.withUnsafeBufferPointer { b in column(ns) { b[$0] } }
        columns.pointee.sen_end = d.sentences.ends.withUnsafeBufferPointer { b in column(ns) { b[$0] } }
        columns.pointee.nblocks = UInt32(nb)
        columns.pointee.blk_start = column(nb) { blocks[$0].range.start }
        columns.pointee.blk_end = column(nb) { blocks[$0].range.end }
        columns.pointee.nquotes = UInt32(nq)
        columns.pointee.quo_start = column(nq) { quotes[$0].outer.start }
        columns.pointee.quo_end = column(nq) { quotes[$0].outer.end }
        columns.pointee.tok_kind = tokens.kinds.withUnsafeBufferPointer { b in column(nt) { b[$0].rawValue } }
        columns.pointee.tok_flags = tokens.flags.withUnsafeBufferPointer { b in column(nt) { b[$0].rawValue } }
        columns.pointee.blk_kind = column(nb) { blocks[$0].kind.rawValue }
        columns.pointee.blk_level = column(nb) { blocks[$0].level }
        let textPointer = (base + offset).bindMemory(to: CChar.self, capacity: max(1, length))
        var text = d.text
        text.withUTF8 { utf8 in
            if let source = utf8.baseAddress {
                UnsafeMutableRawPointer(textPointer).copyMemory(from: source, byteCount: utf8.count)
            }
        }
        offset += max(1, length)
        precondition(offset == size, "DocumentHandle: the columns do not fill their block")
        columns.pointee.text = UnsafePointer(textPointer)
        columns.pointee.text_len = length
    }

    /// The text's UTF-8 bytes (the C copy), for regular expressions.
    var textBytes: UnsafeBufferPointer<UInt8> {
        UnsafeRawPointer(columns.pointee.text).map {
            UnsafeBufferPointer(start: $0.assumingMemoryBound(to: UInt8.self), count: columns.pointee.text_len)
        } ?? UnsafeBufferPointer(start: nil, count: 0)
    }

    // MARK: Host memory

    /// Counts `bytes` more against `vm`'s memory limit; false (nothing counted) when that would pass it.
    func charge(_ bytes: Int, on vm: LuaVM) -> Bool {
        if let other = chargedTo, other !== vm { return true }  // (a doc kept across VMs: not counted twice)
        guard vm.chargeHostMemory(bytes) else { return false }
        chargedTo = vm
        hostBytes += bytes
        return true
    }

    /// Lets go of what was counted (the document's outcome is taken; its memory is the run's now).
    func releaseHostMemory() {
        chargedTo?.releaseHostMemory(hostBytes)
        hostBytes = 0
        featureBytes = [:]
    }

    /// About what an annotation holds in the host: its record, type, layer and features.
    static func annotationBytes(type: String, layer: String, features: JSONObject) -> Int {
        200 + type.utf8.count + layer.utf8.count + JSONValue.object(features).estimatedBytes
    }

    /// Counts a feature set to a value of `bytes`, replacing what it held; false when past the limit.
    func chargeFeature(_ key: String, bytes: Int, on vm: LuaVM) -> Bool {
        let old = featureBytes[key] ?? 0
        if bytes > old {
            guard charge(bytes - old, on: vm) else { return false }
        } else if old > bytes, chargedTo === vm {
            vm.releaseHostMemory(old - bytes)
            hostBytes -= old - bytes
        }
        featureBytes[key] = bytes
        return true
    }

    // MARK: Writing

    func addAnnotation(layer: String, type: String, range: TextRange, features: JSONObject) -> Int {
        document.annotations.add(layer: layer, type: type, range: range, features: features)
    }

    func removeAnnotation(id: Int) -> Bool { document.annotations.remove(id: id) }

    func setFeature(_ key: String, _ value: JSONValue?) { document.features[key] = value }

    func setScore(_ key: String, _ value: JSONValue?) { document.scores[key] = value }
}
