"""A Phrase reads as English text and keeps its template and figures for the screen."""

from __future__ import annotations

import copy
import json
import pickle

from desktop.domain.phrases import Amount, Phrase, Sentence


def test_a_phrase_is_its_english_text_with_grouped_figures() -> None:
    basis = Phrase("calendar hours less downtime")
    note = Phrase("{assets} assets; {basis}", assets=Amount(1234), basis=basis)
    assert note == "1,234 assets; calendar hours less downtime"
    assert json.dumps({"note": note}) == '{"note": "1,234 assets; calendar hours less downtime"}'
    assert note.template == "{assets} assets; {basis}"
    assert note.values["basis"] is basis


def test_a_copied_or_pickled_phrase_keeps_its_figures() -> None:
    note = Phrase("of {hours} labour hours", hours=Amount(478.25, 1))
    for again in (copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert again == "of 478.2 labour hours"
        assert isinstance(again, Phrase)
        assert again.values == {"hours": Amount(478.25, 1)}


def test_a_sentence_is_its_phrase_capitalised_with_a_full_stop_and_keeps_it() -> None:
    phrase = Phrase("cannot connect to {endpoint}", endpoint="opc.tcp://plc:4840")
    sentence = Sentence(phrase)
    assert sentence == "Cannot connect to opc.tcp://plc:4840."
    assert (sentence.template, sentence.values) == (phrase.template, phrase.values)
    for again in (copy.deepcopy(sentence), pickle.loads(pickle.dumps(sentence))):
        assert again == sentence
        assert isinstance(again, Sentence)
