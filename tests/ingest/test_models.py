"""Pages of a slice of cleaned text: the pages holding any of its non-blank characters."""

from __future__ import annotations

from ingest.models import CleanedText, PageSpan

# Three pages of text, an empty page between the second and the third, as cleaning joins them.
TEXT = "sida ett\n\nsida två\n\nsida tre"
PAGES = (
    PageSpan(1, 0, 8, "1"),
    PageSpan(2, 10, 18, "2"),
    PageSpan(3, 18, 18, None),
    PageSpan(4, 20, 28, "3"),
)


def _numbers(cleaned: CleanedText, start: int, end: int) -> list[int]:
    return [page.number for page in cleaned.pages_between(start, end)]


def test_pages_between_finds_the_pages_of_a_slice():
    cleaned = CleanedText(TEXT, PAGES)
    assert _numbers(cleaned, 0, 8) == [1]
    assert _numbers(cleaned, 0, len(TEXT)) == [1, 2, 3, 4]
    assert _numbers(cleaned, 5, 14) == [1, 2]
    assert _numbers(cleaned, 8, 12) == [2]  # blank space before the slice's text does not count
    assert _numbers(cleaned, 12, 22) == [2, 3, 4]  # an empty page inside the slice counts
    assert _numbers(cleaned, 18, 20) == [4]  # only blank space: the page after it
    assert _numbers(cleaned, 27, 28) == [4]
    assert _numbers(cleaned, 19, 19) == []


def test_pages_between_answers_the_same_for_pages_out_of_order():
    ordered = CleanedText(TEXT, PAGES)
    shuffled = CleanedText(TEXT, (PAGES[2], PAGES[0], PAGES[3], PAGES[1]))
    for start in range(len(TEXT)):
        for end in range(start, len(TEXT) + 1):
            expected = sorted(_numbers(ordered, start, end))
            assert sorted(_numbers(shuffled, start, end)) == expected
