"""The final operational report as PDF (fpdf2): the same content as the HTML report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF
from rigour.text.translit import ascii_text

# A Unicode font if the system has one (names in Cyrillic, diacritics); else ASCII letters.
FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
         Path("/usr/share/fonts/TTF/DejaVuSans.ttf"))  # fmt: skip


class _Report(FPDF):
    def __init__(self) -> None:
        super().__init__()
        font = next((f for f in FONTS if f.exists()), None)
        if font is not None:
            self.add_font("body", "", str(font))
            self.add_font("body", "B", str(font.with_name("DejaVuSans-Bold.ttf")))
            self.unicode = True
        self.family = "body" if font is not None else "helvetica"

    def text_of(self, value: Any) -> str:
        text = str(value)
        return text if getattr(self, "unicode", False) else ascii_text(text)

    def heading(self, text: str, size: int = 13) -> None:
        self.set_font(self.family, "B", size)
        self.cell(0, 9, self.text_of(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 10)

    def line_of(self, text: str) -> None:
        self.multi_cell(0, 5.5, self.text_of(text), new_x="LMARGIN", new_y="NEXT")

    def grid(self, header: list[str], rows: list[list[Any]]) -> None:
        width = (self.w - self.l_margin - self.r_margin) / len(header)
        self.set_font(self.family, "B", 9)
        for cell in header:
            self.cell(width, 6, self.text_of(cell), border=1)
        self.ln()
        self.set_font(self.family, "", 9)
        for row in rows:
            for cell in row:
                self.cell(width, 6, self.text_of(cell)[:40], border=1)
            self.ln()
        self.ln(3)


def report_pdf(operation: str, author: str, **report: Any) -> bytes:
    pdf = _Report()
    pdf.add_page()
    pdf.heading(f"{operation}: final operational report", 16)
    pdf.line_of(f"Generated {report['generated']} for {author}. Contains only what this account "
                "may see under the handling codes of the reports.")  # fmt: skip
    pdf.ln(2)
    figures = report["figures"]
    total = figures["total"]
    pdf.heading("The day's figures")
    pdf.line_of(f"{total['incidents']} smuggling incidents, {total['arrested']} smugglers arrested, "
                f"{total['intercepted']} smuggled persons intercepted.")  # fmt: skip
    pdf.grid(["Agency", "Incidents", "Arrested", "Intercepted"],
              [[a, r["incidents"], r["arrested"], r["intercepted"]]
               for a, r in figures["per_agency"].items()])  # fmt: skip
    pdf.heading("Cross-matching")
    pdf.line_of(f"{report['records']} records visible; hits by status: "
                + ", ".join(f"{k} {v}" for k, v in sorted(report["hits"].items())))  # fmt: skip
    pdf.heading("Pursuits")
    for route in report["routes"]:
        steps = " -> ".join(f"{p['place']} ({p['agency']}, {p['time'][11:16]})"
                            for p in route["points"])  # fmt: skip
        pdf.line_of(f"Lookout {route['lookout']} by {route['issued_by']} "
                    f"({route['kind']} {route['subject']}): {steps}")  # fmt: skip
    pdf.heading("Largest networks")
    pdf.grid(["Size", "Persons/vehicles", "Most connected"],
              [[g["size"], g["members"], ", ".join(c["label"] for c in g["central"][:2])]
               for g in report["groups"]])  # fmt: skip
    pdf.heading("Incidents")
    pdf.grid(["Time (UTC)", "Agency", "Place", "Arrested", "Intercepted"],
              [[i["time"][:16].replace("T", " "), i["agency"], i["place"], i["arrested"],
                i["intercepted"]] for i in sorted(report["incidents"], key=lambda i: i["time"])])  # fmt: skip
    return bytes(pdf.output())
