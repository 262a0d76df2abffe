"""Write output files atomically: a failed run leaves no partial file and keeps an older one intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError


def write_bytes_atomic(path: Path, data: bytes, *, protect: tuple[Path, ...] = ()) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and an atomic rename.

    ``protect`` lists input files that must never be overwritten.
    """
    path = Path(path)
    target = path.resolve()
    for guarded in protect:
        if guarded is not None and Path(guarded).exists() and Path(guarded).resolve() == target:
            raise OutputError(f"refusing to overwrite the input table {path}; choose another output file")
    if target.is_dir():
        raise OutputError(f"{path} is a directory; give a file name for the output")
    if not target.parent.exists():
        raise OutputError(f"folder {target.parent} does not exist; create it or choose another output file")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; outputs get the usual permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str, *, protect: tuple[Path, ...] = ()) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), protect=protect)
