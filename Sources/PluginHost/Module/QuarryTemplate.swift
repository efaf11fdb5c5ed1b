// quarry.template: Mustache templates (hummingbird-project/swift-mustache) rendered with Lua data.
// Template files and their partials come from the plugin's folder (`templates/` first), confined there
// through FileAccess; parsed templates are kept per VM (TemplateCache), so a page a document costs a render.
import DocumentModel
import Foundation
import LuaBridge
import Mustache

/// Parsed templates with the partials they use, kept for the VM's lifetime.
final class TemplateCache {
    struct Entry {
        var template: MustacheTemplate
        var library: MustacheLibrary
    }
    /// By resolved file path (files) or by the text itself (inline templates).
    var files: [String: Entry] = [:]
    var texts: [String: Entry] = [:]
    /// The file each (plugin folder, template name) resolved to: a report renders its layout once a page.
    var paths: [String: String] = [:]
    /// Inline templates kept at most; the cache starts over past it.
    static let maxTexts = 256
}

extension QuarryRuntime {
    /// `quarry.template.render(name_or_text, data)`.
    func templateRender(_ plugin: PluginScope, _ call: LuaCall) throws -> Int32 {
        let source = try call.string(1)
        var data: LuaValue = call.isNil(2) ? .object([:]) : try call.value(2)
        if data == .array([]) { data = .object([:]) }
        guard case .object = data else { throw call.argumentError(2, "a table with named fields") }
        let entry: TemplateCache.Entry
        if Self.isTemplateText(source) {
            if let cached = templateCache.texts[source] {
                entry = cached
            } else {
                entry = try loadTemplate(text: source, label: "template text", plugin: plugin, call: call)
                if templateCache.texts.count >= TemplateCache.maxTexts { templateCache.texts = [:] }
                templateCache.texts[source] = entry
            }
        } else {
            let key = (plugin.folder ?? "") + "\u{0}" + source
            let path: String
            if let known = templateCache.paths[key] {
                path = known
            } else {
                path = try Self.templatePath(source, plugin: plugin, call: call)
                templateCache.paths[key] = path
            }
            if let cached = templateCache.files[path] {
                entry = cached
            } else {
                entry = try loadTemplate(
                    text: try Self.readTemplate(path, name: source, call: call), label: source, plugin: plugin,
                    call: call)
                templateCache.files[path] = entry
            }
        }
        return call.push(entry.template.render(MustacheData.value(data), library: entry.library))
    }

    /// Text, not a file name: it has a tag or a line break.
    static func isTemplateText(_ s: String) -> Bool { s.contains("{{") || s.contains("\n") }

    /// Parses a template and, recursively, the partials it names, into one library.
    func loadTemplate(text: String, label: String, plugin: PluginScope, call: LuaCall) throws -> TemplateCache.Entry {
        let template = try Self.parse(text, label: label, call: call)
        var library = MustacheLibrary()
        var pending = Self.partialNames(in: text).map { ($0, label) }
        var seen = Set<String>()
        while let (name, from) = pending.popLast() {
            guard seen.insert(name).inserted else { continue }
            let path: String
            do {
                path = try Self.templatePath(name, plugin: plugin, call: call)
            } catch let error as LuaError {
                throw call.error("in \(from): partial '\(name)': " + Self.withoutPrefix(error.message, call))
            }
            let partialText = try Self.readTemplate(path, name: name, call: call)
            library.register(try Self.parse(partialText, label: name, call: call), named: name)
            pending += Self.partialNames(in: partialText).map { ($0, name) }
        }
        return TemplateCache.Entry(template: template, library: library)
    }

    static func withoutPrefix(_ message: String, _ call: LuaCall) -> String {
        message.hasPrefix(call.name + ": ") ? String(message.dropFirst(call.name.count + 2)) : message
    }

    /// The partials (`{{> name}}`) and parents (`{{< name}}`) a template names, in the default delimiters.
    static func partialNames(in text: String) -> [String] {
        var names: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            rest = rest[open.upperBound...]
            guard let first = rest.first, first == ">" || first == "<" else { continue }
            guard let close = rest.range(of: "}}") else { break }
            let name = rest[rest.index(after: rest.startIndex)..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !name.isEmpty, !name.hasPrefix("*") { names.append(name) }
            rest = rest[close.upperBound...]
        }
        return names
    }

    /// The file a template name stands for: `templates/NAME.mustache`, then `NAME.mustache` (or NAME
    /// itself when it has an extension), inside the plugin's folder.
    static func templatePath(_ name: String, plugin: PluginScope, call: LuaCall) throws -> String {
        guard let folder = plugin.folder else {
            throw call.error("template '\(name)': this script has no folder to read templates from")
        }
        let file = name.hasSuffix(".mustache") || name.hasSuffix(".html") ? name : name + ".mustache"
        let candidates = file.hasPrefix("templates/") ? [file] : ["templates/" + file, file]
        for candidate in candidates {
            do {
                return try FileAccess.resolve(candidate, roots: [folder], call: call)
            } catch let error as LuaError where error.message.contains("not found") {
                continue
            } catch let error as LuaError where error.message.contains("outside") {
                throw call.error("template '\(name)' is outside the plugin's folder \(folder)")
            }
        }
        throw call.error(
            "template '\(name)' not found: looked for \(candidates.joined(separator: " and ")) in \(folder)")
    }

    static func readTemplate(_ path: String, name: String, call: LuaCall) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw call.error("cannot read template '\(name)' (\(path))")
        }
        guard let text = String(validating: [UInt8](data), as: UTF8.self) else {
            throw call.error("template '\(name)' (\(path)) is not UTF-8")
        }
        return text
    }

    /// Put before every template (and partial) on its first line, so line numbers stay: `{{name}}` is
    /// escaped by `HTMLEscaping`, the five characters `quarry.html.escape` escapes, on the bytes.
    static let escapingPragma = "{{% CONTENT_TYPE: \(HTMLEscaping.name) }}"

    static func parse(_ text: String, label: String, call: LuaCall) throws -> MustacheTemplate {
        HTMLEscaping.register
        do {
            return try MustacheTemplate(string: escapingPragma + text)
        } catch let error as MustacheTemplate.ParserError {
            let context = error.context
            let column = context.lineNumber == 1 ? context.columnNumber - escapingPragma.count : context.columnNumber
            let line =
                context.lineNumber == 1 && context.line.hasPrefix(escapingPragma)
                ? String(context.line.dropFirst(escapingPragma.count)) : String(context.line)
            throw call.error(
                "\(label):\(context.lineNumber):\(max(column, 1)): \(describe(error.error)) in \"\(line)\"")
        }
    }

    static func describe(_ error: Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        return switch error {
        case .sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case .unfinishedName: "a tag is not closed"
        case .expectedSectionEnd: "a section is not closed"
        case .invalidSetDelimiter: "invalid delimiter change"
        case .transformAppliedToInheritanceSection: "a transform on an inheritance section"
        case .illegalTokenInsideInheritSection: "a tag that cannot be inside an inheritance section"
        case .textInsideInheritSection: "text inside an inheritance section"
        case .invalidConfigVariableSyntax: "invalid configuration tag"
        case .unrecognisedConfigVariable: "unknown configuration tag"
        }
    }
}

/// Lua data as the Mustache renderer reads it: tables become dictionaries and arrays; an empty table is
/// an empty list (so `{{#items}}` renders nothing); whole floats print without `.0`.
enum MustacheData {
    static func value(_ v: LuaValue) -> Any {
        switch v {
        case .nil: return ""
        case .bool(let b): return b
        case .int(let i): return Int(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? Int(d) : d
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        case .array(let items): return items.map(value)
        case .object(let map):
            if map.isEmpty { return [Any]() }
            return MustacheObject(map.mapValues(value))
        case .opaque(_, let description): return description
        }
    }
}

/// Mustache's own HTML escaping walks a string by Characters with a dictionary lookup for each: a
/// report's pages spent most of their rendering time there. This content type escapes the same five
/// characters on the UTF-8 bytes (`HTML.escapeBytes`), and returns text with none of them as it is.
struct HTMLEscaping: MustacheContentType {
    static let name = "QuarryHTML"
    /// Registers it with the renderer (once, on first use).
    static let register: Void = MustacheContentTypes.register(HTMLEscaping(), named: name)

    func escapeText(_ text: String) -> String {
        var text = text
        let escaped = text.withUTF8 { HTML.escapeBytes(UnsafeRawBufferPointer($0)) }
        return escaped.map { String(decoding: $0, as: UTF8.self) } ?? text
    }
}

/// A table's fields for the renderer. A final class rather than a dictionary: the renderer asks each
/// value for its protocols at every name it looks up, and that question costs much less for a plain
/// class than for the generic `Dictionary<String, Any>`.
final class MustacheObject: MustacheParent {
    let fields: [String: Any]
    init(_ fields: [String: Any]) { self.fields = fields }
    func child(named name: String) -> Any? { fields[name] }
}
