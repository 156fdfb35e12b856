"""A SQLite cache of cleaned page texts and of results, keyed by the file's content hash.

Page texts are keyed by content alone, so a new lexicon or model re-scores without re-reading
PDFs; results are keyed by content and by the Classifier's digest (config, lexicon and model
hashes). Only the main process writes, in WAL mode, so parallel workers never touch the file.

A cache never stops a run. Damage found on opening or on reading (not a database, junk inside,
a blob that does not decompress, another program's tables) moves the file aside as
`cache.sqlite.damaged-<UTC date and time>`, warns once and goes on with a fresh cache; when no
cache can be made (a read-only folder, a path under a regular file) the run goes on without
one. A cache that cannot be written (read-only file, full disk) is still read.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import json
import os
import sqlite3
import stat
import time
import warnings
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

from themescan import __version__
from themescan.errors import UsageError
from themescan.results import Document, DocumentResult, Page, result_from_dict, result_to_dict

# Bump when reading or scoring changes in a way that makes stored pages or results stale.
SCHEMA = f"16/{__version__}"


def default_cache_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("themescan")) / "cache.sqlite"


def content_hash(path: str | os.PathLike[str]) -> str:
    """sha256 of the file's bytes: a renamed or copied file is still the same document."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def same_content(paths: Iterable[Path]) -> list[list[Path]]:
    """Groups of two or more files with the same bytes (a budget copied under a second name).
    Only files of equal size are read, so a corpus of distinct documents costs a stat each."""
    by_size: dict[int, list[Path]] = {}
    for path in paths:
        try:
            by_size.setdefault(path.stat().st_size, []).append(path)
        except OSError:
            continue
    groups: list[list[Path]] = []
    for alike in by_size.values():
        if len(alike) < 2:
            continue
        by_hash: dict[str, list[Path]] = {}
        for path in alike:
            try:
                by_hash.setdefault(content_hash(path), []).append(path)
            except OSError:
                continue
        groups += [g for g in by_hash.values() if len(g) > 1]
    return groups


_TABLES = {
    "pages": ("hash", "schema", "status", "metadata", "pages"),
    "results": ("hash", "config", "schema", "result"),
    "files": ("path", "size", "mtime", "hash"),
}
_CREATE = """
    CREATE TABLE IF NOT EXISTS pages (
        hash TEXT PRIMARY KEY, schema TEXT, status TEXT, metadata TEXT, pages BLOB);
    CREATE TABLE IF NOT EXISTS results (
        hash TEXT, config TEXT, schema TEXT, result BLOB, PRIMARY KEY (hash, config));
    CREATE TABLE IF NOT EXISTS files (
        path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, hash TEXT);
"""
# what a damaged blob or row raises on decoding
_DAMAGE = (sqlite3.DatabaseError, zlib.error, ValueError, TypeError, KeyError, IndexError)


def _pages_key(digest: str, reading: str) -> str:
    return f"{digest}|{reading}" if reading else digest


class CacheWarning(UserWarning):
    """The cache was damaged, read-only or unusable; the run went on."""


class _Damaged(Exception):
    pass


def _warn(message: str) -> None:
    warnings.warn(message, CacheWarning, stacklevel=3)


class Cache:
    """Pages and results of documents seen before; safe to use from one process at a time.

    `on_warning` receives each problem once as a sentence (default: a CacheWarning); the
    cache then goes on as well as it can: fresh, read-only, or off (every lookup a miss).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path) if path else default_cache_path()
        self.on_warning = on_warning or _warn
        self.db: sqlite3.Connection | None = None
        self.writable = True
        self._warned: set[str] = set()
        self._open()

    # --- opening, healing ---------------------------------------------------------------------

    def _open(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            above = next((p for p in self.path.parents if p.is_file()), None)
            why = f"{above} is a file, not a folder" if above else exc.strerror or exc
            self._off(f"cannot make a cache at {self.path} ({why}); running without")
            return
        if self.path.exists() and not self.path.is_file():  # a folder is never moved aside
            self._off(f"cache {self.path} is not a file; running without")
            return
        reason = not_a_cache(self.path)
        if reason:  # someone's file (labels, a PDF, another database): never taken over
            raise UsageError(f"cache {self.path} {reason}; name a new file or an existing cache")
        if self.path.exists() and not os.access(self.path, os.W_OK):
            self._open_read_only()
            return
        try:
            self.db = self._connect()
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                self._off(f"cache {self.path} is locked by another program; running without")
            elif not os.access(self.path.parent, os.W_OK):
                self._open_read_only()
            else:
                self._heal(exc)
        except _Damaged as exc:
            self._heal(exc)
        except sqlite3.DatabaseError as exc:
            self._heal(exc)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_CREATE)
            _check_tables(db)
        except BaseException:
            db.close()
            raise
        return db

    def _open_read_only(self) -> None:
        """A cache we may not write: read it as it is (immutable: no -shm file is needed)."""
        self.writable = False
        uri = self.path.resolve().as_uri()
        for mode in ("?mode=ro", "?mode=ro&immutable=1"):
            db = None
            try:
                db = sqlite3.connect(uri + mode, uri=True, timeout=30, isolation_level=None)
                _check_tables(db)
            except (sqlite3.DatabaseError, _Damaged):
                if db is not None:
                    db.close()
                continue
            self.db = db
            self._say(
                f"cache {self.path} is read-only: it is read, and new documents are not added"
            )
            return
        self._off(f"cache {self.path} is read-only and cannot be read; running without")

    def _heal(self, exc: BaseException) -> None:
        """Damage: move the file (and its -wal, -shm) aside and start a fresh cache."""
        self.close()
        stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                extra = Path(f"{self.path}{suffix}")
                if extra.exists():
                    os.replace(extra, f"{aside}{suffix}")
        except OSError as move:
            self._off(
                f"cache {self.path} is damaged ({exc}) and cannot be moved aside "
                f"({move.strerror or move}); running without"
            )
            return
        try:
            self.db = self._connect()
        except (sqlite3.DatabaseError, _Damaged, OSError) as again:
            self._off(
                f"cache {self.path} was damaged ({exc}); moved to {aside.name}; "
                f"a new one cannot be made ({again}); running without"
            )
            return
        self.writable = True
        self._say(f"cache {self.path} was damaged ({exc}); moved to {aside.name}, starting afresh")

    def _off(self, message: str) -> None:
        self.close()
        self.writable = False
        self._say(message)

    def _say(self, message: str) -> None:
        if message not in self._warned:
            self._warned.add(message)
            self.on_warning(message)

    def _read(self, sql: str, args: tuple) -> tuple | None:
        if self.db is None:
            return None
        try:
            return self.db.execute(sql, args).fetchone()
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                return None  # another run holds it: a miss, not damage
            self._heal(exc)
        except sqlite3.DatabaseError as exc:
            self._heal(exc)
        return None

    def _write(self, sql: str, args: tuple) -> None:
        if self.db is None or not self.writable:
            return
        try:
            self.db.execute(sql, args)
        except sqlite3.OperationalError as exc:
            if _busy(exc):
                return
            # read-only, disk full, or damage: keep what can be read, stop writing
            self.writable = False
            self._say(f"cannot write cache {self.path} ({exc}); it is only read from now on")
        except sqlite3.DatabaseError as exc:
            self._heal(exc)

    # --- the cache's contents -----------------------------------------------------------------

    def digest(self, path: str | os.PathLike[str]) -> str:
        """The file's content hash, remembered by path, size and modification time so that an
        unchanged corpus is not hashed again."""
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):  # opening a FIFO would block: the reader says so
            raise OSError(f"not a regular file: {path}")
        key = _path_key(os.path.abspath(path))
        row = self._read("SELECT size, mtime, hash FROM files WHERE path=?", (key,))
        if row and row[0] == st.st_size and row[1] == st.st_mtime_ns and isinstance(row[2], str):
            return row[2]
        digest = content_hash(path)
        self._write(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            (key, st.st_size, st.st_mtime_ns, digest),
        )
        return digest

    def document(self, digest: str, reading: str = "") -> Document | None:
        """The pages of a document read before in the same way (`reading`: how pages were
        read, e.g. themescan.ocr.reading_key: OCR'd pages are kept apart from plain ones)."""
        row = self._read(
            "SELECT status, metadata, pages FROM pages WHERE hash=? AND schema=?",
            (_pages_key(digest, reading), SCHEMA),
        )
        if row is None:
            return None
        try:
            texts = json.loads(zlib.decompress(row[2]))
            pages = tuple(Page.from_data(i + 1, t) for i, t in enumerate(texts))
            metadata = json.loads(row[1])
            if not isinstance(metadata, dict) or not isinstance(row[0], str):
                raise ValueError("not a page record")
            return Document(pages, metadata, row[0])
        except _DAMAGE as exc:
            self._heal(exc)
            return None

    def put_document(self, digest: str, document: Document, reading: str = "") -> None:
        blob = zlib.compress(json.dumps([p.to_data() for p in document.pages]).encode(), 3)
        self._write(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
            (
                _pages_key(digest, reading),
                SCHEMA,
                document.status,
                json.dumps(document.metadata),
                blob,
            ),
        )

    def result(self, digest: str, config: str) -> DocumentResult | None:
        row = self._read(
            "SELECT result FROM results WHERE hash=? AND config=? AND schema=?",
            (digest, config, SCHEMA),
        )
        if row is None:
            return None
        try:
            return result_from_dict(json.loads(zlib.decompress(row[0])))
        except _DAMAGE as exc:
            self._heal(exc)
            return None

    def put_result(self, digest: str, config: str, result: DocumentResult) -> None:
        blob = zlib.compress(json.dumps(result_to_dict(result)).encode(), 3)
        self._write(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", (digest, config, SCHEMA, blob)
        )

    def close(self) -> None:
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error):
                self.db.close()
            self.db = None


def _busy(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


_SQLITE_HEADER = b"SQLite format 3\x00"


def not_a_cache(path: str | os.PathLike[str]) -> str | None:
    """Why an existing file may not be used as a cache (None: it may): a file that is no SQLite
    database (a PDF, a results CSV, an empty file), or a database of another program. A
    cache's own damage is no reason: Cache moves a damaged cache aside and starts afresh, but a
    file the user named that was never a cache is theirs and must not be taken over."""
    path = Path(path)
    for wait in (0.0, 0.05, 0.1, 0.2, 0.4, 0.8):  # an empty file may be a cache being made
        time.sleep(wait)  # by a run started a moment ago: SQLite writes its header at once
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(_SQLITE_HEADER))
        except FileNotFoundError:
            return None
        except OSError:
            return None  # unreadable: Cache says so and runs without
        if head:
            break
    if head != _SQLITE_HEADER:
        return (
            "is not a themescan cache (an empty file)"
            if not head
            else ("is not a themescan cache (not an SQLite database)")
        )
    try:
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return None  # an SQLite file too damaged to list: ours to heal
    if tables and not tables & set(_TABLES):
        return "is a database of another program, not a themescan cache"
    return None


def _check_tables(db: sqlite3.Connection) -> None:
    """The three tables with our columns; anything else is another program's database."""
    for table, columns in _TABLES.items():
        found = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
        if found != columns:
            raise _Damaged(f"table {table} has columns {found or 'none'}, not themescan's")


def _path_key(path: str) -> str | bytes:
    """A path as SQLite can store it: text, or its bytes when it is not valid UTF-8."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(path)
    return path
