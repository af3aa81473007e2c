"""English sentences that keep their figures apart, so a screen can say them in its language.

A service that explains a figure in words ("132 assets; calendar hours less downtime") returns a
`Phrase`: it *is* the English text (a `str`, so the CLI, the exports and the tests use it as
before), and it also remembers its template and figures. The desktop app translates the template
with Qt and formats the figures with the user's locale (`ui.i18n.say`); `desktop/` stays free of
Qt and of any language but English.

Refusals and validation messages are Phrases too (`raise NotFound(Phrase("no asset {code}",
code=code))`): the app shows them in the user's language, the CLI prints the English. Their
values are Amounts (numbers the locale formats), nested Phrases, Listings, dates (ISO in
English, the locale's date on a German screen), or anything else, shown as it is (codes, names,
file names); a StrEnum value (a status, a role) is shown as the app's word for it.
`tools/engine_texts.py` lists the templates for the translators.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Amount:
    """A number in a phrase and how many decimals it is shown with (None: as short as it goes,
    like `:g`: 3, 2.5, 0.125). `grouped=False` keeps the English without thousands separators
    where a message always had none (4096.0 MiB); the screen groups as its locale does."""

    value: float
    decimals: int | None = 0
    grouped: bool = True

    def english(self) -> str:
        if self.decimals is None:
            return f"{self.value:g}"
        return f"{self.value:{',' if self.grouped else ''}.{self.decimals}f}"


@dataclass(frozen=True)
class Listing:
    """Several texts in one place of a phrase ("at least 10 characters and no user name in
    it"), joined by `separator`; the screen says each item and the separator's word."""

    items: tuple[object, ...]
    separator: str = ", "

    def english(self) -> str:
        return self.separator.join(str(item) for item in self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def message_of(error: BaseException) -> str:
    """The text `error` was raised with: its Phrase when it was raised with one (`str(error)`
    gives the bare English), else its text."""
    first = error.args[0] if len(error.args) == 1 else None
    return first if isinstance(first, Phrase) else str(error)


class Phrase(str):
    """`template` filled with `values` (Amounts, Listings, nested Phrases, or texts shown as
    they are), in English."""

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Phrase:
        english = {
            name: value.english() if isinstance(value, Amount | Listing) else str(value)
            for name, value in values.items()
        }
        phrase = super().__new__(cls, template.format(**english))
        phrase.template = template
        phrase.values = values
        return phrase

    def __reduce__(self) -> tuple[object, ...]:
        # str's own reduction would rebuild from the English text alone and lose the figures.
        return (_rebuild, (self.template, self.values))


def _rebuild(template: str, values: dict[str, object]) -> Phrase:
    return Phrase(template, **values)


def as_sentence(text: str) -> str:
    """`text` as a sentence of its own: a capital first letter and a full stop at the end."""
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."


class Sentence(Phrase):
    """A phrase written as a sentence of its own ("Cannot connect to …." in a dialog, where the
    CLI's `error:` line shows the same phrase as it is); the screen says the phrase in its
    language, then makes a sentence of it."""

    def __new__(cls, phrase: Phrase) -> Sentence:
        sentence = str.__new__(cls, as_sentence(phrase))
        sentence.template = phrase.template
        sentence.values = phrase.values
        return sentence

    def __reduce__(self) -> tuple[object, ...]:
        return (Sentence, (Phrase(self.template, **self.values),))
