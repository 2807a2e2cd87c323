import pytest
from django.core.exceptions import ValidationError

from applications.validators import (
    business_number_is_valid,
    format_business_number,
    normalise_business_number,
    validate_business_number,
    validate_ntis_number,
    validate_trl,
)


def codes(exc_info) -> list[str]:
    return [e.code for e in exc_info.value.error_list]


# 사업자등록번호


@pytest.mark.parametrize("value", ["124-81-00998", "1248100998", "124 81 00998", " 124-81-00998 "])
def test_business_number_valid_in_every_usual_spelling(value):
    assert validate_business_number(value) is None
    assert business_number_is_valid(value) is True


@pytest.mark.parametrize("last", list("012345679"))
def test_business_number_with_wrong_check_digit_is_refused(last):
    with pytest.raises(ValidationError) as exc_info:
        validate_business_number(f"124-81-0099{last}")
    assert codes(exc_info) == ["brn_checksum"]
    assert business_number_is_valid(f"124810099{last}") is False


@pytest.mark.parametrize("value", ["124-81-0099", "124-81-009981", "", "12481009", "abc-de-fghij"])
def test_business_number_of_wrong_length_or_not_digits_is_refused(value):
    with pytest.raises(ValidationError) as exc_info:
        validate_business_number(value)
    assert codes(exc_info) == ["brn_format"]


def test_business_number_check_digit_adds_the_ninth_digit_times_five():
    # 123-45-67891: weighted sum 165 plus ⌊9×5/10⌋ = 4 gives 169, check digit 1. Leaving the
    # ⌊×5/10⌋ term out would give 5, so 123-45-67895 must be refused.
    assert business_number_is_valid("123-45-67891") is True
    assert business_number_is_valid("123-45-67895") is False
    # A ninth digit of 1 adds nothing: ⌊1×5/10⌋ = 0.
    assert business_number_is_valid("220-81-62517") is True


def test_business_number_normalise_and_format():
    assert normalise_business_number("124-81 00998") == "1248100998"
    assert format_business_number("1248100998") == "124-81-00998"
    assert format_business_number("12345") == "12345"


# NTIS project numbers


@pytest.mark.parametrize(
    "value", ["1711123456", "RS-2024-12345678", "RS-2022-00000001", " 1711123456 "]
)
def test_ntis_number_valid(value):
    assert validate_ntis_number(value) is None


@pytest.mark.parametrize(
    "value",
    [
        "RS-2019-12345678",  # the RS- numbering starts in 2022
        "RS-2021-12345678",
        "RS-2024-1234567",  # seven digits
        "RS-2024-123456789",
        "rs-2024-12345678",
        "171112345",  # nine digits
        "17111234567",
        "1711-123456",
        "garbage",
        "",
    ],
)
def test_ntis_number_invalid_is_refused(value):
    with pytest.raises(ValidationError) as exc_info:
        validate_ntis_number(value)
    assert codes(exc_info) == ["ntis_format"]


# Technology readiness level


@pytest.mark.parametrize("value", [1, 5, 9])
def test_trl_within_one_to_nine(value):
    assert validate_trl(value) is None


@pytest.mark.parametrize("value", [0, 10, -1, None])
def test_trl_outside_one_to_nine_is_refused(value):
    with pytest.raises(ValidationError) as exc_info:
        validate_trl(value)
    assert codes(exc_info) == ["trl_range"]
