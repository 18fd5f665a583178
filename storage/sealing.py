"""The survey keys, kept in a file beside the database and never inside it, and AES-GCM sealing
with them (docs/anonymity.md).

The key file holds a master secret and one ballot key per open survey. Ballots and drafts are
sealed with the survey's ballot key, which is deleted from the file when the survey closes, so
that no copy of the database taken before the close can be opened afterwards, whoever later
gets the key file. The aggregates made at close are sealed with a key derived from the master
secret and the survey's key id, so that reports can still be read.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

log = logging.getLogger(__name__)

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
KEY_ID_BYTES = 16
FORMAT = 1


class KeyLost(Exception):
    """The key that sealed something is not in the key file (closed, or the file was replaced)."""


class Unreadable(Exception):
    """A sealed value does not open: tampered with, or sealed for another place."""


class Sealer:
    """AES-256-GCM with one key: a fresh random nonce per value, and a ``context`` (where the
    value lives, e.g. b"draft:12") bound to it, so a value moved elsewhere does not open."""

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def seal(self, plaintext: bytes, context: bytes) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext, context)

    def open(self, sealed: bytes, context: bytes) -> bytes:
        try:
            return self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
        except InvalidTag:
            raise Unreadable(context.decode()) from None


def compact(value: object) -> bytes:
    """``value`` as JSON without spaces."""
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def padded(value: object, width: int) -> bytes:
    """``value`` as compact JSON padded with spaces to ``width`` bytes, so that the sealed length
    says nothing about what was answered."""
    text = compact(value)
    if len(text) > width:
        raise ValueError(f"{len(text)} bytes do not fit the fixed width {width}")
    return text.ljust(width)


def unpadded(data: bytes) -> object:
    return json.loads(data)


class SurveyKeys:
    """The key file: created with mode 0600 on first use, rewritten atomically on every change.
    One process uses it (the bot); every change happens inside a database transaction."""

    def __init__(self, path: Path, master: bytes, ballots: dict[str, bytes]) -> None:
        self.path = path
        self._master = master
        self._ballots = ballots

    @classmethod
    def open(cls, path: str | Path) -> SurveyKeys:
        path = Path(path)
        if not path.exists():
            keys = cls(path, secrets.token_bytes(KEY_BYTES), {})
            keys._write()
            log.warning("created the survey key file %s: keep a copy apart from the database "
                        "and its backups, without it no survey answer can be read", path)
            return keys
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            log.warning("%s can be read by other users of this machine (mode %o); it opens the "
                        "survey answers: chmod 600 it", path, mode)
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: unknown key file format {data.get('format')!r}")
        return cls(path, _bytes(data["master"]), {k: _bytes(v) for k, v in
                                                   data["ballots"].items()})

    def new_survey(self) -> bytes:
        """A fresh key id with its own ballot key, written to the file before it is used."""
        key_id = secrets.token_bytes(KEY_ID_BYTES)
        self._ballots[key_id.hex()] = secrets.token_bytes(KEY_BYTES)
        self._write()
        return key_id

    def ballots(self, key_id: bytes) -> Sealer:
        """The survey's ballot and draft key; KeyLost once the survey closed."""
        try:
            return Sealer(self._ballots[key_id.hex()])
        except KeyError:
            raise KeyLost(key_id.hex()) from None

    def results(self, key_id: bytes) -> Sealer:
        """The key of the survey's aggregates (HKDF-SHA256 of the master secret)."""
        derived = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=key_id,
                       info=b"bagalau survey results").derive(self._master)
        return Sealer(derived)

    def forget(self, key_ids: Iterable[bytes]) -> None:
        """Destroy these ballot keys (the surveys closed)."""
        gone = [k.hex() for k in key_ids if k.hex() in self._ballots]
        for name in gone:
            del self._ballots[name]
        if gone:
            self._write()

    def keep_only(self, key_ids: Iterable[bytes]) -> None:
        """Destroy every ballot key but these (the open surveys'): a close that stopped between
        its commit and forgetting the key is finished here."""
        wanted = {k.hex() for k in key_ids}
        self.forget(bytes.fromhex(k) for k in list(self._ballots) if k not in wanted)

    def _write(self) -> None:
        data = {"format": FORMAT, "master": _text(self._master),
                "ballots": {k: _text(v) for k, v in sorted(self._ballots.items())}}
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(data, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)
        directory = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _text(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _bytes(value: str) -> bytes:
    return base64.b64decode(value)
