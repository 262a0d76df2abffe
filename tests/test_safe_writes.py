"""Output files are written atomically: a run killed mid-write leaves the old file intact and no partial file."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

WRITER = """
import signal, sys
from pathlib import Path
from frontlines._write import write_bytes_atomic
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))  # as the CLI does
write_bytes_atomic(Path(sys.argv[1]), b"x" * 800_000_000)
"""


def test_killed_mid_write_keeps_the_old_file_and_leaves_no_partial(tmp_path):
    target = tmp_path / "map.html"
    target.write_text("the old map", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", WRITER, str(target)])
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".map.html.*.part")):  # wait until the write has begun
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) != 0
    assert target.read_text(encoding="utf-8") == "the old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.html"]
