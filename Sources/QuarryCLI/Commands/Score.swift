// `quarry score GOLD RESULTS`: measures a run against gold annotations (precision, recall, F1 per type,
// per feature and in total; misses and false hits with context), and `--import brat|conll` makes gold files.
// The work is in the Scoring target; this file reads files, prints, and turns errors into exit codes.
import ArgumentParser
import DocumentModel
import Foundation
import Readers
import Scoring

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure a run against gold annotations: precision, recall and F1, misses and false hits.",
        discussion: """
            GOLD is JSON Lines, a document a line: {"id": "...", "sha256": "...", "annotations": [{"type": \
            "PERSON", "start": 3, "end": 9, "features": {...}}]}. Offsets are 0-based, half-open, in code \
            points, as in results.jsonl; an annotation may carry its "text" (checked against the document's \
            text when it is known), and a document its "text" (used for context). RESULTS is a run folder \
            or its results.jsonl. Documents are paired by id (--by id) or by the SHA-256 of their file \
            (--by sha256); results documents without gold are not scored.

            Spans are paired one-to-one per type (--match exact: same start and end; overlap: any \
            overlap, largest first). precision = correct / system, recall = correct / gold, F1 = \
            2·correct / (gold + system); the total adds up every type's spans (micro average). For a \
            --feature F of type T: system items are T's system annotations with a non-null F, gold items \
            likewise, and an item is correct when its span is matched and both values are equal, \
            compared as text, case- and white-space-insensitive, after --aliases.

            `quarry score --import brat FILE.ann|DIR ... [--out GOLD.jsonl]` converts brat standoff (the \
            sibling .txt gives the sha256, and offsets are remapped through Quarry's normalization: BOM, \
            CRLF, NFC); `--import conll FILE [--text TEXT]` converts CoNLL IOB/IOB2/BIOES, with offsets \
            into TEXT or, without it, into the tokens joined by spaces, a sentence a line.

            Exit codes: 0 fine, 1 a --min floor is not met, 2 bad usage or input, 3 could not run.
            """
    )

    @Argument(help: ArgumentHelp("GOLD RESULTS, or with --import the files to convert.", valueName: "files"))
    var inputs: [String] = []

    @Option(
        help: ArgumentHelp(
            "Pair gold and run documents by id, or by the SHA-256 of their file.", valueName: "id|sha256"))
    var by: String = "id"

    @Option(
        name: .customLong("type"),
        help: ArgumentHelp(
            "An annotation type to score (repeatable; default: every type in the gold).", valueName: "type"))
    var types: [String] = []

    @Option(
        help: ArgumentHelp(
            "How spans match: exact (same start and end) or overlap (one-to-one, largest overlap first).",
            valueName: "exact|overlap"))
    var match: String = "exact"

    @Option(
        name: .customLong("where"),
        help: ArgumentHelp(
            "Score only annotations, on both sides, whose FEATURE has VALUE (repeatable; true, 3 are compared as JSON text).",
            valueName: "feature=value"))
    var conditions: [String] = []

    @Option(
        name: .customLong("feature"),
        help: ArgumentHelp("A feature to compare on matched spans (repeatable).", valueName: "name"))
    var features: [String] = []

    @Option(
        help: ArgumentHelp(
            "Feature values to treat as the same: TSV alias<TAB>canonical, or a JSON object.", valueName: "file"))
    var aliases: String?

    @Option(
        parsing: .upToNextOption,
        help: ArgumentHelp(
            "The documents, as given to quarry run (every path up to the next option), for the text around misses and to check gold offsets; read with the reader options below.",
            valueName: "path"))
    var docs: [String] = []

    @Option(
        help: ArgumentHelp(
            "How many missing documents, misses, false hits and mismatches to list (all: every one).", valueName: "N"))
    var show: String = "20"

    @Flag(help: "Print the figures only.")
    var quiet = false

    @Flag(help: "Print a JSON report (figures, counts, every miss, false hit and mismatch, floors) for CI.")
    var json = false

    @Option(
        name: .customLong("min"),
        help: ArgumentHelp(
            "Fail (exit 1) when a figure is below a floor: f1, precision, recall, TYPE.f1, TYPE.FEATURE.recall ... (repeatable).",
            valueName: "spec=value"))
    var floors: [String] = []

    @Option(
        name: .customLong("import"),
        help: ArgumentHelp("Convert annotators' files to a gold file instead of scoring.", valueName: "brat|conll"))
    var importFormat: String?

    @Option(help: ArgumentHelp("With --import: the gold file to write (default: standard output).", valueName: "file"))
    var out: String?

    @Option(help: ArgumentHelp("With --import conll: the document's text, to align the tokens to.", valueName: "file"))
    var text: String?

    @Option(
        help: ArgumentHelp(
            "Score main-content extraction instead: a folder of pages, each a folder with source.html and the reference expected.html (word 4-grams).",
            valueName: "folder"))
    var pages: String?

    @OptionGroup var reading: ReaderFlags

    func validate() throws {
        guard DocumentKey(rawValue: by) != nil else { throw ValidationError("--by takes id or sha256, not '\(by)'") }
        guard MatchMode(rawValue: match) != nil else {
            throw ValidationError("--match takes exact or overlap, not '\(match)'")
        }
        guard show == "all" || Int(show).map({ $0 >= 0 }) == true else {
            throw ValidationError("--show takes a number of entries or all, not '\(show)'")
        }
        do {
            for c in conditions { _ = try FeatureCondition(parsing: c) }
            for f in floors { _ = try Floor(parsing: f) }
        } catch let error as ScoringError {
            throw ValidationError(error.description)
        }
        if pages != nil {
            guard inputs.isEmpty, importFormat == nil else {
                throw ValidationError("--pages scores a folder of pages: give no gold, results or --import")
            }
            return
        }
        if let importFormat {
            guard ["brat", "conll"].contains(importFormat) else {
                throw ValidationError("--import takes brat or conll, not '\(importFormat)'")
            }
            guard !inputs.isEmpty else { throw ValidationError("give the \(importFormat) files to convert") }
            if text != nil && importFormat != "conll" { throw ValidationError("--text goes with --import conll") }
            if text != nil && inputs.count != 1 { throw ValidationError("--text aligns one CoNLL file; give one") }
        } else {
            guard inputs.count == 2 else {
                throw ValidationError("give the gold file and the results (a run folder or its results.jsonl)")
            }
            if out != nil { throw ValidationError("--out goes with --import (scoring prints its report)") }
            if text != nil { throw ValidationError("--text goes with --import conll") }
        }
    }

    func run() throws {
        if let pages { return try runPages(pages) }
        if let importFormat { return try runImport(importFormat) }
        let key = DocumentKey(rawValue: by) ?? .id
        let goldPath = inputs[0]
        let gold = try scoring { try GoldFile(bytes: try Self.read(goldPath), path: goldPath, key: key) }
        let resultsPath = try Self.resultsFile(inputs[1])
        let scoredTypes = types.isEmpty ? gold.types : types
        let results = try scoring {
            try ResultsFile(bytes: try Self.read(resultsPath), path: resultsPath, types: Set(scoredTypes))
        }
        var aliasTable = AliasTable()
        if let aliases {
            aliasTable = try scoring {
                try AliasTable(text: String(decoding: try Self.read(aliases), as: UTF8.self), path: aliases)
            }
        }
        let options = ScoreOptions(
            types: types, match: MatchMode(rawValue: match) ?? .exact,
            conditions: try scoring { try conditions.map(FeatureCondition.init(parsing:)) },
            features: features, aliases: aliasTable, key: key)
        let texts = try documentTexts(keys: Set(gold.documents.compactMap { $0.key(key) }), key: key)
        let report = try scoring { try Scorer.score(gold: gold, results: results, options: options, texts: texts) }
        let floorList = try scoring { try floors.map(Floor.init(parsing:)) }
        for floor in floorList {
            do { try floor.validate(against: report) } catch let error as ScoringError {
                throw CommandFailure.usage(error.description)
            }
        }

        for warning in report.warnings { Terminal.warning(warning) }
        for hint in report.hints { Terminal.write(Terminal.paint("quarry: hint:", "36") + " " + hint + "\n") }
        if json {
            print(report.json(floors: floorList).prettyDescription())
        } else {
            let limit = show == "all" ? Int.max : Int(show) ?? 20
            print(report.renderText(show: limit, quiet: quiet), terminator: "")
        }
        let failed = floorList.filter { !$0.isMet(by: report) }
        for floor in failed {
            let value = floor.value(in: report).map { String(format: "%.3f", $0) } ?? "undefined (nothing to count)"
            Terminal.error("floor not met: \(floor.spec) is \(value), below \(floor.minimum)")
        }
        if !failed.isEmpty { throw CommandFailure.reportedFailures }
    }

    // MARK: - Reading

    /// Runs `body`, turning bad input into a usage failure (exit 2).
    private func scoring<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ScoringError {
            throw CommandFailure.usage(error.description)
        }
    }

    /// A file's bytes.
    ///
    /// - Throws: `CommandFailure` (usage) when it does not exist, (cannot run) when it cannot be read.
    static func read(_ path: String) throws -> [UInt8] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CommandFailure.usage("\(path): no such file")
        }
        if isFolder.boolValue { throw CommandFailure.usage("\(path): a folder, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.cannotRun("\(path): cannot read the file")
        }
        return [UInt8](data)
    }

    /// results.jsonl itself, or the one in a run folder.
    static func resultsFile(_ path: String) throws -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw CommandFailure.usage("\(path): no such file or folder")
        }
        guard isFolder.boolValue else { return path }
        let file = (path as NSString).appendingPathComponent("results.jsonl")
        guard FileManager.default.fileExists(atPath: file) else {
            throw CommandFailure.usage(
                "\(path): no results.jsonl in this folder (give the --out folder of quarry run, or the file)")
        }
        return file
    }

    /// The texts of the --docs documents that are in the gold, by key, read as `quarry run` reads them.
    private func documentTexts(keys: Set<String>, key: DocumentKey) throws -> [String: String] {
        guard !docs.isEmpty else { return [:] }
        var texts: [String: String] = [:]
        let stream = try DocumentStream(paths: docs, flags: reading)
        while let result = stream.next() {
            switch result {
            case .failure(let failure):
                Terminal.warning("--docs: \(failure.description)")
            case .document(let document):
                let k = key == .id ? document.id : document.metadata.sha256?.lowercased()
                if let k, keys.contains(k), texts[k] == nil { texts[k] = document.text }
            }
        }
        if texts.isEmpty {
            Terminal.warning(
                "--docs: none of these documents is in the gold file (by \(key.rawValue)): no context or offset checks")
        }
        return texts
    }

    // MARK: - Pages

    /// `--pages FOLDER`: each sub-folder's source.html read as `quarry run` reads it (reader flags apply),
    /// compared with the text of its expected.html read whole.
    private func runPages(_ folder: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw CommandFailure.usage("\(folder): no such folder (--pages takes a folder of page folders)")
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }
            .sorted()
        let options = try reading.readerOptions
        let extractor = ReaderRegistry(options: options, maxBytes: reading.maxBytes)
        var whole = options
        whole.htmlMainContent = false
        let referenceReader = ReaderRegistry(options: whole, maxBytes: reading.maxBytes)
        var scores = PageScores()
        for name in names {
            let page = (folder as NSString).appendingPathComponent(name)
            let source = (page as NSString).appendingPathComponent("source.html")
            let expected = (page as NSString).appendingPathComponent("expected.html")
            guard FileManager.default.fileExists(atPath: source), FileManager.default.fileExists(atPath: expected)
            else {
                if FileManager.default.fileExists(atPath: page, isDirectory: &isFolder), isFolder.boolValue {
                    Terminal.warning("\(page): no source.html and expected.html: not scored")
                }
                continue
            }
            guard let reference = Self.text(of: expected, id: name, referenceReader) else { continue }
            let extracted = Self.text(of: source, id: name, extractor) ?? ""
            scores.add(name: name, extracted: extracted, reference: reference)
        }
        guard !scores.pages.isEmpty else {
            throw CommandFailure.usage("\(folder): no page folders with source.html and expected.html")
        }
        let floorList = try scoring { try floors.map(Floor.init(parsing:)) }
        for floor in floorList { _ = try scoring { try scores.value(of: floor) } }
        if json {
            print(scores.json(floors: floorList).prettyDescription())
        } else {
            let limit = show == "all" ? Int.max : Int(show) ?? 20
            print(scores.renderText(worst: quiet ? 0 : limit), terminator: "")
        }
        let failed = floorList.filter { !((try? scores.isMet($0)) ?? false) }
        for floor in failed {
            let value = (try? scores.value(of: floor)).flatMap { $0 }.map { String(format: "%.3f", $0) } ?? "undefined"
            Terminal.error("floor not met: \(floor.spec) is \(value), below \(floor.minimum)")
        }
        if !failed.isEmpty { throw CommandFailure.reportedFailures }
    }

    /// The text of one file read through `registry`; nil (after a warning) when it cannot be read.
    private static func text(of path: String, id: String, _ registry: ReaderRegistry) -> String? {
        var text: String?
        for result in registry.read(CorpusEntry(id: id, path: path)) {
            switch result {
            case .document(let document):
                text = (text.map { $0 + "\n" } ?? "") + document.text
            case .failure(let failure):
                Terminal.warning(failure.description)
            }
        }
        return text
    }

    // MARK: - Import

    private func runImport(_ format: String) throws {
        var result = ImportResult()
        if format == "brat" {
            for file in try bratFiles() {
                let ann = String(decoding: try Self.read(file), as: UTF8.self)
                let txtPath = String(file.dropLast(4)) + ".txt"
                var text: NormalizedOffsets?
                var sha: String?
                if FileManager.default.fileExists(atPath: txtPath) {
                    let bytes = try Self.read(txtPath)
                    text = try scoring { try NormalizedOffsets(bytes: bytes, path: txtPath) }
                    sha = SHA256.hex(bytes)
                } else {
                    Terminal.warning(
                        "\(file): no \((txtPath as NSString).lastPathComponent) beside it: offsets kept as they are, no sha256"
                    )
                }
                result.append(
                    try scoring {
                        try BratImporter.convert(ann: ann, path: file, text: text, textPath: txtPath, sha256: sha)
                    })
            }
        } else {
            for file in inputs {
                let conll = String(decoding: try Self.read(file), as: UTF8.self)
                var aligned: NormalizedOffsets?
                var sha: String?
                if let text {
                    let bytes = try Self.read(text)
                    aligned = try scoring { try NormalizedOffsets(bytes: bytes, path: text) }
                    sha = SHA256.hex(bytes)
                }
                result.append(
                    try scoring {
                        try CoNLLImporter.convert(
                            conll: conll, path: file, text: aligned, textPath: text, sha256: sha,
                            hash: { SHA256.hex($0) })
                    })
            }
        }
        var seen: Set<String> = []
        for doc in result.documents {
            guard let id = doc.id, seen.insert(id).inserted else {
                throw CommandFailure.usage(
                    "two documents would have the id '\(doc.id ?? "")': rename one of the files")
            }
        }
        for warning in result.warnings { Terminal.warning(warning) }
        for note in result.notes { Terminal.write("quarry: note: \(note)\n") }
        let lines = result.documents.map { $0.goldLine + "\n" }.joined()
        if let out {
            do {
                try Data(lines.utf8).write(to: URL(fileURLWithPath: out))
            } catch {
                throw CommandFailure.cannotRun("\(out): cannot write: \(error.localizedDescription)")
            }
        } else {
            print(lines, terminator: "")
        }
        let count = result.documents.reduce(0) { $0 + $1.spans.count }
        var summary =
            "quarry: \(result.documents.count) document\(result.documents.count == 1 ? "" : "s"), "
            + "\(count) annotation\(count == 1 ? "" : "s")" + (out.map { " written to \($0)" } ?? "")
        if !result.skipped.isEmpty {
            summary +=
                "; skipped ("
                + result.skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                + ")"
        }
        Terminal.write(summary + "\n")
    }

    /// The .ann files named, folders giving theirs in sorted order.
    private func bratFiles() throws -> [String] {
        var files: [String] = []
        for input in inputs {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isFolder) else {
                throw CommandFailure.usage("\(input): no such file or folder")
            }
            if isFolder.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: input)) ?? []
                let anns = names.filter { $0.hasSuffix(".ann") && !$0.hasPrefix(".") }.sorted()
                if anns.isEmpty { throw CommandFailure.usage("\(input): no .ann files in this folder") }
                files += anns.map { (input as NSString).appendingPathComponent($0) }
            } else {
                guard input.hasSuffix(".ann") else { throw CommandFailure.usage("\(input): not a brat .ann file") }
                files.append(input)
            }
        }
        return files
    }
}
