"""What a survey seals (docs/anonymity.md): a respondent's draft, his submitted ballot and a
target's aggregate. Each is compact JSON padded to a width fixed by the questionnaire alone, so
the sealed length says nothing about what or how much was answered; each is bound to where it
is stored (the invitation, the survey, the target), so a value copied elsewhere does not open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import cast

from storage.sealing import Sealer, compact, padded, unpadded

Layout = Mapping[str, Sequence[str]]
"""A questionnaire as sealing needs it: per item, the option codes it offers."""

Totals = dict[str, tuple[int, int]]

_LARGEST_ID = 10**18  # wider than any row id, for the fixed width of a ballot
_LARGEST_COUNT = 10**7  # wider than any sum of points or answers of one target


def _answers_width(layout: Layout) -> int:
    longest = {item: max(options, key=len) for item, options in layout.items()}
    return len(compact(longest))


def seal_draft(sealer: Sealer, invitation_id: int, answers: Mapping[str, str],
               layout: Layout) -> bytes:
    return sealer.seal(padded(dict(answers), _answers_width(layout)),
                       b"draft:%d" % invitation_id)


def open_draft(sealer: Sealer, invitation_id: int, sealed: bytes) -> dict[str, str]:
    return cast("dict[str, str]", unpadded(sealer.open(sealed, b"draft:%d" % invitation_id)))


@dataclass(frozen=True, slots=True)
class Ballot:
    """One submitted questionnaire: about which target, whether it is the self-assessment, and
    the answers (item -> option code)."""

    target_id: int
    is_self: bool
    answers: dict[str, str]


def _ballot_width(layout: Layout) -> int:
    return _answers_width(layout) + len(compact({"a": {}, "s": 1, "t": _LARGEST_ID}))


def seal_ballot(sealer: Sealer, survey_id: int, ballot: Ballot, layout: Layout) -> bytes:
    value = {"a": ballot.answers, "s": int(ballot.is_self), "t": ballot.target_id}
    return sealer.seal(padded(value, _ballot_width(layout)), b"ballot:%d" % survey_id)


def open_ballot(sealer: Sealer, survey_id: int, sealed: bytes) -> Ballot:
    value = cast("dict[str, object]", unpadded(sealer.open(sealed, b"ballot:%d" % survey_id)))
    return Ballot(cast("int", value["t"]), bool(value["s"]),
                  cast("dict[str, str]", value["a"]))


def _result_width(keys: Iterable[str]) -> int:
    largest = {key: [_LARGEST_COUNT, _LARGEST_COUNT] for key in keys}
    return len(compact({"o": largest, "s": largest}))


def seal_result(sealer: Sealer, target_id: int, others: Totals, own: Totals,
                keys: Iterable[str]) -> bytes:
    """A target's aggregate: colleagues' totals and the self-assessment's, per total key
    (``keys``: every key the questionnaire's tally can produce)."""
    value = {"o": {k: list(v) for k, v in others.items()},
             "s": {k: list(v) for k, v in own.items()}}
    return sealer.seal(padded(value, _result_width(keys)), b"result:%d" % target_id)


def open_result(sealer: Sealer, target_id: int, sealed: bytes) -> tuple[Totals, Totals]:
    value = cast("dict[str, dict[str, list[int]]]",
                 unpadded(sealer.open(sealed, b"result:%d" % target_id)))
    return ({k: (v[0], v[1]) for k, v in value["o"].items()},
            {k: (v[0], v[1]) for k, v in value["s"].items()})
