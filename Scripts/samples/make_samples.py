#!/usr/bin/env python3
"""Renders Scripts/samples/articles.py into Samples/ as txt, md, html, jsonl, docx and pdf (run from the repo root).

Every article is made up. The HTML pages carry page furniture (navigation, a cookie banner, related links,
comments) that main-content extraction must drop; DOCX and PDF are written by hand like the readers' fixtures.
"""
import html, json, os, sys, zipfile

sys.path.insert(0, os.path.dirname(__file__))
from articles import ARTICLES

OUT = "Samples"
OUTLETS = {"herald": "Casterline Herald", "saltmere-post": "Saltmere Post", "kaldmark-today": "Kaldmark Today",
           "reports": "Official reports"}


def txt(a):
    return a["title"].upper() + "\n\n" + "\n\n".join(a["body"]) + "\n"


def md(a):
    front = f"---\ntitle: \"{a['title']}\"\nauthor: {a['author']}\ndate: {a['date']}\noutlet: {OUTLETS[a['outlet']]}\n---\n\n"
    return front + f"# {a['title']}\n\n" + "\n\n".join(a["body"]) + "\n"


def page(a):
    e = html.escape
    paras = "\n".join(f"      <p>{e(p)}</p>" for p in a["body"])
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{e(a['title'])} | Saltmere Post</title>
  <meta name="author" content="{e(a['author'])}">
  <meta property="og:site_name" content="Saltmere Post">
  <meta property="article:published_time" content="{a['date']}">
  <link rel="canonical" href="https://saltmere-post.example/{a['id']}">
</head>
<body>
  <div class="cookie-banner" id="cookie-consent">We use cookies to improve your experience. <button>Accept all</button> <button>Manage settings</button></div>
  <header class="site-header">
    <nav class="navbar"><a href="/">Home</a> <a href="/port">Port</a> <a href="/politics">Politics</a> <a href="/weather">Weather</a> <a href="/sport">Sport</a> <a href="/subscribe">Subscribe</a></nav>
  </header>
  <main>
    <article>
      <h1>{e(a['title'])}</h1>
      <p class="byline">By {e(a['author'])}</p>
{paras}
    </article>
    <aside class="related">
      <h2>Related stories</h2>
      <ul><li><a href="/a">Ferry timetable changes for the summer</a></li><li><a href="/b">Council approves new bus lanes on Harbour Road</a></li><li><a href="/c">Weekend weather: showers clearing from the west</a></li></ul>
    </aside>
    <section class="comments" id="comments">
      <h2>Comments (3)</h2>
      <div class="comment"><p>First! Nobody in Casterline cares about us down here.</p></div>
      <div class="comment"><p>Great reporting as always, keep it up.</p></div>
      <div class="comment"><p>Sign up for our newsletter to get the top stories every morning.</p></div>
    </section>
  </main>
  <footer class="site-footer"><p>© 2024 Saltmere Post. All rights reserved. Privacy policy. Terms of use.</p></footer>
</body>
</html>
"""


# --- DOCX, from hand-written WordprocessingML parts (as Scripts/fixtures/make_docx_fixtures.py does)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {W}><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style></w:styles>"""


def docx(a, path):
    e = html.escape
    def p(text, style=None):
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{e(text, quote=False)}</w:t></w:r></w:p>'
    body = p(a["title"], "Title") + "".join(p(x) for x in a["body"])
    document = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {W}><w:body>{body}</w:body></w:document>'
    core = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{e(a['title'])}</dc:title><dc:creator>{e(a['author'])}</dc:creator>
<dcterms:created xsi:type="dcterms:W3CDTF">{a['date']}T09:00:00Z</dcterms:created>
</cp:coreProperties>"""
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "docProps/core.xml": core,
             "word/styles.xml": STYLES, "word/document.xml": document}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 7, 1, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# --- PDF, by hand (Helvetica, WinAnsi), as Scripts/fixtures/make_pdf_fixtures.py does
def wrap(text, width=88):
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = (line + " " + word).strip()
    return lines + [line] if line else lines


def pdf(a, path):
    lines = [a["title"], ""]
    for para in a["body"]:
        lines += wrap(para) + [""]
    objs = []
    def add(s):
        objs.append(s)
        return len(objs)
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
    for line in lines:
        if line == "":
            ops.append("0 -8 Td")
            continue
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(f"({esc}) Tj T*")
    ops.append("ET")
    data = "\n".join(ops).encode("cp1252")
    content = add(("<< /Length %d >>\nstream\n" % len(data)).encode() + data + b"\nendstream")
    page_id = add(f"<< /Type /Page /Parent 4 0 R /MediaBox [0 0 612 792] /Contents {content} 0 R /Resources << /Font << /F1 {font} 0 R >> >> >>")
    pages = add(f"<< /Type /Pages /Kids [{page_id} 0 R] /Count 1 >>")
    assert pages == 4
    catalog = add(f"<< /Type /Catalog /Pages {pages} 0 R >>")
    d = a["date"].replace("-", "")
    info = add(f"<< /Title ({a['title']}) /Author ({a['author']}) /CreationDate (D:{d}090000Z) >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        body = o if isinstance(o, bytes) else o.encode("cp1252")
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    open(path, "wb").write(bytes(out))


def main():
    jsonl = {}
    for a in ARTICLES:
        folder = os.path.join(OUT, a["outlet"])
        os.makedirs(folder, exist_ok=True)
        base = os.path.join(folder, a["id"])
        fmt = a["fmt"]
        if fmt == "txt":
            open(base + ".txt", "w", encoding="utf-8").write(txt(a))
        elif fmt == "md":
            open(base + ".md", "w", encoding="utf-8").write(md(a))
        elif fmt == "html":
            open(base + ".html", "w", encoding="utf-8").write(page(a))
        elif fmt == "docx":
            docx(a, base + ".docx")
        elif fmt == "pdf":
            pdf(a, base + ".pdf")
        elif fmt == "jsonl":
            record = {"id": a["id"], "title": a["title"], "date": a["date"], "author": a["author"],
                      "outlet": OUTLETS[a["outlet"]], "text": a["title"] + "\n\n" + "\n\n".join(a["body"])}
            jsonl.setdefault(folder, []).append(json.dumps(record, ensure_ascii=False))
    for folder, lines in jsonl.items():
        open(os.path.join(folder, "wire.jsonl"), "w", encoding="utf-8").write("\n".join(lines) + "\n")
    print(f"wrote {len(ARTICLES)} articles into {OUT}/")


main()
