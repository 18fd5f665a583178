"""Calibration sessions (Typical cl. 11, 19–24): the servant's request, the official's panel,
the written arguments, the rounds of votes, the protocol and the feedback meeting.

Each intent is one function: it refuses with ``Rejected(Reason)`` (nothing changed), asks
``scoring`` for every rule (the request window, the panel's composition, the majority, the
corrected score, the deadlines) and enqueues its notices in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from scoring import CalibrationRules, PanelMember, Parameter, majority_score, panel_problems
from scoring.calibration import corrected_score, propose_panel
from storage import calibration as calibrations
from storage import evaluation, org
from storage.calibration import Attachment, Calibration, CalibrationStatus, Candidate, Side
from storage.evaluation import Sheet
from storage.models import Servant

from .confidentiality import hr_readers, hr_reads
from .context import Context
from .errors import Reason, Rejected
from .notices import NoticeKind
from .results import Result, own_result, result_of

__all__ = [
    "MAX_DOCUMENTS", "MAX_TEXT", "Approval", "Attachment", "Calibration", "CalibrationStatus",
    "Feedback", "Materials", "PanelInvalid", "Protocol", "ProtocolFacts", "Review", "Session",
    "Side",
    "VoteOutcome", "Voted", "approve_panel", "argument_side", "attach_document",
    "cast_vote", "check_text", "choose_panel", "file_request", "hold_feedback", "materials",
    "open_ballot", "open_request", "post_protocol", "propose_other", "protocol_of",
    "require_appointing", "review", "save_argument", "session", "voting_open",
    "voting_opens_on", "window_for_notice",
]

MAX_TEXT = 3000  # a statement or an argument, in characters
MAX_DOCUMENTS = 10  # attached to a request

APPOINTING = "appointing"  # the official with the right of appointment (cl. 11, 20)
HR = "hr"


class PanelInvalid(Exception):
    """The proposed panel breaks a rule of cl. 20: ``problems`` are ``PanelProblem`` codes
    (and ``"unknown_member"`` for a personnel number that is no active servant)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__(", ".join(problems))
        self.problems = tuple(problems)


class VoteOutcome(StrEnum):
    COUNTED = "counted"
    REVOTE = "revote"  # the round was complete with no majority: the next one starts
    DECIDED = "decided"  # the round was complete with a majority


@dataclass(frozen=True, slots=True)
class Session:
    """A calibration with the sheet it reviews and the votes cast in its current round."""

    calibration: Calibration
    sheet: Sheet
    voted: int = 0

    @property
    def evaluators(self) -> list[int]:
        """Whose score is under review: the evaluator and, if the sheet was handed over,
        the one it was routed to."""
        return sorted({self.sheet.evaluator_id, self.sheet.routed_evaluator_id})


@dataclass(frozen=True, slots=True)
class Review:
    """A request as the official reviews it, with the panel proposed or typed."""

    session: Session
    panel: tuple[int, ...]
    names: dict[int, str]
    can_approve: bool


@dataclass(frozen=True, slots=True)
class Approval:
    calibration: Calibration
    approved: bool  # False: it already was (a double tap, or another official)


@dataclass(frozen=True, slots=True)
class Materials:
    """What the panel reads (cl. 23): the sheet, the statement and both arguments."""

    session: Session
    parameters: tuple[Parameter, ...]
    may_vote: bool


@dataclass(frozen=True, slots=True)
class Voted:
    value: Decimal
    counted: bool  # False: he had already voted in this round
    outcome: VoteOutcome
    round: int  # the round the vote was cast in


@dataclass(frozen=True, slots=True)
class Feedback:
    done: bool  # False: it was already noted
    held_on: date


@dataclass(frozen=True, slots=True)
class ProtocolFacts:
    """What the protocol of a decided session states (cl. 23)."""

    body: str
    servant: str
    position: str
    quarter: tuple[int, int]  # (year, number)
    requested_on: date
    decided_on: date
    original: Decimal
    final: Decimal
    members: tuple[str, ...]
    evaluator: str
    evaluator_argument: str | None
    appellant_argument: str | None
    statement: str
    rounds: tuple[tuple[int, tuple[tuple[str, Decimal], ...]], ...]  # round -> (member, score)
    documents: tuple[str, ...] = ()  # the names of the files attached to the request
    session_due: date | None = None  # cl. 21; a later decision is recorded as late


@dataclass(frozen=True, slots=True)
class Protocol:
    session: Session
    facts: ProtocolFacts


# ------------------------------------------------------------------ reading
async def session(ctx: Context, calibration_id: int) -> Session | None:
    """The calibration and its sheet, if there is such a calibration."""
    async with ctx.reading() as conn:
        found = await calibrations.get(conn, calibration_id)
        if found is None:
            return None
        sheet = await evaluation.sheet(conn, found.sheet_id)
        voted = await calibrations.votes(conn, found.id, found.round)
    assert sheet is not None  # a calibration references its sheet
    return Session(found, sheet, len(voted))


async def _session(ctx: Context, calibration_id: int) -> Session:
    found = await session(ctx, calibration_id)
    if found is None:
        raise Rejected(Reason.OUT_OF_DATE)
    return found


def _rules(ctx: Context) -> CalibrationRules:
    rules = ctx.methodology.calibration
    if rules is None:  # a calibration exists only under a methodology that has them
        raise Rejected(Reason.OUT_OF_DATE)
    return rules


async def window_for_notice(ctx: Context, sheet_id: int) -> Result | None:
    """The result whose request window closes soon (cl. 11), unless a session was requested
    or the window has not started."""
    async with ctx.reading() as conn:
        sheet = await evaluation.sheet(conn, sheet_id)
    if sheet is None:
        return None
    result = await result_of(ctx, sheet)
    if result.requested or result.window_days is None or result.deadline is None:
        return None
    return result


async def protocol_of(ctx: Context, calibration_id: int) -> Protocol | None:
    """The protocol of a decided session: the panel by name and every round's votes."""
    found = await session(ctx, calibration_id)
    if found is None or found.calibration.status != CalibrationStatus.DECIDED:
        return None
    calibration, sheet = found.calibration, found.sheet
    async with ctx.reading() as conn:
        body = await org.body(conn)
        names = await calibrations.servant_names(
            conn, {*calibration.members, sheet.evaluator_id})
        votes = await calibrations.all_votes(conn, calibration.id)
    assert calibration.decided_on is not None and calibration.final_score is not None
    rounds = tuple(
        (number, tuple((names[member], score) for r, member, score in votes if r == number))
        for number in sorted({r for r, _m, _s in votes}))
    return Protocol(found, ProtocolFacts(
        body=body.name, servant=sheet.evaluatee_name, position=sheet.evaluatee_position,
        quarter=(sheet.campaign.quarter.year, sheet.campaign.quarter.number),
        requested_on=calibration.requested_on, decided_on=calibration.decided_on,
        original=calibration.original_score, final=calibration.final_score,
        members=tuple(names[m] for m in calibration.members),
        evaluator=names[sheet.evaluator_id], evaluator_argument=calibration.evaluator_argument,
        appellant_argument=calibration.appellant_argument, statement=calibration.statement,
        rounds=rounds, documents=tuple(d.name for d in calibration.documents),
        session_due=calibration.session_due))


# ------------------------------------------------------------------ the servant's request
def _check_window(ctx: Context, result: Result) -> None:
    """A request is accepted once per result, within the window (cl. 11)."""
    if result.window_days is None:  # the methodology has no calibration at all
        raise Rejected(Reason.RESULT_NOT_YOURS)
    if result.requested:
        raise Rejected(Reason.CALIBRATION_REQUESTED)
    if result.deadline is None:
        raise Rejected(Reason.CALIBRATION_WINDOW_NOT_STARTED)
    if ctx.clock.today() > result.deadline:
        raise Rejected(Reason.CALIBRATION_WINDOW_CLOSED, deadline=result.deadline)


async def open_request(ctx: Context, servant: Servant, sheet_id: int) -> Sheet:
    """He may request a session on this result now: the sheet his statement is about."""
    result = await own_result(ctx, servant, sheet_id)
    _check_window(ctx, result)
    return result.sheet


def check_text(text: str) -> str:
    """A statement or an argument, trimmed, if it is not too long."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        raise Rejected(Reason.CALIBRATION_TEXT_TOO_LONG, length=len(text), limit=MAX_TEXT)
    return text


def attach_document(documents: Sequence[Attachment], file_id: str,
                    name: str) -> tuple[Attachment, ...]:
    """The request's documents with one more, if there is room."""
    if len(documents) >= MAX_DOCUMENTS:
        raise Rejected(Reason.CALIBRATION_TOO_MANY_DOCUMENTS, n=MAX_DOCUMENTS)
    return (*documents, Attachment(file_id, name))


async def file_request(ctx: Context, servant: Servant, sheet_id: int, statement: str,
                       documents: Sequence[Attachment]) -> Calibration:
    """File the request (cl. 11); the officials who appoint are asked to decide (cl. 20)."""
    result = await own_result(ctx, servant, sheet_id)
    _check_window(ctx, result)
    rules = _rules(ctx)
    statement = check_text(statement)
    async with ctx.transaction() as tx:
        if await calibrations.by_sheet(tx.conn, sheet_id) is not None:
            raise Rejected(Reason.CALIBRATION_REQUESTED)
        calibration_id = await calibrations.request(
            tx.conn, result.sheet, statement, list(documents), rules,
            ctx.calendar, at=tx.now, today=tx.today)
        officials = await calibrations.appointing_officials(tx.conn, tx.today)
        await tx.notify(NoticeKind.CALIBRATION_REQUEST, f"calibration:{calibration_id}",
                        officials, payload={"calibration": calibration_id})
        filed = await calibrations.get(tx.conn, calibration_id)
    assert filed is not None
    return filed


# ------------------------------------------------------------------ the official's decision
def require_appointing(roles: frozenset[str]) -> None:
    """Only the official with the right of appointment decides on a request (cl. 20)."""
    if APPOINTING not in roles:
        raise Rejected(Reason.CALIBRATION_APPOINTING_ONLY)


async def _candidates(ctx: Context, found: Session) -> list[Candidate]:
    async with ctx.reading() as conn:
        return await calibrations.candidates(conn, found.sheet.campaign.id, ctx.clock.today())


def _member(candidate: Candidate) -> PanelMember:
    return PanelMember(candidate.id, candidate.is_hr, candidate.is_evaluator)


async def _review(ctx: Context, found: Session, panel: Iterable[int], *,
                  can_approve: bool) -> Review:
    ids = tuple(panel)
    async with ctx.reading() as conn:
        names = await calibrations.servant_names(conn, ids)
    return Review(found, ids, names, can_approve)


async def review(ctx: Context, roles: frozenset[str], calibration_id: int) -> Review:
    """The request with the smallest panel the roster allows (empty if it allows none)."""
    found = await _session(ctx, calibration_id)
    require_appointing(roles)
    if found.calibration.status != CalibrationStatus.REQUESTED:
        raise Rejected(Reason.CALIBRATION_PANEL_APPROVED)
    proposal = propose_panel(_rules(ctx), [_member(c) for c in await _candidates(ctx, found)],
                             appellant=found.calibration.appellant_id,
                             evaluators=found.evaluators)
    return await _review(ctx, found, (int(m.id) for m in proposal), can_approve=bool(proposal))


async def choose_panel(ctx: Context, calibration_id: int, numbers: str) -> Review:
    """The panel the official typed as personnel numbers, if it follows cl. 20 (else
    ``PanelInvalid`` with every rule it breaks)."""
    found = await session(ctx, calibration_id)
    if found is None or found.calibration.status != CalibrationStatus.REQUESTED:
        raise Rejected(Reason.CALIBRATION_PANEL_APPROVED)
    by_number = {c.personnel_no: c for c in await _candidates(ctx, found)}
    typed = numbers.replace(",", " ").split()
    members = [_member(by_number[n]) for n in typed if n in by_number]
    problems = [p.code for p in panel_problems(_rules(ctx), members,
                                               appellant=found.calibration.appellant_id,
                                               evaluators=found.evaluators)]
    if len(members) != len(typed):
        problems.insert(0, "unknown_member")
    if problems:
        raise PanelInvalid(tuple(dict.fromkeys(problems)))
    return await _review(ctx, found, (int(m.id) for m in members), can_approve=True)


async def approve_panel(ctx: Context, official: Servant, roles: frozenset[str],
                        calibration_id: int, panel: Sequence[int]) -> Approval:
    """Hold the session with this panel (cl. 20): its members, the evaluator and the servant
    are told; ``approved`` is False if a panel already was."""
    found = await _session(ctx, calibration_id)
    if APPOINTING not in roles:
        raise Rejected(Reason.OUT_OF_DATE)
    rules = _rules(ctx)
    members = [_member(c) for c in await _candidates(ctx, found) if c.id in panel]
    problems = panel_problems(rules, members, appellant=found.calibration.appellant_id,
                              evaluators=found.evaluators)
    if problems or len(members) != len(panel):
        raise PanelInvalid(tuple(p.code for p in problems) or ("unknown_member",))
    calibration, ids = found.calibration, [int(m.id) for m in members]
    async with ctx.transaction() as tx:
        approved = await calibrations.approve_panel(tx.conn, calibration.id, official.id, ids,
                                                    at=tx.now)
        if approved:
            subject, payload = f"calibration:{calibration.id}", {"calibration": calibration.id}
            await tx.notify(NoticeKind.CALIBRATION_MEMBER, subject, ids, payload=payload)
            await tx.notify(NoticeKind.CALIBRATION_EVALUATOR, subject,
                            found.sheet.evaluator_id, payload=payload)
            await tx.notify(NoticeKind.CALIBRATION_APPROVED, subject, calibration.appellant_id,
                            payload=payload)
    return Approval(calibration, approved)


# ------------------------------------------------------------------ materials and arguments
def _may_read(found: Session, servant: Servant, roles: frozenset[str], *,
              hr_circle: bool) -> bool:
    """Results are confidential (cl. 14): the panel, the servant, his evaluators, the
    appointing official and HR only — HR as far as the methodology's circle goes (justice
    cl. 26: the head of the personnel service)."""
    calibration = found.calibration
    return (servant.id in calibration.members or servant.id == calibration.appellant_id
            or servant.id in found.evaluators or APPOINTING in roles or hr_circle)


async def materials(ctx: Context, servant: Servant, roles: frozenset[str],
                    calibration_id: int) -> Materials:
    found = await _session(ctx, calibration_id)
    async with ctx.reading() as conn:
        hr_circle = await hr_reads(ctx, conn, servant.id, hr=HR in roles)
    if not _may_read(found, servant, roles, hr_circle=hr_circle):
        raise Rejected(Reason.CALIBRATION_MATERIALS_CLOSED)
    calibration = found.calibration
    form = ctx.methodology.forms[found.sheet.form]
    return Materials(found, form.parameters, servant.id in calibration.members
                     and voting_open(ctx, calibration))


async def argument_side(ctx: Context, servant: Servant, calibration_id: int) -> Side:
    """Whom he argues for before the panel (cl. 23): the servant or his evaluator."""
    found = await _session(ctx, calibration_id)
    side = Side.APPELLANT if servant.id == found.calibration.appellant_id else \
        Side.EVALUATOR if servant.id in found.evaluators else None
    if side is None or found.calibration.status == CalibrationStatus.DECIDED:
        raise Rejected(Reason.CALIBRATION_MATERIALS_CLOSED)
    return side


async def save_argument(ctx: Context, servant: Servant, calibration_id: int, side: Side,
                        text: str) -> None:
    """His written argument, which the panel reads with the materials; the second one opens
    the vote before its time is up, and the members are told."""
    text = check_text(text)
    async with ctx.transaction() as tx:
        before = await calibrations.get(tx.conn, calibration_id)
        await calibrations.set_argument(tx.conn, calibration_id, side, text, at=tx.now,
                                        actor=f"servant:{servant.id}")
        after = await calibrations.get(tx.conn, calibration_id)
        if before is not None and after is not None and not voting_open(ctx, before) \
                and voting_open(ctx, after):
            await tx.notify(NoticeKind.CALIBRATION_VOTING_OPEN, f"calibration:{after.id}",
                            list(after.members), payload={"calibration": after.id})


# ------------------------------------------------------------------ voting
def voting_opens_on(ctx: Context, calibration: Calibration) -> date | None:
    """The last day the vote waits for the written arguments (None: no panel yet)."""
    if calibration.approved_at is None:
        return None
    approved_on = calibration.approved_at.astimezone(ctx.clock.tz).date()
    return _rules(ctx).voting_opens_on(approved_on, ctx.calendar)


def voting_open(ctx: Context, calibration: Calibration) -> bool:
    """The panel votes once both arguments are in or their time is up (cl. 23)."""
    opens_on = voting_opens_on(ctx, calibration)
    return calibration.status == CalibrationStatus.VOTING and opens_on is not None and (
        _both_argued(calibration) or ctx.clock.today() >= opens_on)


def _both_argued(calibration: Calibration) -> bool:
    return bool(calibration.evaluator_argument and calibration.appellant_argument)


def _require_open(ctx: Context, calibration: Calibration) -> None:
    if calibration.status == CalibrationStatus.VOTING and not voting_open(ctx, calibration):
        raise Rejected(Reason.CALIBRATION_VOTING_NOT_OPEN,
                       date=voting_opens_on(ctx, calibration))


async def open_ballot(ctx: Context, member: Servant, calibration_id: int) -> Calibration:
    """The current round, for a member of the panel while it votes."""
    found = await _session(ctx, calibration_id)
    calibration = found.calibration
    if member.id not in calibration.members:
        raise Rejected(Reason.CALIBRATION_MEMBERS_ONLY)
    _require_open(ctx, calibration)
    if calibration.status != CalibrationStatus.VOTING:
        raise Rejected(Reason.CALIBRATION_VOTING_CLOSED)
    return calibration


async def propose_other(ctx: Context, member: Servant, calibration_id: int) -> Calibration:
    """A member is about to type another score than the evaluator's."""
    found = await _session(ctx, calibration_id)
    calibration = found.calibration
    if member.id not in calibration.members or calibration.status != CalibrationStatus.VOTING:
        raise Rejected(Reason.CALIBRATION_VOTING_CLOSED)
    _require_open(ctx, calibration)
    return calibration


async def cast_vote(ctx: Context, member: Servant, calibration_id: int, round_text: str,
                    score: str | None = None) -> Voted:
    """A member's vote in the round his button or prompt was for: the evaluator's score
    (``score`` None) or the one he typed. The round's last vote decides by majority (cl. 23)
    or starts the next round; the decision replaces the sheet's score and is sent on."""
    found = await _session(ctx, calibration_id)
    calibration, sheet = found.calibration, found.sheet
    rules = _rules(ctx)
    value = calibration.original_score if score is None else corrected_score(
        score, ctx.methodology.forms[sheet.form].scale, ctx.methodology.sanctions,
        sheet.sanctions)
    if member.id not in calibration.members:
        raise Rejected(Reason.CALIBRATION_MEMBERS_ONLY)
    _require_open(ctx, calibration)
    if calibration.status != CalibrationStatus.VOTING or round_text != str(calibration.round):
        raise Rejected(Reason.CALIBRATION_ROUND_CLOSED)
    async with ctx.transaction() as tx:
        current = await calibrations.get(tx.conn, calibration.id)
        if current is None or current.status != CalibrationStatus.VOTING \
                or current.round != calibration.round:
            raise Rejected(Reason.CALIBRATION_ROUND_CLOSED)
        counted = await calibrations.vote(tx.conn, current, member.id, value, at=tx.now)
        votes = await calibrations.votes(tx.conn, current.id, current.round)
        outcome = VoteOutcome.COUNTED
        if len(votes) == len(current.members):
            final = majority_score(rules, votes, len(current.members))
            subject, payload = f"calibration:{current.id}", {"calibration": current.id}
            if final is None:
                await calibrations.next_round(tx.conn, current.id, at=tx.now)
                await tx.notify(NoticeKind.CALIBRATION_REVOTE,
                                f"{subject}:{current.round + 1}", current.members,
                                payload=payload)
                outcome = VoteOutcome.REVOTE
            else:
                await calibrations.decide(
                    tx.conn, current, final, ctx.methodology.grade(final), today=tx.today,
                    protocol_due=rules.protocol_deadline(tx.today, ctx.calendar), at=tx.now)
                await tx.notify(NoticeKind.CALIBRATION_RESULT, subject, current.appellant_id,
                                payload=payload)
                await tx.notify(NoticeKind.CALIBRATION_FEEDBACK, subject, sheet.evaluator_id,
                                payload=payload)
                await tx.notify(NoticeKind.CALIBRATION_PROTOCOL, subject,
                                await hr_readers(ctx, tx.conn, tx.today), payload=payload)
                await tx.notify(NoticeKind.CALIBRATION_DECIDED, subject, current.members,
                                payload=payload)
                outcome = VoteOutcome.DECIDED
    return Voted(value, counted, outcome, current.round)


# ------------------------------------------------------------------ after the decision
async def post_protocol(ctx: Context, servant: Servant, roles: frozenset[str],
                        calibration_id: int) -> bool:
    """HR notes that the protocol is posted (cl. 23); False if it already was."""
    if HR not in roles:
        raise Rejected(Reason.CALIBRATION_HR_ONLY)
    async with ctx.transaction() as tx:
        return await calibrations.protocol_posted(tx.conn, calibration_id, at=tx.now,
                                                  actor=f"servant:{servant.id}")


async def hold_feedback(ctx: Context, evaluator: Servant, calibration_id: int) -> Feedback:
    """The evaluator notes the feedback meeting (cl. 24), today."""
    found = await _session(ctx, calibration_id)
    if evaluator.id != found.sheet.evaluator_id:
        raise Rejected(Reason.CALIBRATION_EVALUATOR_ONLY)
    async with ctx.transaction() as tx:
        done = await calibrations.feedback_held(tx.conn, found.calibration.id, tx.today,
                                                at=tx.now, actor=f"servant:{evaluator.id}")
    return Feedback(done, tx.today)
