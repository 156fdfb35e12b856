"""What a model folder holds, and checking it before anything loads it.

`model.json` (settings, thresholds, versions, hashes) against the schema `PassageModel.load`
expects, and every array of `weights.npz` by its header (dtype, shape, size) before it is read,
then by its values (finite, index bounds, sparse structure). Apart from the model so that the
check before a run (themescan.loading) needs numpy only: a run the cache answers never imports
scipy or scikit-learn.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING

from themescan.config import default_model_dir
from themescan.errors import ModelError
from themescan.fingerprints import FILE as FINGERPRINTS
from themescan.themes import THEMES

if TYPE_CHECKING:  # numpy loads only where arrays are read: a cached run never needs it
    import numpy as np

FORMAT = "themescan-model/2"  # bump when the feature layout changes
CHAR_FEATURES = 2**18
WORD_FEATURES = 2**17
LEX_PER_THEME = 4
ROLE_PER_THEME = 2
LEX_SCALE = 1.0  # lexicon features weigh about as much as one strong n-gram (model.json keeps it)

MAX_META_BYTES = 4 * 2**20  # model.json: settings and a few hundred cue words
MAX_WEIGHTS_BYTES = 256 * 2**20  # weights.npz on disk and every array in it once unpacked
_ARRAY_KINDS = {  # name: (numpy kinds allowed, number of dimensions)
    "char_idf": ("f", 1),
    "word_idf": ("f", 1),
    "coef_data": ("f", 1),
    "coef_indices": ("iu", 1),
    "coef_indptr": ("iu", 1),
    "coef_shape": ("iu", 1),
    "intercept": ("f", 1),
}


def validate_model_dir(directory: str | Path | None = None) -> None:
    """Check a model folder completely before anything uses it: model.json against the schema
    PassageModel.load expects, each array of weights.npz by its header (dtype, shape, size)
    before it is read, then by its values (finite, index bounds, sparse structure). Raises
    ModelError("not a valid themescan model: <what>") on the first problem.

    Run in the main process before workers start (themescan.loading), so a bad model is one
    clear error, not a failure per document or a worker killed by out-of-range indices."""
    _validated(Path(directory) if directory else default_model_dir())


def check_model_file(directory: str | Path | None = None) -> None:
    """The part of validate_model_dir that needs no numpy: the files, model.json against the
    schema and weights.npz against the hash model.json records. Cheap enough for every start
    of the command line, also when the cache answers everything and no model is loaded."""
    _checked_meta(Path(directory) if directory else default_model_dir())


def _invalid(folder: Path, what: str) -> ModelError:
    return ModelError(f"not a valid themescan model: {what} ({folder})")


def _validated(folder: Path) -> tuple[dict, dict[str, np.ndarray]]:
    meta, weights, themes = _checked_meta(folder)
    arrays = _read_arrays(folder, weights)
    _check_arrays(folder, arrays, len(themes))
    return meta, arrays


def _checked_meta(folder: Path) -> tuple[dict, bytes, list[str]]:
    meta_path, weights_path = folder / "model.json", folder / "weights.npz"
    if not meta_path.is_file() or not weights_path.is_file():
        raise ModelError(f"not a themescan model folder (model.json, weights.npz): {folder}")
    try:
        if meta_path.stat().st_size > MAX_META_BYTES:
            raise _invalid(folder, f"model.json is larger than {MAX_META_BYTES // 2**20} MB")
        if weights_path.stat().st_size > MAX_WEIGHTS_BYTES:
            raise _invalid(folder, f"weights.npz is larger than {MAX_WEIGHTS_BYTES // 2**20} MB")
        raw = meta_path.read_bytes()
        weights = weights_path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read model in {folder}: {exc.strerror or exc}") from None
    try:
        meta = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _invalid(folder, f"model.json is not JSON ({exc})") from None
    themes = _check_meta(folder, meta)
    expected_hash = meta.get("weights_hash")
    if expected_hash is not None:
        import hashlib

        if hashlib.sha256(weights).hexdigest()[:16] != expected_hash:
            raise _invalid(folder, "weights.npz does not match the weights_hash in model.json")
    return meta, weights, themes


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_meta(folder: Path, meta: object) -> list[str]:
    if not isinstance(meta, dict):
        raise _invalid(folder, "model.json is not an object")
    if meta.get("format") != FORMAT:
        raise _invalid(folder, f"unknown model format {meta.get('format')!r}, not {FORMAT}")
    themes = meta.get("themes")
    if themes != list(THEMES):
        raise _invalid(folder, f"themes must be {list(THEMES)}, not {themes!r}")
    for key, required in (("thresholds", True), ("single_thresholds", False)):
        table = meta.get(key)
        if table is None and not required:
            continue
        if not isinstance(table, dict):
            raise _invalid(folder, f"{key} must be an object of theme: threshold")
        for theme in themes if required else table:
            value = table.get(theme)
            if theme not in themes or not _finite_number(value) or not 0 < value < 1:
                raise _invalid(folder, f"{key}[{theme!r}] must be a number between 0 and 1")
    cues = meta.get("cues", {})
    if not isinstance(cues, dict) or any(
        t not in themes
        or not isinstance(words, list)
        or len(words) > 10_000
        or not all(isinstance(w, str) and 0 < len(w.strip()) <= 200 for w in words)
        for t, words in cues.items()
    ):
        raise _invalid(folder, "cues must map themes to lists of words")
    scale = meta.get("lex_scale", LEX_SCALE)
    if not _finite_number(scale) or not 0 < scale <= 1000:
        raise _invalid(folder, "lex_scale must be a number above 0 (at most 1000)")
    weights = meta.get("lexicon_weights", {})
    if not isinstance(weights, dict) or any(
        t not in themes or not _finite_number(w) or not 0 <= w < 1 for t, w in weights.items()
    ):
        raise _invalid(folder, "lexicon_weights must map themes to numbers from 0 up to 1")
    versions = meta.get("versions", {})
    if not isinstance(versions, dict):
        raise _invalid(folder, "versions must be an object")
    if "weights_hash" in meta and not isinstance(meta["weights_hash"], str):
        raise _invalid(folder, "weights_hash must be a string")
    prints = meta.get("fingerprints")
    if prints is not None:  # trial 13: without the file, evaluate's check for documents made
        # of the training passages went off without a word
        if not isinstance(prints, dict) or prints.get("file") != FINGERPRINTS:
            raise _invalid(folder, f"fingerprints must name the file {FINGERPRINTS}")
        if not (folder / FINGERPRINTS).is_file():
            raise _invalid(
                folder, f"{FINGERPRINTS} is missing (model.json lists it: it tells evaluate "
                "which documents share the training passages' sentences)"
            )  # fmt: skip
    return themes


def _read_arrays(folder: Path, weights: bytes) -> dict[str, np.ndarray]:
    import numpy as np

    """The arrays of weights.npz, each checked by its .npy header before it is read, so that a
    small file that unpacks into gigabytes is refused without being unpacked."""
    import io
    import zipfile

    try:
        zf = zipfile.ZipFile(io.BytesIO(weights))
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _invalid(folder, f"weights.npz is not a zip of arrays ({exc})") from None
    arrays: dict[str, np.ndarray] = {}
    total = 0
    with zf:
        infos = zf.infolist()
        names = sorted(i.filename for i in infos)
        wanted = sorted(f"{name}.npy" for name in _ARRAY_KINDS)
        if names != wanted:
            raise _invalid(folder, f"weights.npz holds {names}, not {wanted}")
        for info in infos:
            total += info.file_size
            if total > MAX_WEIGHTS_BYTES:
                raise _invalid(folder, f"arrays larger than {MAX_WEIGHTS_BYTES // 2**20} MB")
            name = info.filename[: -len(".npy")]
            try:
                with zf.open(info) as fh:
                    version = np.lib.format.read_magic(fh)
                    if version == (1, 0):
                        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fh)
                    elif version in ((2, 0), (3, 0)):
                        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fh)
                    else:
                        raise ValueError(f"npy version {version}")
                    kinds, ndim = _ARRAY_KINDS[name]
                    if dtype.kind not in kinds or dtype.hasobject or dtype.itemsize > 8:
                        raise _invalid(folder, f"{name} has dtype {dtype}")
                    if len(shape) != ndim or fortran:
                        raise _invalid(folder, f"{name} has shape {shape}")
                    size = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
                    if size > MAX_WEIGHTS_BYTES or size > info.file_size:
                        raise _invalid(folder, f"{name} claims {size} bytes")
                with zf.open(info) as fh:  # read_array reads the header again
                    arrays[name] = np.lib.format.read_array(fh, allow_pickle=False)
            except ModelError:
                raise
            except (ValueError, OSError, EOFError, zipfile.BadZipFile, RuntimeError) as exc:
                raise _invalid(folder, f"{name} in weights.npz cannot be read ({exc})") from None
    return arrays


def _check_arrays(folder: Path, arrays: dict[str, np.ndarray], n_themes: int) -> None:
    import numpy as np

    def need(ok: bool, what: str) -> None:
        if not ok:
            raise _invalid(folder, what)

    for name in ("char_idf", "word_idf", "coef_data", "intercept"):
        need(bool(np.isfinite(arrays[name]).all()), f"{name} has values that are not finite")
    need(arrays["char_idf"].shape == (CHAR_FEATURES,), f"char_idf must have {CHAR_FEATURES}")
    need(arrays["word_idf"].shape == (WORD_FEATURES,), f"word_idf must have {WORD_FEATURES}")
    need(bool((arrays["char_idf"] >= 0).all() and (arrays["word_idf"] >= 0).all()), "idf < 0")
    need(arrays["intercept"].shape == (n_themes,), f"intercept must have {n_themes} values")
    columns = CHAR_FEATURES + WORD_FEATURES + (LEX_PER_THEME + ROLE_PER_THEME) * n_themes
    shape = arrays["coef_shape"]
    need(shape.tolist() == [n_themes, columns], f"coef_shape must be [{n_themes}, {columns}]")
    indptr, indices, data = arrays["coef_indptr"], arrays["coef_indices"], arrays["coef_data"]
    need(indptr.shape == (n_themes + 1,), f"coef_indptr must have {n_themes + 1} values")
    need(
        int(indptr[0]) == 0 and bool((np.diff(indptr) >= 0).all()),
        "coef_indptr must rise from 0",
    )
    need(int(indptr[-1]) == len(indices) == len(data), "coef_indptr, indices, data disagree")
    need(len(indices) <= n_themes * columns, "more coefficients than the matrix has cells")
    need(
        bool(len(indices) == 0 or (indices.min() >= 0 and indices.max() < columns)),
        f"coef_indices outside 0..{columns - 1}",
    )


def _file_hash(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
