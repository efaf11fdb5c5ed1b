// The letters each language writes beyond ASCII, with how often (Cyrillic and Greek, where a wrong code
// page permutes letters within the alphabet): ReadingScore asks which language a decoding's letters fit.
// Frequencies are rounded percentages of running text, approximate by design: they rank decodings.

import Foundation

/// One language's non-ASCII letters and the weight each brings to a decoding that uses it.
struct LanguageProfile: Sendable {
    let name: String
    let script: CharacterClass.Script
    /// Folded (lower-case) letter → weight; letters not listed cost `foreignLetterCost`.
    let weights: [UInt32: Double]
    /// A script whose every letter counts +1 (Hebrew, Arabic, Thai), for code pages we have no table for.
    let anyLetterOfScript: Bool
    /// `weight` of every scalar below U+0800, for the scores' inner loop.
    let table: [Double]

    init(name: String, script: CharacterClass.Script, weights: [UInt32: Double], anyLetterOfScript: Bool) {
        self.name = name
        self.script = script
        self.weights = weights
        self.anyLetterOfScript = anyLetterOfScript
        self.table = (0..<UInt32(0x800)).map { v in
            anyLetterOfScript
                ? (CharacterClass.script(of: v) == script ? 1 : Self.foreignLetterCost)
                : weights[v] ?? Self.foreignLetterCost
        }
    }

    static let foreignLetterCost = -3.0

    func weight(_ folded: UInt32) -> Double {
        if anyLetterOfScript { return CharacterClass.script(of: folded) == script ? 1 : Self.foreignLetterCost }
        return weights[folded] ?? Self.foreignLetterCost
    }

    /// A Latin-script language: its accented letters with their shares of its accented letters.
    private static func latin(_ name: String, _ table: String) -> LanguageProfile {
        frequencies(name, .latin, table)
    }

    /// Letters of `script` beyond ASCII with their relative frequencies (percent of those letters; for
    /// Cyrillic and Greek, of all letters): weight log2(share × number of letters), clamped to [-2, 2], so
    /// a decoding full of a language's frequent letters scores above one that permutes them.
    private static func frequencies(_ name: String, _ script: CharacterClass.Script, _ table: String)
        -> LanguageProfile
    {
        var pairs: [(UInt32, Double)] = []
        for item in table.split(separator: " ") {
            guard let letter = item.unicodeScalars.first, let pct = Double(item.dropFirst()) else { continue }
            pairs.append((letter.value, pct))
        }
        let n = Double(pairs.count)
        let sum = pairs.reduce(0) { $0 + $1.1 }
        var w: [UInt32: Double] = [:]
        for (letter, pct) in pairs { w[letter] = min(2, max(-2, log2(pct / sum * n))) }
        return LanguageProfile(name: name, script: script, weights: w, anyLetterOfScript: false)
    }

    private static func anyLetter(_ name: String, _ script: CharacterClass.Script) -> LanguageProfile {
        LanguageProfile(name: name, script: script, weights: [:], anyLetterOfScript: true)
    }

    static let all: [LanguageProfile] = [
        latin("French", "é50 à10 è9 ê5 ç3 â1.5 ô1.5 î1 û1 ù0.5 œ0.5 ë0.3 ï0.3 ü0.05 æ0.02 ÿ0.01"),
        latin("Spanish", "ó27 í20 á17 é14 ñ12 ú5 ü0.5"),
        latin("Portuguese", "ã25 ç14 á14 é12 í10 ó8 ê6 ú4 â3 õ3 à2 ô2"),
        latin("Italian", "è30 à20 ò15 ù15 ì10 é5 í1 ó1 î0.5 ú0.5"),
        latin("German", "ü35 ä25 ß25 ö15"),
        latin("Dutch", "é40 ë30 ï15 ö5 ü5 è3 á1 ó1"),
        latin("Catalan", "à25 è20 é20 í10 ò8 ó6 ç5 ï3 ú3 ü2"),
        latin("Danish/Norwegian", "ø40 æ30 å28 é2"),
        latin("Swedish/Finnish", "ä50 å28 ö20 é2"),
        latin("Icelandic", "ð25 á20 í10 þ10 ó8 ú8 æ6 é5 ý5 ö5"),
        latin("Polish", "ł22 ę14 ą12 ó10 ś9 ż9 ć5 ń3 ź1"),
        latin("Czech", "í25 á18 ě13 č10 é10 ř10 ý8 š7 ž7 ů4 ň1 ú1 ď0.5 ť0.5 ó0.3"),
        latin("Slovak", "á20 í13 č10 ý10 ž9 é8 š8 ú6 ľ4 ť3.5 ô2 ď1.5 ň1.5 ó1 ä0.5 ĺ0.1 ŕ0.1"),
        latin("Hungarian", "á30 é28 ó9 ö9 ő8 í5 ü5 ú3 ű2"),
        latin("Slovenian/Croatian", "č40 š27 ž20 ć10 đ3"),
        latin("Romanian", "ă35 ş20 ș20 ţ15 ț15 î12 â8"),
        latin("Turkish", "ı35 ç15 ğ15 ş15 ü13 ö7 â0.5 î0.2"),
        latin("Lithuanian", "ė20 š20 į10 ą10 ų10 ž10 č8 ū7 ę3"),
        latin("Latvian", "ā30 ē20 ī15 š10 ņ5 ū5 ž5 č3 ļ3 ģ2 ķ2"),
        latin("Estonian", "ä35 õ25 ü25 ö10 š1 ž1"),
        latin("Albanian", "ë90 ç10"),
        frequencies(
            "Russian", .cyrillic,
            "о10.97 е8.45 а8.01 и7.35 н6.70 т6.26 с5.47 р4.73 в4.54 л4.40 к3.49 м3.21 д2.98 п2.81 у2.62 я2.01 ы1.90 ь1.74 г1.70 з1.65 б1.59 ч1.44 й1.21 х0.97 ж0.94 ш0.73 ю0.64 ц0.48 щ0.36 э0.32 ф0.26 ъ0.04 ё0.04"
        ),
        frequencies(
            "Ukrainian", .cyrillic,
            "о9.4 а8.4 н6.7 и6.1 і5.8 в5.4 т5.3 е5.0 р4.8 с4.3 к4.0 л3.7 у3.4 д3.4 м3.2 п2.9 я2.5 з2.3 ь1.7 б1.7 г1.6 ч1.5 й1.3 х1.2 ц1.0 ж0.9 ї0.9 ш0.8 ю0.8 є0.8 щ0.6 ф0.3 ґ0.05"
        ),
        frequencies(
            "Belarusian", .cyrillic,
            "а8.7 о7.6 н5.8 і5.5 е5.3 с4.8 р4.7 ы4.4 к4.0 в3.9 л3.8 т3.7 д3.4 м3.2 я3.0 у3.0 п2.7 ў2.0 ц2.0 з2.0 ч1.8 б1.7 ь1.6 г1.6 й1.3 х1.1 ж0.9 ш0.8 ё0.8 ю0.6 э0.4 ф0.2"
        ),
        frequencies(
            "Bulgarian", .cyrillic,
            "а9.9 о8.8 и8.6 е8.5 т7.2 н6.8 р5.0 с4.7 в4.3 л3.5 к3.5 д3.2 п3.0 м2.7 ъ2.6 з2.0 я2.0 у1.6 г1.5 б1.4 ч1.3 х0.9 ж0.8 ц0.8 ш0.7 щ0.6 й0.6 ф0.4 ю0.3 ь0.1"
        ),
        frequencies(
            "Serbian", .cyrillic,
            "а11.0 и9.5 о9.0 е8.5 н5.5 т4.5 р4.5 с4.5 ј4.0 у4.0 в3.5 к3.5 д3.5 л3.0 м3.0 п2.8 з1.7 г1.6 б1.5 ч1.2 ћ1.0 ш0.8 њ0.7 ц0.7 љ0.6 ж0.6 х0.3 ђ0.2 ф0.2 џ0.1"
        ),
        frequencies(
            "Macedonian", .cyrillic,
            "а10.9 о8.5 е8.5 и8.0 н5.5 т5.5 р4.0 с4.0 в3.5 д3.5 к3.5 ј3.0 л3.0 м2.5 п2.5 у2.0 з1.5 г1.5 б1.5 ч1.0 ш0.8 ц0.7 ж0.5 њ0.5 ќ0.4 х0.3 ѓ0.2 ф0.2 љ0.2 ѕ0.1 џ0.1"
        ),
        frequencies(
            "Greek", .greek,
            "α12.0 ο9.5 τ8.0 ι7.5 ε7.5 ν6.5 σ4.5 ρ4.5 η4.0 π4.0 κ4.0 υ3.5 μ3.5 λ2.8 ς2.5 ά2.0 δ1.8 γ1.8 έ1.6 ί1.6 ω1.5 ό1.5 θ1.3 ή1.2 χ1.1 ύ0.9 φ0.8 β0.6 ώ0.6 ξ0.4 ζ0.4 ψ0.2 ϊ0.1 ϋ0.05 ΐ0.02 ΰ0.01"
        ),
        anyLetter("Hebrew", .hebrew),
        anyLetter("Arabic", .arabic),
        anyLetter("Thai", .thai),
    ]
}
