"""Anonymous surveys: the 360 (justice cl. 39–42) and the corps "A" working-conditions survey
(004 app. 7) on one engine.

A respondent answers into his own sealed draft; submitting turns it into a sealed ballot with
no respondent, invitation or time, marks the invitation done and deletes the draft, in one
transaction. Nothing is added up before the survey closes (by HR, or by itself on its legal
date): then all its ballots are opened at once, added up into sealed per-target aggregates and
destroyed with their key (docs/anonymity.md). HR sees counts only; a report or a distribution
appears only once enough colleagues other than the reader answered (decisions 44, 47).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from scoring import Methodology, Text, report_360
from scoring.survey import (
    Colleague,
    Competency,
    FrequencyOption,
    QuestionSet,
    Report360,
    RespondentRole,
    Survey360Rules,
    WorkingConditionsSurvey,
    add_up_counted,
    chosen_respondents,
    organisation_weakest,
    propose_respondents,
    question_set_for,
)
from storage import audit, surveys
from storage.db import Connection
from storage.models import Servant
from storage.sealing import Sealer, SurveyKeys
from storage.surveys import Invitation, Survey, SurveyKind, TargetCount

from . import ballots
from .ballots import Ballot, Layout, Totals
from .context import Context, Tx
from .errors import Reason, Rejected
from .notices import NoticeKind

log = logging.getLogger(__name__)


# ------------------------------------------------------------------ the questionnaire
@dataclass(frozen=True, slots=True)
class Question:
    """One 360 statement (under its competency) or one working-conditions question."""

    key: str  # the item its answer is saved and counted under
    heading: Text | None  # the competency of a 360 statement
    text: Text
    options: tuple[tuple[str, Text], ...]  # (option code, label), in order

    def offers(self, code: str) -> bool:
        return any(option == code for option, _label in self.options)


def questions(methodology: Methodology, invitation: Invitation) -> tuple[Question, ...]:
    """What the invitation asks, in order."""
    return _questionnaire(methodology, invitation.survey.kind, invitation.question_set)


def _questionnaire(methodology: Methodology, kind: SurveyKind, question_set: str
                   ) -> tuple[Question, ...]:
    if kind == SurveyKind.SURVEY_360:
        rules = methodology.survey360
        assert rules is not None
        options = tuple((o.code, o.label) for o in rules.options)
        return tuple(Question(s.key, c.title, s.text, options)
                     for c in rules.sets[question_set].competencies
                     for s in c.statements)
    survey = methodology.working_conditions
    assert survey is not None
    return tuple(Question(q.id, None, q.text, tuple((o.code, o.label) for o in q.options))
                 for q in survey.questions)


@dataclass(frozen=True, slots=True)
class Answering:
    """A respondent in his questionnaire: his draft and the question he is on (``index`` =
    ``len(questions)``: the review before submitting)."""

    invitation: Invitation
    questions: tuple[Question, ...]
    answers: Mapping[str, str]  # his draft: item -> option code
    index: int
    instructions: Text | None = None  # the form's address to the respondent (app. 5, 6)

    @property
    def reviewing(self) -> bool:
        return self.index >= len(self.questions)

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    @property
    def complete(self) -> bool:
        return set(self.answers) == {q.key for q in self.questions}


@dataclass(frozen=True, slots=True)
class SubmittedAnswers:
    done: bool  # False: it already was (a double tap)


@dataclass(frozen=True, slots=True)
class PendingInvitation:
    """An invitation still to answer, for the invitation and reminder notices."""

    invitation: Invitation
    questions: int


@dataclass(frozen=True, slots=True)
class MySurveys:
    invitations: list[Invitation]  # waiting for his answers
    reports: list[TargetCount]  # 360 surveys about him
    subordinates: list[TargetCount]  # released 360 reports about his direct subordinates


def _layout(asked: Iterable[Question]) -> Layout:
    return {q.key: [code for code, _label in q.options] for q in asked}


def _rules(methodology: Methodology, kind: SurveyKind
           ) -> Survey360Rules | WorkingConditionsSurvey:
    rules = methodology.survey360 if kind == SurveyKind.SURVEY_360 \
        else methodology.working_conditions
    assert rules is not None
    return rules


def _keys(ctx: Context) -> SurveyKeys:
    if ctx.survey_keys is None:
        raise RuntimeError("surveys need the survey key file (settings: survey_keys_path)")
    return ctx.survey_keys


def _ballot_key(ctx: Context, survey: Survey) -> Sealer:
    assert survey.key_id is not None  # every survey has one since 0012 (seal_unsealed)
    return _keys(ctx).ballots(survey.key_id)


def _result_key(ctx: Context, survey: Survey) -> Sealer:
    assert survey.key_id is not None
    return _keys(ctx).results(survey.key_id)


async def _draft(ctx: Context, conn: Connection, invitation: Invitation) -> dict[str, str]:
    sealed = await surveys.sealed_draft(conn, invitation.id)
    if sealed is None:
        return {}
    return ballots.open_draft(_ballot_key(ctx, invitation.survey), invitation.id, sealed,
                              _layout(questions(ctx.methodology, invitation)))


def _instructions(methodology: Methodology, invitation: Invitation) -> Text | None:
    """The 360 form's address to the respondent (app. 5, 6), shown before the first statement."""
    rules = methodology.survey360
    if invitation.survey.kind != SurveyKind.SURVEY_360 or rules is None:
        return None
    return rules.instructions


# ------------------------------------------------------------------ the respondent
async def my_surveys(ctx: Context, servant: Servant) -> MySurveys:
    async with ctx.reading() as conn:
        pending = await surveys.invitations_of(conn, servant.id)
        own = await surveys.targets_of_subject(conn, servant.id)
        theirs = await surveys.released_about_subordinates(conn, servant.id)
    return MySurveys(pending, own, theirs)


async def _own_invitation(conn: Connection, respondent: Servant, invitation_id: int,
                          today: date) -> Invitation:
    """His invitation, while he may still answer it."""
    invitation = await surveys.own_invitation(conn, invitation_id, respondent.id)
    if invitation is None:
        raise Rejected(Reason.SURVEY_NOT_YOURS)
    if invitation.done:
        raise Rejected(Reason.SURVEY_SUBMITTED)
    if not invitation.survey.accepts_answers(today):
        raise Rejected(Reason.SURVEY_CLOSED)
    return invitation


async def go_to(ctx: Context, respondent: Servant, invitation_id: int,
                index: int) -> Answering:
    """Move to a question (or the review past the last), remembered so that he resumes there."""
    async with ctx.transaction() as tx:
        invitation = await _own_invitation(tx.conn, respondent, invitation_id, tx.today)
        asked = questions(ctx.methodology, invitation)
        index = max(0, min(index, len(asked)))
        await surveys.move(tx.conn, invitation.id, index)
        draft = await _draft(ctx, tx.conn, invitation)
    return Answering(invitation, asked, draft, index,
                     _instructions(ctx.methodology, invitation))


async def answer(ctx: Context, respondent: Servant, invitation_id: int, index: int,
                 option: str) -> Answering:
    """Save one answer to his own sealed draft and move on to the next question."""
    async with ctx.transaction() as tx:
        invitation = await _own_invitation(tx.conn, respondent, invitation_id, tx.today)
        asked = questions(ctx.methodology, invitation)
        if not 0 <= index < len(asked) or not asked[index].offers(option):
            raise Rejected(Reason.OUT_OF_DATE)
        draft = await _draft(ctx, tx.conn, invitation) | {asked[index].key: option}
        sealed = ballots.seal_draft(_ballot_key(ctx, invitation.survey), invitation.id, draft,
                                    _layout(asked))
        await surveys.save_draft(tx.conn, invitation.id, sealed, index + 1)
    return Answering(invitation, asked, draft, index + 1,
                     _instructions(ctx.methodology, invitation))


async def submit(ctx: Context, respondent: Servant, invitation_id: int) -> SubmittedAnswers:
    """Turn the complete draft into a sealed ballot and forget the draft (docs/anonymity.md)."""
    async with ctx.transaction() as tx:
        try:
            invitation = await _own_invitation(tx.conn, respondent, invitation_id, tx.today)
        except Rejected as rejected:
            if rejected.reason is Reason.SURVEY_SUBMITTED:  # a double tap
                return SubmittedAnswers(False)
            raise
        asked = questions(ctx.methodology, invitation)
        draft = await _draft(ctx, tx.conn, invitation)
        if set(draft) != {q.key for q in asked}:
            raise Rejected(Reason.SURVEY_INCOMPLETE)
        ballot = Ballot(invitation.target_id, invitation.role == RespondentRole.SELF, draft)
        sealed = ballots.seal_ballot(_ballot_key(ctx, invitation.survey), invitation.survey.id,
                                     ballot, _layout(asked))
        done = await surveys.submit(tx.conn, invitation, sealed)
    return SubmittedAnswers(done)


async def pending_invitation(ctx: Context, invitation_id: int) -> PendingInvitation | None:
    """The invitation if it is still to answer (not submitted, the survey not closed)."""
    async with ctx.reading() as conn:
        invitation = await surveys.invitation(conn, invitation_id)
    if invitation is None or invitation.done or invitation.survey.closed:
        return None
    return PendingInvitation(invitation, len(questions(ctx.methodology, invitation)))


# ------------------------------------------------------------------ the 360 report
@dataclass(frozen=True, slots=True)
class Report:
    """An evaluatee's 360 report: competency averages from colleagues, self-assessment apart."""

    name: str
    responses: int  # colleagues who answered (the self-assessment not counted)
    result: Report360
    options: tuple[FrequencyOption, ...]  # the scale


async def report(ctx: Context, servant: Servant, target_id: int, *, hr: bool) -> Report:
    """The people of cl. 26 may read it (the evaluatee, his evaluators, the personnel service
    as the methodology says, his calibration panels), once the survey is closed with enough
    answers from colleagues other than the reader (decision 44, docs/anonymity.md)."""
    rules = ctx.methodology.survey360
    assert rules is not None
    async with ctx.reading() as conn:
        target = await surveys.target(conn, target_id)
        circle = await surveys.report_circle(conn, target_id) if target else None
        hr_head = await surveys.is_hr_head(conn, servant.id)
        answered = await surveys.answered(conn, target_id, servant.id)
        sealed = await surveys.result(conn, target_id)
    if target is None or circle is None or target.survey.kind != SurveyKind.SURVEY_360 \
            or not rules.may_read(
                servant.id, circle,
                personnel=ctx.methodology.confidentiality.hr_reads(hr=hr, hr_head=hr_head)):
        raise Rejected(Reason.REPORT_NOT_YOURS)
    if not target.survey.closed or sealed is None or not rules.released(target.others_done):
        raise Rejected(Reason.REPORT_WITHHELD, n=rules.release_threshold)
    if not rules.released(target.others_done, reader_answered=answered):
        raise Rejected(Reason.REPORT_WITHHELD_FROM_RESPONDENT, n=rules.release_threshold)
    others, own = ballots.open_result(_result_key(ctx, target.survey), target.id, sealed)
    result = report_360(rules.sets[target.question_set], others, own)
    return Report(target.subject_name or "", target.others_done, result, rules.options)


# ------------------------------------------------------------------ HR: setting up
async def open_surveys(ctx: Context) -> list[Survey]:
    async with ctx.reading() as conn:
        return await surveys.open_surveys(conn)


async def closed_surveys(ctx: Context) -> list[Survey]:
    """The last few closed surveys, for their results."""
    async with ctx.reading() as conn:
        return await surveys.closed_surveys(conn, 3)


@dataclass(frozen=True, slots=True)
class Proposal:
    target_id: int
    name: str
    respondents: int  # proposed by role (cl. 41); 0: HR chooses by hand


@dataclass(frozen=True, slots=True)
class Created360:
    survey_id: int
    closes_on: date
    proposals: list[Proposal]


async def _audit(tx: Tx, actor: str, action: str, survey_id: int, **facts: object) -> None:
    """An audit entry of a survey action: counts and dates, never an answer."""
    await audit.record(tx.conn, at=tx.now, actor=actor, action=action,
                       subject=f"survey:{survey_id}", after=facts or None)


async def create_360(ctx: Context, personnel_numbers: list[str] | None, *,
                     actor: str) -> Created360:
    """This year's 360 about the servants with these numbers (None: every active servant),
    each with his self-assessment and respondents proposed by role."""
    methodology = ctx.methodology
    rules = methodology.survey360
    assert rules is not None
    async with ctx.transaction() as tx:
        people = await surveys.active_colleagues(tx.conn, tx.today)
        by_no = {p.personnel_no: p for p in people}
        wanted = list(by_no) if personnel_numbers is None else personnel_numbers
        unknown = [n for n in wanted if n not in by_no]
        if unknown or not wanted:
            raise Rejected(Reason.UNKNOWN_PERSONNEL_NUMBERS, unknown=tuple(unknown))
        colleagues = [Colleague(p.id, p.supervisor_id, p.category) for p in people]
        closes = rules.closes_on(tx.today.year, ctx.calendar)
        survey_id = await surveys.create(tx.conn, SurveyKind.SURVEY_360, tx.today.year,
                                         methodology.id, today=tx.today, closes_on=closes,
                                         key_id=_keys(ctx).new_survey())
        proposals = []
        for number in wanted:
            person = by_no[number]
            question_set = question_set_for(
                methodology.routing.is_unit_head(person.category, person.unit_head))
            proposal = propose_respondents(
                rules, Colleague(person.id, person.supervisor_id, person.category), colleagues)
            target = await surveys.add_target(tx.conn, survey_id, person.id, question_set,
                                              [(person.id, RespondentRole.SELF), *proposal])
            proposals.append(Proposal(target, person.full_name, len(proposal)))
        await _audit(tx, actor, "survey.create", survey_id, kind=SurveyKind.SURVEY_360.value,
                     targets=len(proposals), closes_on=closes.isoformat())
    return Created360(survey_id, closes, proposals)


async def choose_respondents(ctx: Context, target_id: int,
                             personnel_numbers: list[str], *, actor: str) -> int:
    """HR's own list of respondents for a target before the survey starts (decision 45); the
    self-assessment stays. Returns how many were chosen."""
    rules = ctx.methodology.survey360
    assert rules is not None
    async with ctx.transaction() as tx:
        evaluatee = await surveys.evaluatee_of(tx.conn, target_id)
        if evaluatee is None or evaluatee.started:
            raise Rejected(Reason.RESPONDENTS_FIXED)
        active = {p.personnel_no: p for p in await surveys.active_colleagues(tx.conn, tx.today)}
        chosen = [active[n] for n in dict.fromkeys(personnel_numbers) if n in active]
        picked = chosen_respondents(
            rules, Colleague(evaluatee.id, evaluatee.supervisor_id, evaluatee.category),
            [Colleague(c.id, c.supervisor_id, c.category) for c in chosen]) \
            if len(chosen) == len(set(personnel_numbers)) else None
        if picked is None:
            raise Rejected(Reason.RESPONDENTS_OUT_OF_RANGE, low=rules.min_respondents,
                           high=rules.max_respondents)
        await surveys.replace_respondents(tx.conn, target_id, picked)
        await _audit(tx, actor, "survey.respondents", evaluatee.survey_id, target=target_id,
                     respondents=len(picked))
    return len(picked)


@dataclass(frozen=True, slots=True)
class CreatedWorkingConditions:
    survey_id: int
    staff: int
    closes_on: date


async def create_working_conditions(ctx: Context, *, actor: str) -> CreatedWorkingConditions:
    """The corps "A" survey about the chief of staff, for the staff of the apparatus — not the
    chief of staff himself: app. 7 is the staff rating him (decision 47)."""
    survey = ctx.methodology.working_conditions
    assert survey is not None
    async with ctx.transaction() as tx:
        staff = await surveys.apparatus_staff(tx.conn, tx.today)
        closes = survey.closes_on(tx.today, ctx.calendar)
        survey_id = await surveys.create(tx.conn, SurveyKind.WORKING_CONDITIONS, tx.today.year,
                                         ctx.methodology.id, today=tx.today, closes_on=closes,
                                         key_id=_keys(ctx).new_survey())
        await surveys.add_target(tx.conn, survey_id, None, QuestionSet.WORKING_CONDITIONS,
                                 [(s, RespondentRole.STAFF) for s in staff])
        await _audit(tx, actor, "survey.create", survey_id,
                     kind=SurveyKind.WORKING_CONDITIONS.value, staff=len(staff),
                     closes_on=closes.isoformat())
    return CreatedWorkingConditions(survey_id, len(staff), closes)


# ------------------------------------------------------------------ HR: running
@dataclass(frozen=True, slots=True)
class Started:
    invitations: int


async def start_survey(ctx: Context, survey_id: int, *, actor: str) -> Started:
    """Send every invitation, once each target has enough respondents (cl. 41)."""
    async with ctx.transaction() as tx:
        survey = await surveys.survey(tx.conn, survey_id)
        if survey is None or survey.closed:
            raise Rejected(Reason.SURVEY_STARTED)
        rules = ctx.methodology.survey360
        fewest = rules.min_respondents if survey.kind == SurveyKind.SURVEY_360 and rules else 1
        short = [t.subject_name for t in await surveys.counts(tx.conn, survey.id)
                 if t.others_invited < fewest]
        if short:
            raise Rejected(Reason.RESPONDENTS_MISSING, names=tuple(short))
        if survey.started:
            raise Rejected(Reason.SURVEY_STARTED)
        invited = await surveys.start(tx.conn, survey.id, tx.today)
        for invitation_id, respondent in invited:
            await tx.notify(NoticeKind.SURVEY_INVITATION, f"invitation:{invitation_id}",
                            respondent, payload={"invitation": invitation_id})
        await _audit(tx, actor, "survey.start", survey.id, invitations=len(invited))
    if not invited:  # started, but with nobody to ask
        raise Rejected(Reason.SURVEY_STARTED)
    return Started(len(invited))


async def progress(ctx: Context, survey_id: int) -> list[TargetCount]:
    """Counts only: HR never learns who has or has not answered."""
    async with ctx.reading() as conn:
        return await surveys.counts(conn, survey_id)


@dataclass(frozen=True, slots=True)
class TargetResult:
    count: TargetCount
    released: bool
    report: Report360 | None  # the colleagues' averages, for a 360 target


@dataclass(frozen=True, slots=True)
class Results360:
    """Aggregates only: competency averages per evaluatee, the organisation's weakest."""

    year: int
    targets: list[TargetResult]
    weakest: list[tuple[Decimal, Competency]]  # (mean of the released averages, competency)


@dataclass(frozen=True, slots=True)
class WorkingConditionsResults:
    responses: int
    released: bool
    counts: dict[str, dict[str, int]]  # per question, per option: answers (released only)
    reader_answered: bool = False  # the reader is one of the respondents


@dataclass(frozen=True, slots=True)
class Closed:
    survey: Survey
    targets: list[TargetResult]
    results: Results360 | WorkingConditionsResults | None  # None: not for this reader


def _total_keys(methodology: Methodology, kind: SurveyKind, question_set: str) -> list[str]:
    """Every key a tally of this questionnaire can produce (the aggregate's fixed width)."""
    if kind == SurveyKind.SURVEY_360:
        rules = methodology.survey360
        assert rules is not None
        return [s.key for s in rules.sets[question_set].statements]
    conditions = methodology.working_conditions
    assert conditions is not None
    return [f"{q.id}={o.code}" for q in conditions.questions for o in q.options]


def _released(methodology: Methodology, survey: Survey, count: TargetCount) -> bool:
    return _rules(methodology, survey.kind).released(count.others_done)


async def _aggregate(ctx: Context, tx: Tx, survey: Survey,
                     targets: list[TargetCount]) -> dict[int, bytes]:
    """Open every ballot of the survey at once and add them up per target, the
    self-assessment apart, with any totals carried over from before 0012; sealed aggregates
    of the released targets only (the others' answers are never added up anywhere)."""
    rules = _rules(ctx.methodology, survey.kind)
    key, results_key = _ballot_key(ctx, survey), _result_key(ctx, survey)
    by_set = {name: _layout(_questionnaire(ctx.methodology, survey.kind, name))
              for name in {t.question_set for t in targets}}
    layouts = {t.target_id: by_set[t.question_set] for t in targets}
    tallied = {(item, option): tuple(rules.tally({item: option}).values())
               for layout in by_set.values() for item, options in layout.items()
               for option in options}
    encoded: dict[tuple[int, bool], list[str]] = {}
    for sealed in await surveys.ballots(tx.conn, survey.id):
        target, is_self, answers = ballots.open_ballot(key, survey.id, sealed)
        encoded.setdefault((target, is_self), []).append(answers)

    def added(target: int, is_self: bool) -> Totals:
        return add_up_counted(tallied, ballots.counted(encoded.get((target, is_self), []),
                                                           layouts[target]))

    carried = await surveys.results(tx.conn, survey.id)
    found: dict[int, bytes] = {}
    for t in targets:
        if not _released(ctx.methodology, survey, t):
            continue
        before: tuple[Totals, Totals] = ({}, {})
        if t.target_id in carried:
            before = ballots.open_result(results_key, t.target_id, carried[t.target_id])
        others = _merge(added(t.target_id, False), before[0])
        own = _merge(added(t.target_id, True), before[1])
        found[t.target_id] = ballots.seal_result(
            results_key, t.target_id, others, own,
            _total_keys(ctx.methodology, survey.kind, t.question_set))
    return found


def _merge(totals: Totals, more: Totals) -> Totals:
    merged = dict(totals)
    for key, (points, answers) in more.items():
        was = merged.get(key, (0, 0))
        merged[key] = (was[0] + points, was[1] + answers)
    return merged


_SURVEY_NOTICES = (NoticeKind.SURVEY_INVITATION, NoticeKind.SURVEY_REMINDER)


async def close_survey(ctx: Context, survey_id: int, *, actor: str,
                       reader: Servant | None = None, hr: bool = False) -> Closed | None:
    """Close it: add all its ballots up at once into sealed aggregates of the released
    targets, destroy the ballots, the unfinished drafts and then the ballot key, drop its
    unsent invitations and reminders, and checkpoint the write-ahead log so that no copy of the
    files keeps them (docs/anonymity.md); tell each evaluatee whose report is released.
    None if it is unknown or was already closed (a double tap). ``reader``: whom the results
    are for (None: nobody, as at the automatic close)."""
    async with ctx.transaction() as tx:
        survey = await surveys.survey(tx.conn, survey_id)
        if survey is None or survey.closed:
            return None
        targets = await surveys.counts(tx.conn, survey.id)
        aggregates = await _aggregate(ctx, tx, survey, targets)
        await surveys.close(tx.conn, survey.id, tx.today, aggregates, _SURVEY_NOTICES)
        if survey.kind == SurveyKind.SURVEY_360:
            for t in targets:
                if t.target_id in aggregates and t.subject_id is not None:
                    await tx.notify(NoticeKind.SURVEY_REPORT, f"target:{t.target_id}",
                                    t.subject_id, payload={"target": t.target_id})
        await _audit(tx, actor, "survey.close", survey.id,
                     responses=sum(t.others_done for t in targets),
                     released=len(aggregates))
    assert survey.key_id is not None
    _keys(ctx).forget([survey.key_id])
    if not await ctx.db.checkpoint():
        log.warning("the write-ahead log could not be truncated after closing survey %s "
                    "(another reader holds it); the next close or restart retries", survey.id)
    async with ctx.reading() as conn:
        closed = await surveys.survey(conn, survey.id)
    assert closed is not None
    released = [TargetResult(t, t.target_id in aggregates, None) for t in targets]
    found = await results(ctx, closed, reader, hr=hr) if reader is not None else None
    return Closed(closed, released, found)


async def results(ctx: Context, survey: Survey, reader: Servant, *, hr: bool
                  ) -> Results360 | WorkingConditionsResults | None:
    """What this reader of the personnel service may see of a closed survey's answers: None
    if the methodology keeps the 360 reports from him (cl. 26); a target he answered about
    counts only the others' answers towards its threshold (docs/anonymity.md)."""
    async with ctx.reading() as conn:
        hr_head = await surveys.is_hr_head(conn, reader.id)
        targets = await surveys.counts(conn, survey.id)
        sealed = await surveys.results(conn, survey.id)
        mine = await surveys.answered_targets(conn, survey.id, reader.id)
    if not survey.closed:
        return None
    results_key = _result_key(ctx, survey)
    totals = {t: ballots.open_result(results_key, t, s)[0] for t, s in sealed.items()}
    if survey.kind != SurveyKind.SURVEY_360:
        conditions = ctx.methodology.working_conditions
        assert conditions is not None
        responses = targets[0].others_done if targets else 0
        answered = bool(targets) and targets[0].target_id in mine
        if not targets or targets[0].target_id not in totals \
                or not conditions.released(responses, reader_answered=answered):
            return WorkingConditionsResults(responses, False, {}, answered)
        return WorkingConditionsResults(
            responses, True, conditions.distribution(totals[targets[0].target_id]), answered)
    rules = ctx.methodology.survey360
    assert rules is not None
    if not ctx.methodology.confidentiality.hr_reads(hr=hr, hr_head=hr_head):
        return None
    found = []
    for t in targets:
        shown = t.target_id in totals and rules.released(
            t.others_done, reader_answered=t.target_id in mine)
        found.append(TargetResult(t, shown, report_360(
            rules.sets[t.question_set], totals[t.target_id] if shown else {}, {})))
    weakest = organisation_weakest(r.report for r in found if r.released and r.report)
    return Results360(survey.year, found, weakest)


async def closed_results(ctx: Context, survey_id: int, reader: Servant, *, hr: bool
                         ) -> Closed | None:
    """A closed survey's counts and, for a reader who may see them, its results."""
    async with ctx.reading() as conn:
        survey = await surveys.survey(conn, survey_id)
        targets = await surveys.counts(conn, survey_id) if survey else []
        sealed = await surveys.results(conn, survey_id) if survey else {}
    if survey is None or not survey.closed:
        return None
    return Closed(survey, [TargetResult(t, t.target_id in sealed, None) for t in targets],
                  await results(ctx, survey, reader, hr=hr))


# ------------------------------------------------------------------ the legal date
async def close_due(ctx: Context) -> int:
    """Close every survey past its last day (cl. 4 moved off days off, decision 48; the
    working-conditions survey after its working days) and tell the personnel service that its
    results are in; delete the closed surveys' invitations and reminders from the outbox.
    Returns how many closed."""
    today = ctx.clock.today()
    async with ctx.transaction() as tx:
        await surveys.forget_notices(tx.conn, _SURVEY_NOTICES)
        due = [s for s in await surveys.open_surveys(tx.conn) if s.closes_on < today]
    closed = 0
    for survey in due:
        if await close_survey(ctx, survey.id, actor="scheduler") is None:
            continue
        closed += 1
        async with ctx.transaction() as tx:
            readers = await surveys.personnel_readers(tx.conn, tx.today, heads_only=False)
            await tx.notify(NoticeKind.SURVEY_RESULTS, f"survey:{survey.id}", readers,
                            payload={"survey": survey.id})
    return closed


# ------------------------------------------------------------------ before sealing (0012)
async def seal_unsealed(ctx: Context) -> None:
    """Once, after migration 0012: give every survey its key, seal the plaintext drafts and
    totals of 0005 (an open survey's totals are carried into its close) and drop them."""
    async with ctx.transaction() as tx:
        if not await surveys.unsealed_left(tx.conn):
            return
        keys = _keys(ctx)
        for survey in await surveys.without_key(tx.conn):
            await surveys.set_key(tx.conn, survey.id, keys.new_survey())
        for invitation_id, answers in (await surveys.unsealed_drafts(tx.conn)).items():
            invitation = await surveys.invitation(tx.conn, invitation_id)
            assert invitation is not None
            sealed = ballots.seal_draft(_ballot_key(ctx, invitation.survey), invitation_id,
                                        answers, _layout(questions(ctx.methodology, invitation)))
            await surveys.save_draft(tx.conn, invitation_id, sealed, invitation.position)
        for target_id, (others, own) in (await surveys.unsealed_totals(tx.conn)).items():
            target = await surveys.target(tx.conn, target_id)
            assert target is not None
            sealed = ballots.seal_result(
                _result_key(ctx, target.survey), target_id, others, own,
                _total_keys(ctx.methodology, target.survey.kind, target.question_set))
            await surveys.save_result(tx.conn, target_id, sealed)
        await surveys.drop_unsealed(tx.conn)
        closed = [s.key_id for s in await surveys.closed_surveys(tx.conn, 10**6) if s.key_id]
    keys.forget(closed)
    await ctx.db.checkpoint()
    log.info("survey answers of before migration 0012 sealed")


async def forget_closed_keys(ctx: Context) -> None:
    """At start: destroy the ballot keys of surveys that closed (a close that stopped between
    its commit and forgetting the key is finished here)."""
    async with ctx.reading() as conn:
        still_open = await surveys.open_key_ids(conn)
    _keys(ctx).keep_only(still_open)
