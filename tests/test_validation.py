"""The shared input rules of clinic.validation, used by every form and API schema."""

from datetime import date

from clinic.validation import date_window, is_storable_text


def test_the_date_window_is_five_years_back_and_two_ahead_even_from_a_leap_day():
    assert date_window(date(2026, 12, 4)) == (date(2021, 12, 4), date(2028, 12, 4))
    assert date_window(date(2028, 2, 29)) == (date(2023, 2, 28), date(2030, 2, 28))


def test_text_with_a_nul_or_a_lone_surrogate_is_not_storable_and_other_text_is():
    assert not is_storable_text("a\x00b")
    assert not is_storable_text("a\udfffb")
    assert is_storable_text("Łódź, 東京, emoji 🙂, tabs\tand\nnewlines")
