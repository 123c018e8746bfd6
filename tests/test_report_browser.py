"""The HTML report in a real browser: headless Chromium loads it, runs it and screenshots it.

Needs Debian's ``chromium`` (``apt-get install -y chromium``); skipped only when it is
missing. The page records, on ``<body>``, how many images rendered (``data-rendered``) and
how many script errors occurred (``data-js-errors``, texts in ``#js-errors``), so
``--dump-dom`` is enough to read the outcome: no DevTools protocol, no network.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_report import SECTION_IDS, build_run_result

from qualcode.report import write_reports

CHROMIUM = Path("/usr/bin/chromium")
PHONE_WIDTH = 390

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=(
        "headless browser check needs /usr/bin/chromium: install it with "
        "`apt-get update && apt-get install -y chromium` (CI installs it)")),
]


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium offline with a throwaway profile."""
    command = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--disable-extensions", "--hide-scrollbars",
               f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser")
    write_reports(build_run_result(), out)
    return out / "report.html"


@pytest.fixture(scope="module")
def dom(page, tmp_path_factory) -> tuple[str, str]:
    """The DOM after load (scripts run, images decoded) and Chromium's log."""
    run = _chromium(tmp_path_factory.mktemp("profile"), "--virtual-time-budget=5000",
                    "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.stderr


def _body(html: str) -> dict[str, str]:
    tag = re.search(r"<body([^>]*)>", html).group(1)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def test_page_loads_without_script_or_console_errors(dom):
    html, log = dom
    body = _body(html)
    errors = re.search(r'<pre id="js-errors"[^>]*>(.*?)</pre>', html, re.S).group(1)
    assert body.get("data-js-errors") == "0", errors
    assert errors == ""
    console = [line for line in log.splitlines() if "CONSOLE" in line]
    assert console == []


def test_every_section_is_in_the_rendered_dom(dom):
    html, _ = dom
    for section in SECTION_IDS:
        assert re.search(rf'<section class="major" id="{section}">', html), section


def test_every_chart_renders(dom):
    body = _body(dom[0])
    assert int(body["data-images"]) >= 5
    assert body["data-rendered"] == body["data-images"]


def test_phone_width_screenshot(page, tmp_path):
    screenshot = tmp_path / "phone.png"
    run = _chromium(tmp_path / "profile", f"--screenshot={screenshot}",
                    f"--window-size={PHONE_WIDTH},2400", page.as_uri())
    assert run.returncode == 0 and screenshot.exists(), run.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (PHONE_WIDTH, 2400)
    assert len(data) > 20_000  # a rendered page, not a blank one


def test_page_is_no_wider_than_a_phone(page, tmp_path):
    """At phone width nothing makes the page scroll sideways: wide tables scroll in their box.

    Headless Chromium will not lay out a window narrower than 500 pixels for --dump-dom, so
    the report is loaded in a 390-pixel iframe, whose viewport drives the media queries.
    """
    probe = page.with_name("probe.html")
    probe.write_text(
        f'<!DOCTYPE html><html><body><iframe id="f" src="{page.name}" '
        f'style="width:{PHONE_WIDTH}px;height:2000px;border:0"></iframe><script>'
        "window.addEventListener('load', function () {"
        "  var root = document.getElementById('f').contentDocument.documentElement;"
        "  document.body.setAttribute('data-client-width', String(root.clientWidth));"
        "  document.body.setAttribute('data-scroll-width', String(root.scrollWidth));"
        "});</script></body></html>", encoding="utf-8")
    try:
        run = _chromium(tmp_path / "profile", "--allow-file-access-from-files",
                        "--virtual-time-budget=5000", "--dump-dom", probe.as_uri())
    finally:
        probe.unlink()
    body = _body(run.stdout)
    assert int(body["data-client-width"]) <= PHONE_WIDTH
    assert int(body["data-scroll-width"]) <= int(body["data-client-width"])


def test_page_prints_to_pdf(page, tmp_path):
    pdf = tmp_path / "report.pdf"
    run = _chromium(tmp_path / "profile", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    page.as_uri())
    assert run.returncode == 0 and pdf.exists(), run.stderr[-2000:]
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())
    assert len(pages) >= len(SECTION_IDS)  # print CSS starts each major section on a new page
