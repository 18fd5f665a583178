"""Anonymous surveys: the 360 (justice cl. 39–42) and the corps "A" working-conditions survey
(004 app. 7) on one engine.

A respondent answers into his own draft; submitting adds the draft to the target's totals, marks
the invitation done and deletes the draft in one transaction, so nothing keeps who answered
what (docs/decisions.md 46). HR sees counts only; a report or a distribution appears only once
enough answers are in (decisions 44, 47).
"""

from __future__ import annotations

from collections.abc import Mapping
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
    chosen_respondents,
    organisation_weakest,
    propose_respondents,
    question_set_for,
)
from storage import surveys
from storage.models import Servant
from storage.surveys import Invitation, Survey, SurveyKind, TargetCount

from .context import Context
from .errors import Reason, Rejected
from .notices import NoticeKind


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
    if invitation.survey.kind == SurveyKind.SURVEY_360:
        rules = methodology.survey360
        assert rules is not None
        options = tuple((o.code, o.label) for o in rules.options)
        return tuple(Question(s.key, c.title, s.text, options)
                     for c in rules.sets[invitation.question_set].competencies
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


# ------------------------------------------------------------------ the respondent
async def my_surveys(ctx: Context, servant: Servant) -> MySurveys:
    pending = await surveys.invitations_of(ctx.db, servant.id)
    async with ctx.reading() as conn:
        own = await surveys.targets_of_subject(conn, servant.id)
    return MySurveys(pending, own)


async def own_invitation(ctx: Context, respondent: Servant, invitation_id: int) -> Invitation:
    """His invitation, while he may still answer it."""
    invitation = await surveys.own_invitation(ctx.db, invitation_id, respondent.id)
    if invitation is None:
        raise Rejected(Reason.SURVEY_NOT_YOURS)
    if invitation.done:
        raise Rejected(Reason.SURVEY_SUBMITTED)
    if invitation.survey.closed or not invitation.survey.started:
        raise Rejected(Reason.SURVEY_CLOSED)
    return invitation


async def go_to(ctx: Context, respondent: Servant, invitation_id: int,
                index: int) -> Answering:
    """Move to a question (or the review past the last), remembered so that he resumes there."""
    invitation = await own_invitation(ctx, respondent, invitation_id)
    asked = questions(ctx.methodology, invitation)
    index = max(0, min(index, len(asked)))
    await surveys.move(ctx.db, invitation.id, index)
    return Answering(invitation, asked, await surveys.draft(ctx.db, invitation.id), index)


async def answer(ctx: Context, respondent: Servant, invitation_id: int, index: int,
                 option: str) -> Answering:
    """Save one answer to his own draft and move on to the next question."""
    invitation = await own_invitation(ctx, respondent, invitation_id)
    asked = questions(ctx.methodology, invitation)
    if not 0 <= index < len(asked) or not asked[index].offers(option):
        raise Rejected(Reason.OUT_OF_DATE)
    await surveys.answer(ctx.db, invitation.id, asked[index].key, option, index + 1)
    return Answering(invitation, asked, await surveys.draft(ctx.db, invitation.id), index + 1)


async def submit(ctx: Context, respondent: Servant, invitation_id: int) -> SubmittedAnswers:
    """Add the complete draft to the totals and forget it (decision 46)."""
    invitation = await own_invitation(ctx, respondent, invitation_id)
    asked = questions(ctx.methodology, invitation)
    draft = await surveys.draft(ctx.db, invitation.id)
    if set(draft) != {q.key for q in asked}:
        raise Rejected(Reason.SURVEY_INCOMPLETE)
    methodology = ctx.methodology
    rules = methodology.survey360 if invitation.survey.kind == SurveyKind.SURVEY_360 \
        else methodology.working_conditions
    assert rules is not None
    async with ctx.transaction() as tx:
        done = await surveys.submit(tx.conn, invitation, rules.tally(draft), tx.today)
    return SubmittedAnswers(done)


async def pending_invitation(ctx: Context, invitation_id: int) -> PendingInvitation | None:
    """The invitation if it is still to answer (not submitted, the survey not closed)."""
    invitation = await surveys.invitation(ctx.db, invitation_id)
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
    """The evaluatee, his direct supervisor and HR may read it, once the survey is closed with
    enough answers (decision 44)."""
    async with ctx.reading() as conn:
        target = await surveys.target(conn, target_id)
    if target is None or (servant.id not in (target.subject_id, target.supervisor_id)
                          and not hr):
        raise Rejected(Reason.REPORT_NOT_YOURS)
    rules = ctx.methodology.survey360
    assert rules is not None
    if not target.closed or not rules.released(target.others_done):
        raise Rejected(Reason.REPORT_WITHHELD, n=rules.release_threshold)
    async with ctx.reading() as conn:
        others, own = await surveys.totals(conn, target.id)
    result = report_360(rules.sets[target.question_set], others, own)
    return Report(target.subject_name or "", target.others_done, result, rules.options)


# ------------------------------------------------------------------ HR: setting up
async def open_surveys(ctx: Context) -> list[Survey]:
    async with ctx.reading() as conn:
        return await surveys.open_surveys(conn)


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


async def create_360(ctx: Context, personnel_numbers: list[str] | None) -> Created360:
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
                                         methodology.id, today=tx.today, closes_on=closes)
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
    return Created360(survey_id, closes, proposals)


async def choose_respondents(ctx: Context, target_id: int,
                             personnel_numbers: list[str]) -> int:
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
    return len(picked)


@dataclass(frozen=True, slots=True)
class CreatedWorkingConditions:
    survey_id: int
    staff: int
    closes_on: date


async def create_working_conditions(ctx: Context) -> CreatedWorkingConditions:
    """The corps "A" survey about the chief of staff, for all active staff of the body
    (decision 47)."""
    survey = ctx.methodology.working_conditions
    assert survey is not None
    async with ctx.transaction() as tx:
        staff = await surveys.active_staff(tx.conn, tx.today)
        closes = survey.closes_on(tx.today, ctx.calendar)
        survey_id = await surveys.create(tx.conn, SurveyKind.WORKING_CONDITIONS, tx.today.year,
                                         ctx.methodology.id, today=tx.today, closes_on=closes)
        await surveys.add_target(tx.conn, survey_id, None, QuestionSet.WORKING_CONDITIONS,
                                 [(s, RespondentRole.STAFF) for s in staff])
    return CreatedWorkingConditions(survey_id, len(staff), closes)


# ------------------------------------------------------------------ HR: running
@dataclass(frozen=True, slots=True)
class Started:
    invitations: int


async def start_survey(ctx: Context, survey_id: int) -> Started:
    """Send every invitation, once each target has enough respondents (cl. 41)."""
    async with ctx.transaction() as tx:
        survey = await surveys.survey(tx.conn, survey_id)
        if survey is None:
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


@dataclass(frozen=True, slots=True)
class Closed:
    survey: Survey
    targets: list[TargetResult]
    results: Results360 | WorkingConditionsResults


async def close_survey(ctx: Context, survey_id: int) -> Closed | None:
    """Close it (unfinished drafts are deleted unread) and tell each evaluatee whose report is
    released; None if it is unknown or was already closed (a double tap)."""
    rules = ctx.methodology.survey360
    async with ctx.transaction() as tx:
        survey = await surveys.survey(tx.conn, survey_id)
        if survey is None or survey.closed:
            return None
        await surveys.close(tx.conn, survey.id, tx.today)
        targets = await surveys.counts(tx.conn, survey.id)
        if survey.kind == SurveyKind.SURVEY_360 and rules is not None:
            for t in targets:
                if rules.released(t.others_done) and t.subject_id is not None:
                    await tx.notify(NoticeKind.SURVEY_REPORT, f"target:{t.target_id}",
                                    t.subject_id, payload={"target": t.target_id})
    released = [TargetResult(t, rules is None or survey.kind != SurveyKind.SURVEY_360
                             or rules.released(t.others_done), None) for t in targets]
    return Closed(survey, released, await results(ctx, survey))


async def results(ctx: Context, survey: Survey) -> Results360 | WorkingConditionsResults:
    """What HR may see of a survey's answers."""
    async with ctx.reading() as conn:
        targets = await surveys.counts(conn, survey.id)
        totals = await surveys.all_totals(conn, survey.id)
    if survey.kind != SurveyKind.SURVEY_360:
        conditions = ctx.methodology.working_conditions
        assert conditions is not None
        responses = targets[0].others_done if targets else 0
        if not conditions.released(responses):
            return WorkingConditionsResults(responses, False, {})
        return WorkingConditionsResults(
            responses, True, conditions.distribution(totals.get(targets[0].target_id, {})))
    rules = ctx.methodology.survey360
    assert rules is not None
    found = [TargetResult(t, rules.released(t.others_done),
                          report_360(rules.sets[t.question_set], totals.get(t.target_id, {}), {}))
             for t in targets]
    weakest = organisation_weakest(r.report for r in found if r.released and r.report)
    return Results360(survey.year, found, weakest)
