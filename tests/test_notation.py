"""The notation table at the front of 00 lists every symbol the notebooks' formulas use.

A "symbol" is what a reader has to look up: a Greek letter or other command such as ``\\lambda`` or
``\\mathcal{N}``, or a single Latin letter standing alone in a formula. Words inside ``\\text{...}``,
``\\operatorname{...}`` and the like, and layout commands (``\\frac``, ``\\big``, ...), are not symbols.
The test reads every notebook's markdown, keeps what sits between ``$`` signs, and fails on a symbol that the
Notation section's own formulas never mention, unless ``ALLOWED`` below says why it may stay.
"""
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
TABLE_NOTEBOOK = ROOT / "notebooks" / "00_why_generative_models.ipynb"

MATH = re.compile(r"\$\$(.+?)\$\$|\$(.+?)\$", re.S)
WORDS = re.compile(r"\\(?:text|mathrm|operatorname|texttt|textrm|label)\s*\{[^{}]*\}")
FONT_LETTER = re.compile(r"\\(mathcal|mathscr)\s*\{?\s*([A-Za-z])\}?")
COMMAND = re.compile(r"\\([A-Za-z]+)")
LONE_LETTER = re.compile(r"(?<![A-Za-z])[A-Za-z](?![A-Za-z])")
# Layout, operators and functions whose meaning is fixed by mathematics, not by the course.
NOT_SYMBOLS = set("""
left right big Big bigg Bigg bigl bigr Bigl Bigr frac tfrac dfrac sum prod int log exp max min arg argmax argmin
sup inf lim sqrt cdot cdots dots ldots vdots ddots quad qquad le ge leq geq ne neq approx sim propto in notin
subset to mapsto infty partial nabla top odot otimes circ times pm mp hat tilde bar mathbb mathbf boldsymbol
begin end aligned cases pmatrix bmatrix matrix lVert rVert Vert lvert rvert langle rangle lfloor rfloor lceil
rceil cup cap emptyset forall exists equiv star ast colon overline underline widehat widetilde limits nolimits
displaystyle textstyle det tr vec dot ddot prime backslash setminus perp parallel ll gg Pr triangleq coloneqq
iff implies Rightarrow rightarrow leftarrow Leftarrow longrightarrow xrightarrow uparrow downarrow phantom
binom underbrace overbrace stackrel overset underset mathop not land lor neg vee wedge ln sin cos tanh
checkmark dagger mid boxed star
""".split())

# Symbols the table may leave out, each with its reason. Keep this short: a new entry needs a reason a
# reader would accept.
ALLOWED = {
}


def symbols(tex: str) -> set[str]:
    tex = WORDS.sub(" ", tex)
    found = {f"\\{font}{{{letter}}}" for font, letter in FONT_LETTER.findall(tex)}
    tex = FONT_LETTER.sub(" ", tex)
    tex = re.sub(r"\\mathbb\s*\{?\s*[A-Za-z]\}?", " ", tex)   # ℝ, 𝔼: fixed by mathematics
    found |= {f"\\{c}" for c in COMMAND.findall(tex) if c not in NOT_SYMBOLS}
    found |= set(LONE_LETTER.findall(COMMAND.sub(" ", tex)))
    return found


def markdown_math(path: Path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            src = "".join(cell["source"])
            for m in MATH.finditer(src):
                yield src, m.group(1) or m.group(2)


def notation_section() -> str:
    nb = json.loads(TABLE_NOTEBOOK.read_text())
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    hits = [c for c in cells if c.lstrip().startswith("## Notation")]
    assert len(hits) == 1, "00 must have exactly one markdown cell opening with '## Notation'"
    return hits[0]


def listed() -> set[str]:
    out = set()
    for m in MATH.finditer(notation_section()):
        out |= symbols(m.group(1) or m.group(2))
    return out


def test_symbols_extracted_as_a_reader_sees_them():
    assert symbols(r"\frac{1}{\ell} \sum_{i=1}^{\ell} \|x_i - g_\beta(z)\|^2") == {"\\ell", "i", "x", "g", "\\beta", "z"}
    assert symbols(r"\mathcal{N}(0, I) \text{ and } \operatorname{diag}\{\sigma^2\}") == {"\\mathcal{N}", "I", "\\sigma"}
    assert symbols(r"\mathscr{L}_{\text{VAE}}") == {"\\mathscr{L}"}
    assert symbols(r"\mathbb{E}\, \mathbb R") == set()


def test_table_sits_before_the_first_formula_of_00():
    nb = json.loads(TABLE_NOTEBOOK.read_text())
    md = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    first_formula = next(i for i, c in enumerate(md) if MATH.search(c) and not c.lstrip().startswith("## Notation"))
    table = next(i for i, c in enumerate(md) if c.lstrip().startswith("## Notation"))
    assert table < first_formula, "the Notation section must come before 00's first formula"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_notebook_links_the_table(path):
    text = "".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown")
    assert "#Notation" in text, f"{path.name}: link the notation table ([...](00_why_generative_models.ipynb#Notation))"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem[:2])
def test_every_symbol_is_in_the_table(path):
    known = listed() | set(ALLOWED)
    missing = {}
    for src, tex in markdown_math(path):
        for s in symbols(tex) - known:
            missing.setdefault(s, tex.strip()[:80])
    assert not missing, (f"{path.name}: symbols the notation table in 00 does not list (add them to the table, "
                         f"or rename): " + "; ".join(f"{s} in ${t}$" for s, t in sorted(missing.items())))


def test_allow_list_is_short_and_still_needed():
    assert len(ALLOWED) <= 10
    table = listed()
    used = set()
    for path in NOTEBOOKS:
        for _, tex in markdown_math(path):
            used |= symbols(tex)
    stale = [s for s in ALLOWED if s in table or s not in used]
    assert not stale, f"allow-list entries no longer needed (listed in the table, or unused): {stale}"
