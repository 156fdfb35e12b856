"""A SQLite cache of cleaned page texts and of results, keyed by the file's content hash.

Page texts are keyed by content alone, so a new lexicon or model re-scores without re-reading
PDFs; results are keyed by content and by the Classifier's digest (config, lexicon and model
hashes). Only the main process writes, in WAL mode, so parallel workers never touch the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from pathlib import Path

from themescan import __version__
from themescan.errors import UsageError
from themescan.results import Document, DocumentResult, Page, result_from_dict, result_to_dict

# Bump when reading or scoring changes in a way that makes stored pages or results stale.
SCHEMA = f"5/{__version__}"


def default_cache_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("themescan")) / "cache.sqlite"


def content_hash(path: str | os.PathLike[str]) -> str:
    """sha256 of the file's bytes: a renamed or copied file is still the same document."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


class Cache:
    """Pages and results of documents seen before; safe to use from one process at a time."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else default_cache_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(
                """
                CREATE TABLE IF NOT EXISTS pages (
                    hash TEXT PRIMARY KEY, schema TEXT, status TEXT, metadata TEXT, pages BLOB);
                CREATE TABLE IF NOT EXISTS results (
                    hash TEXT, config TEXT, schema TEXT, result BLOB, PRIMARY KEY (hash, config));
                CREATE TABLE IF NOT EXISTS files (
                    path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, hash TEXT);
                """
            )
        except sqlite3.DatabaseError as exc:
            raise UsageError(f"cannot use cache {self.path}: {exc} (try --no-cache)") from None

    def digest(self, path: str | os.PathLike[str]) -> str:
        """The file's content hash, remembered by path, size and modification time so that an
        unchanged corpus is not hashed again."""
        st = os.stat(path)
        key = os.path.abspath(path)
        row = self.db.execute("SELECT size, mtime, hash FROM files WHERE path=?", (key,)).fetchone()
        if row and row[0] == st.st_size and row[1] == st.st_mtime_ns:
            return row[2]
        digest = content_hash(path)
        self.db.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
            (key, st.st_size, st.st_mtime_ns, digest),
        )
        return digest

    def document(self, digest: str) -> Document | None:
        row = self.db.execute(
            "SELECT status, metadata, pages FROM pages WHERE hash=? AND schema=?", (digest, SCHEMA)
        ).fetchone()
        if row is None:
            return None
        texts = json.loads(zlib.decompress(row[2]))
        pages = tuple(Page.from_data(i + 1, t) for i, t in enumerate(texts))
        return Document(pages, json.loads(row[1]), row[0])

    def put_document(self, digest: str, document: Document) -> None:
        blob = zlib.compress(json.dumps([p.to_data() for p in document.pages]).encode(), 3)
        self.db.execute(
            "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
            (digest, SCHEMA, document.status, json.dumps(document.metadata), blob),
        )

    def result(self, digest: str, config: str) -> DocumentResult | None:
        row = self.db.execute(
            "SELECT result FROM results WHERE hash=? AND config=? AND schema=?",
            (digest, config, SCHEMA),
        ).fetchone()
        return result_from_dict(json.loads(zlib.decompress(row[0]))) if row else None

    def put_result(self, digest: str, config: str, result: DocumentResult) -> None:
        blob = zlib.compress(json.dumps(result_to_dict(result)).encode(), 3)
        self.db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?)", (digest, config, SCHEMA, blob)
        )

    def close(self) -> None:
        self.db.close()
