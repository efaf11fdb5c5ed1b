// ViewFilter: which items of a view `doc.tokens{kind = "word"}`, `doc.blocks{kind = "heading", level = 2}`,
// `doc.quotes{balanced = true}` return: the conditions of the filter table, applied to the model.
import DocumentModel
import LuaBridge

struct ViewFilter {
    /// The filter's conditions by name (`kind`, `level`, `balanced`).
    var conditions: [String: LuaValue]

    /// The ranges and indexes of the view's items that pass the filter, in order.
    func items(of kind: SpanKind, in document: Document) -> [(TextRange, Int)] {
        let items: [(TextRange, Int)]
        func matches(_ name: String, _ value: String) -> Bool {
            switch conditions[name] {
            case nil: return true
            case .string(let wanted)?: return wanted == value
            case .array(let list)?: return list.contains(.string(value))
            default: return false
            }
        }
        switch kind {
        case .token:
            items = (0..<document.tokens.count).filter { matches("kind", document.tokens.kinds[$0].description) }
                .map { (document.tokens.range($0), $0) }
        case .sentence:
            items = (0..<document.sentences.count).map { (document.sentences.range($0), $0) }
        case .block:
            let level = conditions["level"]?.intValue
            items = document.blocks.blocks.indices.filter { i in
                let block = document.blocks.blocks[i]
                return matches("kind", block.kind.description) && (level == nil || Int64(block.level) == level)
            }.map { (document.blocks.blocks[$0].range, $0) }
        default:
            let balanced: Bool? = if case .bool(let b)? = conditions["balanced"] { b } else { nil }
            items = document.quotations.indices.filter {
                balanced == nil || document.quotations[$0].balanced == balanced
            }
            .map { (document.quotations[$0].outer, $0) }
        }
        return items
    }
}
