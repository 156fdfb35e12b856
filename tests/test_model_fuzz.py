"""Tampered model folders (issue 13 item 6): every one is refused with a clear ModelError or
loads and scores passages correctly; none crashes the process, none is loaded blindly.

The folders are made from the packaged model by seeded mutations of model.json (keys removed,
wrong types, NaN, wrong themes, broken JSON) and of weights.npz (arrays with other shapes,
dtypes, out-of-range sparse indices, NaN, a header that claims gigabytes, members missing or
extra, flipped bytes).
"""

from __future__ import annotations

import io
import json
import random
import shutil
import struct
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from themescan.config import default_model_dir
from themescan.errors import ModelError
from themescan.model import PassageModel
from themescan.modelfile import _file_hash, validate_model_dir
from themescan.themes import THEMES

TEXTS = [
    "De gemeente investeert in informatiebeveiliging en privacy volgens de BIO.",
    "Wij zetten datagedreven werken in met een dashboard voor de wijken.",
]


def _load_parts() -> tuple[dict, dict[str, np.ndarray]]:
    folder = default_model_dir()
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    with np.load(folder / "weights.npz", allow_pickle=False) as w:
        arrays = {k: w[k] for k in w.files}
    return meta, arrays


def _write(folder: Path, meta: dict | bytes, arrays: dict[str, np.ndarray] | bytes) -> None:
    folder.mkdir(parents=True)
    prints = default_model_dir() / "fingerprints.txt"  # as the model's folder holds it
    (folder / prints.name).write_bytes(prints.read_bytes())
    weights = folder / "weights.npz"
    if isinstance(arrays, bytes):
        weights.write_bytes(arrays)
    else:
        np.savez(weights, **arrays)
    if isinstance(meta, dict):
        meta = dict(meta)
        if "weights_hash" in meta:
            meta["weights_hash"] = _file_hash(weights)  # a tamperer fixes the hash too
        meta = json.dumps(meta).encode()
    (folder / "model.json").write_bytes(meta)


def _npy_claiming(shape: tuple[int, ...]) -> bytes:
    """A .npy member whose header claims `shape` of float32 but holds a few bytes."""
    header = f"{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}"
    header = header.ljust(118) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + b"\0" * 64


def _zip_with(arrays: dict[str, np.ndarray], name: str, member: bytes) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for key, value in arrays.items():
            if key == name:
                zf.writestr(f"{key}.npy", member)
            else:
                out = io.BytesIO()
                np.save(out, value)
                zf.writestr(f"{key}.npy", out.getvalue())
    return buf.getvalue()


def _meta_mutations(meta: dict, rng: random.Random) -> dict | bytes:
    m = json.loads(json.dumps(meta))
    kind = rng.randrange(9)
    if kind == 0:
        m.pop(rng.choice(sorted(m)))
    elif kind == 1:
        m[rng.choice(sorted(m))] = rng.choice([None, "x", -1, 0, [], {}, True, 1e300])
    elif kind == 2:
        m["thresholds"][rng.choice(THEMES)] = rng.choice([-1, 0, 1, 2, "0.5", None])
    elif kind == 3:
        m["themes"] = rng.choice([THEMES[::-1], THEMES[:3], [*THEMES, "extra"], "x"])
    elif kind == 4:
        text = json.dumps(m).replace('"lex_scale": 1.0', '"lex_scale": NaN')
        return text.replace("0.6568", "NaN").encode()
    elif kind == 5:
        raw = json.dumps(m).encode()
        return raw[: rng.randrange(len(raw))]
    elif kind == 6:
        return json.dumps(m).encode().replace(b"themescan", b"theme\xffscan", 1)
    elif kind == 7:
        m["cues"] = rng.choice(
            [{"informatieveiligheid": [1, 2]}, {"x": ["a"]}, ["a"], {"smart_city": [""]}]
        )
    else:
        m["single_thresholds"] = rng.choice(
            [{"x": 0.5}, {THEMES[0]: float("inf")}, [], {THEMES[1]: 0.4}]
        )
    return m


def _array_mutations(
    arrays: dict[str, np.ndarray], rng: random.Random
) -> dict[str, np.ndarray] | bytes:
    a = {k: v.copy() for k, v in arrays.items()}
    name = rng.choice(sorted(a))
    kind = rng.randrange(10)
    if kind == 0:
        a[name] = a[name][: max(0, len(a[name]) - rng.randrange(1, 3))]
    elif kind == 1:
        a[name] = np.concatenate([a[name], a[name][:1]])
    elif kind == 2:
        a[name] = a[name].astype(rng.choice([np.int8, np.float64, np.complex64, np.bool_]))
    elif kind == 3 and a[name].dtype.kind == "f" and len(a[name]):
        a[name][rng.randrange(len(a[name]))] = rng.choice([np.nan, np.inf, -np.inf])
    elif kind == 4:
        i = rng.randrange(len(a["coef_indices"]))
        a["coef_indices"][i] = rng.choice([-1, -(2**31), 2**31 - 1, 400_000, 393_246])
    elif kind == 5:
        ptr = a["coef_indptr"]
        ptr[rng.randrange(len(ptr))] = rng.choice([-5, 0, 10**12, ptr[-1] + 1])
    elif kind == 6:
        a["coef_shape"] = np.array(rng.choice([[5, 10**9], [6, 393246], [5], [2**40, 2]]))
    elif kind == 7:
        return _zip_with(a, name, _npy_claiming((2**31,)))
    elif kind == 8:
        if rng.random() < 0.5:
            a.pop(name)
        else:
            a["extra"] = np.zeros(3)
    else:
        a[name] = a[name].reshape(-1, 1) if len(a[name]) else a[name]
    return a


def _flipped(meta: dict, arrays: dict[str, np.ndarray], rng: random.Random) -> bytes:
    out = io.BytesIO()
    np.savez(out, **arrays)
    data = bytearray(out.getvalue())
    for _ in range(rng.randrange(1, 6)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def _cases() -> list[tuple[str, Callable[[Path], None]]]:
    meta, arrays = _load_parts()
    rng = random.Random(1313)
    cases: list[tuple[str, Callable[[Path], None]]] = []
    for i in range(50):
        m = _meta_mutations(meta, rng)
        cases.append((f"meta-{i}", lambda f, m=m: _write(f, m, arrays)))
    for i in range(60):
        a = _array_mutations(arrays, rng)
        keep_hash = rng.random() < 0.5
        m2 = meta if keep_hash else {k: v for k, v in meta.items() if k != "weights_hash"}
        cases.append((f"arrays-{i}", lambda f, a=a, m2=m2: _write(f, m2, a)))
    for i in range(20):
        data = _flipped(meta, arrays, rng)
        m3 = {k: v for k, v in meta.items() if k != "weights_hash"}
        cases.append((f"flipped-{i}", lambda f, d=data, m3=m3: _write(f, m3, d)))
    return cases


@pytest.mark.filterwarnings("ignore::themescan.model.ModelVersionWarning")
def test_tampered_models_are_refused_or_work(tmp_path: Path) -> None:
    cases = _cases()
    assert len(cases) >= 100
    refused = 0
    for name, make in cases:
        folder = tmp_path / name
        make(folder)
        try:
            validate_model_dir(folder)
            model = PassageModel.load(folder)
        except ModelError as exc:
            assert "themescan model" in str(exc), (name, exc)
            refused += 1
            shutil.rmtree(folder)
            continue
        probs = model.predict(TEXTS, TEXTS, [(), ()])
        assert probs.shape == (2, len(THEMES)) and np.isfinite(probs).all(), name
        shutil.rmtree(folder)
    assert refused >= len(cases) * 0.6  # most tampering must be caught, not just survived


@pytest.mark.parametrize(
    "damage, what",
    [
        (lambda a: a.update(coef_indices=a["coef_indices"] + 10**6), "coef_indices"),
        (lambda a: a["intercept"].__setitem__(0, np.nan), "intercept"),
        (lambda a: a.update(char_idf=a["char_idf"][:100]), "char_idf"),
    ],
)
def test_a_bad_model_is_one_clear_error_before_any_worker(
    tmp_path: Path, damage: Callable[[dict], None], what: str
) -> None:
    meta, arrays = _load_parts()
    damage(arrays)
    _write(tmp_path / "model", meta, arrays)
    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("De gemeente werkt aan informatiebeveiliging.\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "themescan", "classify", str(doc.parent), "--no-cache",
         "--workers", "2", "--model", str(tmp_path / "model")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "not a valid themescan model" in done.stderr and what in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) <= 1  # no row: at most the header


def test_a_header_claiming_gigabytes_is_refused_unread(tmp_path: Path) -> None:
    meta, arrays = _load_parts()
    _write(tmp_path / "m", meta, _zip_with(arrays, "char_idf", _npy_claiming((2**31,))))
    with pytest.raises(ModelError, match="char_idf"):
        validate_model_dir(tmp_path / "m")
