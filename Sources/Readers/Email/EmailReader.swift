// Email: one message (.eml) or a mailbox of them (mbox). Headers go into metadata; the MIME tree is
// walked without recursion, preferring text/plain over HTML (which goes through the HTML reader);
// transfer encodings and each part's charset are decoded; attachments are listed in metadata.

import DocumentModel
import Foundation
import TextAnalysis

/// Reads `.eml` files.
struct EmailReader: SingleDocumentReader {
    func readDocument(_ input: ReaderInput) throws -> Document {
        try Self.message(input.bytes[...], id: input.id, path: input.path, format: .eml)
    }

    struct Part {
        var contentType: String
        var params: [String: String]
        var disposition: String
        var filename: String?
        var body: [UInt8]
    }

    /// Reads one message.
    static func message(_ bytes: ArraySlice<UInt8>, id: String, path: String, format: DocumentFormat) throws -> Document
    {
        let (headers, bodyStart) = MailHeaders.split(bytes)
        guard !headers.isEmpty else { throw ReaderError("no mail headers found") }
        var warnings: [String] = []
        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name }.map { MailHeaders.decode($0.value) }
        }
        var meta = Metadata()
        var extra = JSONObject()
        if let subject = header("subject") { meta.title = subject }
        if let from = header("from") {
            var name = from
            if let lt = from.firstIndex(of: "<") {
                name = from[..<lt].trimmingCharacters(in: CharacterSet(charactersIn: " \t\""))
                if name.isEmpty { name = from }
            }
            meta.authors = [name]
            extra["from"] = .string(from)
        }
        for key in ["to", "cc"] {
            if let v = header(key) {
                extra[key] = .array(
                    MailHeaders.splitOutsideQuotes(v, ",").map { .string($0.trimmingCharacters(in: .whitespaces)) })
            }
        }
        if let date = header("date") {
            extra["date_header"] = .string(date)
            meta.date = isoDate(date) ?? date
        }
        if let messageID = header("message-id") {
            extra["message_id"] = .string(messageID.trimmingCharacters(in: .whitespaces))
        }
        if let reply = header("in-reply-to") { extra["in_reply_to"] = .string(reply) }

        // Walk the MIME tree iteratively.
        var leaves: [Part] = []
        var stack: [(headers: [(name: String, value: [UInt8])], body: ArraySlice<UInt8>, depth: Int)] =
            [(headers, bytes[bodyStart...], 0)]
        while let (hs, body, depth) = stack.popLast() {
            let ctRaw =
                hs.first { $0.name.lowercased() == "content-type" }.map { MailHeaders.decode($0.value) } ?? "text/plain"
            let (type, params) = MailHeaders.parameters(ctRaw)
            let cdRaw =
                hs.first { $0.name.lowercased() == "content-disposition" }.map { MailHeaders.decode($0.value) } ?? ""
            let (disposition, dparams) = MailHeaders.parameters(cdRaw)
            let cte =
                hs.first { $0.name.lowercased() == "content-transfer-encoding" }
                .map { String(decoding: $0.value, as: UTF8.self).trimmingCharacters(in: .whitespaces).lowercased() }
                ?? "7bit"
            if type.hasPrefix("multipart/"), let boundary = params["boundary"], !boundary.isEmpty {
                guard depth < 32 else {
                    warnings.append("MIME parts nested deeper than 32; the rest left out"); continue
                }
                let parts = splitMultipart(body, boundary: boundary)
                if parts.isEmpty { warnings.append("multipart message without parts for boundary \(boundary)") }
                for part in parts.reversed() {
                    let (h, b) = MailHeaders.split(part)
                    stack.append((h, part[b...], depth + 1))
                }
                continue
            }
            let decoded: [UInt8]
            switch cte {
            case "base64": decoded = Base64.decode(Array(body))
            case "quoted-printable": decoded = QuotedPrintable.decode(Array(body))
            default: decoded = Array(body)
            }
            let filename = dparams["filename"] ?? params["name"]
            leaves.append(
                Part(
                    contentType: type.isEmpty ? "text/plain" : type, params: params, disposition: disposition,
                    filename: filename, body: decoded))
        }

        var attachments: [JSONValue] = []
        var plain: [Part] = []
        var html: Part?
        for part in leaves {
            let isAttachment =
                part.disposition == "attachment" || part.filename != nil
                || !(part.contentType.hasPrefix("text/plain") || part.contentType.hasPrefix("text/html"))
            if isAttachment {
                var a = JSONObject()
                a["filename"] = .string(part.filename ?? "")
                a["content_type"] = .string(part.contentType)
                a["size"] = .int(part.body.count)
                attachments.append(.object(a))
            } else if part.contentType.hasPrefix("text/plain") {
                plain.append(part)
            } else if html == nil {
                html = part
            }
        }
        if !attachments.isEmpty { extra["attachments"] = .array(attachments) }
        meta.extra = extra

        if plain.isEmpty, let html {
            let d = TextDecoder.decode(html.body, declared: html.params["charset"])
            meta.encoding = d.encoding
            var doc = try HTMLReader.read(
                utf8: d.bytes, encoding: d.encoding, warnings: warnings + d.warnings, id: id,
                path: path, mainContent: false, metadata: meta, format: format)
            doc.metadata.title = meta.title ?? doc.metadata.title
            return doc
        }
        var text: [UInt8] = []
        var encodings: [String] = []
        for part in plain {
            let d = TextDecoder.decode(part.body, declared: part.params["charset"])
            if !text.isEmpty { text.append(contentsOf: [0x0A, 0x0A]) }
            var b = d.bytes
            if b.starts(with: [0xEF, 0xBB, 0xBF]) { b.removeFirst(3) }
            text.append(contentsOf: b)
            if !encodings.contains(d.encoding) { encodings.append(d.encoding) }
            warnings.append(contentsOf: d.warnings)
        }
        meta.encoding = encodings.isEmpty ? "utf-8" : encodings.joined(separator: ", ")
        if plain.isEmpty { warnings.append("the message has no text part") }
        do {
            var doc = try Analyzer.analyze(bytes: text, id: id, path: path, format: format.rawValue, metadata: meta)
            doc.metadata.title = meta.title ?? doc.metadata.title
            doc.warnings.insert(contentsOf: warnings, at: 0)
            return doc
        } catch {
            throw ReaderError("the message body is not text: \(error)")
        }
    }

    /// The parts of a multipart body between `--boundary` lines.
    static func splitMultipart(_ body: ArraySlice<UInt8>, boundary: String) -> [ArraySlice<UInt8>] {
        let marker = Array("--\(boundary)".utf8)
        var parts: [ArraySlice<UInt8>] = []
        var partStart: Int?
        var i = body.startIndex
        let end = body.endIndex
        while i < end {
            var j = i
            while j < end && body[j] != 0x0A { j += 1 }
            let line = body[i..<j]
            if line.starts(with: marker) {
                if let s = partStart {
                    var e = i
                    if e > s && body[e - 1] == 0x0A { e -= 1 }
                    if e > s && body[e - 1] == 0x0D { e -= 1 }
                    parts.append(body[s..<e])
                }
                let rest = line.dropFirst(marker.count)
                if rest.starts(with: [0x2D, 0x2D]) { return parts }  // closing boundary
                partStart = min(j + 1, end)
            }
            i = j + 1
        }
        if let s = partStart, s < end { parts.append(body[s..<end]) }  // truncated: keep the last part
        return parts
    }

    /// An RFC 5322 date as ISO 8601, or nil.
    static func isoDate(_ value: String) -> String? {
        var s = value.trimmingCharacters(in: .whitespaces)
        if let paren = s.firstIndex(of: "(") { s = String(s[..<paren]).trimmingCharacters(in: .whitespaces) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in [
            "EEE, d MMM yyyy HH:mm:ss Z", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z",
            "EEE, d MMM yyyy HH:mm:ss zzz",
        ] {
            formatter.dateFormat = format
            if let date = formatter.date(from: s) {
                let iso = ISO8601DateFormatter()
                iso.formatOptions = [.withInternetDateTime]
                if let tz = s.split(separator: " ").last, let offset = Int(tz), tz.count == 5 {
                    let seconds = (offset / 100) * 3600 + (offset % 100) * 60
                    iso.timeZone = TimeZone(secondsFromGMT: seconds)
                }
                return iso.string(from: date)
            }
        }
        return nil
    }
}

/// Reads `.mbox` mailboxes: each message (after a `From ` line) is a document `file#N`.
struct MboxReader: DocumentReader {
    func read(_ input: ReaderInput, into sink: (ReadResult) -> Void) {
        let bytes = input.bytes
        var starts: [(offset: Int, line: Int)] = []
        var i = 0
        var line = 1
        var previousBlank = true
        while i < bytes.count {
            var j = i
            while j < bytes.count && bytes[j] != 0x0A { j += 1 }
            let isFrom =
                j - i >= 5 && bytes[i] == 0x46 && bytes[i + 1] == 0x72 && bytes[i + 2] == 0x6F
                && bytes[i + 3] == 0x6D && bytes[i + 4] == 0x20
            if isFrom && previousBlank { starts.append((i, line)) }
            previousBlank = j == i || (j == i + 1 && bytes[i] == 0x0D)
            i = j + 1
            line += 1
        }
        guard !starts.isEmpty else {
            sink(input.failure("not an mbox mailbox (no line starting with \"From \")"))
            return
        }
        for (n, start) in starts.enumerated() {
            let end = n + 1 < starts.count ? starts[n + 1].offset : bytes.count
            // drop the From_ line; undo ">From " quoting
            var s = start.offset
            while s < end && bytes[s] != 0x0A { s += 1 }
            s = min(s + 1, end)
            var message = Array(bytes[s..<end])
            message = Self.unquoteFrom(message)
            let id = "\(input.id)#\(n + 1)"
            do {
                var doc = try EmailReader.message(message[...], id: id, path: input.path, format: .mbox)
                doc.metadata.extra["record"] = .int(n + 1)
                doc.metadata.extra["line"] = .int(start.line)
                sink(.document(doc))
            } catch let error as ReaderError {
                sink(
                    .failure(
                        ReadFailure(id: id, path: input.path, location: "line \(start.line)", message: error.message)))
            } catch {
                sink(
                    .failure(ReadFailure(id: id, path: input.path, location: "line \(start.line)", message: "\(error)"))
                )
            }
        }
    }

    static func unquoteFrom(_ b: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var atLineStart = true
        var i = 0
        while i < b.count {
            if atLineStart && b[i] == UInt8(ascii: ">") {
                var k = i
                while k < b.count && b[k] == UInt8(ascii: ">") { k += 1 }
                if k + 5 <= b.count && Array(b[k..<(k + 5)]) == Array("From ".utf8) { i += 1 }
            }
            out.append(b[i])
            atLineStart = b[i] == 0x0A
            i += 1
        }
        return out
    }
}
