"""The app in a real browser: the server `revsok app` starts, driven by Playwright and Chromium.

These tests start the app with `revsok app` on the sample corpus' index, open pages in Debian's
chromium and check what a user sees and gets: filtered cards, comparison columns, the chart over
time, exported files and PDF links that open the page the passage is on.

Without /usr/bin/chromium the tests are skipped, unless ``REVSOK_REQUIRE_BROWSER=1`` (CI), where
they fail. ``REVSOK_SCREENSHOTS=docs`` also writes the README's screenshots of every page,
docs/screenshot-<page>.png (a folder relative to the repository, or an absolute one).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest

from tests.search_app.browser_app import (
    ARTIFACTS,
    FIRST_RESULT_MS,
    IDLE,
    MAIN,
    RESULT_MS,
    open_results,
    require_browser,
    running_app,
    settle,
    url,
)

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
# The README's screenshots are written only when asked for, so test runs leave the tree clean.
SCREENSHOTS = os.environ.get("REVSOK_SCREENSHOTS")
SCREENSHOT_MAX_HEIGHT = 3000

# What a user would type.
QUERY = "samverkan med regionen"
RAGUNDA = "Ragunda kommun"
PITEA = "Piteå kommun"


@pytest.fixture(scope="module")
def app_server(request, tmp_path_factory) -> Iterator[str]:
    """The app on the sample corpus, shared by the tests of this module."""
    # Checked first, and the index asked for only then: pytest would set up the session-scoped
    # corpus_index before any module fixture, and indexing is wasted work without a browser.
    require_browser()
    corpus_index = request.getfixturevalue("corpus_index")
    with running_app(corpus_index, tmp_path_factory.mktemp("app-server")) as base:
        yield base


@pytest.fixture
def browser_page(chromium_browser, app_server, request):
    """A fresh browser tab on the app; a screenshot of it is kept in test-artifacts/."""
    context = chromium_browser.new_context(
        base_url=app_server,
        viewport={"width": 1400, "height": 1000},
        accept_downloads=True,
        locale="sv-SE",
    )
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    try:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    finally:
        context.close()


# ------------------------------------------------------------------------------------- helpers


def citations(scope) -> list[str]:
    return [
        " ".join(text.split()) for text in scope.locator('[data-testid="stCode"]').all_inner_texts()
    ]


def main_citations(page) -> list[str]:
    return citations(page.locator(MAIN))


def card_numbers(page) -> list[int]:
    return [int(n.strip("[] ")) for n in page.locator(f"{MAIN} .rs-num").all_inner_texts()]


def words(text: str) -> list[str]:
    """Words for comparing text across PDF extraction and the page: no case, punctuation,
    line breaks, or hyphenation at a line end."""
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text)
    return re.findall(r"\w+", text.casefold())


def longest_common_run(needle: list[str], haystack: list[str]) -> list[str]:
    """The longest run of consecutive words of ``needle`` that also occurs in ``haystack``."""
    best_end = best_len = 0
    previous = [0] * (len(haystack) + 1)
    for i, word in enumerate(needle, start=1):
        current = [0] * (len(haystack) + 1)
        for j, other in enumerate(haystack, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                if current[j] > best_len:
                    best_len, best_end = current[j], i
        previous = current
    return needle[best_end - best_len : best_end]


def contains_run(page_words: list[str], run: list[str]) -> bool:
    return f" {' '.join(run)} " in f" {' '.join(page_words)} "


def save_screenshot(page, name: str, *, cards: bool = True) -> None:
    """With REVSOK_SCREENSHOTS set, the page as the README shows it: screenshot-<name>.png in that
    folder. As much of the page as fits in SCREENSHOT_MAX_HEIGHT (Streamlit scrolls inside stMain,
    so the viewport is made that tall). ``cards``: the page shows search hits, whose citations
    are drawn a moment after the rest."""
    if not SCREENSHOTS:
        return
    folder = REPO / SCREENSHOTS  # an absolute path stays as it is
    # No focus ring or hover toolbar left over from what the test clicked.
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement?.blur()")
    height = page.locator(MAIN).evaluate("e => e.scrollHeight")
    page.set_viewport_size({"width": 1400, "height": min(int(height) + 40, SCREENSHOT_MAX_HEIGHT)})
    if cards:
        settle(page)
    else:
        page.wait_for_function(IDLE, timeout=RESULT_MS)
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"screenshot-{name}.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


# --------------------------------------------------------------------------------------- tests


def test_a_shared_link_opens_its_page_on_a_freshly_started_server(
    chromium_browser, corpus_index, tmp_path
):
    """A link someone shared is often the first thing a new server serves: it must open the page
    it names, with no "Page not found" dialog."""
    from playwright.sync_api import expect

    with running_app(corpus_index, tmp_path) as base:
        context = chromium_browser.new_context(
            base_url=base, viewport={"width": 1400, "height": 1000}
        )
        try:
            page = context.new_page()
            page.goto(url("/over-tid", q="uppföljning av insatser"))
            expect(page.get_by_role("heading", name="Följ en fråga över tid")).to_be_visible(
                timeout=FIRST_RESULT_MS
            )
            page.wait_for_function(IDLE, timeout=RESULT_MS)
            assert page.get_by_text("Page not found").count() == 0
            assert page.get_by_role("dialog").count() == 0
        finally:
            context.close()


def test_kommun_filter_from_url_shows_only_that_kommun(browser_page):
    page = browser_page
    open_results(page, url("/", q=QUERY, kommun=RAGUNDA))

    cited = main_citations(page)
    assert cited, "inga kort med källhänvisning"
    assert len(cited) == page.locator(f"{MAIN} .rs-head").count()
    outside = [c for c in cited if not c.startswith(f"{RAGUNDA} ·")]
    assert not outside, f"kort från andra kommuner än {RAGUNDA}: {outside}"
    # The filter is the one the sidebar shows.
    sidebar = page.locator('[data-testid="stSidebar"]')
    kommun_select = sidebar.locator('[data-testid="stMultiSelect"]').first
    assert kommun_select.locator("[data-tag]").all_inner_texts() == [RAGUNDA]


def test_kommun_filter_chosen_in_sidebar(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    open_results(page, url("/", q=QUERY))
    unfiltered = main_citations(page)
    assert any(not c.startswith(f"{RAGUNDA} ·") for c in unfiltered), (
        f"frågan ger bara {RAGUNDA} utan filter, så filtret prövas inte: {unfiltered}"
    )

    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Kommun").click()
    page.get_by_role("option", name=RAGUNDA, exact=True).click()
    page.keyboard.press("Escape")
    # The run that applies the filter writes it into the URL before it searches.
    expect(page).to_have_url(re.compile(r"kommun=Ragunda\+kommun"), timeout=RESULT_MS)
    settle(page)

    cited = main_citations(page)
    assert cited, "inga kort efter kommunfiltret"
    outside = [c for c in cited if not c.startswith(f"{RAGUNDA} ·")]
    assert not outside, f"kort från andra kommuner än {RAGUNDA}: {outside}"
    assert parse_qs(urlsplit(page.url).query) == {"q": [QUERY], "kommun": [RAGUNDA]}


def test_compare_shows_one_column_per_kommun(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(url("/jamfor", q=QUERY, kommun=[RAGUNDA, PITEA]))

    heads = page.locator(f"{MAIN} .rs-colhead")
    expect(heads).to_have_count(2, timeout=FIRST_RESULT_MS)
    expect(page.locator(f"{MAIN} .rs-head").first).to_be_visible(timeout=RESULT_MS)
    settle(page)
    assert heads.all_inner_texts() == [RAGUNDA, PITEA]

    columns = page.locator('[data-testid="stColumn"]').filter(has=page.locator(".rs-colhead"))
    assert columns.count() == 2
    answered = []
    for index, name in enumerate((RAGUNDA, PITEA)):
        column = columns.nth(index)
        assert column.locator(".rs-colhead").inner_text() == name
        if column.get_by_text(f"Ingen bra träff i {name}").count():
            # Only weak passages: they wait in a closed expander instead of posing as answers.
            assert column.get_by_text("Visa svaga träffar ändå").count() == 1
            continue
        cited = citations(column)
        assert cited, f"inga kort i kolumnen för {name}"
        assert column.locator(".rs-head").count() == len(cited)
        outside = [c for c in cited if not c.startswith(f"{name} ·")]
        assert not outside, f"kolumnen för {name} har kort från andra kommuner: {outside}"
        answered.append(name)
    # Ragunda's report has a whole section on samverkan med regionen.
    assert RAGUNDA in answered


def test_over_time_shows_the_chart(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto(url("/over-tid", q="uppföljning av insatser"))
    heading = page.get_by_role("heading", name="Träffar per år")
    expect(heading).to_be_visible(timeout=FIRST_RESULT_MS)
    settle(page)

    chart = heading.locator(
        "xpath=following::*[@data-testid='stVegaLiteChart' or contains(@class,'vega-embed')]"
    ).first
    expect(chart).to_be_visible()
    drawing = chart.locator("svg.marks, canvas").first
    expect(drawing).to_be_visible()
    box, chart_box = heading.bounding_box(), chart.bounding_box()
    assert box and chart_box and chart_box["y"] > box["y"], "diagrammet står inte under rubriken"
    assert chart_box["height"] > 100 and chart_box["width"] > 200

    # One bar per year the page lists.
    years = [
        t
        for t in page.locator(f"{MAIN} [data-testid='stHeading']").all_inner_texts()
        if re.fullmatch(r"\d{4} · \d+ träffar", t.strip())
    ]
    assert years, "inga år med träffar under diagrammet"
    if drawing.evaluate("e => e.tagName.toLowerCase()") == "svg":
        expect(chart.locator("g.mark-rect path")).to_have_count(len(years))


def test_export_files_carry_the_citations_of_the_cards(browser_page):
    from openpyxl import load_workbook

    page = browser_page
    open_results(page, url("/", q=QUERY))
    cited = main_citations(page)
    numbers = card_numbers(page)
    assert cited and len(numbers) == len(cited)

    def download(label: str, suffix: str) -> bytes:
        with page.expect_download(timeout=RESULT_MS) as info:
            page.get_by_role("button", name=label).click()
        got = info.value
        assert got.suggested_filename.endswith(suffix), got.suggested_filename
        assert got.failure() is None
        return Path(got.path()).read_bytes()

    # CSV
    text = download("Exportera CSV", ".csv").decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    assert "Källhänvisning" in (reader.fieldnames or [])
    rows = list(reader)
    assert [int(r["Nr"]) for r in rows] == numbers
    for shown, exported in zip(cited, rows, strict=True):
        assert " ".join(exported["Källhänvisning"].split()).startswith(shown)
        assert shown.startswith(f"{exported['Kommun']} · {exported['År']} ·")

    # Excel
    workbook = load_workbook(io.BytesIO(download("Exportera Excel", ".xlsx")), read_only=True)
    sheet_rows = list(workbook["Träffar"].iter_rows(values_only=True))
    header, body = list(sheet_rows[0]), sheet_rows[1:]
    column = header.index("Källhänvisning")
    assert [int(r[header.index("Nr")]) for r in body] == numbers
    for shown, values in zip(cited, body, strict=True):
        assert " ".join(str(values[column]).split()).startswith(shown)
        kommun, year = values[header.index("Kommun")], values[header.index("År")]
        assert shown.startswith(f"{kommun} · {year} ·")

    # Markdown
    markdown = download("Exportera Markdown", ".md").decode("utf-8")
    assert markdown.startswith(f"# Sök: {QUERY}")
    headings = [
        " ".join(line.split())
        for line in markdown.splitlines()
        if re.match(r"#{2,3} \[\d+\] ", line)
    ]
    assert len(headings) == len(cited)
    for number, shown, heading in zip(numbers, cited, headings, strict=True):
        assert re.sub(r"^#+ ", "", heading).startswith(f"[{number}] {shown}")


def test_pdf_link_opens_the_page_of_the_passage(browser_page):
    from pypdf import PdfReader

    page = browser_page
    open_results(page, url("/", q=QUERY))
    link = page.locator(f"{MAIN} a.rs-pdf").first
    href = link.get_attribute("href")
    assert href
    match = re.fullmatch(r"app/static/pdf/([0-9a-f]{64})\.pdf#page=(\d+)", href)
    assert match, href
    page_number = int(match.group(2))
    assert link.get_attribute("data-page") == str(page_number)
    # The whole passage (a long one shows a window of it; the whole is behind "Visa hela passagen").
    passage = page.locator(f"{MAIN} .rs-full").first.text_content() or ""

    # The file is served as a PDF, and is the indexed file (its name is its SHA-256).
    target = urljoin(page.url, href)
    response = page.request.get(target.split("#", 1)[0])
    assert response.status == 200
    assert response.headers["content-type"].split(";")[0].strip() == "application/pdf"
    body = response.body()
    assert hashlib.sha256(body).hexdigest() == match.group(1)

    # The passage starts on the page the link opens: its longest run of words on that page is a
    # real stretch of text, and it is found on no other page.
    pages = [words(p.extract_text() or "") for p in PdfReader(io.BytesIO(body)).pages]
    assert 1 <= page_number <= len(pages)
    passage_words = words(passage)
    run = longest_common_run(passage_words, pages[page_number - 1])
    assert len(run) >= min(8, len(passage_words)), (
        f"sida {page_number} har inget längre stycke ur passagen (längsta: {' '.join(run)!r})"
    )
    found_on = [n for n, text in enumerate(pages, start=1) if contains_run(text, run)]
    assert found_on == [page_number], f"{' '.join(run)!r} står på sidorna {found_on}"

    # Clicking opens a new tab at that page of the PDF.
    with page.context.expect_page(timeout=RESULT_MS) as opened:
        link.click()
    tab = opened.value
    tab.wait_for_load_state("commit")
    assert tab.url == target
    assert tab.url.endswith(f"#page={page_number}")
    tab.close()


def test_query_typed_in_the_search_box_goes_into_the_url(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    page.goto("/")
    box = page.get_by_label("Fråga eller sökord")
    expect(box).to_be_visible(timeout=FIRST_RESULT_MS)
    settle(page)
    assert "q=" not in page.url

    box.fill(QUERY)
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="), timeout=RESULT_MS)
    expect(page.locator(f"{MAIN} .rs-head").first).to_be_visible(timeout=FIRST_RESULT_MS)
    settle(page)
    assert parse_qs(urlsplit(page.url).query)["q"] == [QUERY]
    shown = main_citations(page)
    assert shown

    # The URL alone brings the same search back, in another tab.
    other = page.context.new_page()
    try:
        open_results(other, page.url)
        assert other.get_by_label("Fråga eller sökord").input_value() == QUERY
        assert main_citations(other) == shown
    finally:
        other.close()


def test_query_chips_and_weak_matches_when_the_app_runs_with_a_high_weak_threshold(
    chromium_browser, corpus_index, embedding_cache_path, tmp_path
):
    """`REVSOK_WEAK_BELOW=1.0 revsok app` on an empty index folder reads the sample corpus with
    that threshold, so every passage is a weak match: each card says "svag träff" and the page
    says there is no good match. The kommun and year named in the query show as chips; ✕ on one
    searches without it and writes it into the URL."""
    from playwright.sync_api import expect

    # The session's embeddings, so that the app's own ingest embeds nothing.
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with (
        contextlib.closing(sqlite3.connect(embedding_cache_path)) as source,
        contextlib.closing(sqlite3.connect(data_dir / "embedding-cache.sqlite")) as copy,
    ):
        source.backup(copy)
    settings = {"REVSOK_WEAK_BELOW": "1.0", "REVSOK_DATA_DIR": str(data_dir)}
    query = "Ragunda missbruk 2022"
    with running_app(tmp_path / "index", tmp_path, ingest=True, settings=settings) as base:
        context = chromium_browser.new_context(
            base_url=base, viewport={"width": 1400, "height": 1000}, locale="sv-SE"
        )
        try:
            page = context.new_page()
            open_results(page, url("/", q=query))
            chips = page.locator(f"{MAIN} .rs-qchip")
            expect(chips).to_have_text(["Kommun: Ragunda kommun", "År: 2022"])
            expect(page.get_by_text("väger in i rangordningen, filtrerar inte")).to_be_visible()
            cards = page.locator(f"{MAIN} .rs-head")
            expect(page.locator(f"{MAIN} .rs-head .rs-weak")).to_have_count(cards.count())
            expect(page.locator(f"{MAIN} .rs-weak").first).to_have_text("svag träff")
            expect(page.get_by_text("Ingen bra träff: alla passager")).to_be_visible()
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "sok-med-chips.png"))

            chip = page.locator(f'{MAIN} [class*="st-key-sok-chip-"]').filter(
                has=page.locator(".rs-qchip", has_text="Kommun: Ragunda kommun")
            )
            chip.get_by_role("button", name="✕").click()
            dropped = re.compile(r"ignorera=kommun(:|%3A)Ragunda")
            expect(page).to_have_url(dropped, timeout=RESULT_MS)
            settle(page)
            expect(chips).to_have_text(["År: 2022"])
            assert parse_qs(urlsplit(page.url).query) == {
                "q": [query],
                "ignorera": [f"kommun:{RAGUNDA}"],
            }
            assert main_citations(page), "inga kort efter att chippet togs bort"
            page.screenshot(path=str(ARTIFACTS / "sok-chip-borttaget.png"))
        finally:
            context.close()


def test_recommendation_from_the_search_page_opens_with_its_answer(browser_page):
    from playwright.sync_api import expect

    page = browser_page
    open_results(page, url("/", q=f"rekommendationer om {QUERY}"))
    block = page.locator(f"{MAIN} .rs-recs")
    expect(block).to_be_visible()
    first = block.locator("a.rs-pdf").first
    href = first.get_attribute("href") or ""
    assert re.fullmatch(r"rekommendationer\?rek=rek-[0-9a-f]{12}", href), href

    # The link opens the Rekommendationer page with that recommendation's detail.
    first.click()
    expect(page).to_have_url(re.compile(r"/rekommendationer\?.*rek=rek-"), timeout=RESULT_MS)
    expect(page.get_by_role("heading", name="Nämndens svar")).to_be_visible(timeout=FIRST_RESULT_MS)
    page.wait_for_function(IDLE, timeout=RESULT_MS)
    chosen = parse_qs(urlsplit(page.url).query)["rek"]
    assert chosen == [href.split("rek=", 1)[1]]
    assert QUERY in page.locator(f"{MAIN} .rs-answer p").first.inner_text().casefold()

    # The table lists it among the others. Opening another one by clicking a row (drawn on a
    # canvas) is not tested here: synthetic clicks on the grid were not reliable under CI load.
    expect(page.locator(f'{MAIN} [data-testid="stDataFrame"]').first).to_be_visible()


def test_without_originals_no_pdf_is_linked_or_served(
    chromium_browser, corpus_index, corpus_searcher, tmp_path
):
    """`REVSOK_SERVE_ORIGINALS=0 revsok app`: the originals are not masked, so the cards show
    their pages without a link, and a PDF an earlier run published is not served either."""
    from search_app.core.pdf_files import publish_pdfs, search_roots
    from search_app.ui.resources import STATIC_DIR

    # A PDF left in the served folder by a run with the originals on.
    published = publish_pdfs(corpus_searcher.documents, STATIC_DIR, search_roots(REPO))
    assert published, "ingen PDF att pröva med"
    left_over = STATIC_DIR / "pdf" / next(iter(published.values()))

    settings = {"REVSOK_SERVE_ORIGINALS": "0"}
    with running_app(corpus_index, tmp_path, settings=settings) as base:
        context = chromium_browser.new_context(
            base_url=base, viewport={"width": 1400, "height": 1000}
        )
        try:
            page = context.new_page()
            open_results(page, url("/", q=QUERY))
            assert page.locator(f"{MAIN} a[href*='static/pdf']").count() == 0
            assert page.get_by_text("Öppna PDF").count() == 0
            # The citations keep their pages.
            cited = main_citations(page)
            assert cited and all(re.search(r"(?:s\.|PDF-s\.) \d+", c) for c in cited)
            response = page.request.get(f"{base}/app/static/pdf/{left_over.name}")
            served = response.headers.get("content-type", "").startswith("application/pdf")
            assert not (response.ok and served), "PDF:en serverades med REVSOK_SERVE_ORIGINALS=0"
        finally:
            context.close()
    assert left_over.is_file()


# ------------------------------------------------------------------------ Swedish throughout

# What Streamlit's own widgets say in English when the app leaves them be (placeholders, the file
# uploader, input hints, toolbar tooltips), and the keys of the eval report. None may show.
ENGLISH = (
    "Drag and drop",
    "Browse files",
    "Limit ",
    "per file",
    "Upload",
    "Choose an option",
    "Choose options",
    "No results",
    "Select all",
    " matches",
    "Press Enter",
    "Show/hide",
    "Download as",
    "Fullscreen",
    "Skip to",
    "queries",
    "recall@",
    "hit@",
    "mrr@",
    "ndcg@",
)
# Markup that reached the page as text instead of being rendered.
LITERAL_TAG = re.compile(
    r"</?(?:p|div|span|a|b|i|em|strong|mark|br|code|pre|ul|ol|li|table|tr|td|th|h[1-6])\b[^<>]*>"
)
# A file name is not prose: "queries.jsonl" is the eval set's name, not an English word.
FILE_NAME = re.compile(r"\S+\.(?:jsonl|pdf|txt|md)\b")

# The text a user sees under ``root``: text nodes that are rendered, have a size and are no icon
# (Streamlit's Material icons are ligatures such as "upload"). Visually hidden text (screen reader
# announcements, Streamlit's hidden English behind the Swedish ::after) has no size.
VISIBLE_TEXT = """root => {
    const seen = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const text = node.nodeValue.trim();
        const element = node.parentElement;
        if (text === '' || element === null) continue;
        if (element.closest('[data-testid="stIconMaterial"], style, script, noscript')) continue;
        if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const box = range.getBoundingClientRect();
        const own = element.getBoundingClientRect();
        if (box.width < 2 || box.height < 2 || own.width < 2 || own.height < 2) continue;
        seen.push(text);
    }
    return seen;
}"""

# The Swedish a CSS rule puts in place of Streamlit's English: the ::after content of an element.
AFTER = "e => getComputedStyle(e, '::after').content"

# The tooltip a toolbar button shows: its hidden English paragraph, by that English text.
TOOLTIP = """label => {
    const english = [...document.querySelectorAll('[data-testid="stTooltipContent"] p')]
        .find(p => p.textContent.trim() === label);
    if (english === undefined) return null;
    return {seen: english.innerText.trim(), after: getComputedStyle(english, '::after').content};
}"""


def visible_text(page, scope: str = "body") -> str:
    return "\n".join(page.locator(scope).first.evaluate(VISIBLE_TEXT))


def assert_swedish(page, where: str, scope: str = "body") -> None:
    """No English widget text and no literal markup among what the user sees."""
    text = visible_text(page, scope)
    prose = FILE_NAME.sub("", text)
    english = [phrase for phrase in ENGLISH if phrase in prose]
    assert not english, f"{where}: engelsk text syns: {english}"
    tags = LITERAL_TAG.findall(text)
    assert not tags, f"{where}: HTML-taggar syns som text: {tags}"
    # Table headers live in the grid's accessible table, not among the drawn text.
    headers = page.locator('[data-testid="stDataFrame"] [role="columnheader"]').all_text_contents()
    english = [h for h in headers if any(phrase in h for phrase in ENGLISH)]
    assert not english, f"{where}: tabellrubriker på engelska: {english}"


def after_text(locator) -> str:
    """The text an element's ::after shows ("none" when there is none)."""
    content = locator.evaluate(AFTER)
    match = re.match(r'"((?:[^"\\]|\\.)*)"', content)
    return match.group(1) if match else content


def assert_toolbar_tooltips_in_swedish(page, element) -> list[str]:
    """Hover each button over a table or chart: its tooltip is Swedish. Returns the labels."""
    from search_app.ui.style import TOOLBAR_TOOLTIPS

    container = element.locator("xpath=ancestor::*[@data-testid='stElementContainer'][1]")
    element.hover()
    buttons = container.locator('[data-testid="stElementToolbar"] button')
    buttons.first.wait_for(state="visible", timeout=RESULT_MS)
    labels = [b.get_attribute("aria-label") or "" for b in buttons.all()]
    for index, label in enumerate(labels):
        assert label in TOOLBAR_TOOLTIPS, f"knappen {label!r} har ingen svensk tooltip"
        buttons.nth(index).hover()
        shown = page.wait_for_function(TOOLTIP, arg=label, timeout=RESULT_MS).json_value()
        assert shown["seen"] == "", f"{label!r} syns på engelska"
        assert shown["after"] == f'"{TOOLBAR_TOOLTIPS[label]}"', shown
    page.mouse.move(0, 0)
    return labels


def _sok(page) -> None:
    open_results(page, url("/", q=QUERY, antal="3"))
    save_screenshot(page, "sok")
    assert_swedish(page, "Sök")
    skip = page.locator('[data-testid="stSkipToContent"]')
    assert after_text(skip) == "Hoppa till innehållet"

    # A query typed but not yet sent: the hint under the box.
    box = page.get_by_label("Fråga eller sökord")
    box.press("End")
    box.type(" i Ragunda")
    hint = page.locator('[data-testid="InputInstructions"] > span').first
    hint.wait_for(state="attached", timeout=RESULT_MS)
    assert after_text(hint) == "Tryck på Enter"
    assert_swedish(page, "Sök, fråga under inmatning")
    box.press("Escape")

    # A filter that matches nothing typed into: no "No results", no "Select all".
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Kommun").click()
    assert_swedish(page, "Sök, kommunlistan öppen")
    page.keyboard.type("zzzz")
    empty = page.locator('[role="listbox"][data-empty="true"] [role="option"] > span')
    empty.wait_for(state="attached", timeout=RESULT_MS)
    assert after_text(empty) == "Inga träffar"
    assert_swedish(page, "Sök, kommun som inte finns")
    page.keyboard.press("Escape")


def _jamfor(page) -> None:
    from playwright.sync_api import expect

    page.goto(url("/jamfor", q=QUERY, kommun=[RAGUNDA, PITEA]))
    expect(page.locator(f"{MAIN} .rs-head").first).to_be_visible(timeout=FIRST_RESULT_MS)
    settle(page)
    save_screenshot(page, "jamfor")
    assert_swedish(page, "Jämför kommuner")


def _over_tid(page) -> None:
    from playwright.sync_api import expect

    page.goto(url("/over-tid", q="uppföljning av insatser"))
    expect(page.locator(f"{MAIN} .rs-head").first).to_be_visible(timeout=FIRST_RESULT_MS)
    settle(page)
    save_screenshot(page, "over-tid")
    assert_swedish(page, "Över tid")
    chart = page.locator(f'{MAIN} [data-testid="stVegaLiteChart"]').first
    assert "Fullscreen" in assert_toolbar_tooltips_in_swedish(page, chart)


def _rekommendationer(page) -> None:
    from playwright.sync_api import expect

    page.goto("/rekommendationer")
    table = page.locator(f'{MAIN} [data-testid="stDataFrame"]').first
    expect(table).to_be_visible(timeout=FIRST_RESULT_MS)
    page.wait_for_function(IDLE, timeout=RESULT_MS)
    # Open the first recommendation, so that its answer and follow-up show too.
    page.get_by_role("combobox", name="Visa en rekommendation").click()
    page.get_by_role("option").first.click()
    expect(page.get_by_role("heading", name="Nämndens svar")).to_be_visible(timeout=RESULT_MS)
    page.wait_for_function(IDLE, timeout=RESULT_MS)
    save_screenshot(page, "rekommendationer", cards=False)
    assert_swedish(page, "Rekommendationer")
    labels = assert_toolbar_tooltips_in_swedish(page, table)
    assert "Download as CSV" in labels


def _dokument(page) -> None:
    from playwright.sync_api import expect

    from search_app.core.uploads import MAX_UPLOAD_MB

    page.goto("/dokument")
    table = page.locator(f'{MAIN} [data-testid="stDataFrame"]').first
    expect(table).to_be_visible(timeout=FIRST_RESULT_MS)
    page.wait_for_function(IDLE, timeout=RESULT_MS)
    save_screenshot(page, "dokument", cards=False)
    assert_swedish(page, "Dokument")
    assert_toolbar_tooltips_in_swedish(page, table)

    # The upload area: its button and limit line, and what it says while a PDF is dragged over.
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    zone.scroll_into_view_if_needed()
    button = zone.locator(
        '[data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] p'
    )
    assert after_text(button) == "Välj filer"
    limit = page.locator('[data-testid="stFileUploaderDropzoneInstructions"] span')
    assert after_text(limit) == f"Högst {MAX_UPLOAD_MB} MB per fil · PDF"
    assert_swedish(page, "Dokument, uppladdningen", '[data-testid="stFileUploader"]')
    dragged = page.evaluate_handle(
        """() => {
            const transfer = new DataTransfer();
            transfer.items.add(new File(['%PDF-1.4'], 'rapport.pdf', {type: 'application/pdf'}));
            return transfer;
        }"""
    )
    zone.dispatch_event("dragenter", {"dataTransfer": dragged})
    overlay = zone.locator("> div:not([data-testid]) > span")
    overlay.wait_for(state="attached", timeout=RESULT_MS)
    assert after_text(overlay) == "Släpp filerna här"
    assert_swedish(page, "Dokument, fil som dras dit", '[data-testid="stFileUploader"]')
    zone.dispatch_event("dragleave", {"dataTransfer": dragged})

    # A file that is not a PDF is refused (in the browser, nothing is sent): the reason is Swedish.
    page.set_input_files(
        '[data-testid="stFileUploaderDropzoneInput"]',
        files=[{"name": "anteckningar.txt", "mimeType": "text/plain", "buffer": b"hej"}],
    )
    refused = page.locator('[data-testid="stFileChip"][aria-invalid="true"]')
    refused.hover()
    reason = page.locator('[data-testid="stTooltipErrorContent"]')
    # Attached, not "visible": the element is hidden, its ::after shows the Swedish.
    expect(reason).to_be_attached(timeout=RESULT_MS)
    expected = f"Filen kan inte läsas in: välj PDF-filer på högst {MAX_UPLOAD_MB} MB."
    assert after_text(reason) == expected
    assert_swedish(page, "Dokument, fil som inte är en PDF")
    refused.get_by_role("button").click()


def _utvardering(page) -> None:
    from playwright.sync_api import expect

    page.goto("/utvardering")
    run = page.get_by_role("button", name="Kör utvärderingen")
    expect(run).to_be_visible(timeout=FIRST_RESULT_MS)
    page.wait_for_function(IDLE, timeout=RESULT_MS)
    assert_swedish(page, "Utvärdering")
    run.click()
    expect(page.get_by_role("heading", name="Mått per sökläge")).to_be_visible(timeout=300_000)
    page.wait_for_function(IDLE, timeout=300_000)
    headers = page.locator(f'{MAIN} [data-testid="stDataFrame"] [role="columnheader"]')
    expect(headers.filter(has_text="Frågor").first).to_be_attached(timeout=RESULT_MS)
    save_screenshot(page, "utvardering", cards=False)
    assert_swedish(page, "Utvärdering, körd")
    chart = page.locator(f'{MAIN} [data-testid="stVegaLiteChart"]').first
    assert_toolbar_tooltips_in_swedish(page, chart)

    # The other tab: judging a question of one's own.
    page.get_by_role("tab", name="Bedöm en egen fråga").click()
    box = page.get_by_label("Fråga att bedöma")
    box.fill("ej verkställda beslut")
    box.press("Enter")
    expect(page.get_by_text("passager bedömda.")).to_be_visible(timeout=RESULT_MS)
    page.wait_for_function(IDLE, timeout=RESULT_MS)
    assert_swedish(page, "Utvärdering, bedöm en egen fråga")


PAGES = {
    "sok": _sok,
    "jamfor": _jamfor,
    "over-tid": _over_tid,
    "rekommendationer": _rekommendationer,
    "dokument": _dokument,
    "utvardering": _utvardering,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_speaks_swedish(browser_page, name):
    """Every page, with hits, the upload area and the evaluation's tabs and tables: no English
    from Streamlit's own widgets and no markup shown as text. With REVSOK_SCREENSHOTS set, this
    is also where the README's screenshot of each page is taken."""
    PAGES[name](browser_page)
