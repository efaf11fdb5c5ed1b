// The value of an attribute of a libxml2 element (its text children joined), for the readers that walk
// libxml2 trees: DOCX (by local name, any namespace) and HTML (by name, ASCII case-insensitive).
import CLibXML2

enum XMLAttributes {
    /// The value of the first attribute of `node` whose name passes `matches`, or nil.
    static func value(of node: xmlNodePtr, where matches: (UnsafePointer<xmlChar>) -> Bool) -> String? {
        var attribute = node.pointee.properties
        while let a = attribute {
            if let name = a.pointee.name, matches(name) {
                var out = ""
                var child = a.pointee.children
                while let c = child {
                    if let content = c.pointee.content { out += String(cString: content) }
                    child = c.pointee.next
                }
                return out
            }
            attribute = a.pointee.next
        }
        return nil
    }
}
