// PluginTemplate: the files `quarry plugins new` writes for each kind of plugin — a working
// plugin with a documented option, a spec that passes, and a sample fixture.
import PluginHost

struct PluginTemplate {
    var name: String
    var kind: PluginKind
    /// Whether the new plugin joins the `default` category (every run without --select): off unless asked,
    /// so a half-written plugin does not join every run.
    var inDefault = false

    /// The fixture every template's spec reads (`run("sample.txt")`).
    static let sample = """
        Dr Clara Voss met Prof. Omar Reyes at the harbour on Monday.
        The talks may resume next week, officials said, though a deal could possibly slip again.

        """

    var plugin: String { fill(Self.plugins[kind]!) }
    var spec: String { fill(Self.specs[kind]!) }

    private func fill(_ text: String) -> String {
        text.replacingOccurrences(of: "__NAME__", with: name)
            .replacingOccurrences(of: "__CATEGORIES__", with: inDefault ? #"{"default"}"# : #"{"draft"}"#)
    }

    static let plugins: [PluginKind: String] = [
        .extract: #"""
        -- __NAME__: finds names that follow a title ("Dr Clara Voss") and annotates them as NAME.
        -- Test it with `quarry plugins test __NAME__`; see `quarry plugins info __NAME__`.
        local pattern

        ---@type Plugin
        return {
          name = "__NAME__",
          version = "0.1.0",
          kind = "extract",
          description = "Finds names that follow a title (Dr, Prof, Ms...) and annotates them as NAME.",
          categories = __CATEGORIES__,
          options = {
            titles = {type = "list", default = {"Dr", "Mr", "Mrs", "Ms", "Prof"},
                      doc = "Titles that come before a name (comma-separated on the command line)."},
          },

          -- Once per worker: build the regular expression from the option.
          setup = function(ctx)
            local escaped = {}
            for _, title in ipairs(ctx.options.titles) do
              escaped[#escaped + 1] = (title:gsub("%p", "\\%0"))
            end
            pattern = [[\b(]] .. table.concat(escaped, "|") .. [[)\.?\s+(\p{Lu}\p{L}+(?:\s+\p{Lu}\p{L}+)*)]]
          end,

          -- Once per document: annotate every titled name and emit one record.
          process = function(doc, ctx)
            local names = {}
            for m in doc:find(pattern) do
              local title, name = m.groups[1], m.groups[2]
              doc:annotate("NAME", name, {title = title.text})
              names[#names + 1] = name.text
            end
            doc:set("names", #names)
            if #names > 0 then ctx:emit({id = doc.id, names = names}) end
          end,
        }

        """#,
        .score: #"""
        -- __NAME__: scores how much a document hedges ("may", "could", "possibly"), from 0 to 1,
        -- keeping the hedges as evidence. Test it with `quarry plugins test __NAME__`.
        local hedges

        ---@type Plugin
        return {
          name = "__NAME__",
          version = "0.1.0",
          kind = "score",
          description = "Scores hedging language from 0 to 1, with the hedges as evidence.",
          categories = __CATEGORIES__,
          options = {
            words = {type = "list", default = {"may", "might", "could", "possibly", "perhaps", "reportedly"},
                     doc = "Words that hedge a claim (matched without regard to case)."},
            per_hundred = {type = "number", default = 5, min = 0.1,
                           doc = "Hedges per hundred words that give the top score of 1."},
          },

          -- Once per worker: compile the word list.
          setup = function(ctx)
            local list = {case = false}
            for _, word in ipairs(ctx.options.words) do list[#list + 1] = word end
            hedges = quarry.phrases(list)
          end,

          -- Once per document: the score, and the spans that justify it.
          process = function(doc, ctx)
            local hits = {}
            for m in doc:match(hedges) do hits[#hits + 1] = m end
            local words = #doc:tokens{kind = "word"}
            local rate = words > 0 and #hits * 100 / words or 0
            doc:score("__NAME__", math.min(1, rate / ctx.options.per_hundred), {evidence = hits})
          end,
        }

        """#,
        .report: #"""
        -- __NAME__: counts words and sentences per document and writes a Markdown table at the end
        -- of the run. Test it with `quarry plugins test __NAME__`.

        ---@type Plugin
        return {
          name = "__NAME__",
          version = "0.1.0",
          kind = "report",
          description = "Writes a Markdown table of words and sentences per document.",
          categories = __CATEGORIES__,
          options = {
            file = {type = "string", default = "__NAME__.md", doc = "The report's file name in the output folder."},
            title = {type = "string", default = "Documents", doc = "The report's heading."},
          },

          -- Once per document: pass what the report needs to finish.
          process = function(doc, ctx)
            ctx:emit({id = doc.id, words = #doc:tokens{kind = "word"}, sentences = #doc.sentences})
          end,

          -- Once per run, with every record emitted: write the report.
          finish = function(records, ctx)
            table.sort(records, function(a, b) return a.id < b.id end)
            local text = "# " .. ctx.options.title .. "\n\n"
              .. quarry.markdown.table(records, {"id", "words", "sentences"}) .. "\n"
            ctx:write(ctx.options.file, text)
          end,
        }

        """#,
    ]

    static let specs: [PluginKind: String] = [
        .extract: #"""
        -- Specs of __NAME__: run them with `quarry plugins test __NAME__`.
        describe("__NAME__", function()
          local function names(result)
            local found = {}
            for _, a in ipairs(result.annotations) do
              if a.type == "NAME" then found[#found + 1] = a.text end
            end
            return found
          end

          it("annotates names that follow a title", function()
            local result = run("Dr Clara Voss met Prof. Omar Reyes in Lisbon.")
            expect(result.errors).to_equal({})
            expect(names(result)).to_equal({"Clara Voss", "Omar Reyes"})
            expect(result.annotations[1].features.title).to_be("Dr")
          end)

          it("emits one record per document with names", function()
            local result = run("sample.txt")
            expect(result.records).to_have_length(1)
            expect(result.records[1].names).to_contain("Omar Reyes")
            expect(run("No titles here.").records).to_equal({})
          end)

          describe("options", function()
            it("takes its titles from the titles option", function()
              local result = run("Dr Clara Voss met Prof. Omar Reyes.", {titles = {"Prof"}})
              expect(names(result)).to_equal({"Omar Reyes"})
            end)

            it("refuses an option it does not declare", function()
              expect(function() run("text here", {colour = "red"}) end).to_fail("no option 'colour'")
            end)
          end)
        end)

        """#,
        .score: #"""
        -- Specs of __NAME__: run them with `quarry plugins test __NAME__`.
        describe("__NAME__", function()
          it("scores hedged text above plain text", function()
            local hedged = run("The talks may resume. Officials could possibly agree.")
            local plain = run("The talks resume today. Officials agree.")
            expect(hedged.errors).to_equal({})
            expect(plain.scores["__NAME__"]).to_be(0)
            expect(hedged.scores["__NAME__"]).to_be_greater_than(plain.scores["__NAME__"])
            expect(hedged.scores["__NAME__"]).never.to_be_greater_than(1)
          end)

          it("keeps the hedges as evidence", function()
            local result = run("sample.txt")
            local evidence = {}
            for _, a in ipairs(result.annotations) do
              if a.type == "EVIDENCE" then evidence[#evidence + 1] = a.text end
            end
            expect(evidence).to_equal({"may", "could", "possibly"})
          end)

          it("reads its word list from the words option", function()
            local result = run("The deal will surely hold.", {words = {"surely"}})
            expect(result.scores["__NAME__"]).to_be_greater_than(0)
          end)
        end)

        """#,
        .report: #"""
        -- Specs of __NAME__: run them with `quarry plugins test __NAME__`.
        describe("__NAME__", function()
          it("emits the counts of each document", function()
            local result = run("One two three. Four five.")
            expect(result.errors).to_equal({})
            expect(result.records).to_equal({{id = "spec", words = 5, sentences = 2}})
          end)

          it("writes a Markdown table in finish", function()
            local out = finish({{id = "b.txt", words = 9, sentences = 2}, {id = "a.txt", words = 3, sentences = 1}})
            expect(out.errors).to_equal({})
            local report = out.files["__NAME__.md"]
            expect(report).to_match("^# Documents")
            expect(report).to_contain("a.txt")
            expect(report:find("a.txt", 1, true)).to_be_less_than(report:find("b.txt", 1, true))
          end)

          it("takes the file name and title from its options", function()
            local out = finish({}, {file = "counts.md", title = "Counts"})
            expect(out.files["counts.md"]).to_match("^# Counts")
            expect(out.files["__NAME__.md"]).to_be_nil()
          end)
        end)

        """#,
    ]
}
