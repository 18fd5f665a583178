"""The methodology file marks the project's own translations in an official language (issue 15
item 11): seed 004 is Russian only, so the Typical title and app. 7 in Kazakh are ours."""

import pytest

from scoring import MethodologyError, load_methodology


def _texts(methodology, part):
    if part == "title":
        return [methodology.title]
    survey = methodology.working_conditions
    return [t for q in survey.questions for t in (q.text, *(o.label for o in q.options))] \
        + [survey.intro]


@pytest.mark.parametrize(
    ("name", "part", "translated"),
    [
        ("typical-2025", "title", {"kk"}),
        ("typical-2025", "working_conditions", {"kk"}),
        ("trade-2025", "title", set()),  # seed 000 is the Kazakh act itself
        ("trade-2025", "working_conditions", {"kk"}),  # inherited from Typical app. 7
        ("justice-2023", "title", set()),
        ("legacy-2018", "title", set()),
    ],
)
def test_translations_are_marked(name, part, translated):
    for text in _texts(load_methodology(name), part):
        assert text.translated == translated
        assert text.is_translation("kk") is ("kk" in translated)
        assert not text.is_translation("ru")


def test_the_forms_keep_their_official_kazakh(typical):
    assert not typical.forms["managerial"].title.translated


@pytest.mark.parametrize(
    ("option", "kk"),
    [("rather_yes", "Көбіне иә"), ("rather_no", "Көбіне жоқ")],
)
def test_rather_yes_and_rather_no_in_kazakh(typical, option, kk):
    labels = {o.label.kk for q in typical.working_conditions.questions for o in q.options
              if o.code == option}
    assert labels == {kk}


@pytest.mark.parametrize(
    ("table", "problem"),
    [('[translated]\nnowhere = ["kk"]\n', "not a part"),
     ('[translated]\ntitle = ["de"]\n', "must be among"),
     ('[translated]\ntitle = "kk"\n', "list of strings")],
)
def test_a_bad_translated_table_is_refused(tmp_path, table, problem):
    path = tmp_path / "bad.toml"
    path.write_text(f'schema = 1\nextends = "typical-2025"\nid = "bad"\n{table}',
                    encoding="utf-8")
    with pytest.raises(MethodologyError, match=problem):
        load_methodology(path)
