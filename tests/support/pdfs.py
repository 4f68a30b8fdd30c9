"""Small PDFs written here byte by byte, for the cases the fixture files do not cover
(odd page sizes, a page PDFium cannot draw). Real PDFs: PDFium reads them as any other."""


def small_pdf(text, *, width=595, height=842, broken_first_page=False):
    """A one-page PDF of `width` x `height` points showing `text` in Helvetica. With
    `broken_first_page`, the page list starts with an object that is not a page (the font):
    PDFium counts two pages and cannot load the first."""
    kids = "4 0 R 3 0 R" if broken_first_page else "3 0 R"
    stream = f"BT /F1 24 Tf 40 {max(height - 60, 10)} Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(kids.split()) // 3} >>".encode(),
        (
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            "/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
        ).encode("latin-1"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
