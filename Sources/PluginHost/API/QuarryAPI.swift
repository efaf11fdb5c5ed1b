// Every function, method and field of Quarry's Lua API, declared once. The `quarry` module, the
// Doc and Span methods, docs/lua-api.md and the LuaLS stub Plugins/quarry.d.lua come from here.
import LuaBridge

/// The Lua API's declarations and versions.
public enum QuarryAPI {
    /// Quarry's version.
    public static let quarryVersion = "0.1.0"
    /// The Lua API's version, checked by plugins with `quarry.at_least`.
    public static let apiVersion = "1.0"

    static func versionParts(_ version: String) -> [Int]? {
        let parts = version.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        var numbers = parts.map { $0! }
        while numbers.count < 3 { numbers.append(0) }
        return numbers
    }

    /// The classes of objects plugins meet.
    public static let classes: [APIClass] = [
        APIClass(
            name: "Doc",
            summary:
                "A document: its text, metadata, lazy views of its blocks, sentences, tokens and quotes, and the methods that find, match and annotate."
        ),
        APIClass(
            name: "Span",
            summary:
                "A stretch of a document's text: a token, a sentence, a block, a quote, a match, an annotation, or any range from `doc:span`. Positions are 1-based inclusive byte positions, so `doc.text:sub(s.start, s.stop) == s.text`."
        ),
        APIClass(
            name: "View",
            summary:
                "A lazy, read-only list of a document's items (`doc.tokens`...): `#view`, `view[i]`, `ipairs(view)`, `pairs(view)`; call it with a filter for a plain list: `doc:blocks{kind = \"heading\"}`."
        ),
        APIClass(
            name: "Phrases", summary: "A compiled phrase list made by `quarry.phrases`, matched with `doc:match`."),
        APIClass(name: "KWIC", summary: "A keyword-in-context line from `span:context(n)`."),
        APIClass(
            name: "Context",
            summary:
                "`ctx`: what a plugin's `setup`, `applies`, `process` and `finish` get besides the document — its options, its identity, and the ways to pass data on."
        ),
    ]

    // Short aliases for the declarations below.
    private static func p(_ name: String, _ type: String, _ doc: String) -> APIParameter {
        APIParameter(name, type, doc)
    }
    private static func r(_ type: String, _ doc: String) -> APIResult { APIResult(type, doc) }

    /// Every entry of the API, in the order the reference lists them.
    public static let entries: [APIEntry] = [
        // MARK: quarry
        value("quarry.version", "string", "Quarry's version, e.g. `\"0.1.0\"`."),
        value("quarry.api_version", "string", "The Lua API's version, e.g. `\"1.0\"`; compare with `quarry.at_least`."),
        function(
            "quarry.at_least", "Whether the running Lua API is at least the given version.",
            params: [p("version", "string", "a version such as \"1.0\"")],
            returns: [r("boolean", "true when the API is that version or newer")],
            example: "assert(quarry.at_least(\"1.0\"), \"this plugin needs Quarry's Lua API 1.0\")"
        ) { rt, _, call in try rt.atLeast(call) },
        function(
            "quarry.phrases",
            "Compiles a phrase list for `doc:match`: matching is on token boundaries, longest first, and as fast with 10,000 phrases as with 10.",
            params: [
                p(
                    "spec", "table",
                    "phrases as strings, or tables whose first item is the phrase and whose other fields are its payload; options `case = false` (ignore case), `accents = false` (ignore accents), `file = \"names.tsv\"` (a CSV/TSV file in the plugin's folder with a header; the phrase column is `phrase`, `name`, `term`, the first, or `column = \"...\"`; the other columns become the payload), `separator`"
                )
            ],
            returns: [r("Phrases", "the compiled list")],
            example: "local leaders = quarry.phrases{\"Vladimir Putin\", {\"Xi Jinping\", id = \"xi\"}, case = false}"
        ) { rt, plugin, call in try rt.makePhrases(plugin, call) },

        function(
            "quarry.documents",
            "In `quarry script`: iterates over the documents given on the command line, read one at a time.",
            returns: [r("fun(): Doc?", "an iterator of documents")],
            example: "for d in quarry.documents() do print(d.id, #d.tokens) end"
        ) { rt, _, call in try rt.documents(call) },

        // MARK: quarry.text
        function(
            "quarry.text.len", "The number of characters (Unicode code points) of a UTF-8 string.",
            params: [p("s", "string", "the text")], returns: [r("integer", "its length in characters")],
            example: "quarry.text.len(\"Zürich\") --> 6"
        ) { rt, _, call in try rt.textLen(call) },
        function(
            "quarry.text.sub",
            "A substring by character positions, like `string.sub` but counting characters, not bytes.",
            params: [
                p("s", "string", "the text"),
                p("i", "integer?", "first character (default 1; negative counts from the end)"),
                p("j", "integer?", "last character (default -1)"),
            ],
            returns: [r("string", "the substring")], example: "quarry.text.sub(\"Zürich\", 1, 2) --> \"Zü\""
        ) { rt, _, call in try rt.textSub(call) },
        function(
            "quarry.text.lower", "Lower-cases any script.", params: [p("s", "string", "the text")],
            returns: [r("string", "lower-cased")],
            example: "quarry.text.lower(\"ÉTÉ\") --> \"été\""
        ) { rt, _, call in try rt.textLower(call) },
        function(
            "quarry.text.upper", "Upper-cases any script.", params: [p("s", "string", "the text")],
            returns: [r("string", "upper-cased")],
            example: "quarry.text.upper(\"straße\") --> \"STRASSE\""
        ) { rt, _, call in try rt.textUpper(call) },
        function(
            "quarry.text.fold", "Folds case (and width) for caseless comparison: `fold(a) == fold(b)`.",
            params: [p("s", "string", "the text")], returns: [r("string", "the folded text")]
        ) { rt, _, call in try rt.textFold(call) },
        function(
            "quarry.text.normalize", "Unicode normalization.",
            params: [
                p("s", "string", "the text"), p("form", "\"NFC\"|\"NFD\"|\"NFKC\"|\"NFKD\"?", "the form (default NFC)"),
            ],
            returns: [r("string", "the normalized text")]
        ) { rt, _, call in try rt.textNormalize(call) },
        function(
            "quarry.text.strip_accents", "Removes accents and other diacritics.",
            params: [p("s", "string", "the text")],
            returns: [r("string", "the text without diacritics")],
            example: "quarry.text.strip_accents(\"Zürich\") --> \"Zurich\""
        ) { rt, _, call in try rt.textStripAccents(call) },
        function(
            "quarry.text.words", "The words and numbers of a text, tokenized as documents are.",
            params: [p("s", "string", "the text")],
            returns: [r("string[]", "the words in order")],
            example: "quarry.text.words(\"U.S. talks, day 2\") --> {\"U.S.\", \"talks\", \"day\", \"2\"}"
        ) { rt, _, call in try rt.textWords(call) },

        // MARK: quarry.json / csv / markdown
        function(
            "quarry.json.encode",
            "Encodes JSON-like data (tables with string keys or lists, strings, numbers, booleans) as JSON; keys are sorted.",
            params: [p("value", "any", "the data"), p("options", "{pretty: boolean}?", "`pretty = true` indents")],
            returns: [r("string", "JSON text")],
            example: "quarry.json.encode({name = \"Ada\", tags = {\"a\"}}) --> '{\"name\":\"Ada\",\"tags\":[\"a\"]}'"
        ) { rt, _, call in try rt.jsonEncode(call) },
        function(
            "quarry.json.decode", "Decodes JSON text; `null` becomes nil.", params: [p("text", "string", "JSON text")],
            returns: [
                r("any", "the value, or nil"),
                r("string?", "the error, with line and column, when the text is not JSON"),
            ]
        ) { rt, _, call in try rt.jsonDecode(call) },
        function(
            "quarry.csv.encode",
            "Encodes rows as CSV (RFC 4180). Rows are lists, or tables keyed by column name (then the first line is the header).",
            params: [
                p("rows", "table[]", "the rows"),
                p("columns", "string[]?", "column names and order (default: every key, sorted)"),
            ],
            returns: [r("string", "CSV text")],
            example: "quarry.csv.encode({{name = \"Ada\", n = 2}}, {\"name\", \"n\"}) --> \"name,n\\nAda,2\\n\""
        ) { rt, _, call in try rt.csvEncode(call) },
        function(
            "quarry.csv.decode", "Decodes CSV text into rows keyed by the header (or lists with `header = false`).",
            params: [
                p("text", "string", "CSV text"),
                p("options", "{header: boolean, separator: string}?", "`header = false`, `separator = \";\"`"),
            ],
            returns: [r("table[]?", "the rows, or nil"), r("string?", "the error, with its line")]
        ) { rt, _, call in try rt.csvDecode(call) },
        function(
            "quarry.markdown.table", "Formats rows as a Markdown (GitHub) table; `|` in cells is escaped.",
            params: [
                p("rows", "table[]", "rows as lists or tables keyed by column"),
                p("columns", "string[]?", "column names and order"),
            ],
            returns: [r("string", "the table")]
        ) { rt, _, call in try rt.markdownTable(call) },

        // MARK: quarry.template / html / svg
        function(
            "quarry.template.render",
            "Renders a Mustache template with data. A string with `{{` or a line break is the template itself; otherwise it names a file in the plugin's folder: `templates/NAME.mustache`, then `NAME.mustache` (or the name as given when it ends in `.mustache` or `.html`). `{{name}}` is HTML-escaped, `{{{name}}}` is not; `{{#list}}...{{/list}}` repeats (an empty table renders nothing); partials `{{> name}}` are files found the same way, never outside the plugin's folder. Parsed templates are kept for the run. A missing file names it; a malformed template gives its line and column.",
            params: [
                p("template", "string", "a template name, e.g. \"page\", or the template text"),
                p("data", "table?", "the values the tags name (JSON-like: strings, numbers, booleans, tables)"),
            ],
            returns: [r("string", "the rendered text")],
            example:
                "local html = quarry.template.render(\"<li>{{name}} ({{count}})</li>\", {name = \"Ada & co\", count = 3})\n--> \"<li>Ada &amp; co (3)</li>\""
        ) { rt, plugin, call in try rt.templateRender(plugin, call) },
        function(
            "quarry.html.escape",
            "Escapes text for HTML content and attribute values: `&`, `<`, `>`, `\"` and `'` become character references (numbers are written as Lua writes them).",
            params: [p("s", "string|number", "the text")], returns: [r("string", "the escaped text")],
            example:
                "quarry.html.escape([[<a href=\"x\">Tom & Jerry's</a>]])\n--> \"&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;\""
        ) { rt, _, call in try rt.htmlEscape(call) },
        function(
            "quarry.svg.bars",
            "Horizontal bars as an inline SVG string, one a row with its label and value, largest value the full width; labels are escaped (and shortened to fit, the full text in the tooltip); a row with `href` is a link. Options: `title` (the accessible name), `width` (480), `bar_height` (18), `label_width` (160), `color`.",
            params: [
                p(
                    "items", "{label: string, value: number, href: string?, color: string?, title: string?}[]",
                    "the rows, in the order drawn"),
                p(
                    "options",
                    "{title: string?, width: number?, bar_height: number?, label_width: number?, color: string?}?",
                    "how it looks"),
            ],
            returns: [r("string", "`<svg ...>...</svg>`")],
            example:
                "quarry.svg.bars({{label = \"Kaldmark\", value = 12, href = \"entities/kaldmark.html\"}}, {title = \"Places\"})"
        ) { rt, _, call in try rt.svgBars(call) },
        function(
            "quarry.svg.histogram",
            "A histogram of numbers as an inline SVG string: equal bins between the smallest and largest value (or `min`/`max`), each bar with its range and count as tooltip. Options: `title`, `bins` (10), `min`, `max`, `width` (480), `height` (160), `color`.",
            params: [
                p("values", "number[]", "the numbers"),
                p(
                    "options",
                    "{title: string?, bins: integer?, min: number?, max: number?, width: number?, height: number?, color: string?}?",
                    "how it looks"),
            ],
            returns: [r("string", "`<svg ...>...</svg>`")],
            example: "quarry.svg.histogram(tones, {bins = 20, min = -1, max = 1, title = \"Tone\"})"
        ) { rt, _, call in try rt.svgHistogram(call) },
        function(
            "quarry.svg.timeline",
            "Values at dates as an inline SVG string: a column per point, placed by its date (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`; a bad date is an error naming the item), first and last dates on the axis. Options: `title`, `width` (640), `height` (160), `color`.",
            params: [
                p("points", "{date: string, value: number, label: string?, href: string?}[]", "the points, any order"),
                p("options", "{title: string?, width: number?, height: number?, color: string?}?", "how it looks"),
            ],
            returns: [r("string", "`<svg ...>...</svg>`")],
            example: "quarry.svg.timeline({{date = \"2024-03-01\", value = 4}, {date = \"2024-03-09\", value = 1}})"
        ) { rt, _, call in try rt.svgTimeline(call) },
        function(
            "quarry.svg.sparkline",
            "A small line of numbers in order as an inline SVG string (a word-sized trend). Options: `title`, `width` (100), `height` (20), `color`.",
            params: [
                p("values", "number[]", "the numbers"),
                p("options", "{title: string?, width: number?, height: number?, color: string?}?", "how it looks"),
            ],
            returns: [r("string", "`<svg ...>...</svg>`")],
            example: "quarry.svg.sparkline({3, 5, 2, 8}, {title = \"Mentions a week\"})"
        ) { rt, _, call in try rt.svgSparkline(call) },

        // MARK: quarry.log
        function(
            "quarry.log.debug", "Writes a debug line to the run's log, tagged with the plugin.",
            params: [p("...", "any", "values, joined with spaces")]
        ) { rt, plugin, call in try rt.log(.debug, plugin, call) },
        function(
            "quarry.log.info", "Writes an information line to the run's log, tagged with the plugin.",
            params: [p("...", "any", "values, joined with spaces")]
        ) { rt, plugin, call in try rt.log(.info, plugin, call) },
        function(
            "quarry.log.warn", "Writes a warning to the run's log, tagged with the plugin.",
            params: [p("...", "any", "values, joined with spaces")]
        ) { rt, plugin, call in try rt.log(.warn, plugin, call) },
        function(
            "quarry.log.error",
            "Writes an error line to the run's log, tagged with the plugin (it does not stop the plugin: use `error()` for that).",
            params: [p("...", "any", "values, joined with spaces")]
        ) { rt, plugin, call in try rt.log(.error, plugin, call) },

        // MARK: Doc
        field(
            "Doc.id", "string",
            "The document's id: its path relative to the corpus root, plus `#N` for records inside a file."),
        field("Doc.path", "string", "Where the document was read from."),
        field("Doc.format", "string", "The reader's format name (`txt`, `md`, `html`...)."),
        field("Doc.text", "string", "The normalized text (UTF-8, NFC, `\\n` line ends) every position points into."),
        field("Doc.length", "integer", "The text's length in bytes."),
        field(
            "Doc.meta", "table",
            "Metadata, read-only: `title`, `authors`, `date`, `url`, `language`, `source_path`, `format`, `encoding`, `sha256`, and whatever the reader found."
        ),
        field(
            "Doc.tokens", "View", "The tokens, a lazy view of Token spans.",
            example: "for i, t in ipairs(doc.tokens) do if t.kind == \"word\" then n = n + 1 end end"),
        field("Doc.sentences", "View", "The sentences, a lazy view of spans."),
        field(
            "Doc.blocks", "View",
            "The blocks (title, heading, paragraph, list, item, quote, table, cell, code...), a lazy view; `doc:blocks{kind = \"heading\"}` lists those of a kind."
        ),
        field(
            "Doc.quotes", "View", "The quotations, a lazy view of Quote spans; `doc:quotes{balanced = true}` filters."),
        method(
            "Doc:span",
            "A span from 1-based inclusive byte positions (so `doc:span(a, b).text == doc.text:sub(a, b)`).",
            params: [p("start", "integer", "first byte"), p("stop", "integer", "last byte")],
            returns: [r("Span", "the span")]
        ) { rt, _, call in try rt.documentSpan(call) },
        method(
            "Doc:find",
            "Finds a Unicode regular expression (PCRE2 syntax, compiled once and cached). Flags: `i` caseless, `m` multiline, `s` dot matches newlines, `x` extended, `U` ungreedy, `a` ASCII classes (`\\d \\w \\s \\b` match ASCII only, which is faster; `\\p{...}` stays Unicode).",
            params: [p("pattern", "string", "the regular expression"), p("flags", "string?", "flags, e.g. \"i\"")],
            returns: [
                r(
                    "fun(): Match?",
                    "an iterator of matches; each is a span with `groups` (spans, or false) and `named` groups")
            ],
            example: "for m in doc:find([[\\bnuclear\\w*]], \"i\") do print(m.text, m:source()) end"
        ) { rt, _, call in try rt.documentFind(call) },
        method(
            "Doc:match",
            "Finds the phrases of a list made by `quarry.phrases`, on token boundaries, longest first, without overlaps.",
            params: [p("phrases", "Phrases", "the compiled list")],
            returns: [
                r(
                    "fun(): Match?",
                    "an iterator of matches; each is a span with `key` (the phrase as given), `data` (its payload table) and `phrase` (its number)"
                )
            ],
            example:
                "for m in doc:match(leaders) do doc:annotate(\"PERSON\", m, {id = m.data and m.data.id or m.key}) end"
        ) { rt, _, call in try rt.documentMatch(call) },
        method(
            "Doc:frequencies",
            "How often each normalized token (`norm`: lower-cased, quotes and dashes unified) occurs, counted in Swift: the distinct terms ranked by count (descending), then in byte order. Options: `kind` (a token kind or a list; default \"word\"), `min_length` (bytes), `letters` (only terms starting with a letter), `exclude` (a set: terms whose key is true are left out), `top` (at most this many terms).",
            params: [p("options", "table?", "`{kind =, min_length =, letters =, exclude =, top =}`")],
            returns: [
                r("string[]", "the terms, most frequent first"), r("integer[]", "their counts"),
                r("integer", "the number of tokens of those kinds (before the other options)"),
            ],
            example:
                "local terms, counts, total = doc:frequencies{min_length = 3, letters = true, exclude = STOP, top = 10}"
        ) { rt, _, call in try rt.documentFrequencies(call) },
        method(
            "Doc:annotate",
            "Adds a standoff annotation. Its layer is the calling plugin unless `options.layer` says otherwise; features must be JSON-like.",
            params: [
                p("type", "string", "the annotation type, e.g. \"PERSON\""),
                p(
                    "target", "Span|integer[]|{start: integer, stop: integer}",
                    "what it covers: a span of this document, or positions"),
                p("features", "table?", "named values"), p("options", "{layer: string}?", "the layer"),
            ],
            returns: [r("Annotation", "the annotation, a span with `type`, `layer`, `features`, `id` and `remove()`")]
        ) { rt, _, call in try rt.documentAnnotate(call) },
        method(
            "Doc:annotations",
            "The annotations that meet all the conditions, in document order (by start, longer first).",
            params: [
                p(
                    "query",
                    "{type: string|string[]?, layer: string|string[]?, within: Span?, overlapping: Span?, covering: Span?}?",
                    "conditions; `type` and `layer` take a name or a list of names; one of `within`, `overlapping`, `covering`; an unknown condition is an error"
                )
            ],
            returns: [r("Annotation[]", "the annotations")],
            example: "for _, a in ipairs(doc:annotations{type = \"PERSON\", within = s}) do ... end"
        ) { rt, _, call in try rt.documentAnnotations(call) },
        method(
            "Doc:set", "Sets a document feature (JSON-like), kept in the results.",
            params: [p("name", "string", "the feature"), p("value", "any", "its value; nil removes it")]
        ) { rt, _, call in try rt.documentSet(call) },
        method(
            "Doc:get", "A document feature or score set by this or an earlier plugin.",
            params: [p("name", "string", "the feature")], returns: [r("any", "its value, or nil")]
        ) { rt, _, call in try rt.documentGet(call) },
        method(
            "Doc:score",
            "Sets a document score; evidence spans are kept as `EVIDENCE` annotations with feature `score`.",
            params: [
                p("name", "string", "the score"), p("value", "number", "its value"),
                p("options", "{evidence: Span[]}?", "the spans that justify it"),
            ],
            example: "doc:score(\"escalation\", 0.7, {evidence = hits})"
        ) { rt, _, call in try rt.documentScore(call) },

        // MARK: View (served by PluginShim)
        method(
            "View:each",
            "The fastest loop over a view: one cursor span moved along it, so nothing is allocated per item. The span changes at each step: keep one with `t:copy()`. A filter skips items in C, before Lua sees them: tokens by `kind` (a name or a list) and flags (`capitalized = true`, `all_caps = false`...), blocks by `kind` and `level`.",
            params: [
                p("filter", "{kind: string|string[]?, level: integer?, [string]: boolean}?", "which items to visit")
            ],
            returns: [r("fun(): Span?", "an iterator of the cursor")],
            example:
                "local words = 0\nfor _ in doc.tokens:each{kind = \"word\"} do words = words + 1 end\nfor t in doc.tokens:each{capitalized = true} do print(t.text) end",
            nil),

        // MARK: Context (served by PluginSet)
        field(
            "Context.options", "table",
            "The plugin's options, resolved from `--set`, quarry.toml and the defaults; read-only."),
        field("Context.plugin", "table", "The plugin's `name`, `version`, `kind`, `folder` and `file`; read-only."),
        method(
            "Context:emit",
            "Passes a record (JSON-like) to this plugin's `finish`, and into the document's line of results.jsonl.",
            params: [p("record", "any", "a table, string, number or boolean")],
            example: "ctx:emit({id = doc.id, words = n})", nil),
        method(
            "Context:write",
            "In `finish` only: writes a report file inside the run's output folder (no absolute paths, no `..`, no links out).",
            params: [p("name", "string", "a relative path, e.g. \"brief.md\""), p("text", "string", "the contents")],
            returns: [r("string", "the path written, relative to the output folder")], nil),
        method(
            "Context:read", "Reads a file from the plugin's folder or a folder allowed with `--allow-read`.",
            params: [p("name", "string", "a relative path, e.g. \"lists/names.txt\"")],
            returns: [
                r("string?", "the file's bytes as they are, or nil"), r("string?", "why not, when the file is missing"),
            ], nil),

        // MARK: Span
        field("Span.text", "string", "The span's text."),
        field("Span.start", "integer", "Its first byte, 1-based."),
        field("Span.stop", "integer", "Its last byte, 1-based inclusive."),
        field(
            "Span.index", "integer?", "Its number in its view (tokens, sentences, blocks, quotes) or among the matches."
        ),
        field("Span.doc", "Doc", "The document it belongs to."),
        field(
            "Span.kind", "string?",
            "For tokens: `word`, `number`, `punctuation`, `symbol`, `url`, `email`, `mention`, `hashtag`; for blocks: the block kind."
        ),
        field(
            "Span.norm", "string?",
            "For tokens: the normalized form (lower-cased; typographic quotes, apostrophes and dashes unified)."),
        field(
            "Span.capitalized", "boolean?",
            "For tokens: starts with an upper-case letter. Also `all_caps`, `has_digit`, `title_case`, `hyphenated`, `abbreviation`, `has_apostrophe`, `non_ascii`."
        ),
        field("Span.level", "integer?", "For blocks: the heading level, or the list item's indentation."),
        field("Span.inner", "Span?", "For quotes: the quoted text without the marks."),
        field("Span.balanced", "boolean?", "For quotes: whether the closing mark was found."),
        field("Span.type", "string?", "For annotations: the type."),
        field("Span.layer", "string?", "For annotations: the layer (the plugin that made it, by default)."),
        field("Span.features", "table?", "For annotations: a copy of the features."),
        field("Span.key", "string?", "For phrase matches: the phrase as it was given."),
        field("Span.data", "table?", "For phrase matches: the phrase's payload table."),
        field("Span.groups", "(Span|false)[]?", "For regular-expression matches: the capture groups."),
        method("Span:tokens", "The tokens inside the span.", returns: [r("Span[]", "the tokens")]) { rt, _, call in
            try rt.spanTokens(call)
        },
        method("Span:sentence", "The sentence the span starts in.", returns: [r("Span?", "the sentence")]) {
            rt, _, call in try rt.spanSentence(call)
        },
        method("Span:block", "The innermost block the span starts in.", returns: [r("Span?", "the block")]) {
            rt, _, call in try rt.spanBlock(call)
        },
        method(
            "Span:context", "Keyword in context: up to `n` words on each side, on one line.",
            params: [p("n", "integer?", "words on each side (default 8)")],
            returns: [r("KWIC", "`{left = ..., match = ..., right = ...}`")],
            example: "local c = m:context(5) print(c.left .. \" [\" .. c.match .. \"] \" .. c.right)"
        ) { rt, _, call in try rt.spanContext(call) },
        method(
            "Span:source",
            "Where the span starts in the original file: `path:line:column`, or the reader's location (element path, page).",
            returns: [r("string", "the location")]
        ) { rt, _, call in try rt.spanSource(call) },
        method(
            "Span:copy",
            "A span of its own for the same stretch, to keep one from `view:each()` (whose cursor moves on).",
            returns: [r("Span", "the copy")]
        ) { rt, _, call in try rt.spanCopy(call) },
        method(
            "Span:remove", "Removes an annotation from its document.", returns: [r("boolean", "whether it was there")]
        ) { rt, _, call in try rt.spanRemove(call) },
    ]
}
