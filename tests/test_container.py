"""The container image, where no Docker engine runs: the Dockerfile's own steps — copy what it
copies, ``pip install .`` — give a package that starts, as the unprivileged user it names."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _copied() -> list[str]:
    return [m.group(1) for m in re.finditer(r"^COPY (\S+)", DOCKERFILE, re.M)]


def test_the_image_copies_every_package_it_installs() -> None:
    packages = re.search(r'include = \[(.*?)\]', (ROOT / "pyproject.toml").read_text()).group(1)
    for name in re.findall(r'"(\w+)\*"', packages):
        assert name in _copied(), f"the Dockerfile does not copy {name}/"
    assert re.search(r"^USER (?!root)\w+", DOCKERFILE, re.M), "the image must not run as root"
    assert 'VOLUME ["/data", "/keys"]' in DOCKERFILE and "DATABASE_PATH=/data/" in DOCKERFILE
    assert "SURVEY_KEYS_PATH=/keys/" in DOCKERFILE  # the keys apart from the data
    assert 'CMD ["python", "-m", "bot", "check"]' in DOCKERFILE  # the health check


def test_the_dockerfile_steps_install_a_package_that_starts(tmp_path: Path) -> None:
    context = tmp_path / "context"
    context.mkdir()
    for name in _copied():
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, context / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(source, context / name)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(context)],
                   check=True, capture_output=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    env |= {"PYTHONPATH": str(target), "DATABASE_PATH": str(tmp_path / "data" / "db.sqlite3"),
            "BOT_TOKEN": "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "TELEGRAM_API_BASE": "http://127.0.0.1:9"}
    where = subprocess.run([sys.executable, "-c", "import bot, handlers; print(bot.__file__, "
                            "handlers.__file__)"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, check=True).stdout
    assert str(target) in where  # the installed copy, not this checkout
    check = subprocess.run([sys.executable, "-m", "bot", "check"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120)
    assert "OK   methodology: typical-2025" in check.stdout, check.stdout + check.stderr
    assert "FAIL Bot API" in check.stdout and check.returncode == 1  # nothing listens there
    assert "Traceback" not in check.stderr
