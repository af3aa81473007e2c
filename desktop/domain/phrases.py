"""English sentences that keep their figures apart, so a screen can say them in its language.

A service that explains a figure in words ("132 assets; calendar hours less downtime") returns a
`Phrase`: it *is* the English text (a `str`, so the CLI, the exports and the tests use it as
before), and it also remembers its template and figures. The desktop app translates the template
with Qt and formats the figures with the user's locale (`ui.i18n.say`); `desktop/` stays free of
Qt and of any language but English.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Amount:
    """A number in a phrase and how many decimals it is shown with."""

    value: float
    decimals: int = 0

    def english(self) -> str:
        return f"{self.value:,.{self.decimals}f}"


class Phrase(str):
    """`template` filled with `values` (Amounts or nested Phrases), in English."""

    template: str
    values: dict[str, Amount | Phrase]

    def __new__(cls, template: str, **values: Amount | Phrase) -> Phrase:
        english = {
            name: value.english() if isinstance(value, Amount) else str(value)
            for name, value in values.items()
        }
        phrase = super().__new__(cls, template.format(**english))
        phrase.template = template
        phrase.values = values
        return phrase

    def __reduce__(self) -> tuple[object, ...]:
        # str's own reduction would rebuild from the English text alone and lose the figures.
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict[str, Amount | Phrase]) -> Phrase:
    return Phrase(template, **values)
