"""Who may read evaluation results (Typical cl. 14, justice cl. 26).

The Typical methodology keeps results confidential, disclosed only «in the line of duty»: the
personnel service organises the evaluation, so every HR officer reads them. The justice order
names the readers: the evaluatee, his evaluator, the *head* of the personnel service and the
participants of the calibration sessions — an ordinary HR officer is not among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class HrReaders(StrEnum):
    """Who in the personnel service reads every result (``confidentiality.hr_readers``)."""

    HEAD = "head"  # its head only (justice cl. 26; roster role hr_head)
    SERVICE = "service"  # every HR officer (Typical cl. 14: the service's duty)


@dataclass(frozen=True, slots=True)
class Confidentiality:
    """The methodology's ``[confidentiality]`` table: the HR circle of results."""

    clause: str = ""  # absent table: the law names no circle (the older model)
    hr_readers: HrReaders = HrReaders.SERVICE

    @property
    def heads_only(self) -> bool:
        return self.hr_readers == HrReaders.HEAD

    def hr_reads(self, *, hr: bool, hr_head: bool) -> bool:
        """Whether this member of the personnel service reads everyone's results, scores and
        grades (the quarter's export, the annual workbook, calibration protocols, 360
        reports): the head always, the other officers where the service reads them."""
        return hr_head or (hr and not self.heads_only)
