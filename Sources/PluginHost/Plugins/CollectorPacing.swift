// CollectorPacing: tells Lua's garbage collector about the Swift memory behind finished documents,
// in batches, so a worker's heap neither piles up documents nor collects after every small one.
import DocumentModel
import LuaBridge

struct CollectorPacing {
    /// Bytes of finished documents' Swift memory not yet told to the collector.
    private(set) var untoldBytes = 0
    /// How much to gather before telling.
    var batchBytes = 4 << 20

    /// A document's model and columns live in Swift behind a small userdata: the collector does not
    /// see them, so thousands of finished documents would pile up between collections. Told in
    /// batches of a few megabytes (a large document at once): a step per small document would have
    /// the collector walk the plugins' whole heap far more often than memory needs.
    mutating func finished(_ document: Document, in vm: LuaVM) {
        untoldBytes += document.text.utf8.count * 8
        if untoldBytes >= batchBytes {
            vm.collectGarbage(stepKilobytes: untoldBytes / 4096)
            untoldBytes = 0
        }
    }
}
