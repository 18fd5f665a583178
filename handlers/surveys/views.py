"""What respondents and HR see of a survey: pure functions of the use cases' outcomes."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common.callbacks import MenuAction, MenuCb, SurveyAction, SurveyCb
from handlers.common.keyboards import Row, inline
from handlers.common.render import format_date, format_score, locale, official
from handlers.common.workbooks import xlsx
from scoring import Methodology
from scoring.survey import Survey360Rules, WorkingConditionsSurvey
from services.surveys import (
    Answering,
    Closed,
    Created360,
    CreatedWorkingConditions,
    Invitation,
    MySurveys,
    Report,
    RespondentRole,
    Results360,
    Survey,
    SurveyKind,
    TargetCount,
    WorkingConditionsResults,
)

from .radar import radar_png

View = tuple[str, InlineKeyboardMarkup]


# ------------------------------------------------------------------ the respondent
def invitation_label(invitation: Invitation) -> str:
    if invitation.survey.kind != SurveyKind.SURVEY_360:
        return _("Working-conditions survey")
    if invitation.role == RespondentRole.SELF:
        return _("My self-assessment")
    return _("About {name}").format(name=invitation.subject_name)


def my_surveys(mine: MySurveys, *, hr: bool) -> tuple[str, InlineKeyboardMarkup | None]:
    rows: list[Row] = [[(invitation_label(i), SurveyCb(id=i.id, action=SurveyAction.GO,
                                                       index=i.position))]
                       for i in mine.invitations]
    rows += [[(_("My 360 report"), SurveyCb(id=t.target_id, action=SurveyAction.REPORT))]
             for t in mine.reports]
    rows += [[(_("360 report: {name}").format(name=t.subject_name),
               SurveyCb(id=t.target_id, action=SurveyAction.REPORT))] for t in mine.subordinates]
    if hr:
        rows.append([(_("Surveys: HR"), MenuCb(action=MenuAction.SURVEYS_HR))])
    text = _("Surveys waiting for your answers:") if rows else _("No surveys are waiting for "
                                                                "you.")
    return text, inline(rows) if rows else None


def answering(state: Answering) -> View:
    """The question he is on, or the review past the last one."""
    return review(state) if state.reviewing else question(state)


def question(state: Answering) -> View:
    invitation, index = state.invitation, state.index
    asked = state.question
    chosen = state.answers.get(asked.key)
    if invitation.survey.kind != SurveyKind.SURVEY_360:
        about = _("Anonymous survey on working conditions")
    elif invitation.role != RespondentRole.SELF:
        about = _("Anonymous 360 survey about {name}").format(
            name=escape(invitation.subject_name))
    else:
        about = _("Your 360 self-assessment")
    lines = [f"<b>{about}</b>"]
    if index == 0 and state.instructions is not None:  # the form's address (app. 5, 6)
        lines.append(escape(official(state.instructions)))
    lines.append(_("{number} of {total}").format(number=index + 1, total=len(state.questions)))
    if asked.heading is not None:
        lines.append(f"<i>{escape(official(asked.heading))}</i>")
    lines.append(escape(official(asked.text)))
    if asked.text.is_translation(locale()):  # e.g. the Kazakh text of Typical app. 7
        lines.append(_("<i>Our translation, not the official wording of the methodology: the "
                       "official text is in another language (/language).</i>"))
    rows: list[Row] = [[(("• " if code == chosen else "") + official(label),
                         SurveyCb(id=invitation.id, action=SurveyAction.ANSWER, index=index,
                                  value=code))]
                       for code, label in asked.options]
    rows.append([(_("◀ Back"), SurveyCb(id=invitation.id, action=SurveyAction.GO,
                                        index=max(index - 1, 0)))])
    return "\n".join(lines), inline(rows)


def review(state: Answering) -> View:
    invitation, answered, total = state.invitation, len(state.answers), len(state.questions)
    lines = [_("You answered {answered} of {total}.").format(answered=answered, total=total)]
    rows: list[Row] = []
    if answered == total:
        lines.append(_("Submit? Your answers are sealed at once and counted only together with "
                       "the others when the survey closes: they cannot be changed afterwards, "
                       "and nobody can see what you answered."))
        rows.append([(_("Submit"), SurveyCb(id=invitation.id, action=SurveyAction.SUBMIT))])
    rows.append([(_("Change my answers"), SurveyCb(id=invitation.id, action=SurveyAction.GO,
                                                   index=0))])
    return "\n".join(lines), inline(rows)


def submitted() -> str:
    return _("Submitted. Thank you: your answers are sealed, counted only together with the "
             "others when the survey closes, and cannot be traced back to you.")


# ------------------------------------------------------------------ the 360 report
def report_text(report: Report) -> str:
    lines = [_("<b>360 report: {name}</b> ({n} colleagues answered; the self-assessment is "
               "shown apart and not counted)").format(name=escape(report.name),
                                                      n=report.responses),
             _("Scale: {scale}").format(scale="; ".join(
                 f"{o.points} — {official(o.label)}" for o in report.options))]
    for score in report.result.scores:
        line = f"{escape(official(score.competency.title))}: <b>" + (
            format_score(score.average) if score.average is not None else "—") + "</b>"
        if score.self_average is not None:
            line += " " + _("(self {self}, gap {gap})").format(
                self=format_score(score.self_average),
                gap=format_score(score.gap) if score.gap is not None else "—")
        lines.append(line)
    weakest = report.result.weakest(3)
    if weakest:
        lines.append(_("Weakest competencies (for training): {names}.").format(
            names=", ".join(escape(official(s.competency.title)) for s in weakest)))
    return "\n".join(lines)


def report_chart(report: Report) -> bytes:
    """The radar chart (a PNG) of the report."""
    scores = report.result.scores
    return radar_png(_("360 report: {name}").format(name=report.name),
                     [official(s.competency.title) for s in scores],
                     [s.average for s in scores], [s.self_average for s in scores],
                     _("Colleagues"), _("Self-assessment"))


# ------------------------------------------------------------------ HR
def _survey_name(survey: Survey) -> str:
    return _("360 survey {year}").format(year=survey.year) \
        if survey.kind == SurveyKind.SURVEY_360 \
        else _("Working-conditions survey {year}").format(year=survey.year)


def hr_menu(methodology: Methodology, year: int, surveys: list[Survey],
            closed: list[Survey]) -> View:
    rows: list[Row] = []
    if methodology.survey360 is not None:
        rows.append([(_("New 360 survey for {year}").format(year=year),
                      SurveyCb(id=year, action=SurveyAction.NEW_360))])
    if methodology.working_conditions is not None:
        rows.append([(_("Working-conditions survey"), SurveyCb(id=year,
                                                               action=SurveyAction.NEW_WC))])
    for survey in surveys:
        label = _survey_name(survey)
        rows.append([(_("{survey}: progress").format(survey=label),
                      SurveyCb(id=survey.id, action=SurveyAction.PROGRESS))])
        if not survey.started:
            rows.append([(_("{survey}: start").format(survey=label),
                          SurveyCb(id=survey.id, action=SurveyAction.START))])
        rows.append([(_("{survey}: close").format(survey=label),
                      SurveyCb(id=survey.id, action=SurveyAction.CLOSE))])
    for survey in closed:
        rows.append([(_("{survey}: results").format(survey=_survey_name(survey)),
                      SurveyCb(id=survey.id, action=SurveyAction.RESULTS))])
    return _("Surveys:"), inline(rows)


def ask_evaluatees() -> str:
    return _("Whom is the 360 survey about? Send their personnel numbers separated by spaces, "
             "or “all”.")


def created_360(created: Created360) -> View:
    lines = [_("360 survey created; it closes on {date}.").format(
        date=format_date(created.closes_on))]
    lines += [_("{name}: {n} respondents proposed").format(name=escape(p.name), n=p.respondents)
              for p in created.proposals]
    rows: list[Row] = [[(_("Choose respondents for {name}").format(name=p.name),
                         SurveyCb(id=p.target_id, action=SurveyAction.ADJUST))]
                       for p in created.proposals]
    rows.append([(_("Start the survey"), SurveyCb(id=created.survey_id,
                                                  action=SurveyAction.START))])
    return "\n".join(lines), inline(rows)


def ask_respondents(rules: Survey360Rules) -> str:
    return _("Send the personnel numbers of {low} to {high} respondents separated by "
             "spaces.").format(low=rules.min_respondents, high=rules.max_respondents)


def respondents_saved(count: int) -> str:
    return _("Respondents saved: {n}.").format(n=count)


def created_working_conditions(created: CreatedWorkingConditions) -> View:
    return _("Working-conditions survey created for {n} staff; it closes on {date}.").format(
        n=created.staff, date=format_date(created.closes_on)), \
        inline([[(_("Start the survey"), SurveyCb(id=created.survey_id,
                                                  action=SurveyAction.START))]])


def started(invitations: int) -> str:
    return _("The survey has started: {n} invitations are on their way.").format(n=invitations)


def _target_name(target: TargetCount) -> str:
    return escape(target.subject_name or _("the body"))


def progress(targets: list[TargetCount]) -> str:
    """Counts only: HR never learns who has or has not answered."""
    lines = [_("{name}: {done} of {invited} colleagues answered; self-assessment: {self}").format(
        name=_target_name(t), done=t.others_done, invited=t.others_invited,
        self=_("done") if t.self_done else _("not yet"))
        for t in targets]
    return "\n".join(lines) or _("No targets.")


def closed(outcome: Closed) -> str:
    heading = _("The survey is closed.") if outcome.results is not None else _(
        "The survey is closed. Its results are for the head of the personnel service (the "
        "methodology's rule); here are the counts.")
    return heading + "\n" + "\n".join(
        _("{name}: {done} answers — report {state}").format(
            name=_target_name(t.count), done=t.count.others_done,
            state=_("released") if t.released else _("withheld"))
        for t in outcome.targets)


def workbook_360(results: Results360) -> tuple[bytes, str]:
    """Competency averages of the released targets (a withheld one's cells stay empty)."""
    rows = []
    for target in results.targets:
        assert target.report is not None
        for score in target.report.scores:
            rows.append([target.count.subject_name, official(score.competency.title),
                         target.count.others_done,
                         float(score.average) if target.released and score.average else None])
    header = [_("Evaluatee"), _("Competency"), _("Answers"), _("Average (colleagues)")]
    return xlsx(_("360"), header, rows), f"360-{results.year}.xlsx"


def weakest_360(results: Results360) -> str | None:
    if not results.weakest:
        return None
    return _("The organisation's weakest competencies (training needs, cl. 42): {names}.").format(
        names=", ".join(f"{escape(official(c.title))} ({format_score(Decimal(round(a, 2)))})"
                        for a, c in results.weakest))


def working_conditions(survey: WorkingConditionsSurvey,
                       results: WorkingConditionsResults) -> str:
    """Each question's distribution once enough have answered; a demographic split with a group
    too small is hidden whole, since the total minus the groups shown would give the small one
    back; no cross-tabulation (decision 47, docs/anonymity.md)."""
    if not results.released:
        return _("Working conditions: {n} answers — fewer than {low}, so the results stay "
                 "hidden.").format(n=results.responses, low=survey.release_threshold)
    lines = [_("<b>Working conditions</b>: {n} answers").format(n=results.responses)]
    for question in survey.questions:
        given = results.counts.get(question.id, {})
        if not survey.shown(question, given, reader_answered=results.reader_answered):
            lines.append(escape(official(question.text)) + " — " + _(
                "hidden: a group has fewer than {n} people").format(n=survey.release_threshold))
            continue
        parts = [f"{official(o.label)}: {given.get(o.code, 0)}" for o in question.options]
        lines.append(f"{escape(official(question.text))} — " + "; ".join(escape(p)
                                                                         for p in parts))
    share = survey.favourable_share(results.counts)
    if share is not None:
        lines.append(_("Favourable answers: {share}%").format(share=format_score(share)))
    return "\n".join(lines)
