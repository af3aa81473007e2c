"""Password and PIN rules: the guesses people make first are refused, with the reason."""

from __future__ import annotations

import pytest

from desktop.services.admin.users import password_problems, pin_problems


@pytest.mark.parametrize(
    "password", ["Password1!", "P@ssw0rd2024", "Welcome123!", "Wrenchbook#1", "qwerty12345!"]
)
def test_common_word_with_digits_and_symbols_is_refused(password):
    assert any("common word" in p for p in password_problems(password, "tom"))


@pytest.mark.parametrize("password", [" correct-horse-1", "correct-horse-1 ", "\tcorrect-horse-1"])
def test_whitespace_padded_password_is_refused(password):
    assert "no spaces at the start or end" in password_problems(password, "tom")


@pytest.mark.parametrize("password", ["correct-horse-1", "gland packing 7", "Pump-Seal-4711"])
def test_a_passphrase_is_accepted(password):
    assert password_problems(password, "tom") == []


@pytest.mark.parametrize("pin", ["1212", "2580", "0852", "123123", "1010", "6969", "454545"])
def test_patterned_pins_are_refused(pin):
    assert pin_problems(pin)


@pytest.mark.parametrize("pin", ["4821", "7305", "5038", "73194628"])
def test_unpatterned_pins_are_accepted(pin):
    assert pin_problems(pin) == []
