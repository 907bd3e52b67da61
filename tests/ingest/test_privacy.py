from ingest.privacy import mask_personal_numbers


def test_personnummer_are_masked_keeping_length():
    text = "Beslut för 19850312-1234 och 850312-1234, samordningsnr 850372-1234."
    masked, count = mask_personal_numbers(text)
    assert count == 3
    assert len(masked) == len(text)
    assert "1234" not in masked
    assert "XXXXXXXX-XXXX" in masked and "XXXXXX-XXXX" in masked


def test_dnr_dates_and_amounts_are_left_alone():
    text = "Dnr SOC/2022-000030, Dnr 2022-000045 1.1.2.1, den 2022-03-11, telefon 0611-348000"
    masked, count = mask_personal_numbers(text)
    assert count == 0
    assert masked == text


def test_impossible_dates_are_not_personnummer():
    _masked, count = mask_personal_numbers("Kod 991399-1234")
    assert count == 0
