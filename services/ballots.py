"""What a survey seals (docs/anonymity.md): a respondent's draft, his submitted ballot and a
target's aggregate. Answers are written as one character per item of the questionnaire (the
option's place, "-" for none yet), so every draft and every ballot of a questionnaire has the
same length whatever and however much was answered; an aggregate is padded to a width fixed by
the questionnaire alone. Each is bound to where it is stored (the invitation, the survey, the
target), so a value copied elsewhere does not open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

from storage.sealing import Sealer, compact, padded, unpadded

Layout = Mapping[str, Sequence[str]]
"""A questionnaire as sealing needs it: per item, in order, the option codes it offers."""

Totals = dict[str, tuple[int, int]]

_NONE = "-"  # an item not answered yet
_LARGEST_COUNT = 10**7  # wider than any sum of points or answers of one target


def _encoded(answers: Mapping[str, str], layout: Layout) -> str:
    if any(len(options) > 10 for options in layout.values()):
        raise ValueError("an item offers more than ten options")
    return "".join(str(options.index(answers[item])) if item in answers else _NONE
                   for item, options in layout.items())


def _decoded(code: str, layout: Layout) -> dict[str, str]:
    return {item: options[int(c)] for (item, options), c in zip(layout.items(), code,
                                                                 strict=True) if c != _NONE}


def seal_draft(sealer: Sealer, invitation_id: int, answers: Mapping[str, str],
               layout: Layout) -> bytes:
    return sealer.seal(_encoded(answers, layout).encode(), b"draft:%d" % invitation_id)


def open_draft(sealer: Sealer, invitation_id: int, sealed: bytes,
               layout: Layout) -> dict[str, str]:
    return _decoded(sealer.open(sealed, b"draft:%d" % invitation_id).decode(), layout)


@dataclass(frozen=True, slots=True)
class Ballot:
    """One submitted questionnaire: about which target, whether it is the self-assessment, and
    the answers (item -> option code)."""

    target_id: int
    is_self: bool
    answers: dict[str, str]


_TARGET_DIGITS = 18  # a target id, zero-padded to one width


def seal_ballot(sealer: Sealer, survey_id: int, ballot: Ballot, layout: Layout) -> bytes:
    """Self flag, target and answers as one fixed-width line of digits."""
    line = f"{int(ballot.is_self)}{ballot.target_id:0{_TARGET_DIGITS}d}" + \
        _encoded(ballot.answers, layout)
    return sealer.seal(line.encode(), b"ballot:%d" % survey_id)


def open_ballot(sealer: Sealer, survey_id: int, sealed: bytes) -> tuple[int, bool, str]:
    """The target, whether it is the self-assessment, and the answers still encoded (see
    ``counted``)."""
    line = sealer.open(sealed, b"ballot:%d" % survey_id).decode()
    return int(line[1:1 + _TARGET_DIGITS]), line[0] == "1", line[1 + _TARGET_DIGITS:]


def counted(encoded: Iterable[str], layout: Layout) -> dict[tuple[str, str], int]:
    """How many of these ballots chose each option of each item: (item, option) -> count."""
    found: dict[tuple[str, str], int] = {}
    for (item, options), column in zip(layout.items(), zip(*encoded, strict=True),
                                       strict=False):
        for c, n in Counter(column).items():
            if c != _NONE:
                found[(item, options[int(c)])] = n
    return found


@cache
def _result_width(keys: tuple[str, ...]) -> int:
    largest = {key: [_LARGEST_COUNT, _LARGEST_COUNT] for key in keys}
    return len(compact({"o": largest, "s": largest}))


def seal_result(sealer: Sealer, target_id: int, others: Totals, own: Totals,
                keys: Iterable[str]) -> bytes:
    """A target's aggregate: colleagues' totals and the self-assessment's, per total key
    (``keys``: every key the questionnaire's tally can produce)."""
    value = {"o": {k: list(v) for k, v in others.items()},
             "s": {k: list(v) for k, v in own.items()}}
    return sealer.seal(padded(value, _result_width(tuple(keys))), b"result:%d" % target_id)


def open_result(sealer: Sealer, target_id: int, sealed: bytes) -> tuple[Totals, Totals]:
    value = cast("dict[str, dict[str, list[int]]]",
                 unpadded(sealer.open(sealed, b"result:%d" % target_id)))
    return ({k: (v[0], v[1]) for k, v in value["o"].items()},
            {k: (v[0], v[1]) for k, v in value["s"].items()})


