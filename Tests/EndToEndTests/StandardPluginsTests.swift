// End-to-end: the standard plugins in Plugins/ over the sample corpus and small articles written for
// these tests, through the built binary; asserts on results.jsonl and the report files.
import Foundation
import QuarryTestSupport
import Testing

private let root = TestSupport.repositoryRoot
private let pluginsFolder = root.appendingPathComponent("Plugins").path
private let samples = root.appendingPathComponent("Samples").path
private let lists = root.appendingPathComponent("Scripts/samples/lists").path

/// One document's line of results.jsonl.
private struct ResultLine {
    var object: [String: Any]
    var id: String { object["id"] as? String ?? "" }
    var annotations: [[String: Any]] { object["annotations"] as? [[String: Any]] ?? [] }
    func annotations(_ type: String) -> [[String: Any]] { annotations.filter { $0["type"] as? String == type } }
    func features(_ a: [String: Any]) -> [String: Any] { a["features"] as? [String: Any] ?? [:] }
    var scores: [String: Any] { object["scores"] as? [String: Any] ?? [:] }
}

private func results(_ folder: URL) throws -> [ResultLine] {
    let text = try String(contentsOf: folder.appendingPathComponent("results.jsonl"), encoding: .utf8)
    return try text.split(separator: "\n").map {
        ResultLine(object: try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]))
    }
}

/// Runs `quarry run` with the standard plugins; returns the output folder.
private func run(_ paths: [String], _ extra: [String] = [], select: String? = nil) throws -> URL {
    let out = try TestSupport.temporaryFolder().appendingPathComponent("out")
    var args = ["run"] + paths + ["--plugins", pluginsFolder, "--out", out.path, "--quiet", "--jobs", "2"]
    if let select { args += ["--select", select] }
    let r = try TestSupport.quarry(args + extra, timeout: 120)
    #expect(r.status == 0, "quarry run failed: \(r.stderr)")
    return out
}

private let sampleOptions = [
    "--allow-read", lists, "--set", "entities.lists=vessaria.tsv", "--set", "entities.aliases=aliases.tsv",
]

/// A news article written for these tests (made-up people and places).
private let article = """
    HARBOUR TALKS RESUME

    Transport Minister Lena Marsh said on Monday that the harbour would reopen within a week. \
    “The ferries will sail again before the holidays,” Marsh told reporters in Port Elling.

    Dr. Tomas Quill, the director of the Elling Harbour Authority, disagreed. “Nothing is settled,” \
    said Quill. He warned that repairs could cost more than 4 million euros.

    Peter Vale met Anna Brook on Friday. “We will need more time than anyone admits,” she said.

    The storm killed two people and damaged hundreds of homes, according to the Red Cross.
    """

@Suite(.serialized) struct StandardPluginsTests {
    @Test func defaultSetOverTheSamples() throws {
        let out = try run([samples], sampleOptions)
        let lines = try results(out)
        #expect(lines.count == 24)
        #expect(lines.allSatisfy { $0.object["status"] as? String == "ok" })
        let errors = try String(contentsOf: out.appendingPathComponent("errors.jsonl"), encoding: .utf8)
        #expect(errors.isEmpty, "\(errors)")

        // entities: the short mention resolves to the full name; places and organisations are typed
        let strike = try #require(lines.first { $0.id == "herald/port-strike-begins.txt" })
        let people = strike.annotations("PERSON")
        #expect(
            people.contains {
                $0["text"] as? String == "Brekke" && strike.features($0)["canonical"] as? String == "Jonas Brekke"
            })
        #expect(
            people.contains {
                $0["text"] as? String == "Dario Feld" && strike.features($0)["title"] as? String == "Transport Minister"
            })
        #expect(strike.annotations("ORGANIZATION").contains { $0["text"] as? String == "Saltmere Dockworkers' Union" })
        #expect(strike.annotations("LOCATION").contains { $0["text"] as? String == "Saltmere" })

        // quotes: each quotation with the right speaker
        let quotes = strike.annotations("QUOTE")
        func speaker(of prefix: String) -> String? {
            quotes.first { ($0["text"] as? String)?.hasPrefix(prefix) == true }.flatMap {
                strike.features($0)["speaker"] as? String
            }
        }
        #expect(speaker(of: "We did not want this") == "Jonas Brekke")
        #expect(speaker(of: "The two sides must go back") == "Dario Feld")
        #expect(
            quotes.contains {
                strike.features($0)["direct"] as? Bool == false
                    && strike.features($0)["speaker"] as? String == "Jonas Brekke"
            })

        // dates, figures, tone on a dated document
        let flood = try #require(lines.first { $0.id == "herald/tovik-flood.md" })
        #expect(flood.annotations("DATE").contains { flood.features($0)["value"] as? String == "2024-04-10" })
        #expect(flood.annotations("FIGURE").contains { flood.features($0)["kind"] as? String == "casualties" })
        #expect((flood.scores["tone"] as? Double ?? 0) < 0)

        // reports
        let brief = try String(contentsOf: out.appendingPathComponent("brief.md"), encoding: .utf8)
        #expect(brief.hasPrefix("# Brief\n\n24 documents"))
        #expect(brief.contains("## Who said what"))
        #expect(brief.contains("### Jonas Brekke"))
        #expect(
            brief.contains(
                "“We did not want this, but the port authority left us no choice,” — herald/port-strike-begins.txt"))
        #expect(brief.contains("- **2024-04-10** — The Aun River burst its banks"))
        let table = try String(contentsOf: out.appendingPathComponent("entity-table.csv"), encoding: .utf8)
        #expect(table.hasPrefix("entity,type,mentions,documents\n"))
        #expect(table.contains("\nJonas Brekke,PERSON,"))
        #expect(!table.contains("\nBrekke,PERSON,"), "short names merge into the full name")
        #expect(table.contains("\nSaltmere Port Authority,ORGANIZATION,"))
        let index = try String(contentsOf: out.appendingPathComponent("quote-index.md"), encoding: .utf8)
        #expect(index.contains("## Amara Quist"))
        let csv = try String(contentsOf: out.appendingPathComponent("quote-index.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("speaker,verb,direct,text,doc,source,date\n"))
        let network = try String(contentsOf: out.appendingPathComponent("entity-network.csv"), encoding: .utf8)
        #expect(network.hasPrefix("source,target,weight,documents\n"))
        #expect(network.contains("Kaldmark,Vessaria,"))
        let graph = try String(contentsOf: out.appendingPathComponent("entity-network.graphml"), encoding: .utf8)
        #expect(graph.contains("<node id=\"Jonas Brekke\"><data key=\"type\">PERSON</data></node>"))
        let keywords = try String(contentsOf: out.appendingPathComponent("keywords.md"), encoding: .utf8)
        #expect(keywords.contains("| saltmere |"))
    }

    @Test func ownArticleEntitiesAndQuotes() throws {
        let folder = try TestSupport.folder(with: ["harbour.txt": article])
        let out = try run([folder.path], select: "entities or quotes or figures")
        let doc = try #require(try results(out).first)
        func canonical(_ text: String) -> String? {
            doc.annotations.first { $0["text"] as? String == text }.flatMap { doc.features($0)["canonical"] as? String }
        }
        #expect(canonical("Marsh") == "Lena Marsh")
        #expect(canonical("Quill") == "Tomas Quill")
        #expect(canonical("Red Cross") == "Red Cross")
        let quotes = doc.annotations("QUOTE")
        func speaker(_ prefix: String) -> String?? {
            quotes.first { ($0["text"] as? String)?.hasPrefix(prefix) == true }.map {
                doc.features($0)["speaker"] as? String
            }
        }
        #expect(speaker("The ferries will sail") == .some("Lena Marsh"))
        #expect(speaker("Nothing is settled") == .some("Tomas Quill"))
        #expect(speaker("repairs could cost") == .some("Tomas Quill"), "indirect speech after a pronoun")
        // "she" after a sentence with two people: left unresolved, never guessed
        #expect(speaker("We will need more time") == .some(nil))
        let figures = doc.annotations("FIGURE")
        #expect(
            figures.contains {
                $0["text"] as? String == "more than 4 million euros" && doc.features($0)["currency"] as? String == "EUR"
            })
        #expect(
            figures.contains {
                $0["text"] as? String == "two people" && doc.features($0)["kind"] as? String == "casualties"
            })
    }

    @Test func watchlistAndKwicTakeTheirTerms() throws {
        let out = try run(
            [samples], ["--set", "watchlist.terms=strike=2,dams", "--set", "kwic.terms=dams"],
            select: "watchlist or kwic")
        let lines = try results(out)
        let ends = try #require(lines.first { $0.id == "herald/strike-ends.txt" })
        #expect(ends.scores["watchlist"] as? Double ?? Double(ends.scores["watchlist"] as? Int ?? 0) >= 4)
        #expect(ends.annotations("WATCH").allSatisfy { (ends.features($0)["kwic"] as? String)?.contains("[") == true })
        let kwic = try String(contentsOf: out.appendingPathComponent("kwic.md"), encoding: .utf8)
        #expect(kwic.contains("## dams ("))
        #expect(kwic.contains("| kaldmark-today/wire.jsonl#1 |"))
    }

    @Test func theDefaultSetGivesTheSameFilesWhateverTheWorkers() throws {
        let one = try run([samples], sampleOptions + ["--jobs", "1"])
        let three = try run([samples], sampleOptions + ["--jobs", "3"])
        // every file, those in folders (report/) too
        let files = try FileManager.default.subpathsOfDirectory(atPath: one.path).filter { path in
            var folder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: one.appendingPathComponent(path).path, isDirectory: &folder)
            return !folder.boolValue && !["run.json", "run.log"].contains(path)
        }
        #expect(files.contains("results.jsonl") && files.contains("brief.md") && files.contains("report/index.html"))
        for file in files.sorted() {
            let a = try Data(contentsOf: one.appendingPathComponent(file))
            let b = try Data(contentsOf: three.appendingPathComponent(file))
            #expect(a == b, "\(file) differs between --jobs 1 and --jobs 3")
        }
    }

    @Test func everySampleReads() throws {
        let r = try TestSupport.quarry(["inspect", "--json", samples])
        #expect(r.status == 0, "\(r.stderr)")
        let docs = r.stdout.split(separator: "\n")
        #expect(docs.count == 24)
        #expect(!r.stdout.contains("cookies"), "page furniture is dropped")
        #expect(!r.stdout.contains("Related stories"))
    }

    @Test func demoScriptWritesTheBrief() throws {
        let out = try TestSupport.temporaryFolder().appendingPathComponent("demo-out")
        let r = try TestSupport.run(
            URL(fileURLWithPath: "/bin/sh"),
            [root.appendingPathComponent("Scripts/demo.sh").path, TestSupport.quarryBinary.path],
            environment: ["QUARRY_DEMO_OUT": out.path], currentDirectory: root, timeout: 120)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("brief.md"))
        #expect(r.stdout.contains("**PERSON**: "))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("entity-table.csv").path))
    }

    @Test func exampleScriptsRun() throws {
        for script in ["who-said-what", "compare-outlets", "term-by-week", "titles-and-names"] {
            let r = try TestSupport.quarry([
                "script", root.appendingPathComponent("Scripts/\(script).lua").path, samples,
            ])
            #expect(r.status == 0, "\(script): \(r.stderr)")
            #expect(!r.stdout.isEmpty, "\(script) printed nothing")
        }
        let who = try TestSupport.quarry([
            "script", root.appendingPathComponent("Scripts/who-said-what.lua").path, samples,
        ])
        #expect(who.stdout.contains("We did not want this"))
    }
}
