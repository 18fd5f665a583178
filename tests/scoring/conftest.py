import pytest

from scoring import WorkCalendar, load_methodology


@pytest.fixture(scope="session")
def typical():
    return load_methodology("typical-2025")


@pytest.fixture(scope="session")
def trade():
    return load_methodology("trade-2025")


@pytest.fixture(scope="session")
def justice():
    return load_methodology("justice-2023")


@pytest.fixture(scope="session")
def legacy():
    return load_methodology("legacy-2018")


@pytest.fixture(scope="session")
def cal():
    return WorkCalendar.kazakhstan()
