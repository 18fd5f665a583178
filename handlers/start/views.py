"""The way in, in words: the home screen of who he is and what waits for him, and why an
account could not be linked."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.common import keyboards
from handlers.common.render import format_date, format_score, quarter_name
from services.accounts import BindOutcome, Home, Role, Servant

View = tuple[str, InlineKeyboardMarkup]
ROLE_ORDER = (Role.HR, Role.APPOINTING, Role.EVALUATOR, Role.EVALUATEE)


def role_names(roles: frozenset[Role]) -> list[str]:
    names = {Role.HR: _("HR officer"), Role.APPOINTING: _("appointing official"),
             Role.EVALUATOR: _("evaluator"), Role.EVALUATEE: _("evaluated servant")}
    return [names[r] for r in ROLE_ORDER if r in roles]


def home(servant: Servant, roles: frozenset[Role], waiting: Home) -> View:
    """The home screen: who he is, his roles, what is waiting for him."""
    sheets, results = waiting.sheets, waiting.results
    lines = [_("<b>{name}</b>, {position}").format(name=escape(servant.full_name),
                                                    position=escape(servant.position)),
             _("Your roles: {roles}.").format(roles=", ".join(role_names(roles)))]
    for campaign in sorted({s.campaign for s in sheets}, key=lambda c: c.quarter):
        own = [s for s in sheets if s.campaign == campaign]
        done = sum(s.status == "submitted" for s in own)
        lines.append(_("Evaluation sheets for {quarter}: {done} of {total} done, due {date}.")
                     .format(quarter=quarter_name(campaign.quarter), done=done,
                             total=len(own), date=format_date(campaign.deadline)))
    if results:
        latest = results[0]
        lines.append(_("Your latest result, {quarter}: {score}.").format(
            quarter=quarter_name(latest.campaign.quarter), score=format_score(latest.score)))
    if Role.HR in roles:
        lines.append(_("To import or update the staff roster, send me the CSV or XLSX file."))
    if not sheets and not results and Role.HR not in roles:
        lines.append(_("No evaluation sheets or results are waiting for you now."))
    return "\n".join(lines), keyboards.main_menu(roles, has_sheets=bool(sheets),
                                                 has_results=bool(results))


def greeting() -> str:
    return _("Hello! I am bagalau, the performance evaluation assistant of your state body.\n"
             "To begin, open the personal invitation link your HR service sent you, or share "
             "your phone number and I will find you in the staff list.")


def welcome(servant: Servant) -> str:
    return _("Welcome! Your Telegram account is now linked to {name}.").format(
        name=escape(servant.full_name))


def invalid_link() -> str:
    return _("This invitation link is not valid. Ask your HR service for a new one.")


def refusal(outcome: BindOutcome) -> str:
    return {
        BindOutcome.UNKNOWN: invalid_link,
        BindOutcome.USED: lambda: _("This invitation link has already been used. Ask your HR "
                                    "service for a new one."),
        BindOutcome.EXPIRED: lambda: _("This invitation link has expired. Ask your HR service "
                                       "for a new one."),
        BindOutcome.DISMISSED: lambda: _("This invitation is for a servant who no longer "
                                         "works here."),
        BindOutcome.SERVANT_TAKEN: lambda: _(
            "This person is already linked to another Telegram account. Only the HR service "
            "can change that."),
        BindOutcome.ACCOUNT_TAKEN: lambda: _(
            "Your Telegram account is already linked to another person. Only the HR service "
            "can change that."),
        BindOutcome.NOT_FOUND: lambda: _(
            "I could not find this phone number in the staff list. Ask your HR service for an "
            "invitation link."),
        BindOutcome.NOT_OWN: lambda: _("Please share your own phone number with the button "
                                       "below."),
    }[outcome]()
