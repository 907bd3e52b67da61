"""Personnummer and samordningsnummer masked in every common form, and nothing else."""

import random

import pytest

from ingest.privacy import is_personal_number, luhn_valid, mask_personal_numbers


def test_luhn_against_known_numbers():
    assert luhn_valid("8112189876") and luhn_valid("1212121212")
    assert not luhn_valid("8112189875") and not luhn_valid("8503121234")


@pytest.mark.parametrize(
    "written",
    [
        "19811218-9876",
        "811218-9876",
        "811218+9876",
        "8112189876",
        "198112189876",
        "811218 9876",
        "811218 - 9876",
        "811278-9873",  # samordningsnummer: day + 60, its own check digit
    ],
)
def test_every_common_form_is_masked_keeping_length(written):
    text = f"Beslut om bistånd för {written}, verkställt."
    masked, count = mask_personal_numbers(text)
    assert count == 1
    assert len(masked) == len(text)
    assert not any(ch.isdigit() for ch in masked.split("för ")[1].split(",")[0])


def test_dnr_dates_amounts_phone_and_org_numbers_are_left_alone():
    text = (
        "Dnr SOC/2022-000030, Dnr 2022-000045 1.1.2.1, den 2022-03-11, telefon 0611-348000, "
        "070-123 45 67, 1 234 567 kr, 2 500 000,50 kr, org.nr 212000-2411, SOSFS 2011:9, "
        "811218-9875 (fel kontrollsiffra)"
    )
    masked, count = mask_personal_numbers(text)
    assert count == 0
    assert masked == text


def test_impossible_dates_are_not_personnummer():
    assert not is_personal_number("991399", "1234")
    assert mask_personal_numbers("Kod 991399-1234")[1] == 0


def _with_check(first_nine: str) -> str:
    """The ten digits whose last one makes the Luhn check hold."""
    return next(first_nine + c for c in "0123456789" if luhn_valid(first_nine + c))


def _random_numbers(rng: random.Random, valid: bool, count: int) -> list[str]:
    out = []
    while len(out) < count:
        year = rng.randint(1920, 2024)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        if rng.random() < 0.1:
            day += 60  # samordningsnummer
        first_nine = f"{year % 100:02d}{month:02d}{day:02d}{rng.randint(0, 999):03d}"
        digits = _with_check(first_nine)
        if not valid:  # one wrong check digit: the commonest slip, and what Luhn is for
            digits = digits[:9] + str((int(digits[9]) + rng.randint(1, 9)) % 10)
        form = rng.choice(["{c}{d}-{n}", "{d}-{n}", "{d}{n}", "{c}{d}{n}", "{d} {n}", "{d}+{n}"])
        out.append(form.format(c=str(year)[:2], d=digits[:6], n=digits[6:]))
    return out


def test_ten_thousand_generated_numbers_none_leaks_and_few_false_alarms():
    rng = random.Random(20261127)
    valid = _random_numbers(rng, True, 10_000)
    invalid = _random_numbers(rng, False, 10_000)
    text = " ".join(f"Beslut {i} gäller {n}." for i, n in enumerate(valid))
    masked, count = mask_personal_numbers(text)
    assert count == 10_000
    assert not any(n in masked for n in valid)
    false_text = " ".join(f"Ärende {i} avser {n}." for i, n in enumerate(invalid))
    _, false_alarms = mask_personal_numbers(false_text)
    assert false_alarms / 10_000 <= 0.001


def test_file_names_are_masked_after_any_separator_and_only_valid_numbers():
    from ingest.privacy import mask_personal_numbers_in_name

    assert mask_personal_numbers_in_name("klient-8507168857.txt") == "klient-XXXXXXXXXX.txt"
    assert mask_personal_numbers_in_name("beslut_198506157745.pdf") == "beslut_XXXXXXXXXXXX.pdf"
    assert mask_personal_numbers_in_name("arkiv/19850615-7745 beslut.pdf") == (
        "arkiv/XXXXXXXX-XXXX beslut.pdf"
    )
    for kept in ("klient-8507168850.txt", "dnr-2022-000055.pdf", "faktura-20230115-0042.pdf"):
        assert mask_personal_numbers_in_name(kept) == kept
