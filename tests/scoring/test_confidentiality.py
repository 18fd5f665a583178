"""Who in the personnel service reads evaluation results (Typical cl. 14, justice cl. 26)."""

import pytest

from scoring import MethodologyError, load_methodology
from scoring.confidentiality import Confidentiality, HrReaders
from scoring.loader import _builtin_text


@pytest.mark.parametrize(("methodology", "hr", "hr_head", "reads"), [
    ("typical-2025", True, False, True),  # cl. 14: the service's duty, every officer
    ("typical-2025", True, True, True),
    ("typical-2025", False, False, False),  # not HR at all
    ("trade-2025", True, False, True),  # extends the Typical methodology
    ("legacy-2018", True, False, True),  # seed 001 names no circle: the service
    ("justice-2023", True, False, False),  # cl. 26: an ordinary officer is not named
    ("justice-2023", True, True, True),  # the head of the personnel service
    ("justice-2023", False, False, False),
])
def test_who_in_hr_reads_results(methodology, hr, hr_head, reads):
    rules = load_methodology(methodology).confidentiality
    assert rules.hr_reads(hr=hr, hr_head=hr_head) == reads


@pytest.mark.parametrize(("methodology", "clause", "readers"), [
    ("typical-2025", "cl. 14", HrReaders.SERVICE),
    ("trade-2025", "cl. 14", HrReaders.SERVICE),
    ("justice-2023", "cl. 26", HrReaders.HEAD),
    ("legacy-2018", "", HrReaders.SERVICE),
])
def test_the_shipped_circles(methodology, clause, readers):
    assert load_methodology(methodology).confidentiality == Confidentiality(clause, readers)


def _agency(tmp_path, extra: str):
    path = tmp_path / "agency.toml"
    path.write_text(f'schema = 1\nextends = "justice-2023"\nid = "agency"\n{extra}',
                    encoding="utf-8")
    return path


@pytest.mark.parametrize(("extra", "readers"), [
    ("", HrReaders.HEAD),  # inherited from justice
    ('[confidentiality]\nclause = "cl. 26"\nhr_readers = "service"\n', HrReaders.SERVICE),
    # the key before [confidentiality] still works, alone or agreeing
    ('[confidentiality]\nclause = "cl. 26"\nhr_readers = "head"\n'
     '[survey360]\nhr_readers = "head"\n', HrReaders.HEAD),
])
def test_an_agency_sets_the_circle(tmp_path, extra, readers):
    assert load_methodology(_agency(tmp_path, extra)).confidentiality.hr_readers == readers


@pytest.mark.parametrize("readers", list(HrReaders))
def test_the_old_key_alone_sets_the_circle(tmp_path, readers):
    """A file written before ``[confidentiality]``: ``survey360.hr_readers`` decides."""
    text = _builtin_text("justice-2023")
    table = '[confidentiality]\nclause = "cl. 26"\nhr_readers = "head"'
    assert table in text
    text = text.replace(table, "").replace(
        "[survey360]\n", f'[survey360]\nhr_readers = "{readers}"\n')
    path = tmp_path / "old.toml"
    path.write_text(text, encoding="utf-8")
    assert load_methodology(path).confidentiality.hr_readers == readers


@pytest.mark.parametrize(("extra", "problem"), [
    ('[confidentiality]\nclause = "cl. 26"\nhr_readers = "everyone"\n',
     "confidentiality.hr_readers: must be one of head, service"),
    ('[survey360]\nhr_readers = "service"\n',
     "survey360.hr_readers: disagrees with confidentiality.hr_readers"),
    ('[survey360]\nhr_readers = "all"\n', "survey360.hr_readers: must be one of"),
    ('[confidentiality]\nclause = "cl. 26"\nreaders = "head"\n',
     "confidentiality.readers: unknown key"),
])
def test_a_wrong_circle_is_refused(tmp_path, extra, problem):
    with pytest.raises(MethodologyError, match=problem):
        load_methodology(_agency(tmp_path, extra))
