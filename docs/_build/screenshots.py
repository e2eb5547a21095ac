"""Render pages of the built site in headless Chromium: check their text, save screenshots.

    python docs/_build/screenshots.py [SITE_DIR] [OUT_DIR]

Serves ``SITE_DIR`` (default ``site``) on 127.0.0.1, loads each page below with Debian's
``chromium`` (or ``chromium-browser`` / ``google-chrome``), checks that the rendered DOM
holds the text that page must show (so a blank or broken page fails), and writes a PNG per
page to ``OUT_DIR`` (default ``site/_screenshots``).  Where no Chromium is installed it
prints one line and exits 0, so the docs build still counts on machines without a browser.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

# (file name, page path, text the rendered page must contain, window height)
PAGES = [
    ("landing.png", "", ["openlz", "Tutorials", "API reference"], 1400),
    ("api-mesolve.png", "api/toolkit/", ["openlz.mesolve", "Parameters", "rho0"], 2000),
    ("tutorial-p004.png", "tutorials/p004_magnetic_medium/",
     ["magnetic medium", "concurrence", "Eq. (13)"], 3000),
    ("benchmarks.png", "benchmarks/", ["QuTiP", "dynamiqs", "speed-up"], 2400),
]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--virtual-time-budget=8000"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _chromium(binary: str, args: list[str], timeout: float = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="openlz-chromium-") as profile:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout, check=False)


def main(site: Path, out: Path) -> int:
    binary = find_chromium()
    if binary is None:
        print("screenshots: no chromium installed; skipped")
        return 0
    if not (site / "index.html").exists():
        print(f"screenshots: {site}/index.html not found; build the site first")
        return 1
    out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    failures = 0
    try:
        for png, page, needles, height in PAGES:
            url = base + page
            dom = _chromium(binary, ["--dump-dom", url]).stdout
            missing = [n for n in needles if n.lower() not in dom.lower()]
            shot = _chromium(binary, [f"--window-size=1280,{height}",
                                      f"--screenshot={out / png}", url])
            ok = (out / png).exists() and (out / png).stat().st_size > 10_000 and not missing
            failures += not ok
            print(f"screenshots: {'ok  ' if ok else 'FAIL'} {page or 'index'} -> {out / png}"
                  + (f" (missing text: {missing})" if missing else "")
                  + ("" if shot.returncode == 0 else f" (chromium exit {shot.returncode})"))
    finally:
        server.shutdown()
    return 1 if failures else 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


if __name__ == "__main__":
    site_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("site")
    out_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else site_dir / "_screenshots"
    sys.exit(main(site_dir, out_dir))
