// CSVParser: lenient like Python's csv module — quoted fields, doubled quotes, separators and line
// breaks inside quotes, stray quotes as text — with the line each row starts on, and an error that
// names the line of a quoted field never closed.
import DocumentModel
import Testing

@Suite struct CSVParserTests {
    func fields(_ text: String, separator: Character = ",") throws -> [[String]] {
        try CSVParser.rows(text, separator: separator).map(\.fields)
    }

    @Test func quotedFieldsDoubledQuotesAndLineBreaks() throws {
        #expect(try fields("a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
        #expect(try fields("a,b") == [["a", "b"]], "no newline at the end")
        #expect(try fields(#""x, y","say ""hi""",z"#) == [["x, y", #"say "hi""#, "z"]])
        #expect(try fields("\"two\nlines\",b\r\nc,d\re,f") == [["two\nlines", "b"], ["c", "d"], ["e", "f"]])
        #expect(try fields("\"keeps \r\n inside\"") == [["keeps \r\n inside"]])
    }

    @Test func emptyValues() throws {
        #expect(try fields("").isEmpty)
        #expect(try fields("\n") == [[""]], "a blank line is one empty field")
        #expect(try fields(",\n\"\",\n") == [["", ""], ["", ""]])
        #expect(try fields("a,\n\nb") == [["a", ""], [""], ["b"]])
    }

    @Test func strayQuotesAreText() throws {
        #expect(try fields(#"ab"c,5" screen"#) == [[#"ab"c"#, #"5" screen"#]], "a quote inside an unquoted field")
        #expect(try fields(#""ab"cd,e"#) == [["abcd", "e"]], "text after a closing quote")
        #expect(try fields(#""ab"x"cd""#) == [[#"abx"cd""#]], "a quote after that is text too")
        #expect(try fields(#" "a",b"#) == [[#" "a""#, "b"]], "a space before the quote: not a quoted field")
    }

    @Test func unicodeAndOtherSeparators() throws {
        #expect(try fields("Zoë;日本\n👩🏽‍🚀;\"a;b\"", separator: ";") == [["Zoë", "日本"], ["👩🏽‍🚀", "a;b"]])
        #expect(try fields("a\tb\t\"c\td\"", separator: "\t") == [["a", "b", "c\td"]])
        #expect(try fields("a¦b¦\"c¦d\"¦", separator: "¦") == [["a", "b", "c¦d", ""]], "a separator of several bytes")
        #expect(try fields("\u{FEFF}a,b") == [["\u{FEFF}a", "b"]], "the caller removes a byte-order mark")
        #expect(try CSVParser.rows([0x61, 0xFF, 0x2C, 0x62]).map(\.fields) == [["a\u{FFFD}", "b"]])
    }

    @Test func rowsKnowTheLineTheyStartOn() throws {
        let rows = try CSVParser.rows("h1,h2\n\"multi\nline\",x\r\nlast,y\n\nend")
        #expect(rows.map(\.line) == [1, 2, 4, 5, 6])
    }

    @Test func aQuoteNeverClosedIsAnErrorWithTheLineOfItsRow() throws {
        #expect(throws: CSVParseError(line: 3)) { try CSVParser.rows("a,b\nc,d\ne,\"open\nand on\n") }
        var parser = CSVParser("a\n\"open")
        #expect(try parser.next()?.fields == ["a"], "rows before it are read")
        #expect(throws: CSVParseError(line: 2)) { try parser.next() }
        #expect(try parser.next() == nil, "then the input is at its end")
        #expect(CSVParseError(line: 2).description == "line 2: a quoted field is never closed")
    }
}
