"""Validators shared by forms, models and imports. Messages are shown to users: translated."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
NTIS_OLD = re.compile(r"^\d{10}$")
NTIS_NEW = re.compile(r"^RS-(\d{4})-\d{8}$")


def normalise_business_number(value: str) -> str:
    """Digits only: '124-81-00998' -> '1248100998'."""
    return re.sub(r"[\s-]", "", value or "")


def business_number_is_valid(value: str) -> bool:
    """Check digit of a 사업자등록번호 (weights 1,3,7,1,3,7,1,3,5 plus ⌊9th×5/10⌋)."""
    digits = normalise_business_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    nums = [int(c) for c in digits]
    total = sum(n * w for n, w in zip(nums[:9], BRN_WEIGHTS, strict=True))
    total += (nums[8] * 5) // 10
    return (10 - total % 10) % 10 == nums[9]


def format_business_number(value: str) -> str:
    digits = normalise_business_number(value)
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else value


def validate_business_number(value: str) -> None:
    digits = normalise_business_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(
            _("A business registration number has 10 digits, written like 123-45-67890."),
            code="brn_format",
        )
    if not business_number_is_valid(digits):
        raise ValidationError(
            _("This business registration number is not valid: its check digit does not match."),
            code="brn_checksum",
        )


def validate_ntis_number(value: str) -> None:
    """NTIS project numbers: 10 digits (older system) or RS-YYYY-NNNNNNNN (since 2022)."""
    value = (value or "").strip()
    if NTIS_OLD.fullmatch(value):
        return
    match = NTIS_NEW.fullmatch(value)
    if match and 2022 <= int(match.group(1)) <= 2099:
        return
    raise ValidationError(
        _("An NTIS project number has 10 digits (e.g. 1711123456) or the form RS-2024-12345678."),
        code="ntis_format",
    )


def validate_trl(value: int) -> None:
    if value is None or not 1 <= int(value) <= 9:
        raise ValidationError(_("Technology readiness level runs from 1 to 9."), code="trl_range")
