"""A fingerprint of everything the reader and the judge produce, to check that a speed-up
changed nothing.

    python benchmarks/reading_digest.py FOLDER_OR_PDF... [--out digests.json]

For every document: the status, the metadata and, per page, the cleaned text, its layout blocks
(start, end, kind), its section heading and its run-on tail, plus the full classification
result (flags, scores, evidence); hashed per document and over all. Run it before and after a
change on the same files (the benchmark corpus, tests/fixtures, ../shared/dev/docs): equal total
digests mean byte-identical output; --out keeps the per-document digests, to find the ones that
differ.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from themescan.config import Config
from themescan.errors import DocumentError
from themescan.pipeline import Classifier
from themescan.reading import find_documents, read_document


def document_record(classifier: Classifier, path: Path) -> dict:
    """Everything reading and judging give for one file, as plain data."""
    try:
        doc = read_document(path, ocr="never")
        record: dict = {
            "status": doc.status,
            "metadata": doc.metadata,
            "pages": [[p.number, p.text, p.blocks, p.heading, p.tail] for p in doc.pages],
        }
    except DocumentError as exc:
        record = {"error": exc.status}
    record["result"] = repr(classifier.classify_path(path))
    return record


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("inputs", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, help="write the per-document digests here (JSON)")
    ns = ap.parse_args()
    classifier = Classifier(Config(ocr="never"))
    total = hashlib.sha256()
    digests = {}
    for path, name in find_documents(ns.inputs):
        data = json.dumps(document_record(classifier, path), ensure_ascii=False, default=list)
        digest = hashlib.sha256(data.encode("utf-8")).hexdigest()
        digests[name] = digest
        total.update(f"{name}\0{digest}\n".encode())
    if ns.out:
        ns.out.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(digests)} documents, digest {total.hexdigest()}")


if __name__ == "__main__":
    main()
