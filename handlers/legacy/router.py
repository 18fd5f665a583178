"""The older model in the chat (seeds 001, 002): the year-end review — KPIs fully achieved and
behavioural indicators observed — agreed by the superior manager, then the commission."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.notifier import Notifier
from handlers.common.callbacks import LegacyCb
from handlers.common.keyboards import inline
from handlers.common.render import format_date, official
from scoring import Methodology, WorkCalendar
from services.clock import Clock
from storage import kpi, org, outbox
from storage import legacy as store
from storage.db import Database
from storage.models import Servant

from .protocol import CommissionProtocol, ProtocolRow, render_commission_protocol


class LegacyInput(StatesGroup):
    commission = State()
    attendance = State()
    reason = State()
    recommendation = State()


RECOMMENDATION_LIMIT = 1000


def _grade_label(methodology: Methodology, code: str | None) -> str:
    for grade in methodology.kpi_plan.grades:
        if grade.code == code:
            return official(grade.label)
    return code or "—"


def _status(status: str) -> str:
    return {"draft": _("draft"), "submitted": _("awaiting approval"),
            "returned": _("returned for rework"), "agreed": _("agreed"),
            "decided": _("decided by the commission")}[status]


def _group(methodology: Methodology, review: store.Review, managerial: bool) -> str:
    """The indicator group: heads for managerial posts, the staff group otherwise."""
    groups = methodology.competency_assessment.groups
    return groups[0].id if managerial or len(groups) == 1 else groups[-1].id


# ------------------------------------------------------------------ opening the year (HR)
async def menu(message: Message, db: Database, clock: Clock, methodology: Methodology,
               servant: Servant | None, roles: frozenset[str]) -> None:
    if methodology.kpi_plan is None or servant is None:
        await message.answer(_("Annual reviews are not part of this methodology."))
        return
    year = clock.today().year
    rows = []
    if {"hr", "appointing"} & roles:
        rows += [[(_("Open the {year} annual review").format(year=y),
                   LegacyCb(id=y, action="open_year"))] for y in (year - 1, year)]
    if "appointing" in roles:
        rows += [[(_("Set up the {year} commission").format(year=y),
                   LegacyCb(id=y, action="commission"))] for y in (year - 1, year)]
    async with db.reading() as conn:
        own = await store.reviews(conn, year, evaluator=servant.id) + \
            await store.reviews(conn, year - 1, evaluator=servant.id)
        pending = [r for y in (year - 1, year) for r in await store.reviews(conn, y)
                   if r.approver_id == servant.id and r.status == "submitted"]
        for y in (year - 1, year):
            found = await store.commission(conn, y)
            if found and servant.id in (found.chair_id, found.secretary_id):
                rows.append([(_("Commission {year}: record the attendance").format(year=y),
                              LegacyCb(id=y, action="attendance"))])
            if found and found.met_on and _keeps_protocol(found, servant, roles):
                rows.append([(_("Commission {year}: the protocol (PDF)").format(year=y),
                              LegacyCb(id=y, action="protocol"))])
    rows += [[(f"{r.servant_name} ({r.year}): {_status(r.status)}",
               LegacyCb(id=r.id, action="review"))] for r in own + pending]
    await message.answer(_("Annual reviews:"), reply_markup=inline(rows) if rows else None)


async def open_year(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                    clock: Clock, methodology: Methodology, servant: Servant | None,
                    roles: frozenset[str]) -> None:
    if not {"hr", "appointing"} & roles:
        await callback.answer(_("Only the HR service opens the annual review."), show_alert=True)
        return
    year = callback_data.id
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            "SELECT s.id, s.supervisor_id, b.supervisor_id, s.appointed_on, s.dismissed_on "
            "FROM servant s LEFT JOIN servant b ON b.id = s.supervisor_id "
            "WHERE s.supervisor_id IS NOT NULL")
        people = []
        for servant_id, supervisor, superior, appointed, dismissed in rows:
            eligible = methodology.eligibility(
                period_start=date(year, 1, 1), period_end=date(year, 12, 31),
                appointed_on=date.fromisoformat(appointed), worked_days=250,
                dismissed_on=date.fromisoformat(dismissed) if dismissed else None)
            if eligible.eligible:
                people.append((servant_id, supervisor, superior))
        added = await store.open_year(conn, year, people, at=clock.now(),
                                      actor=f"servant:{servant.id}")
    await callback.answer()
    await callback.message.answer(_("The {year} annual review is open: {n} reviews.").format(
        year=year, n=added))


# ------------------------------------------------------------------ the evaluator's review
async def _review(callback: CallbackQuery, db: Database, review_id: int):
    async with db.reading() as conn:
        found = await store.review(conn, review_id)
        plan = await kpi.plan_of(conn, found.servant_id, found.year) if found else None
        managerial = (await conn.execute_fetchall(
            "SELECT managerial FROM servant WHERE id = ?", (found.servant_id,)))[0][0] \
            if found else 0
    if found is None:
        await callback.answer(_("This button is out of date. Send /start for the current "
                                "menu."), show_alert=True)
    return found, plan, bool(managerial)


def _competencies(methodology: Methodology, review: store.Review):
    return methodology.competency_assessment.applicable(public_services=review.public_services)


def _summary(methodology: Methodology, review: store.Review, plan: kpi.Plan,
             managerial: bool) -> str:
    rules = methodology.competency_assessment
    achieved = sum(1 for v in review.achieved.values() if v)
    grade = methodology.kpi_plan.grade(achieved)
    lines = [_("<b>Annual review {year}: {name}</b>").format(year=review.year,
                                                            name=escape(review.servant_name)),
             _("KPIs fully achieved: {n} of {total} — {grade}").format(
                 n=achieved, total=len(plan.items), grade=official(grade.label))]
    group = _group(methodology, review, managerial)
    for competency in _competencies(methodology, review):
        indicators = competency.for_group(group)
        if indicators is None:
            continue
        seen = review.observed.get(competency.id, [])
        meets = rules.meets(len(seen), len(indicators.effective))
        line = f"{escape(official(competency.title))}: " + official(
            rules.meets_label if meets else rules.does_not_meet_label)
        missing = [official(t) for i, t in enumerate(indicators.effective) if i not in seen]
        if missing:
            line += " — " + _("not observed: {items}").format(items="; ".join(
                escape(m) for m in missing))
        lines.append(line)
    if review.return_reason and review.status == "returned":
        lines.append(_("Returned: {reason}").format(reason=escape(review.return_reason)))
    return "\n".join(lines)


async def open_review(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                      methodology: Methodology, servant: Servant | None) -> None:
    found, plan, managerial = await _review(callback, db, callback_data.id)
    if found is None:
        return
    if servant is None or servant.id not in (found.evaluator_id, found.approver_id):
        await callback.answer(_("This review is not available to you."), show_alert=True)
        return
    await callback.answer()
    if plan is None or plan.status != "approved":
        await callback.message.answer(_("The KPI work plan for {year} is not approved yet.")
                                      .format(year=found.year))
        return
    if servant.id == found.approver_id and found.status == "submitted":
        await callback.message.answer(_summary(methodology, found, plan, managerial),
                                      reply_markup=inline([[
                                          (_("Agree"), LegacyCb(id=found.id, action="agree")),
                                          (_("Return for rework"),
                                           LegacyCb(id=found.id, action="return"))]]))
        return
    if found.status not in ("draft", "returned"):
        await callback.message.answer(_summary(methodology, found, plan, managerial))
        return
    await _ask_kpi(callback.message, found, plan, 0)


async def _ask_kpi(message: Message, review: store.Review, plan: kpi.Plan, index: int) -> None:
    item = plan.items[index]
    await message.answer(
        _("KPI {n} of {total}: {name} (plan {plan} {unit}). Fully achieved?").format(
            n=index + 1, total=len(plan.items), name=escape(item.name),
            plan=item.planned[0], unit=escape(item.unit)),
        reply_markup=inline([[(_("Yes"), LegacyCb(id=review.id, action="kpi", index=index,
                                                  value="1")),
                              (_("No"), LegacyCb(id=review.id, action="kpi", index=index,
                                                 value="0"))]]))


async def kpi_answer(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                     methodology: Methodology, servant: Servant | None) -> None:
    found, plan, managerial = await _review(callback, db, callback_data.id)
    if found is None or servant is None or servant.id != found.evaluator_id or \
            found.status not in ("draft", "returned") or plan is None:
        if found is not None:
            await callback.answer(_("This review is not available to you."), show_alert=True)
        return
    achieved = {**found.achieved, plan.items[callback_data.index].position:
                callback_data.value == "1"}
    async with db.transaction() as conn:
        await store.save(conn, found.id, achieved=achieved)
    await callback.answer()
    following = callback_data.index + 1
    if following < len(plan.items):
        await _ask_kpi(callback.message, found, plan, following)
        return
    async with db.reading() as conn:
        found = await store.review(conn, found.id)
    await _ask_competency(callback.message, methodology, found, managerial, 0)


async def _ask_competency(message: Message, methodology: Methodology, review: store.Review,
                          managerial: bool, index: int, edit: bool = False) -> None:
    competencies = [c for c in _competencies(methodology, review)
                    if c.for_group(_group(methodology, review, managerial))]
    if index >= len(competencies):
        await message.answer(_("All competencies are assessed."), reply_markup=inline([[
            (_("Review and submit"), LegacyCb(id=review.id, action="submit"))]]))
        return
    competency = competencies[index]
    indicators = competency.for_group(_group(methodology, review, managerial)).effective
    seen = review.observed.get(competency.id, [])
    lines = [_("Competency {n} of {total}: <b>{name}</b>. Tick the behaviour you observed:")
             .format(n=index + 1, total=len(competencies), name=escape(official(
                 competency.title)))]
    lines += [f"{i + 1}. {escape(official(t))}" for i, t in enumerate(indicators)]
    rows = [[(("✓ " if i in seen else "") + str(i + 1),
              LegacyCb(id=review.id, action="toggle", index=index, value=f"{competency.id}.{i}"))
             for i in range(len(indicators))],
            [(_("Next ▶"), LegacyCb(id=review.id, action="next", index=index + 1))]]
    text, markup = "\n".join(lines), inline(rows)
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def toggle(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                 methodology: Methodology, servant: Servant | None) -> None:
    found, _plan, managerial = await _review(callback, db, callback_data.id)
    if found is None or servant is None or servant.id != found.evaluator_id or \
            found.status not in ("draft", "returned"):
        await callback.answer(_("This review is not available to you."), show_alert=True)
        return
    competency, _sep, number = callback_data.value.rpartition(".")
    seen = set(found.observed.get(competency, []))
    seen ^= {int(number)}
    async with db.transaction() as conn:
        await store.save(conn, found.id, observed={**found.observed, competency: sorted(seen)})
        found = await store.review(conn, found.id)
    await callback.answer()
    await _ask_competency(callback.message, methodology, found, managerial,
                          callback_data.index, edit=True)


async def next_competency(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                          methodology: Methodology, servant: Servant | None) -> None:
    found, _plan, managerial = await _review(callback, db, callback_data.id)
    if found is None or servant is None or servant.id != found.evaluator_id:
        return
    await callback.answer()
    await _ask_competency(callback.message, methodology, found, managerial, callback_data.index)


async def submit(callback: CallbackQuery, callback_data: LegacyCb, db: Database, clock: Clock,
                 methodology: Methodology, notifier: Notifier,
                 servant: Servant | None) -> None:
    found, plan, managerial = await _review(callback, db, callback_data.id)
    if found is None or servant is None or servant.id != found.evaluator_id or \
            found.status not in ("draft", "returned"):
        await callback.answer(_("This review is not available to you."), show_alert=True)
        return
    grade = methodology.kpi_plan.grade(sum(1 for v in found.achieved.values() if v)).code
    async with db.transaction() as conn:
        await store.set_status(conn, found.id, "submitted", at=clock.now(),
                               actor=f"servant:{servant.id}", grade=grade)
        if found.approver_id:
            await outbox.enqueue(conn, "legacy_review", f"review:{found.id}", found.approver_id,
                                 due_on=clock.today(), not_before=clock.now(), at=clock.now(),
                                 payload={"review": found.id})
    notifier.wake()
    await callback.answer()
    await callback.message.answer(_summary(methodology, found, plan, managerial) + "\n" +
                                  _("Sent to the superior manager."))


async def agree(callback: CallbackQuery, callback_data: LegacyCb, db: Database, clock: Clock,
                servant: Servant | None) -> None:
    found, _plan, _managerial = await _review(callback, db, callback_data.id)
    if found is None or servant is None or servant.id != found.approver_id or \
            found.status != "submitted":
        await callback.answer(_("This review is not awaiting you."), show_alert=True)
        return
    async with db.transaction() as conn:
        await store.set_status(conn, found.id, "agreed", at=clock.now(),
                               actor=f"servant:{servant.id}")
    await callback.answer(_("Agreed: the review goes to the commission."), show_alert=True)


async def ask_return(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                     servant: Servant | None, state: FSMContext) -> None:
    found, _plan, _managerial = await _review(callback, db, callback_data.id)
    if found is None or servant is None or servant.id != found.approver_id or \
            found.status != "submitted":
        await callback.answer(_("This review is not awaiting you."), show_alert=True)
        return
    await state.set_state(LegacyInput.reason)
    await state.set_data({"review": found.id})
    await callback.answer()
    await callback.message.answer(_("Why is it returned?"))


async def typed_reason(message: Message, state: FSMContext, db: Database, clock: Clock,
                       servant: Servant | None) -> None:
    data = await state.get_data()
    async with db.transaction() as conn:
        await store.set_status(conn, data["review"], "returned", at=clock.now(),
                               actor=f"servant:{servant.id}", reason=message.text.strip()[:500])
    await state.clear()
    await message.answer(_("Returned for rework."))


# ------------------------------------------------------------------ the commission
async def ask_commission(callback: CallbackQuery, callback_data: LegacyCb, roles: frozenset[str],
                         methodology: Methodology, state: FSMContext) -> None:
    if "appointing" not in roles:
        await callback.answer(_("Only the authorised person sets up the commission."),
                              show_alert=True)
        return
    await state.set_state(LegacyInput.commission)
    await state.set_data({"year": callback_data.id})
    await callback.answer()
    await callback.message.answer(_(
        "Send the personnel numbers of the commission: the chair first, the secretary second, "
        "then the members — at least {n} in all.").format(n=methodology.commission.min_members))


async def typed_commission(message: Message, state: FSMContext, db: Database, clock: Clock,
                           methodology: Methodology, servant: Servant | None) -> None:
    data = await state.get_data()
    numbers = list(dict.fromkeys(message.text.replace(",", " ").split()))
    async with db.transaction() as conn:
        ids = {r[0]: r[1] for r in await conn.execute_fetchall(
            "SELECT personnel_no, id FROM servant WHERE dismissed_on IS NULL")}
        members = [ids[n] for n in numbers if n in ids]
        if len(members) != len(numbers) or len(members) < methodology.commission.min_members:
            await message.answer(_("The commission needs at least {n} active servants. Send "
                                   "the numbers again.").format(
                n=methodology.commission.min_members))
            return
        await store.create_commission(conn, data["year"], members[0], members[1], members,
                                      at=clock.now(), actor=f"servant:{servant.id}")
    await state.clear()
    await message.answer(_("The commission for {year} is set up: {n} members.").format(
        year=data["year"], n=len(members)))


async def ask_attendance(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                         servant: Servant | None, state: FSMContext) -> None:
    async with db.reading() as conn:
        found = await store.commission(conn, callback_data.id)
    if found is None or servant is None or servant.id not in (found.chair_id,
                                                               found.secretary_id):
        await callback.answer(_("Only the chair or the secretary records the meeting."),
                              show_alert=True)
        return
    await state.set_state(LegacyInput.attendance)
    await state.set_data({"year": callback_data.id})
    await callback.answer()
    await callback.message.answer(_("Who is present? Send the personnel numbers."))


async def typed_attendance(message: Message, state: FSMContext, db: Database, clock: Clock,
                           calendar: WorkCalendar, methodology: Methodology,
                           notifier: Notifier) -> None:
    data = await state.get_data()
    rules = methodology.commission
    async with db.transaction() as conn:
        found = await store.commission(conn, data["year"])
        ids = {r[0]: r[1] for r in await conn.execute_fetchall(
            "SELECT personnel_no, id FROM servant")}
        present = [ids[n] for n in dict.fromkeys(message.text.split())
                   if n in ids and ids[n] in found.members]
        if not rules.has_quorum(len(present), len(found.members)):
            needed = next(n for n in range(len(found.members) + 1)
                          if rules.has_quorum(n, len(found.members)))
            await message.answer(_("No quorum: {present} of {members} members are present; at "
                                   "least {needed} are needed (2/3). The meeting is not valid.")
                                 .format(present=len(present), members=len(found.members),
                                         needed=needed))
            return
        await store.record_attendance(conn, found.id, present, clock.today())
        agreed = await store.reviews(conn, data["year"], status="agreed")
        voters = [m for m in present if rules.secretary_votes or m != found.secretary_id]
        for review in agreed:
            for member in voters:
                await outbox.enqueue(conn, "legacy_vote", f"review:{review.id}", member,
                                     due_on=clock.today(), not_before=clock.now(),
                                     at=clock.now(), payload={"review": review.id})
    await state.clear()
    notifier.wake()
    await message.answer(_("Quorum: {present} of {members}. The members vote now on {n} "
                           "reviews.").format(present=len(present), members=len(found.members),
                                              n=len(agreed)))


async def vote(callback: CallbackQuery, callback_data: LegacyCb, db: Database, clock: Clock,
               calendar: WorkCalendar, methodology: Methodology, notifier: Notifier,
               servant: Servant | None) -> None:
    rules = methodology.commission
    async with db.transaction() as conn:
        review = await store.review(conn, callback_data.id)
        found = await store.commission(conn, review.year) if review else None
        voters = [m for m in (found.present or ()) if rules.secretary_votes
                  or m != found.secretary_id] if found else []
        if review is None or servant is None or servant.id not in voters or \
                review.status != "agreed":
            await callback.answer(_("This vote is not open to you."), show_alert=True)
            return
        counted = await store.vote(conn, found.id, review.id, servant.id, callback_data.value)
        votes = await store.votes(conn, found.id, review.id)
        decided = None
        if len(votes) == len(voters):
            choice = rules.decide(votes, chair=found.chair_id, secretary=found.secretary_id)
            if choice is not None:
                decided = review.grade if choice == "approve" else choice
                await store.decide(conn, review.id, decided, at=clock.now())
                for kind, recipient in (("legacy_result", review.servant_id),
                                        ("legacy_decided", found.secretary_id)):
                    await outbox.enqueue(conn, kind, f"review:{review.id}", recipient,
                                         due_on=clock.today(), not_before=clock.now(),
                                         at=clock.now(), payload={"review": review.id})
    notifier.wake()
    if not counted:
        await callback.answer(_("You have already voted."), show_alert=True)
    elif decided:
        await callback.answer(_("Your vote is counted. The commission decided: {grade}.").format(
            grade=_grade_label(methodology, decided)), show_alert=True)
    else:
        await callback.answer(_("Your vote is counted."), show_alert=True)


# ------------------------------------------------------------------ the protocol
def _keeps_protocol(found: store.Commission, servant: Servant, roles: frozenset[str]) -> bool:
    """The chair and the secretary keep it; HR prepares it and the authorised person approves
    the results in it (cl. 36, 39)."""
    return servant.id in (found.chair_id, found.secretary_id) or bool({"hr", "appointing"}
                                                                       & roles)


async def ask_recommendation(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                             servant: Servant | None, state: FSMContext) -> None:
    async with db.reading() as conn:
        review = await store.review(conn, callback_data.id)
        found = await store.commission(conn, review.year) if review else None
    if review is None or found is None or servant is None or review.status != "decided" or \
            servant.id not in (found.chair_id, found.secretary_id):
        await callback.answer(_("Only the chair or the secretary records the commission's "
                                "recommendations."), show_alert=True)
        return
    await state.set_state(LegacyInput.recommendation)
    await state.set_data({"review": review.id})
    await callback.answer()
    await callback.message.answer(_(
        "Send the commission's recommendation on {name} for the protocol (up to {n} "
        "characters), or /cancel.").format(name=escape(review.servant_name),
                                           n=RECOMMENDATION_LIMIT))


async def typed_recommendation(message: Message, state: FSMContext, db: Database, clock: Clock,
                               servant: Servant | None) -> None:
    text = " ".join(message.text.split())
    if len(text) > RECOMMENDATION_LIMIT:
        await message.answer(_("That is {length} characters; the protocol takes up to {n}. "
                               "Please shorten it and send it again.").format(
            length=len(text), n=RECOMMENDATION_LIMIT))
        return
    data = await state.get_data()
    async with db.transaction() as conn:
        review = await store.review(conn, data["review"])
        await store.recommend(conn, review.id, text, at=clock.now(),
                              actor=f"servant:{servant.id}")
    await state.clear()
    await message.answer(_("The recommendation on {name} is in the protocol.").format(
        name=escape(review.servant_name)), reply_markup=inline([[
            (_("The protocol (PDF)"), LegacyCb(id=review.year, action="protocol"))]]))


async def protocol(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                   methodology: Methodology, servant: Servant | None,
                   roles: frozenset[str]) -> None:
    year = callback_data.id
    async with db.reading() as conn:
        found = await store.commission(conn, year)
        if found is None or servant is None or not _keeps_protocol(found, servant, roles):
            await callback.answer(_("The protocol is not available to you."), show_alert=True)
            return
        decided = await store.reviews(conn, year, status="decided")
        pending = len(await store.reviews(conn, year, status="agreed"))
        if found.met_on is None or not decided:
            await callback.answer(_("The commission has not decided any result yet."),
                                  show_alert=True)
            return
        body = await org.body(conn)
        people = {r[0]: (r[1], r[2]) for r in await conn.execute_fetchall(
            "SELECT id, full_name, position FROM servant")}
        votes = {r.id: await store.votes(conn, found.id, r.id) for r in decided}
    labels = {g.code: g.label for g in methodology.kpi_plan.grades}
    names = {servant_id: name for servant_id, (name, _position) in people.items()}
    rows = tuple(ProtocolRow(
        servant=r.servant_name, position=people[r.servant_id][1], result=labels[r.grade],
        correction=labels[r.final_grade] if r.final_grade != r.grade else None,
        recommendation=r.recommendation,
        votes=tuple((names[m], None if choice == "approve" else labels[choice])
                    for m, choice in sorted(votes[r.id].items(), key=lambda v: names[v[0]])))
        for r in decided)
    others = tuple(names[m] for m in found.members if m not in (found.chair_id,
                                                                 found.secretary_id))
    content = render_commission_protocol(CommissionProtocol(
        body=body.name, year=year, met_on=found.met_on, chair=names[found.chair_id],
        secretary=names[found.secretary_id], members=others, present=len(found.present or ()),
        total=len(found.members), rows=rows))
    await callback.answer()
    caption = ngettext("Protocol of the evaluation commission for {year}: {n} result.",
                       "Protocol of the evaluation commission for {year}: {n} results.",
                       len(rows)).format(year=year, n=len(rows))
    if pending:
        caption += " " + ngettext("{n} more is still being voted on.",
                                  "{n} more are still being voted on.", pending).format(n=pending)
    await callback.message.answer_document(
        BufferedInputFile(content, f"commission-protocol-{year}.pdf"), caption=caption)


async def acquaint(callback: CallbackQuery, callback_data: LegacyCb, db: Database,
                   clock: Clock, servant: Servant | None) -> None:
    async with db.transaction() as conn:
        review = await store.review(conn, callback_data.id)
        if review is None or servant is None or review.servant_id != servant.id:
            await callback.answer(_("This review is not available to you."), show_alert=True)
            return
        done = await store.acquaint(conn, review.id, clock.today(),
                                    refused=callback_data.action == "refuse")
    await callback.answer(
        (_("Your refusal to sign is recorded in an act.") if callback_data.action == "refuse"
         else _("Thank you: noted that you have read it.")) if done else _("Already noted."),
        show_alert=True)


def result_text(methodology: Methodology, review: store.Review, calendar: WorkCalendar,
                today: date) -> str:
    rules = methodology.commission
    appeal = calendar.add_working_days(today, rules.appeal_working_days)
    lines = [_("The commission has reviewed your annual evaluation for {year}: {grade}.").format(
        year=review.year, grade=_grade_label(methodology, review.final_grade))]
    if review.final_grade != review.grade:
        lines.append(_("It revised the result (the evaluator's was {grade}).").format(
            grade=_grade_label(methodology, review.grade)))
    lines.append(_("You may appeal to the authorised body for civil service by {date} "
                   "(10 working days), and to court.").format(date=format_date(appeal)))
    return "\n".join(lines)


ACTIONS = {"open_year": open_year, "review": open_review, "kpi": kpi_answer, "toggle": toggle,
           "next": next_competency, "submit": submit, "agree": agree, "return": ask_return,
           "commission": ask_commission, "attendance": ask_attendance, "vote": vote,
           "acquaint": acquaint, "refuse": acquaint, "recommend": ask_recommendation,
           "protocol": protocol}


def create_router() -> Router:
    """A fresh router (an app restarted in-process needs new ones)."""
    router = Router(name="legacy")
    router.message.register(menu, Command("review"))
    for action, handler in ACTIONS.items():
        router.callback_query.register(handler, LegacyCb.filter(F.action == action))
    router.message.register(typed_commission, StateFilter(LegacyInput.commission), F.text)
    router.message.register(typed_attendance, StateFilter(LegacyInput.attendance), F.text)
    router.message.register(typed_reason, StateFilter(LegacyInput.reason), F.text)
    router.message.register(typed_recommendation, StateFilter(LegacyInput.recommendation),
                            F.text)
    return router
