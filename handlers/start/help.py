"""/help: what each of the user's roles does in the bot, step by step (not the menu again)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from services.accounts import Role


def help_text(roles: frozenset[Role]) -> str:
    """A section for each role the user has, then what works everywhere."""
    sections = []
    if Role.EVALUATOR in roles:
        sections.append(_(
            "<b>As an evaluator</b>\n"
            "/sheets lists your evaluation sheets by quarter. On a parameter, press a score or "
            "type one (4,75 or 4.75); I say back what was saved. “💬 Comment” works before or "
            "after the score. The summary shows the average; after “Submit” the sheet cannot "
            "be changed and the servant receives the result.\n"
            "With more than twenty evaluatees in a quarter, a colleague may evaluate some of "
            "them: “↪ Hand sheets over to a colleague” in /sheets (cl. 18)."))
    if Role.EVALUATEE in roles:
        sections.append(_(
            "<b>As an evaluated servant</b>\n"
            "/results shows your results. Confirm that you have read each one; if you "
            "disagree, request a calibration session from the result before the date it "
            "shows (cl. 11), and attach documents if you have any. The result then shows "
            "where your request stands."))
    if Role.APPOINTING in roles:
        sections.append(_(
            "<b>As the official with the right of appointment</b>\n"
            "A calibration request comes as a notice: review it, keep or change the proposed "
            "panel and approve it by the date it shows (cl. 20)."))
    if Role.HR in roles:
        sections.append(_(
            "<b>As the HR service</b>\n"
            "/roster imports the staff list, /invites makes invitation links, /campaign opens "
            "a quarter and shows progress and exports, /actuals takes the actual KPI values. "
            "Calibration protocols come to you to post (cl. 23)."))
    sections.append(_(
        "<b>Everywhere</b>\n"
        "/start shows the menu, /cancel stops what you are typing, /language changes the "
        "language, /surveys lists the anonymous surveys."))
    return "\n\n".join(sections)
