"""The older model (legacy-2018, seeds 001 and 002): the year-end review and the commission.

The direct supervisor fills in the review — which KPIs of the annual plan were fully achieved,
which behavioural indicators he observed — and submits it; the superior manager agrees it or
returns it for rework; the commission, set up by the authorised person, meets with a quorum,
votes openly on every agreed result and decides it; the servant reads the decision (or refuses
to sign), and the chair and the secretary keep the protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from scoring import Methodology, Text
from scoring.campaign import Absence, worked_days
from scoring.legacy import (
    AssessedCompetency,
    CommissionRules,
    CompetencyAssessmentRules,
    CountGrade,
    KpiPlanRules,
)
from scoring.legacy import ballot as legacy_ballot
from storage import kpi, org
from storage import legacy as store
from storage.db import Connection
from storage.kpi import Plan
from storage.legacy import Commission, Person, Review, ReviewStatus
from storage.models import Servant

from .confidentiality import hr_reads
from .context import Context
from .errors import Reason, Rejected
from .notices import NoticeKind

RECOMMENDATION_LIMIT = 1000  # characters of one recommendation in the protocol
RETURN_REASON_LIMIT = 500  # characters of the superior manager's reason for returning it
APPROVE = "approve"  # a member's vote for the result as agreed; any other vote names a grade
EDITABLE = (ReviewStatus.DRAFT, ReviewStatus.RETURNED)
OPENS_YEAR = frozenset({"hr", "appointing"})  # the roles that open the year's reviews
SETS_UP_COMMISSION = "appointing"  # the authorised person (cl. 5)


@dataclass(frozen=True, slots=True)
class Rules:
    """The legacy parts of the methodology; a methodology without them has no annual review."""

    kpi_plan: KpiPlanRules
    assessment: CompetencyAssessmentRules
    commission: CommissionRules


def rules_of(methodology: Methodology) -> Rules:
    kpi_plan, assessment = methodology.kpi_plan, methodology.competency_assessment
    commission = methodology.commission
    if kpi_plan is None or assessment is None or commission is None:
        raise Rejected(Reason.LEGACY_NOT_IN_METHODOLOGY)
    return Rules(kpi_plan, assessment, commission)


# ------------------------------------------------------------------ outcomes
@dataclass(frozen=True, slots=True)
class Assessed:
    """One competency as the evaluator assesses it: the effective behaviour of the servant's
    indicator group, and the indicators he observed."""

    competency: AssessedCompetency
    indicators: tuple[Text, ...]
    observed: tuple[int, ...]
    rules: CompetencyAssessmentRules

    @property
    def meets(self) -> bool:
        """At least the threshold share (3/4) of the indicators observed."""
        return self.rules.meets(len(self.observed), len(self.indicators))

    @property
    def missing(self) -> tuple[Text, ...]:
        """The indicators not observed."""
        return tuple(t for i, t in enumerate(self.indicators) if i not in self.observed)


@dataclass(frozen=True, slots=True)
class ReviewState:
    """A review with the KPI plan it counts and the competencies it assesses."""

    review: Review
    plan: Plan | None  # the servant's KPI work plan for the year
    managerial: bool
    competencies: tuple[Assessed, ...]  # the applicable ones, with indicators for his group
    rules: Rules

    @property
    def items(self) -> tuple[kpi.Item, ...]:
        """The plan's KPIs (none without a plan)."""
        return self.plan.items if self.plan is not None else ()

    @property
    def plan_approved(self) -> bool:
        return self.plan is not None and self.plan.status == "approved"

    @property
    def editable(self) -> bool:
        return self.review.status in EDITABLE

    @property
    def achieved(self) -> int:
        """How many KPIs were fully achieved."""
        return sum(1 for v in self.review.achieved.values() if v)

    @property
    def grade(self) -> CountGrade:
        return self.rules.kpi_plan.grade(self.achieved)

    def awaits(self, servant: Servant) -> bool:
        """It waits for this servant's agreement (he is the superior manager)."""
        return servant.id == self.review.approver_id and \
            self.review.status is ReviewStatus.SUBMITTED


@dataclass(frozen=True, slots=True)
class KpiMarked:
    state: ReviewState
    following: int | None  # the next KPI to ask about; None: the KPIs are done


@dataclass(frozen=True, slots=True)
class CommissionAccess:
    """What a servant may do with a year's commission from the menu."""

    year: int
    records_attendance: bool
    protocol: bool


@dataclass(frozen=True, slots=True)
class Menu:
    years: tuple[int, int]  # last year and this year
    may_open: bool
    may_set_up: bool
    commissions: tuple[CommissionAccess, ...]
    reviews: tuple[Review, ...]  # his own as the evaluator, then those awaiting his agreement


@dataclass(frozen=True, slots=True)
class YearOpened:
    year: int
    added: int


@dataclass(frozen=True, slots=True)
class CommissionSetUp:
    year: int
    members: int


@dataclass(frozen=True, slots=True)
class Met:
    """The commission met with a quorum; the voters were sent the agreed reviews."""

    year: int
    present: int
    members: int
    reviews: int


@dataclass(frozen=True, slots=True)
class Voted:
    review: Review
    decided: str | None  # the grade the commission decided with this vote, if it did
    repeat_between: tuple[str, ...] = ()  # no majority: the vote is repeated between these


@dataclass(frozen=True, slots=True)
class ProtocolRecord:
    """What the commission's protocol for a year shows."""

    body: str
    year: int
    commission: Commission
    met_on: date
    decided: tuple[Review, ...]
    pending: int  # agreed reviews still being voted on
    people: dict[int, Person]
    votes: dict[int, dict[int, str]]  # review -> member -> APPROVE or the grade proposed


@dataclass(frozen=True, slots=True)
class DecidedResult:
    """The commission's decision as the servant reads it, with the last day to appeal."""

    review: Review
    decided_on: date
    appeal_by: date
    appeal_working_days: int


# ------------------------------------------------------------------ rules
def _clerk(found: Commission, servant: Servant) -> bool:
    """The chair and the secretary record the meeting and the recommendations."""
    return servant.id in (found.chair_id, found.secretary_id)


def _keeps_protocol(found: Commission, servant: Servant, roles: frozenset[str], *,
                    hr_circle: bool) -> bool:
    """The chair and the secretary keep it; HR prepares it (as far as the methodology's HR
    circle goes, ``confidentiality``) and the authorised person approves the results in it
    (cl. 36, 39)."""
    return _clerk(found, servant) or "appointing" in roles or hr_circle


def _state(rules: Rules, review: Review, plan: Plan | None, managerial: bool) -> ReviewState:
    assessment = rules.assessment
    group = assessment.group_for(managerial=managerial)
    assessed = []
    for competency in assessment.applicable(public_services=review.public_services):
        indicators = competency.for_group(group)
        if indicators is not None:
            assessed.append(Assessed(competency, indicators.effective,
                                     tuple(review.observed.get(competency.id, [])), assessment))
    return ReviewState(review, plan, managerial, tuple(assessed), rules)


async def _load(ctx: Context, conn: Connection, review_id: int) -> ReviewState:
    """The review with its plan and its servant's indicator group; a review that is gone is an
    out-of-date button."""
    found = await store.review(conn, review_id)
    if found is None:
        raise Rejected(Reason.OUT_OF_DATE)
    plan = await kpi.plan_of(conn, found.servant_id, found.year)
    servant = await org.servant(conn, found.servant_id)
    return _state(rules_of(ctx.methodology), found, plan, bool(servant and servant.managerial))


async def _read(ctx: Context, review_id: int) -> ReviewState:
    async with ctx.reading() as conn:
        return await _load(ctx, conn, review_id)


def _evaluating(state: ReviewState, servant: Servant) -> ReviewState:
    """The review if this servant evaluates it and may still change it."""
    if servant.id != state.review.evaluator_id or not state.editable:
        raise Rejected(Reason.LEGACY_REVIEW_NOT_YOURS)
    return state


def _by_servant(absences: Iterable[Absence]) -> dict[int, list[Absence]]:
    found: dict[int, list[Absence]] = {}
    for absence in absences:
        found.setdefault(absence.servant_id, []).append(absence)
    return found


# ------------------------------------------------------------------ the menu and the year
async def annual_menu(ctx: Context, servant: Servant, roles: frozenset[str]) -> Menu:
    """What /review offers him for last year and this year."""
    rules_of(ctx.methodology)
    year = ctx.clock.today().year
    years = (year - 1, year)
    commissions = []
    async with ctx.reading() as conn:
        hr_circle = await hr_reads(ctx, conn, servant.id, hr="hr" in roles)
        own = await store.reviews(conn, year, evaluator=servant.id) + \
            await store.reviews(conn, year - 1, evaluator=servant.id)
        pending = [r for y in years for r in await store.reviews(conn, y)
                   if r.approver_id == servant.id and r.status is ReviewStatus.SUBMITTED]
        for y in years:
            found = await store.commission(conn, y)
            if found is not None:
                commissions.append(CommissionAccess(
                    y, _clerk(found, servant),
                    found.met_on is not None and _keeps_protocol(found, servant, roles,
                                                             hr_circle=hr_circle)))
    return Menu(years, bool(OPENS_YEAR & roles), SETS_UP_COMMISSION in roles,
                tuple(commissions), tuple(own + pending))


async def open_year(ctx: Context, servant: Servant, roles: frozenset[str],
                    year: int) -> YearOpened:
    """HR opens the year: a review for every eligible servant with a direct supervisor, the
    worked days counted as the quarterly campaign counts them; existing reviews are kept."""
    if not OPENS_YEAR & roles:
        raise Rejected(Reason.LEGACY_ONLY_HR_OPENS)
    if not date.min.year <= year <= date.max.year:
        raise Rejected(Reason.OUT_OF_DATE)
    start, end = date(year, 1, 1), date(year, 12, 31)
    methodology = ctx.methodology
    async with ctx.transaction() as tx:
        absences = _by_servant(await store.absences(tx.conn, start, end))
        people = []
        for c in await store.candidates(tx.conn):
            worked = worked_days(appointed_on=c.appointed_on, dismissed_on=c.dismissed_on,
                                 period_start=start, period_end=end,
                                 absences=absences.get(c.servant_id, ()),
                                 calendar=ctx.calendar)
            if methodology.eligibility(period_start=start, period_end=end,
                                       appointed_on=c.appointed_on, worked_days=worked,
                                       dismissed_on=c.dismissed_on).eligible:
                people.append((c.servant_id, c.supervisor_id, c.superior_id))
        added = await store.open_year(tx.conn, year, people, at=tx.now,
                                      actor=f"servant:{servant.id}")
    return YearOpened(year, added)


# ------------------------------------------------------------------ the evaluator's review
async def review(ctx: Context, review_id: int) -> Review | None:
    async with ctx.reading() as conn:
        return await store.review(conn, review_id)


async def open_review(ctx: Context, servant: Servant, review_id: int) -> ReviewState:
    """The review for its evaluator or its superior manager."""
    state = await _read(ctx, review_id)
    if servant.id not in (state.review.evaluator_id, state.review.approver_id):
        raise Rejected(Reason.LEGACY_REVIEW_NOT_YOURS)
    return state


async def mark_kpi(ctx: Context, servant: Servant, review_id: int, index: int,
                   achieved: bool) -> KpiMarked:
    """Whether the plan's KPI ``index`` was fully achieved."""
    async with ctx.transaction() as tx:
        state = _evaluating(await _load(ctx, tx.conn, review_id), servant)
        plan = state.plan
        if plan is None:
            raise Rejected(Reason.LEGACY_REVIEW_NOT_YOURS)
        if not 0 <= index < len(plan.items):
            raise Rejected(Reason.OUT_OF_DATE)
        marks = {**state.review.achieved, plan.items[index].position: achieved}
        await store.save(tx.conn, review_id, achieved=marks)
        saved = await _load(ctx, tx.conn, review_id)
    following = index + 1
    return KpiMarked(saved, following if following < len(plan.items) else None)


async def toggle_indicator(ctx: Context, servant: Servant, review_id: int, competency: str,
                           indicator: int) -> ReviewState:
    """Tick an indicator as observed, or untick it."""
    async with ctx.transaction() as tx:
        state = _evaluating(await _load(ctx, tx.conn, review_id), servant)
        assessed = next((a for a in state.competencies if a.competency.id == competency), None)
        if assessed is None or not 0 <= indicator < len(assessed.indicators):
            raise Rejected(Reason.OUT_OF_DATE)
        seen = set(assessed.observed) ^ {indicator}
        await store.save(tx.conn, review_id,
                         observed={**state.review.observed, competency: sorted(seen)})
        return await _load(ctx, tx.conn, review_id)


async def competency_step(ctx: Context, servant: Servant, review_id: int) -> ReviewState:
    """The review as its evaluator moves on to the next competency."""
    state = await _read(ctx, review_id)
    if servant.id != state.review.evaluator_id:
        raise Rejected(Reason.LEGACY_REVIEW_NOT_YOURS)
    return state


async def submit_review(ctx: Context, servant: Servant, review_id: int) -> ReviewState:
    """Submit it with the grade its KPIs give; the superior manager is asked to agree it.
    Returns the review as he submitted it (a reworked one still says why it was returned)."""
    async with ctx.transaction() as tx:
        state = _evaluating(await _load(ctx, tx.conn, review_id), servant)
        if state.plan is None:
            raise Rejected(Reason.LEGACY_PLAN_NOT_APPROVED, year=state.review.year)
        await store.set_status(tx.conn, review_id, ReviewStatus.SUBMITTED, at=tx.now,
                               actor=f"servant:{servant.id}", grade=state.grade.code)
        approver = state.review.approver_id
        if approver:
            await tx.notify(NoticeKind.LEGACY_REVIEW, f"review:{review_id}", approver,
                            payload={"review": review_id})
    return state


def _awaiting(found: Review | None, servant: Servant) -> Review:
    if found is None or servant.id != found.approver_id or \
            found.status is not ReviewStatus.SUBMITTED:
        raise Rejected(Reason.LEGACY_REVIEW_NOT_AWAITING)
    return found


async def awaiting_agreement(ctx: Context, servant: Servant, review_id: int) -> Review:
    """The review if it waits for this superior manager's agreement."""
    return _awaiting(await review(ctx, review_id), servant)


async def agree(ctx: Context, servant: Servant, review_id: int) -> Review:
    """The superior manager agrees it: it goes to the commission."""
    async with ctx.transaction() as tx:
        found = _awaiting(await store.review(tx.conn, review_id), servant)
        await store.set_status(tx.conn, found.id, ReviewStatus.AGREED, at=tx.now,
                               actor=f"servant:{servant.id}")
    return found


async def return_review(ctx: Context, servant: Servant, review_id: int, reason: str) -> Review:
    """The superior manager returns it to the evaluator for rework, saying why."""
    async with ctx.transaction() as tx:
        found = _awaiting(await store.review(tx.conn, review_id), servant)
        await store.set_status(tx.conn, found.id, ReviewStatus.RETURNED, at=tx.now,
                               actor=f"servant:{servant.id}",
                               reason=reason.strip()[:RETURN_REASON_LIMIT])
    return found


# ------------------------------------------------------------------ the commission
def may_set_up_commission(ctx: Context, roles: frozenset[str]) -> CommissionRules:
    """The authorised person sets up the commission (cl. 5); its rules say how."""
    rules = rules_of(ctx.methodology).commission
    if SETS_UP_COMMISSION not in roles:
        raise Rejected(Reason.LEGACY_ONLY_APPOINTING)
    return rules


async def set_up_commission(ctx: Context, servant: Servant, roles: frozenset[str], year: int,
                            numbers: Sequence[str]) -> CommissionSetUp:
    """The commission of active servants by personnel number: the chair first, the secretary
    second, then the members."""
    rules = may_set_up_commission(ctx, roles)
    async with ctx.transaction() as tx:
        ids = await store.personnel_ids(tx.conn, active=True)
        members = [ids[n] for n in numbers if n in ids]
        if len(members) != len(numbers) or len(members) < rules.min_members:
            raise Rejected(Reason.LEGACY_COMMISSION_TOO_SMALL, n=rules.min_members)
        await store.create_commission(tx.conn, year, members[0], members[1], members,
                                      at=tx.now, actor=f"servant:{servant.id}")
    return CommissionSetUp(year, len(members))


async def commission_clerk(ctx: Context, servant: Servant, year: int) -> Commission:
    """The year's commission if this servant records its meeting (the chair or the
    secretary)."""
    async with ctx.reading() as conn:
        found = await store.commission(conn, year)
    if found is None or not _clerk(found, servant):
        raise Rejected(Reason.LEGACY_NOT_CLERK)
    return found


async def record_attendance(ctx: Context, servant: Servant, year: int,
                            numbers: Sequence[str]) -> Met:
    """The members present by personnel number; with a quorum the meeting is valid and every
    voter gets a ballot for each agreed review."""
    rules = rules_of(ctx.methodology).commission
    async with ctx.transaction() as tx:
        found = await store.commission(tx.conn, year)
        if found is None or not _clerk(found, servant):
            raise Rejected(Reason.LEGACY_NOT_CLERK)
        ids = await store.personnel_ids(tx.conn)
        present = [ids[n] for n in numbers if n in ids and ids[n] in found.members]
        members = len(found.members)
        if not rules.has_quorum(len(present), members):
            raise Rejected(Reason.LEGACY_NO_QUORUM, present=len(present), members=members,
                           needed=rules.quorum_needed(members))
        await store.record_attendance(tx.conn, found.id, present, tx.today)
        agreed = await store.reviews(tx.conn, year, status=ReviewStatus.AGREED)
        voters = rules.voters(present, secretary=found.secretary_id)
        for found_review in agreed:
            await tx.notify(NoticeKind.LEGACY_VOTE, f"review:{found_review.id}", voters,
                            payload={"review": found_review.id})
    return Met(year, len(present), members, len(agreed))


def ballot(ctx: Context, found: Review) -> tuple[str, ...]:
    """The options of the review's current round: approve or another grade, or after a round
    without a majority the two it is repeated between (seed 001 cl. 33, 37)."""
    if found.ballot is not None:
        return found.ballot
    assert found.grade is not None  # a review goes to the commission with its grade
    return legacy_ballot(rules_of(ctx.methodology).kpi_plan.grades, found.grade, APPROVE)


async def vote(ctx: Context, servant: Servant, review_id: int, choice: str,
               round_no: int) -> Voted:
    """A voter's open vote in the review's current round: APPROVE or another grade on its
    ballot. When every voter present has voted, a majority of the votes cast decides (the
    chair's vote on an exact tie, cl. 33) and the servant and the secretary are told;
    without one the voters get a new ballot between the two options with the most votes."""
    rules = rules_of(ctx.methodology)
    commission = rules.commission
    async with ctx.transaction() as tx:
        found = await store.review(tx.conn, review_id)
        meeting = await store.commission(tx.conn, found.year) if found else None
        voters = commission.voters(meeting.present or (), secretary=meeting.secretary_id) \
            if meeting else ()
        if found is None or meeting is None or servant.id not in voters or \
                found.status is not ReviewStatus.AGREED:
            raise Rejected(Reason.LEGACY_VOTE_NOT_OPEN)
        if round_no != found.vote_round:
            raise Rejected(Reason.LEGACY_BALLOT_REPLACED)
        options = ballot(ctx, found)
        if choice not in options:
            raise Rejected(Reason.OUT_OF_DATE)
        if not await store.vote(tx.conn, meeting.id, found.id, servant.id, choice,
                                round_no=round_no):
            raise Rejected(Reason.LEGACY_ALREADY_VOTED)
        votes = await store.votes(tx.conn, meeting.id, found.id, round_no=round_no)
        if len(votes) < len(voters):
            return Voted(found, None)
        outcome = commission.decide(votes, chair=meeting.chair_id, ballot=options,
                                    secretary=meeting.secretary_id)
        subject, payload = f"review:{found.id}", {"review": found.id}
        if outcome.option is None:
            following = round_no + 1
            await store.repeat_vote(tx.conn, found.id, following, outcome.repeat_between,
                                    at=tx.now)
            await tx.notify(NoticeKind.LEGACY_VOTE, f"{subject}:round:{following}", voters,
                            payload={**payload, "round": following})
            return Voted(found, None, outcome.repeat_between)
        decided = found.grade if outcome.option == APPROVE else outcome.option
        assert decided is not None  # a submitted review has its grade
        await store.decide(tx.conn, found.id, decided, at=tx.now, today=tx.today)
        await tx.notify(NoticeKind.LEGACY_RESULT, subject, found.servant_id, payload=payload)
        await tx.notify(NoticeKind.LEGACY_DECIDED, subject, meeting.secretary_id,
                        payload=payload)
    return Voted(found, decided)


def _recorder(found: Review | None, meeting: Commission | None, servant: Servant) -> Review:
    if found is None or meeting is None or found.status is not ReviewStatus.DECIDED or \
            not _clerk(meeting, servant):
        raise Rejected(Reason.LEGACY_NOT_RECORDER)
    return found


async def recommendation_for(ctx: Context, servant: Servant, review_id: int) -> Review:
    """A decided review whose recommendation this servant (the chair or the secretary) may
    record."""
    async with ctx.reading() as conn:
        found = await store.review(conn, review_id)
        meeting = await store.commission(conn, found.year) if found else None
    return _recorder(found, meeting, servant)


async def recommend(ctx: Context, servant: Servant, review_id: int, text: str) -> Review:
    """The commission's recommendation on one result, for the protocol (spaces collapsed)."""
    text = " ".join(text.split())
    if len(text) > RECOMMENDATION_LIMIT:
        raise Rejected(Reason.LEGACY_RECOMMENDATION_TOO_LONG, length=len(text),
                       n=RECOMMENDATION_LIMIT)
    async with ctx.transaction() as tx:
        found = await store.review(tx.conn, review_id)
        meeting = await store.commission(tx.conn, found.year) if found else None
        found = _recorder(found, meeting, servant)
        await store.recommend(tx.conn, found.id, text, at=tx.now,
                              actor=f"servant:{servant.id}")
    return found


async def commission_protocol(ctx: Context, servant: Servant, roles: frozenset[str],
                              year: int) -> ProtocolRecord:
    """The protocol of the year's meeting, once the commission decided a result."""
    async with ctx.reading() as conn:
        found = await store.commission(conn, year)
        hr_circle = await hr_reads(ctx, conn, servant.id, hr="hr" in roles)
        if found is None or not _keeps_protocol(found, servant, roles, hr_circle=hr_circle):
            raise Rejected(Reason.LEGACY_PROTOCOL_NOT_YOURS)
        decided = await store.reviews(conn, year, status=ReviewStatus.DECIDED)
        pending = len(await store.reviews(conn, year, status=ReviewStatus.AGREED))
        if found.met_on is None or not decided:
            raise Rejected(Reason.LEGACY_NOTHING_DECIDED)
        body = await org.body(conn)
        people = await store.people(conn)
        votes = {r.id: await store.votes(conn, found.id, r.id, round_no=r.vote_round)
                 for r in decided}
    return ProtocolRecord(body.name, year, found, found.met_on, tuple(decided), pending, people,
                          votes)


async def acquaint(ctx: Context, servant: Servant, review_id: int, *, refused: bool) -> bool:
    """The servant has read the decision, or refuses to sign (recorded in an act); False when
    that was already noted."""
    async with ctx.transaction() as tx:
        found = await store.review(tx.conn, review_id)
        if found is None or found.servant_id != servant.id:
            raise Rejected(Reason.LEGACY_REVIEW_NOT_YOURS)
        return await store.acquaint(tx.conn, found.id, tx.today, refused=refused)


async def decided_result(ctx: Context, review_id: int) -> DecidedResult | None:
    """The commission's decision to tell the servant, if the review is (still) decided; he may
    appeal within the methodology's working days from the day of the decision (seed 001
    cl. 43, «шешім шыққан күннен бастап»), however late he is told."""
    found = await review(ctx, review_id)
    if found is None or found.status is not ReviewStatus.DECIDED:
        return None
    commission = rules_of(ctx.methodology).commission
    decided_on = found.decided_on or ctx.clock.today()  # decided before the day was kept
    return DecidedResult(found, decided_on, commission.appeal_by(decided_on, ctx.calendar),
                         commission.appeal_working_days)
