"""What the year-end review and the commission look like: text and keyboards, pure functions of
what the use cases return."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from handlers.common.callbacks import LegacyAction, LegacyCb
from handlers.common.keyboards import Row, inline
from handlers.common.render import format_date, official
from scoring import Methodology
from services.legacy import (
    APPROVE,
    DecidedResult,
    Menu,
    ProtocolRecord,
    Review,
    ReviewState,
    ReviewStatus,
)

View = tuple[str, InlineKeyboardMarkup | None]


def grade_label(methodology: Methodology, code: str | None) -> str:
    """A grade of the annual KPI plan as the methodology names it."""
    for grade in methodology.kpi_plan.grades if methodology.kpi_plan else ():
        if grade.code == code:
            return official(grade.label)
    return code or "—"


def option_label(methodology: Methodology, review: Review, option: str) -> str:
    """One option of the commission's ballot, in words."""
    if option == APPROVE:
        return _("approve “{grade}”").format(grade=grade_label(methodology, review.grade))
    return _("revise to “{grade}”").format(grade=grade_label(methodology, option))


def options_text(methodology: Methodology, review: Review, options: tuple[str, ...]) -> str:
    """The options of a repeated vote: “approve …” or “revise to …”."""
    labels = [option_label(methodology, review, o) for o in options]
    return _("{first} or {second}").format(first=", ".join(labels[:-1]), second=labels[-1])


def status_label(status: ReviewStatus) -> str:
    return {ReviewStatus.DRAFT: _("draft"), ReviewStatus.SUBMITTED: _("awaiting approval"),
            ReviewStatus.RETURNED: _("returned for rework"), ReviewStatus.AGREED: _("agreed"),
            ReviewStatus.DECIDED: _("decided by the commission")}[status]


# ------------------------------------------------------------------ the menu
def menu(found: Menu) -> View:
    rows: list[Row] = []
    if found.may_open:
        rows += [[(_("Open the {year} annual review").format(year=y),
                   LegacyCb(id=y, action=LegacyAction.OPEN_YEAR))] for y in found.years]
    if found.may_set_up:
        rows += [[(_("Set up the {year} commission").format(year=y),
                   LegacyCb(id=y, action=LegacyAction.COMMISSION))] for y in found.years]
    for access in found.commissions:
        if access.records_attendance:
            rows.append([(_("Commission {year}: record the attendance").format(year=access.year),
                          LegacyCb(id=access.year, action=LegacyAction.ATTENDANCE))])
        if access.protocol:
            rows.append([(_("Commission {year}: the protocol (PDF)").format(year=access.year),
                          LegacyCb(id=access.year, action=LegacyAction.PROTOCOL))])
    rows += [[(f"{r.servant_name} ({r.year}): {status_label(r.status)}",
               LegacyCb(id=r.id, action=LegacyAction.REVIEW))] for r in found.reviews]
    return _("Annual reviews:"), inline(rows) if rows else None


# ------------------------------------------------------------------ the evaluator's review
def plan_not_approved(review: Review) -> str:
    return _("The KPI work plan for {year} is not approved yet.").format(year=review.year)


def summary(state: ReviewState) -> str:
    """The review at a glance: the KPI grade, each competency met or not, why it was returned."""
    review, assessment = state.review, state.rules.assessment
    lines = [_("<b>Annual review {year}: {name}</b>").format(year=review.year,
                                                            name=escape(review.servant_name)),
             _("KPIs fully achieved: {n} of {total} — {grade}").format(
                 n=state.achieved, total=len(state.items), grade=official(state.grade.label))]
    for assessed in state.competencies:
        line = f"{escape(official(assessed.competency.title))}: " + official(
            assessment.meets_label if assessed.meets else assessment.does_not_meet_label)
        if assessed.missing:
            line += " — " + _("not observed: {items}").format(items="; ".join(
                escape(official(t)) for t in assessed.missing))
        lines.append(line)
    if review.return_reason and review.status is ReviewStatus.RETURNED:
        lines.append(_("Returned: {reason}").format(reason=escape(review.return_reason)))
    return "\n".join(lines)


def approval(state: ReviewState) -> View:
    """The summary for the superior manager, to agree or return."""
    review_id = state.review.id
    return summary(state), inline([[
        (_("Agree"), LegacyCb(id=review_id, action=LegacyAction.AGREE)),
        (_("Return for rework"), LegacyCb(id=review_id, action=LegacyAction.RETURN))]])


def kpi_question(state: ReviewState, index: int) -> View:
    item, review_id = state.items[index], state.review.id
    return _("KPI {n} of {total}: {name} (plan {plan} {unit}). Fully achieved?").format(
        n=index + 1, total=len(state.items), name=escape(item.name), plan=item.planned[0],
        unit=escape(item.unit)), \
        inline([[(_("Yes"), LegacyCb(id=review_id, action=LegacyAction.KPI, index=index,
                                     value="1")),
                 (_("No"), LegacyCb(id=review_id, action=LegacyAction.KPI, index=index,
                                    value="0"))]])


def competency_screen(state: ReviewState, index: int) -> View:
    """Competency ``index`` with its indicators to tick, or past the last one, the way on."""
    review_id, competencies = state.review.id, state.competencies
    if index >= len(competencies):
        return _("All competencies are assessed."), inline([[
            (_("Review and submit"), LegacyCb(id=review_id, action=LegacyAction.SUBMIT))]])
    assessed = competencies[index]
    lines = [_("Competency {n} of {total}: <b>{name}</b>. Tick the behaviour you observed:")
             .format(n=index + 1, total=len(competencies),
                     name=escape(official(assessed.competency.title)))]
    lines += [f"{i + 1}. {escape(official(t))}" for i, t in enumerate(assessed.indicators)]
    rows = [[(("✓ " if i in assessed.observed else "") + str(i + 1),
              LegacyCb(id=review_id, action=LegacyAction.TOGGLE, index=index,
                       value=f"{assessed.competency.id}.{i}"))
             for i in range(len(assessed.indicators))],
            [(_("Next ▶"), LegacyCb(id=review_id, action=LegacyAction.NEXT, index=index + 1))]]
    return "\n".join(lines), inline(rows)


def submitted(state: ReviewState) -> str:
    return summary(state) + "\n" + _("Sent to the superior manager.")


# ------------------------------------------------------------------ the commission
def recommendation_prompt(review: Review, limit: int) -> str:
    return _("Send the commission's recommendation on {name} for the protocol (up to {n} "
             "characters), or /cancel.").format(name=escape(review.servant_name), n=limit)


def recommended(review: Review) -> View:
    return _("The recommendation on {name} is in the protocol.").format(
        name=escape(review.servant_name)), inline([[
            (_("The protocol (PDF)"), LegacyCb(id=review.year, action=LegacyAction.PROTOCOL))]])


def protocol_caption(record: ProtocolRecord) -> str:
    decided, pending = len(record.decided), record.pending
    caption = ngettext("Protocol of the evaluation commission for {year}: {n} result.",
                       "Protocol of the evaluation commission for {year}: {n} results.",
                       decided).format(year=record.year, n=decided)
    if pending:
        caption += " " + ngettext("{n} more is still being voted on.",
                                  "{n} more are still being voted on.", pending).format(n=pending)
    return caption


def result_text(methodology: Methodology, result: DecidedResult) -> str:
    """The commission's decision as the servant reads it, with the appeal deadline."""
    review = result.review
    lines = [_("The commission has reviewed your annual evaluation for {year}: {grade}.").format(
        year=review.year, grade=grade_label(methodology, review.final_grade))]
    if review.final_grade != review.grade:
        lines.append(_("It revised the result (the evaluator's was {grade}).").format(
            grade=grade_label(methodology, review.grade)))
    lines.append(ngettext(
        "You may appeal to the authorised body for civil service by {date} ({n} working day "
        "from the decision of {decided}, cl. 43), and to court.",
        "You may appeal to the authorised body for civil service by {date} ({n} working days "
        "from the decision of {decided}, cl. 43), and to court.", result.appeal_working_days)
        .format(date=format_date(result.appeal_by), n=result.appeal_working_days,
                decided=format_date(result.decided_on)))
    return "\n".join(lines)
