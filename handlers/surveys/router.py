"""Anonymous surveys in the chat: HR sets up a 360 (or the working-conditions) survey, respondents
answer one statement at a time, reports appear only when enough answers exist."""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from decimal import Decimal
from html import escape

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.notifier import Notifier
from handlers.common.callbacks import MenuCb, SurveyCb
from handlers.common.keyboards import inline
from handlers.common.render import format_date, format_score, official
from handlers.common.workbooks import xlsx
from scoring import Methodology, WorkCalendar, report_360
from scoring.periods import deadline_after
from scoring.survey import Colleague, propose_respondents
from services.clock import Clock
from storage import outbox
from storage import surveys as store
from storage.db import Database
from storage.models import Servant

from .radar import radar_png


class SurveyInput(StatesGroup):
    evaluatees = State()
    respondents = State()


# ------------------------------------------------------------------ the questionnaire as items
def items(methodology: Methodology, invitation: store.Invitation
          ) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(item key, heading, text, [(option code, label)]) in order, in the reader's language."""
    if invitation.survey.kind == "360":
        rules = methodology.survey360
        options = [(o.code, official(o.label)) for o in rules.options]
        return [(s.key, official(c.title), official(s.text), options)
                for c in rules.sets[invitation.question_set].competencies
                for s in c.statements]
    survey = methodology.working_conditions
    return [(q.id, "", official(q.text), [(o.code, official(o.label)) for o in q.options])
            for q in survey.questions]


def _points(methodology: Methodology, invitation: store.Invitation,
            answers: dict[str, str]) -> dict[str, tuple[str, int]]:
    if invitation.survey.kind == "360":
        rules = methodology.survey360
        return {item: (item, rules.points(option)) for item, option in answers.items()}
    return {item: (f"{item}={option}", 1) for item, option in answers.items()}


# ------------------------------------------------------------------ the respondent
def _screen(invitation: store.Invitation, questionnaire, index: int, chosen: str | None):
    _item, heading, text, options = questionnaire[index]
    about = _("Anonymous 360 survey about {name}").format(name=escape(invitation.subject_name)) \
        if invitation.survey.kind == "360" and invitation.role != "self" else \
        _("Your 360 self-assessment") if invitation.survey.kind == "360" else \
        _("Anonymous survey on working conditions")
    lines = [f"<b>{about}</b>",
             _("{number} of {total}").format(number=index + 1, total=len(questionnaire))]
    if heading:
        lines.append(f"<i>{escape(heading)}</i>")
    lines.append(escape(text))
    rows = [[(("• " if code == chosen else "") + label,
              SurveyCb(id=invitation.id, action="answer", index=index, value=code))]
            for code, label in options]
    rows.append([(_("◀ Back"), SurveyCb(id=invitation.id, action="go", index=max(index - 1, 0)))])
    return "\n".join(lines), inline(rows)


def _review(invitation: store.Invitation, questionnaire, answered: int):
    lines = [_("You answered {answered} of {total}.").format(answered=answered,
                                                             total=len(questionnaire))]
    rows = []
    if answered == len(questionnaire):
        lines.append(_("Submit? Your answers join the totals at once: they cannot be changed "
                       "afterwards, and nobody can see what you answered."))
        rows.append([(_("Submit"), SurveyCb(id=invitation.id, action="submit"))])
    rows.append([(_("Change my answers"), SurveyCb(id=invitation.id, action="go", index=0))])
    return "\n".join(lines), inline(rows)


async def _own(callback: CallbackQuery, db: Database, invitation_id: int,
               servant: Servant | None) -> store.Invitation | None:
    invitation = await store.invitation(db, invitation_id)
    if invitation is None or servant is None or not await _is_respondent(db, invitation,
                                                                          servant.id):
        await callback.answer(_("This survey is not available to you."), show_alert=True)
        return None
    if invitation.done:
        await callback.answer(_("You have already submitted this survey. Thank you!"),
                              show_alert=True)
        return None
    if invitation.survey.closed or not invitation.survey.started:
        await callback.answer(_("This survey is closed."), show_alert=True)
        return None
    return invitation


async def _is_respondent(db: Database, invitation: store.Invitation, servant_id: int) -> bool:
    rows = await db.fetch("SELECT respondent_id FROM survey_invitation WHERE id = ?",
                          (invitation.id,))
    return bool(rows) and rows[0][0] == servant_id


async def _show(callback: CallbackQuery, view) -> None:
    text, markup = view
    with suppress(TelegramBadRequest):
        await callback.message.edit_text(text, reply_markup=markup)


async def go(callback: CallbackQuery, callback_data: SurveyCb, db: Database,
             methodology: Methodology, servant: Servant | None) -> None:
    invitation = await _own(callback, db, callback_data.id, servant)
    if invitation is None:
        return
    questionnaire = items(methodology, invitation)
    index = max(0, min(callback_data.index, len(questionnaire)))
    await store.move(db, invitation.id, index)
    answers = await store.draft(db, invitation.id)
    await callback.answer()
    if index >= len(questionnaire):
        await _show(callback, _review(invitation, questionnaire, len(answers)))
        return
    await _show(callback, _screen(invitation, questionnaire, index,
                                  answers.get(questionnaire[index][0])))


async def answer(callback: CallbackQuery, callback_data: SurveyCb, db: Database,
                 methodology: Methodology, servant: Servant | None) -> None:
    invitation = await _own(callback, db, callback_data.id, servant)
    if invitation is None:
        return
    questionnaire = items(methodology, invitation)
    if not 0 <= callback_data.index < len(questionnaire) or callback_data.value not in {
            code for code, _label in questionnaire[callback_data.index][3]}:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
        return
    key = questionnaire[callback_data.index][0]
    await store.answer(db, invitation.id, key, callback_data.value, callback_data.index + 1)
    answers = await store.draft(db, invitation.id)
    await callback.answer()
    following = callback_data.index + 1
    if following >= len(questionnaire):
        await _show(callback, _review(invitation, questionnaire, len(answers)))
        return
    await _show(callback, _screen(invitation, questionnaire, following,
                                  answers.get(questionnaire[following][0])))


async def submit(callback: CallbackQuery, callback_data: SurveyCb, db: Database, clock: Clock,
                 methodology: Methodology, servant: Servant | None) -> None:
    invitation = await _own(callback, db, callback_data.id, servant)
    if invitation is None:
        return
    questionnaire = items(methodology, invitation)
    answers = await store.draft(db, invitation.id)
    if set(answers) != {q[0] for q in questionnaire}:
        await callback.answer(_("Some statements have no answer yet."), show_alert=True)
        return
    async with db.transaction() as conn:
        done = await store.submit(conn, invitation, _points(methodology, invitation, answers),
                                  clock.today())
    await callback.answer(_("Thank you!") if done else _("You have already submitted this "
                                                        "survey. Thank you!"))
    await _show(callback, (_("Submitted. Thank you: your answers are now part of the totals "
                             "and cannot be traced back to you."), None))


async def my_surveys(message: Message, db: Database, methodology: Methodology,
                     servant: Servant | None, roles: frozenset[str], clock: Clock) -> None:
    if servant is None:
        await message.answer(_("Send /start to begin."))
        return
    rows = [[(invitation_label(i), SurveyCb(id=i.id, action="go", index=i.position))]
            for i in await store.invitations_of(db, servant.id)]
    async with db.reading() as conn:
        own = [t for t in await store.targets_of_subject(conn, servant.id)]
    rows += [[(_("My 360 report"), SurveyCb(id=t.target_id, action="report"))] for t in own]
    if "hr" in roles:
        rows.append([(_("Surveys: HR"), MenuCb(action="surveys_hr"))])
    text = _("Surveys waiting for your answers:") if rows else _("No surveys are waiting for "
                                                                "you.")
    await message.answer(text, reply_markup=inline(rows) if rows else None)


async def my_surveys_from_menu(callback: CallbackQuery, db: Database, methodology: Methodology,
                               servant: Servant | None, roles: frozenset[str],
                               clock: Clock) -> None:
    await callback.answer()
    await my_surveys(callback.message, db, methodology, servant, roles, clock)


def invitation_label(invitation: store.Invitation) -> str:
    if invitation.survey.kind != "360":
        return _("Working-conditions survey")
    if invitation.role == "self":
        return _("My self-assessment")
    return _("About {name}").format(name=invitation.subject_name)


# ------------------------------------------------------------------ reports
async def report(callback: CallbackQuery, callback_data: SurveyCb, db: Database,
                 methodology: Methodology, servant: Servant | None,
                 roles: frozenset[str]) -> None:
    async with db.reading() as conn:
        rows = await conn.execute_fetchall(
            "SELECT t.id, t.subject_id, t.question_set, t.others_done, s.closed_on, "
            "x.full_name, x.supervisor_id FROM survey_target t JOIN survey s "
            "ON s.id = t.survey_id LEFT JOIN servant x ON x.id = t.subject_id WHERE t.id = ?",
            (callback_data.id,))
    if not rows or servant is None:
        await callback.answer(_("This report is not available to you."), show_alert=True)
        return
    target_id, subject_id, question_set, others, closed, name, supervisor = rows[0]
    if servant.id not in (subject_id, supervisor) and "hr" not in roles:
        await callback.answer(_("This report is not available to you."), show_alert=True)
        return
    rules = methodology.survey360
    if not closed or not rules.released(others):
        await callback.answer(_(
            "The report is withheld: it appears when the survey is closed with at least {n} "
            "answers from colleagues (so that no answer can be singled out).").format(
            n=rules.release_threshold), show_alert=True)
        return
    await callback.answer()
    async with db.reading() as conn:
        others_totals, self_totals = await store.totals(conn, target_id)
    text, png = render_report(methodology, question_set, name, others_totals, self_totals,
                              others)
    await callback.message.answer_photo(BufferedInputFile(png, "360.png"))
    await callback.message.answer(text)


def render_report(methodology: Methodology, question_set: str, name: str, others_totals,
                  self_totals, responses: int) -> tuple[str, bytes]:
    rules = methodology.survey360
    result = report_360(rules.sets[question_set], others_totals, self_totals)
    lines = [_("<b>360 report: {name}</b> ({n} colleagues answered; the self-assessment is "
               "shown apart and not counted)").format(name=escape(name), n=responses),
             _("Scale: {scale}").format(scale="; ".join(
                 f"{o.points} — {official(o.label)}" for o in rules.options))]
    for score in result.scores:
        line = f"{escape(official(score.competency.title))}: <b>" + (
            format_score(score.average) if score.average is not None else "—") + "</b>"
        if score.self_average is not None:
            line += " " + _("(self {self}, gap {gap})").format(
                self=format_score(score.self_average),
                gap=format_score(score.gap) if score.gap is not None else "—")
        lines.append(line)
    weakest = result.weakest(3)
    if weakest:
        lines.append(_("Weakest competencies (for training): {names}.").format(
            names=", ".join(escape(official(s.competency.title)) for s in weakest)))
    png = radar_png(_("360 report: {name}").format(name=name),
                    [official(s.competency.title) for s in result.scores],
                    [s.average for s in result.scores], [s.self_average for s in result.scores],
                    _("Colleagues"), _("Self-assessment"))
    return "\n".join(lines), png


# ------------------------------------------------------------------ HR
async def hr_menu(event: Message | CallbackQuery, db: Database, roles: frozenset[str],
                  clock: Clock, methodology: Methodology) -> None:
    message = event.message if isinstance(event, CallbackQuery) else event
    if isinstance(event, CallbackQuery):
        await event.answer()
    if "hr" not in roles:
        await message.answer(_("Only the HR service runs surveys."))
        return
    rows = []
    if methodology.survey360 is not None:
        rows.append([(_("New 360 survey for {year}").format(year=clock.today().year),
                      SurveyCb(id=clock.today().year, action="new360"))])
    if methodology.working_conditions is not None:
        rows.append([(_("Working-conditions survey"), SurveyCb(id=clock.today().year,
                                                               action="new_wc"))])
    async with db.reading() as conn:
        for survey in await store.open_surveys(conn):
            label = _("360 survey {year}").format(year=survey.year) if survey.kind == "360" \
                else _("Working-conditions survey {year}").format(year=survey.year)
            rows.append([(_("{survey}: progress").format(survey=label),
                          SurveyCb(id=survey.id, action="progress"))])
            if not survey.started:
                rows.append([(_("{survey}: start").format(survey=label),
                              SurveyCb(id=survey.id, action="start"))])
            rows.append([(_("{survey}: close").format(survey=label),
                          SurveyCb(id=survey.id, action="close"))])
    await message.answer(_("Surveys:"), reply_markup=inline(rows))


async def new_360(callback: CallbackQuery, state: FSMContext, roles: frozenset[str]) -> None:
    await callback.answer()
    if "hr" not in roles:
        return
    await state.set_state(SurveyInput.evaluatees)
    await callback.message.answer(_("Whom is the 360 survey about? Send their personnel "
                                    "numbers separated by spaces, or “all”."))


async def typed_evaluatees(message: Message, state: FSMContext, db: Database, clock: Clock,
                           calendar: WorkCalendar, methodology: Methodology) -> None:
    rules = methodology.survey360
    async with db.reading() as conn:
        people = await conn.execute_fetchall(
            "SELECT id, personnel_no, full_name, supervisor_id, category, unit_head FROM servant "
            "WHERE dismissed_on IS NULL OR dismissed_on >= ?", (clock.today().isoformat(),))
    by_no = {r[1]: r for r in people}
    wanted = list(by_no) if message.text.strip().lower() in ("all", "все", "барлығы") else \
        message.text.replace(",", " ").split()
    unknown = [n for n in wanted if n not in by_no]
    if unknown or not wanted:
        await message.answer(_("Unknown personnel numbers: {numbers}. Send the list again.")
                             .format(numbers=", ".join(unknown) or "—"))
        return
    colleagues = [Colleague(r[0], r[3], r[4]) for r in people]
    today = clock.today()
    closes = deadline_after(date(today.year, 12, 31), rules.deadline_day, calendar)
    lines, short = [], []
    async with db.transaction() as conn:
        survey_id = await store.create(conn, "360", today.year, methodology.id, today=today,
                                       closes_on=closes)
        for number in wanted:
            row = by_no[number]
            person = Colleague(row[0], row[3], row[4])
            question_set = "unit_heads" if methodology.routing.is_unit_head(
                row[4], bool(row[5])) else "others"
            proposal = propose_respondents(rules, person, colleagues)
            target = await store.add_target(conn, survey_id, row[0], question_set,
                                            [(row[0], "self"), *proposal])
            lines.append(_("{name}: {n} respondents proposed").format(name=escape(row[2]),
                                                                      n=len(proposal)))
            short.append((target, row[2]))
    await state.clear()
    rows = [[(_("Choose respondents for {name}").format(name=name),
              SurveyCb(id=target, action="adjust"))] for target, name in short]
    rows.append([(_("Start the survey"), SurveyCb(id=survey_id, action="start"))])
    await message.answer("\n".join([_("360 survey created; it closes on {date}.").format(
        date=format_date(closes)), *lines]), reply_markup=inline(rows))


async def adjust(callback: CallbackQuery, callback_data: SurveyCb, state: FSMContext,
                 methodology: Methodology, roles: frozenset[str]) -> None:
    await callback.answer()
    if "hr" not in roles:
        return
    rules = methodology.survey360
    await state.set_state(SurveyInput.respondents)
    await state.set_data({"target": callback_data.id})
    await callback.message.answer(_("Send the personnel numbers of {low} to {high} respondents "
                                    "separated by spaces.").format(low=rules.min_respondents,
                                                                   high=rules.max_respondents))


async def typed_respondents(message: Message, state: FSMContext, db: Database, clock: Clock,
                            methodology: Methodology) -> None:
    rules = methodology.survey360
    data = await state.get_data()
    numbers = message.text.replace(",", " ").split()
    async with db.reading() as conn:
        target = await conn.execute_fetchall(
            "SELECT t.subject_id, s.supervisor_id, v.started_on FROM survey_target t "
            "JOIN servant s ON s.id = t.subject_id JOIN survey v ON v.id = t.survey_id "
            "WHERE t.id = ?", (data.get("target", 0),))
        people = {r[0]: r for r in await conn.execute_fetchall(
            "SELECT personnel_no, id, supervisor_id FROM servant WHERE dismissed_on IS NULL "
            "OR dismissed_on >= ?", (clock.today().isoformat(),))}
    if not target or target[0][2]:
        await state.clear()
        await message.answer(_("This survey has started; respondents can no longer change."))
        return
    subject, supervisor, _started = target[0]
    chosen = [people[n] for n in dict.fromkeys(numbers) if n in people]
    if len(chosen) != len(set(numbers)) or any(c[1] == subject for c in chosen) or not (
            rules.min_respondents <= len(chosen) <= rules.max_respondents):
        await message.answer(_("Choose {low} to {high} active colleagues, not the evaluatee "
                               "himself. Send the numbers again.").format(
            low=rules.min_respondents, high=rules.max_respondents))
        return
    respondents = [(c[1], "direct_supervisor" if c[1] == supervisor else
                    "subordinate" if c[2] == subject else "peer") for c in chosen]
    async with db.transaction() as conn:
        await store.replace_respondents(conn, data["target"], respondents)
    await state.clear()
    await message.answer(_("Respondents saved: {n}.").format(n=len(respondents)))


async def start(callback: CallbackQuery, callback_data: SurveyCb, db: Database, clock: Clock,
                methodology: Methodology, notifier: Notifier, roles: frozenset[str]) -> None:
    if "hr" not in roles:
        await callback.answer(_("Only the HR service runs surveys."), show_alert=True)
        return
    async with db.transaction() as conn:
        survey = await store.survey(conn, callback_data.id)
        targets = await store.counts(conn, callback_data.id) if survey else []
        low = methodology.survey360.min_respondents if survey and survey.kind == "360" else 1
        short = [t.subject_name for t in targets if t.others_invited < low]
        if survey is None or survey.started or short:
            invitations = []
        else:
            invitations = await store.start(conn, survey.id, clock.today())
            for invitation_id in invitations:
                rows = await conn.execute_fetchall(
                    "SELECT respondent_id FROM survey_invitation WHERE id = ?", (invitation_id,))
                await outbox.enqueue(conn, "survey_invitation", f"invitation:{invitation_id}",
                                     rows[0][0], due_on=clock.today(), not_before=clock.now(),
                                     at=clock.now(), payload={"invitation": invitation_id})
    if short:
        await callback.answer(_("Choose respondents first for: {names}.").format(
            names=", ".join(short)), show_alert=True)
        return
    if not invitations:
        await callback.answer(_("This survey has already started."), show_alert=True)
        return
    notifier.wake()
    await callback.answer()
    await callback.message.answer(_("The survey has started: {n} invitations are on their way.")
                                  .format(n=len(invitations)))


async def progress(callback: CallbackQuery, callback_data: SurveyCb, db: Database,
                   methodology: Methodology, roles: frozenset[str]) -> None:
    """Counts only: HR never learns who has or has not answered."""
    if "hr" not in roles:
        await callback.answer(_("Only the HR service runs surveys."), show_alert=True)
        return
    await callback.answer()
    async with db.reading() as conn:
        targets = await store.counts(conn, callback_data.id)
    lines = [_("{name}: {done} of {invited} colleagues answered; self-assessment: {self}").format(
        name=escape(t.subject_name or _("the body")), done=t.others_done,
        invited=t.others_invited, self=_("done") if t.self_done else _("not yet"))
        for t in targets]
    await callback.message.answer("\n".join(lines) or _("No targets."))


async def close(callback: CallbackQuery, callback_data: SurveyCb, db: Database, clock: Clock,
                methodology: Methodology, notifier: Notifier, roles: frozenset[str]) -> None:
    if "hr" not in roles:
        await callback.answer(_("Only the HR service runs surveys."), show_alert=True)
        return
    async with db.transaction() as conn:
        survey = await store.survey(conn, callback_data.id)
        if survey is None or survey.closed:
            targets = []
        else:
            await store.close(conn, survey.id, clock.today())
            targets = await store.counts(conn, survey.id)
            if survey.kind == "360":
                for t in targets:
                    if methodology.survey360.released(t.others_done):
                        await outbox.enqueue(conn, "survey_report", f"target:{t.target_id}",
                                             t.subject_id, due_on=clock.today(),
                                             not_before=clock.now(), at=clock.now(),
                                             payload={"target": t.target_id})
    notifier.wake()
    await callback.answer()
    if survey is None or (survey.closed and not targets):
        await callback.message.answer(_("This survey is already closed."))
        return
    await callback.message.answer(_("The survey is closed.") + "\n" + "\n".join(
        _("{name}: {done} answers — report {state}").format(
            name=escape(t.subject_name or _("the body")), done=t.others_done,
            state=_("released") if methodology.survey360 is None or survey.kind != "360"
            or methodology.survey360.released(t.others_done) else _("withheld"))
        for t in targets))
    await _send_results(callback.message, db, methodology, survey)


async def _send_results(message: Message, db: Database, methodology: Methodology,
                        survey: store.Survey) -> None:
    """Aggregates only: competency averages of released targets, the organisation's weakest."""
    async with db.reading() as conn:
        targets = await store.counts(conn, survey.id)
        totals = await store.all_totals(conn, survey.id)
    if survey.kind != "360":
        await _send_working_conditions(message, methodology, targets, totals)
        return
    rules = methodology.survey360
    rows, sums = [], {}
    for t in targets:
        released = rules.released(t.others_done)
        result = report_360(rules.sets[t.question_set], totals.get(t.target_id, {}), {})
        for score in result.scores:
            if released and score.average is not None:
                sums.setdefault(score.competency.id, (score.competency, []))[1].append(
                    score.average)
            rows.append([t.subject_name, official(score.competency.title), t.others_done,
                         float(score.average) if released and score.average else None])
    header = [_("Evaluatee"), _("Competency"), _("Answers"), _("Average (colleagues)")]
    await message.answer_document(BufferedInputFile(xlsx(_("360"), header, rows),
                                                    f"360-{survey.year}.xlsx"))
    weakest = sorted(((sum(v) / len(v), c) for c, v in sums.values()), key=lambda x: x[0])[:3]
    if weakest:
        await message.answer(_("The organisation's weakest competencies (training needs, "
                               "cl. 42): {names}.").format(names=", ".join(
            f"{escape(official(c.title))} ({format_score(Decimal(round(a, 2)))})"
            for a, c in weakest)))


async def _send_working_conditions(message: Message, methodology: Methodology, targets,
                                   totals) -> None:
    survey = methodology.working_conditions
    responses = targets[0].others_done if targets else 0
    if not survey.released(responses):
        await message.answer(_("Working conditions: {n} answers — fewer than {low}, so the "
                               "results stay hidden.").format(n=responses,
                                                              low=survey.release_threshold))
        return
    counts = {}
    for item, (_sum, answers) in totals.get(targets[0].target_id, {}).items():
        question, _sep, option = item.partition("=")
        counts.setdefault(question, {})[option] = answers
    lines = [_("<b>Working conditions</b>: {n} answers").format(n=responses)]
    for question in survey.questions:
        given = counts.get(question.id, {})
        parts = []
        for option in question.options:
            n = given.get(option.code, 0)
            if question.demographic and 0 < n < survey.release_threshold:
                parts.append(f"{official(option.label)}: <{survey.release_threshold}")
            else:
                parts.append(f"{official(option.label)}: {n}")
        lines.append(f"{escape(official(question.text))} — " + "; ".join(escape(p)
                                                                         for p in parts))
    share = survey.favourable_share(counts)
    if share is not None:
        lines.append(_("Favourable answers: {share}%").format(share=format_score(share)))
    await message.answer("\n".join(lines))


async def new_working_conditions(callback: CallbackQuery, db: Database, clock: Clock,
                                 calendar: WorkCalendar, methodology: Methodology,
                                 roles: frozenset[str]) -> None:
    """The corps "A" survey about the chief of staff, for all active staff of the body."""
    await callback.answer()
    if "hr" not in roles:
        return
    today = clock.today()
    async with db.transaction() as conn:
        staff = [r[0] for r in await conn.execute_fetchall(
            "SELECT id FROM servant WHERE dismissed_on IS NULL OR dismissed_on >= ?",
            (today.isoformat(),))]
        closes = calendar.add_working_days(today, 10)
        survey_id = await store.create(conn, "working_conditions", today.year, methodology.id,
                                       today=today, closes_on=closes)
        await store.add_target(conn, survey_id, None, "working_conditions",
                               [(s, "staff") for s in staff])
    await callback.message.answer(
        _("Working-conditions survey created for {n} staff; it closes on {date}.").format(
            n=len(staff), date=format_date(closes)),
        reply_markup=inline([[(_("Start the survey"), SurveyCb(id=survey_id,
                                                               action="start"))]]))


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="surveys")
    router.message.register(my_surveys, Command("surveys"))
    router.callback_query.register(hr_menu, MenuCb.filter(F.action == "surveys_hr"))
    router.callback_query.register(my_surveys_from_menu, MenuCb.filter(F.action == "surveys"))
    actions = {"go": go, "answer": answer, "submit": submit, "report": report,
               "new360": new_360, "adjust": adjust, "start": start, "progress": progress,
               "close": close, "new_wc": new_working_conditions}
    for action, handler in actions.items():
        router.callback_query.register(handler, SurveyCb.filter(F.action == action))
    router.message.register(typed_evaluatees, StateFilter(SurveyInput.evaluatees), F.text)
    router.message.register(typed_respondents, StateFilter(SurveyInput.respondents), F.text)
    return router
