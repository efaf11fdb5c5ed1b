// The sandbox's own pattern matcher must behave exactly like Lua's string library: each case
// runs in a sandboxed VM and in an unsafe VM (Lua's own functions) and the results must agree.
import QuarryTestSupport
import Testing

@testable import LuaBridge

@Suite struct PatternTests {
    static let cases: [String] = [
        // find: plain, specials, init, anchors, captures, position captures
        "return ('hello world'):find('o w')",
        "return ('hello world'):find('o', 6)",
        "return ('hello world'):find('l+')",
        "return ('hello world'):find('^h')",
        "return ('hello world'):find('^w')",
        "return ('hello world'):find('d$')",
        "return ('a.b.c'):find('.', 1, true)",
        "return ('a+b'):find('+', 1, true)",
        "return ('hello'):find('')",
        "return ('hello'):find('', 10)",
        "return ('hello'):find('l', -2)",
        "return ('hello'):find('(h)(e)')",
        "return ('hello'):find('()ll()')",
        "return ('  trim me  '):match('^%s*(.-)%s*$')",
        "return ('key = value'):match('(%w+)%s*=%s*(%w+)')",
        "return ('2024-05-17'):match('(%d+)-(%d+)-(%d+)')",
        "return ('[[nested]]'):match('%[(.*)%]')",
        "return ('f(a(b)c)d'):match('%b()')",
        "return ('THE (quick) fox'):find('%f[%a]%a+%f[%A]')",
        "return ('hello'):match('.-(l+)(.*)')",
        "return ('abcabc'):match('(abc)%1')",
        "return ('x = 10, y = 20'):match('y = (%d+)')",
        "return ('caf\\195\\169'):match('[\\128-\\255]+')",
        "return ('a]b'):match('[]]')",
        "return ('a^b'):match('[%^]')",
        "return ('a-b'):match('[a%-]+')",
        "return ('A1_b2'):match('[%w_]+')",
        "return ('hello'):match('[^aeiou]+')",
        "return ('hello'):match('h?ello')",
        "return ('ello'):match('h?ello')",
        "return ('aaa'):match('a-')",
        "return ('aaa'):match('a-$')",
        "return ('one two  three'):match('(%a+)%s+(%a+)%s+(%a+)')",
        "return ('%d'):match('%%d')",
        "return (''):match('.*')",
        "return ('abc'):match('^(a)(b)(c)$')",
        "return string.match(12345, '3(4)')",
        // gmatch
        "local t = {} for w in ('one two three'):gmatch('%a+') do t[#t+1] = w end return table.concat(t, '|')",
        "local t = {} for k, v in ('a=1, b=2, c=3'):gmatch('(%w+)=(%w+)') do t[#t+1] = k .. v end return table.concat(t, '|')",
        "local t = {} for p in ('abc'):gmatch('()') do t[#t+1] = p end return table.concat(t, ',')",
        "local t = {} for w in ('abc'):gmatch('x*') do t[#t+1] = '[' .. w .. ']' end return table.concat(t)",
        "local t = {} for w in ('hello world'):gmatch('%a+', 3) do t[#t+1] = w end return table.concat(t, '|')",
        "local t = {} for w in ('^a^b'):gmatch('^%a') do t[#t+1] = w end return table.concat(t, '|')",
        // gsub
        "return ('hello world'):gsub('o', '0')",
        "return ('hello world'):gsub('(%w+)', '<%1>')",
        "return ('hello world'):gsub('%w+', '%0 %0', 1)",
        "return ('hello'):gsub('', '-')",
        "return ('abc'):gsub('%w', {a = 'A', b = true and 'B'})",
        "return ('abc'):gsub('%w', function(c) if c == 'b' then return nil end return c:upper() end)",
        "return ('x y z'):gsub('(%w)', function(c) return c .. c end)",
        "return ('hello'):gsub('^h', 'H')",
        "return ('a,b,,c'):gsub(',', ';')",
        "return ('abc'):gsub('b*', '-')",
        "return ('100%'):gsub('%%', ' percent')",
        "return ('$name is $age'):gsub('%$(%w+)', {name = 'Ada', age = 36})",
        "return ('abc'):gsub('(b)', '%%1')",
        "return ('a.b'):gsub('%.', '%%')",
        "return ('x'):gsub('x', 5)",
        // errors must match too
        "return pcall(string.find, 'a', '[a')",
        "return pcall(string.find, 'a', '%')",
        "return pcall(string.find, 'a', '(a')",
        "return pcall(string.find, 'a', 'a)')",
        "return pcall(string.find, 'a', '%1')",
        "return pcall(string.gsub, 'a', 'a', '%2')",
        "return pcall(string.gsub, 'a', 'a', '%x')",
        "return pcall(string.gsub, 'a', 'a', {a = {}})",
        "return pcall(string.find, 'a', '%f')",
        "return pcall(string.find, 'a', '%b')",
        // a zero byte is no special: find looks for ")\0" as plain text (no unbalanced-capture error)
        "return pcall(string.find, 'a)\\0b', ')\\0')",
        "return pcall(string.find, 'xy', ')\\0')",
        "return ('a\\0b\\0'):find('%z'), ('a\\0b'):match('[%Z]+'), ('\\0x'):find('%f[^%z]')",
    ]

    @Test(arguments: cases)
    func sandboxMatcherAgreesWithLua(source: String) throws {
        let sandboxed = try LuaVM()
        let reference = try LuaVM(.unsafe)
        let mine = try sandboxed.run(source, chunkName: "p", environment: try sandboxed.makeEnvironment(name: "s"))
        let theirs = try reference.run(source, chunkName: "p")
        #expect(mine == theirs, "\(source)")
    }

    /// Pieces of generated patterns: every class letter (with %z/%Z, the zero byte), sets and frontiers that
    /// use them, captures, back-references, balances, quantifiers, and stray specials that make a pattern
    /// malformed (its error must be Lua's too).
    static let pieces: [String] = [
        "a", "b", ".", "%a", "%A", "%c", "%d", "%D", "%g", "%l", "%p", "%s", "%S", "%u", "%w", "%x", "%z", "%Z",
        "%%", "%.", "\\0", "\\255", "[a%z]", "[^%z]", "[%Z]", "[\\1-\\255%z]", "[%l%z]", "[^%l%z]", "[a-c]",
        "[]]", "[^a]", "[%d_]", "%f[%z]", "%f[^%z]", "%f[%l%z]", "%f[^%l%z]", "%f[a%z]", "%f[%a]", "%f[%A%z]",
        "%b()", "%bab", "(", ")", "()", "%1", "%2", "*", "+", "-", "?", "*", "+", "-", "?", "[", "%", "]", "$",
        "^",
    ]
    static let subjectBytes: [String] = ["a", "b", "c", "A", "1", "_", " ", "(", ")", "\\0", "\\255", "\\n", "."]

    /// Thousands of generated patterns and subjects through find, match, gmatch and gsub (with a capture
    /// replacement), in the sandbox and in Lua's own string library: results and errors must agree.
    @Test func generatedPatternsAgreeWithLua() throws {
        var generator = SeededGenerator(seed: 0x5EED_2104)
        var cases: [String] = []
        for _ in 0..<4000 {
            var pattern = Int.random(in: 0..<5, using: &generator) == 0 ? "^" : ""
            for _ in 0..<Int.random(in: 1...6, using: &generator) {
                pattern += Self.pieces.randomElement(using: &generator)!
            }
            var subject = ""
            for _ in 0..<Int.random(in: 0...10, using: &generator) {
                subject += Self.subjectBytes.randomElement(using: &generator)!
            }
            cases.append("{\"\(subject)\", \"\(pattern.replacingOccurrences(of: "\"", with: "\\\""))\"}")
        }
        let source = """
            local cases = {\(cases.joined(separator: ",\n"))}
            local function show(ok, ...)
              local out = {tostring(ok)}
              for i = 1, select("#", ...) do out[#out + 1] = string.format("%q", (select(i, ...))) end
              return table.concat(out, " ")
            end
            local lines = {}
            for i, c in ipairs(cases) do
              local s, p = c[1], c[2]
              local seen = {}
              local ok, err = pcall(function()
                for a, b in string.gmatch(s, p) do
                  seen[#seen + 1] = tostring(a) .. "|" .. tostring(b)
                  if #seen > 20 then break end
                end
              end)
              lines[i] = table.concat({
                show(pcall(string.find, s, p)), show(pcall(string.find, s, p, 3)), show(pcall(string.match, s, p)),
                ok and table.concat(seen, ",") or ("error " .. err), show(pcall(string.gsub, s, p, "<%0>")),
                show(pcall(string.gsub, s, p, "%1", 2)),
              }, " / ")
            end
            return lines
            """
        let sandboxed = try LuaVM()
        let reference = try LuaVM(.unsafe)
        let mine = try sandboxed.run(source, chunkName: "p", environment: try sandboxed.makeEnvironment(name: "s"))
        let theirs = try reference.run(source, chunkName: "p")
        guard case .array(let a)? = mine.first, case .array(let b)? = theirs.first, a.count == cases.count,
            b.count == cases.count
        else {
            Issue.record("no results: \(mine) \(theirs)")
            return
        }
        var differences = 0
        for i in 0..<cases.count where a[i] != b[i] {
            differences += 1
            if differences <= 5 { Issue.record("\(cases[i]):\n sandbox \(a[i])\n lua     \(b[i])") }
        }
        #expect(differences == 0)
    }
}
