// SchemaValidator: checks JSON values against the subset of JSON Schema that Quarry's committed
// schemas use (type, enum, properties, required, additionalProperties, items, minimum, $ref to
// $defs), so tests can hold every output line to docs/schemas/.
import DocumentModel
import Foundation

public struct SchemaValidator {
    let root: JSONValue

    /// Loads a schema file from the repository (`docs/schemas/result.schema.json`).
    public init(file: String) throws {
        let url = TestSupport.repositoryRoot.appendingPathComponent(file)
        root = try JSONParser.parse(bytes: Array(try Data(contentsOf: url)))
    }

    /// The problems of `value` against the schema (empty when it conforms).
    public func problems(_ value: JSONValue) -> [String] {
        var found: [String] = []
        check(value, against: root, path: "$", into: &found)
        return found
    }

    /// Parses a JSON text and validates it.
    public func problems(json text: String) -> [String] {
        do {
            return problems(try JSONParser.parse(text))
        } catch {
            return ["not JSON: \(error)"]
        }
    }

    private func resolve(_ schema: JSONValue) -> JSONValue {
        guard case .object(let object) = schema, let ref = object["$ref"]?.stringValue, ref.hasPrefix("#/$defs/"),
            case .object(let rootObject) = root, case .object(let defs)? = rootObject["$defs"]
        else { return schema }
        return defs[String(ref.dropFirst("#/$defs/".count))] ?? schema
    }

    private func typeName(_ value: JSONValue) -> [String] {
        switch value {
        case .null: ["null"]
        case .bool: ["boolean"]
        case .int: ["integer", "number"]
        case .double: ["number"]
        case .string: ["string"]
        case .array: ["array"]
        case .object: ["object"]
        }
    }

    private func check(_ value: JSONValue, against schemaValue: JSONValue, path: String, into found: inout [String]) {
        guard case .object(let schema) = resolve(schemaValue) else { return }
        if let type = schema["type"] {
            let allowed: [String] =
                switch type {
                case .string(let s): [s]
                case .array(let list): list.compactMap(\.stringValue)
                default: []
                }
            if !typeName(value).contains(where: allowed.contains) {
                found.append("\(path): expected \(allowed.joined(separator: " or ")), got \(typeName(value)[0])")
                return
            }
        }
        if case .array(let options)? = schema["enum"], !options.contains(value) {
            found.append("\(path): \(value) is not one of \(options.map(\.description).joined(separator: ", "))")
        }
        if let minimum = schema["minimum"]?.doubleValue, let number = value.doubleValue, number < minimum {
            found.append("\(path): \(number) is below \(minimum)")
        }
        if case .object(let object) = value {
            let properties: JSONObject = if case .object(let p)? = schema["properties"] { p } else { JSONObject() }
            if case .array(let required)? = schema["required"] {
                for name in required.compactMap(\.stringValue) where object[name] == nil {
                    found.append("\(path): missing '\(name)'")
                }
            }
            for (key, item) in zip(object.keys, object.values) {
                if let property = properties[key] {
                    check(item, against: property, path: "\(path).\(key)", into: &found)
                } else if let additional = schema["additionalProperties"] {
                    if additional == .bool(false) {
                        found.append("\(path): unexpected property '\(key)'")
                    } else if case .object = additional {
                        check(item, against: additional, path: "\(path).\(key)", into: &found)
                    }
                }
            }
        }
        if case .array(let items) = value, let itemSchema = schema["items"] {
            for (i, item) in items.enumerated() {
                check(item, against: itemSchema, path: "\(path)[\(i)]", into: &found)
            }
        }
    }
}
