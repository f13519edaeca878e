"""The README's report screenshots, taken from a built report in headless Chromium.

Each picture is one part of the real page (from one section heading to the next), captured at
desktop or phone width through the browser's DevTools protocol over a pipe, so nothing listens
on a port and nothing is fetched. Usage (after a build):

    .venv/bin/python scripts/screenshots.py [warehouse/report.html] [docs/img]
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# file name, window width, deep link, first section shown, section where the picture stops
SHOTS = [
    ("explorer-desktop.png", 1366, "city=340200&compare=360100", None, "ranking"),
    ("map-desktop.png", 1366, "city=340100", "map-title", "profiles"),
    ("quality-desktop.png", 1366, "city=340100", "quality", "downloads"),
    ("adoption-phone.png", 390, "city=340100&lang=zh", "adoption", "ranking"),
    ("map-phone.png", 390, "city=340100&lang=zh", "map-title", "profiles"),
]


class Browser:
    """Headless Chromium driven over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self, profile: Path) -> None:
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if exe is None:
            sys.exit("chromium is needed: run scripts/ensure_chromium.sh")
        to_browser_r, self.to_browser = os.pipe()
        self.from_browser, from_browser_w = os.pipe()

        def as_fds_3_and_4() -> None:  # in the child, before it starts Chromium
            high_r, high_w = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=as_fds_3_and_4, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r), os.close(from_browser_w)
        self.buffer, self.next_id = b"", 0

    def send(self, method: str, session: str | None = None, **params) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def receive(self) -> dict:
        while b"\0" not in self.buffer:
            chunk = os.read(self.from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("the browser closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def wait_for(self, event: str) -> None:
        while self.receive().get("method") != event:
            pass

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def shoot(browser: Browser, url: str, width: int, start: str | None, stop: str, out: Path) -> None:
    target = browser.send("Target.createTarget", url="about:blank")["targetId"]
    session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    browser.send("Emulation.setDeviceMetricsOverride", session, width=width, height=900,
                 deviceScaleFactor=1, mobile=width < 600)
    browser.send("Page.enable", session)
    browser.send("Page.navigate", session, url=url)
    browser.wait_for("Page.loadEventFired")
    # From the section heading (or the page top) to the next section's heading, full page width.
    box = browser.send("Runtime.evaluate", session, returnByValue=True, expression=f"""(function () {{
        var top = {json.dumps(start)} ? document.getElementById({json.dumps(start)}).getBoundingClientRect().top - 12 : 0;
        var end = document.getElementById({json.dumps(stop)}).getBoundingClientRect().top - 24;
        return [top + window.scrollY, end + window.scrollY];
    }})()""")["result"]["value"]
    shot = browser.send("Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
                        clip={"x": 0, "y": box[0], "width": width, "height": box[1] - box[0], "scale": 1})
    out.write_bytes(base64.b64decode(shot["data"]))
    browser.send("Target.closeTarget", targetId=target)
    print(f"{out}: {width}x{round(box[1] - box[0])}, {out.stat().st_size:,} bytes")


def main() -> None:
    report = Path(sys.argv[1] if len(sys.argv) > 1 else "warehouse/report.html").resolve()
    folder = Path(sys.argv[2] if len(sys.argv) > 2 else "docs/img")
    if not report.is_file():
        sys.exit(f"{report}: no report (build the warehouse first)")
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(Path(profile))
        try:
            for name, width, link, start, stop in SHOTS:
                shoot(browser, f"{report.as_uri()}#{link}", width, start, stop, folder / name)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
