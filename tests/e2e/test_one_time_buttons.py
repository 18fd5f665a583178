"""A one-time button, once used, leaves a message that says what was done and no button to
press again: the request (every copy of its button), the panel, the protocol, the meeting."""

from __future__ import annotations

from tests.harness import ChatMessage, FakeUser

from .test_calibration import _approved_panel, _decided, _submit, bot, person

__all__ = ["bot"]  # the fixture, imported for pytest


async def _settled(user: FakeUser, pressed: ChatMessage, done: str) -> ChatMessage:
    return await user.wait_for(lambda m: m.message_id == pressed.message_id and done in m.text)


async def test_sending_the_request_removes_every_copy_of_its_button(telegram, bot) -> None:
    await _submit(bot, "100", "44444")
    await bot.app.notifier.wait_idle()
    aigerim = person(telegram, "100")
    result = await aigerim.wait_for(lambda m: "Келіспеймін: калибрлеу сессиясын сұрау"
                                    in m.button_labels())
    await aigerim.press("Келіспеймін: калибрлеу сессиясын сұрау", message=result)
    await aigerim.send("2-параметр бойынша бағаға келіспеймін.")
    await aigerim.upload("dalel.txt", b"evidence")
    attached = await aigerim.expect("dalel.txt")
    copies = [m for m in aigerim.bot_messages if "Өтінішті жіберу" in m.button_labels()]
    assert len(copies) == 2
    await aigerim.press("Өтінішті жіберу", message=attached)
    await aigerim.expect("Өтінішіңіз берілді")
    settled = await _settled(aigerim, attached, "✓ Өтініш жіберілді.")
    assert settled.button_labels() == []
    assert not [m for m in aigerim.bot_messages if "Өтінішті жіберу" in m.button_labels()]


async def test_approving_the_panel_settles_the_review(telegram, bot) -> None:
    await _approved_panel(telegram, bot)
    official = person(telegram, "300")
    reviews = [m for m in official.bot_messages if "Калибрлеу сессиясы туралы өтініш" in m.text]
    assert len(reviews) == 2  # the proposed panel, changed: the typed one, approved
    assert [m.button_labels() for m in reviews] == [[], []]
    assert "✓ Бекітілді." in reviews[-1].text


async def test_the_protocol_and_the_meeting_buttons_are_used_once(telegram, bot) -> None:
    await _decided(telegram, bot)
    await bot.app.notifier.wait_idle()
    hr = person(telegram, "100")
    protocol = await hr.wait_for(lambda m: m.document is not None and "хаттама" in m.text)
    await hr.press("Хаттама орналастырылды", message=protocol)
    posted = await _settled(hr, protocol, "✓ Белгіленді: хаттама орналастырылды.")
    assert posted.button_labels() == []
    evaluator = person(telegram, "200")
    task = await evaluator.wait_for(lambda m: "Встреча проведена" in m.button_labels())
    await evaluator.press("Встреча проведена", message=task)
    held = await _settled(evaluator, task, "✓ Отмечено: встреча проведена 30 марта 2026.")
    assert held.button_labels() == []
