// Blocks: the document's structural tree (sections, headings, paragraphs, lists, tables ...).
// Stored as a flat pre-order array with parent indexes; readers and the plain-text detector fill it.

/// The kind of a structural block.
public enum BlockKind: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case section, heading, paragraph, list, item, blockquote, table, row, cell, code, caption, dateline,
        title, other

    /// The lower-case name used in JSON and Lua (`"heading"`).
    public var description: String {
        switch self {
        case .section: "section"
        case .heading: "heading"
        case .paragraph: "paragraph"
        case .list: "list"
        case .item: "item"
        case .blockquote: "blockquote"
        case .table: "table"
        case .row: "row"
        case .cell: "cell"
        case .code: "code"
        case .caption: "caption"
        case .dateline: "dateline"
        case .title: "title"
        case .other: "other"
        }
    }

    /// The kind named `name` (as in `description`), or `nil`.
    public init?(name: String) {
        guard let k = BlockKind.allCases.first(where: { $0.description == name }) else { return nil }
        self = k
    }

    /// Whether blocks of this kind hold other blocks rather than running text.
    public var isContainer: Bool {
        switch self {
        case .section, .list, .blockquote, .table, .row: true
        default: false
        }
    }
}

/// One node of the block tree.
public struct Block: Sendable, Hashable {
    /// What the block is.
    public var kind: BlockKind
    /// The heading level (1 = top) for headings, the nesting depth for list items; 0 otherwise.
    public var level: UInt8
    /// The text the block covers, including its children.
    public var range: TextRange
    /// The index of the parent block in `BlockTree.blocks`, or -1 for a top-level block.
    public var parent: Int32

    /// Creates a block.
    public init(kind: BlockKind, level: Int = 0, range: TextRange, parent: Int = -1) {
        self.kind = kind
        self.level = UInt8(clamping: level)
        self.range = range
        self.parent = Int32(parent)
    }
}

/// The block tree as a flat array in pre-order (a parent precedes its children; siblings are in text order).
public struct BlockTree: Sendable, Hashable {
    /// The blocks in pre-order.
    public var blocks: [Block]

    /// Creates a tree from pre-ordered blocks whose parent indexes point backwards.
    public init(_ blocks: [Block] = []) {
        self.blocks = blocks
    }

    /// The number of blocks.
    public var count: Int { blocks.count }
    /// The block at `index`.
    public subscript(index: Int) -> Block { blocks[index] }

    /// The indexes of the blocks whose parent is `index` (-1 for the top level), in text order.
    public func children(of index: Int) -> [Int] {
        var out: [Int] = []
        let p = Int32(index)
        for (i, b) in blocks.enumerated() where b.parent == p { out.append(i) }
        return out
    }

    /// The nesting depth of the block at `index` (0 for a top-level block).
    public func depth(of index: Int) -> Int {
        var d = 0
        var p = blocks[index].parent
        while p >= 0 { d += 1; p = blocks[Int(p)].parent }
        return d
    }

    /// Whether the block at `index` has no children (it holds running text).
    public func isLeaf(_ index: Int) -> Bool {
        index + 1 >= blocks.count || blocks[index + 1].parent != Int32(index)
    }

    /// The indexes of the leaf blocks (those that hold running text), in text order.
    public var leafIndexes: [Int] { blocks.indices.filter { isLeaf($0) } }
}
