"""A real review site for the tests: `edufig run` over the seed reports plus one hostile
report, the review application served by uvicorn on 127.0.0.1, and Debian's chromium
driven by Playwright."""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest
import uvicorn

from edufig.core.config import Settings
from edufig.review.app import create_app
from edufig.review.links import Signer
from tests.conftest import REPO_ROOT, SEEDS_DIR

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SECRET = "review-test-secret-0123456789"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
HOSTILE_REPORT = """# source: http://www.xiaodian.gov.cn/zwgk/jyj/202303/t20230301_1.html
# region: 山西省 太原市 小店区
# doc_type: 工作情况汇报
# published: 2023-03-01

小店区2022年教育工作情况汇报
2022年,全区学前三年毛入园率达到95.5%<script>document.title='pwned'</script>,普惠性幼儿园覆盖率持续提高。
根据年度统计,2022年全区学前三年毛入园率为96.8%。
"""
# 河南 has no subscriber in the default subscriptions: its flag goes to the fallback.
UNSUBSCRIBED_REPORT = """# source: http://www.jinshui.gov.cn/zwgk/jyj/202303/t20230302_1.html
# region: 河南省 郑州市 金水区
# doc_type: 工作情况汇报
# published: 2023-03-02

金水区2022年教育工作情况汇报
2022年,全区学前三年毛入园率达到92.5%,普惠性幼儿园覆盖率持续提高。
根据年度统计,2022年全区学前三年毛入园率为93.8%。
"""
LINK = re.compile(r"查看原文证据并处理：(http://\S+)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Site:
    """The data folder the pipeline writes and the URL the review site answers on."""

    work: Path
    corpus: Path
    settings: Settings
    base_url: str
    runs: list[subprocess.CompletedProcess] = field(default_factory=list)

    def run_pipeline(self) -> subprocess.CompletedProcess:
        """`edufig run` over the corpus again, as the scheduler would."""
        env = os.environ | {"EDUFIG_REVIEW_SECRET": SECRET, "EDUFIG_PUBLIC_URL": self.base_url}
        proc = subprocess.run(
            [sys.executable, "-m", "edufig.cli", "run", "--quiet", "--corpus", str(self.corpus),
             "--warehouse", str(self.settings.warehouse)],
            cwd=self.work, env=env, capture_output=True, text=True, timeout=900, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr
        self.runs.append(proc)
        return proc

    def digests(self) -> dict[str, list[str]]:
        """Plain-text bodies of the e-mails in the outbox, by recipient name."""
        bodies: dict[str, list[str]] = {}
        for path in sorted(self.settings.outbox_dir.rglob("*.eml")):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            name = str(message["To"]).split(" <")[0]
            text = message.get_body(preferencelist=("plain",)).get_content()
            bodies.setdefault(name, []).append(text)
        return bodies

    def link_to(self, recipient: str, region: str, metric_zh: str) -> str:
        """The signed link the recipient's digest carries for the flag of region and metric."""
        for body in self.digests()[recipient]:
            for block in body.split("\n\n"):
                if region in block and metric_zh in block:
                    return LINK.search(block).group(1)
        raise AssertionError(f"no link for {region} {metric_zh} in {recipient}'s digests")

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.settings.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    work = tmp_path_factory.mktemp("review_site")
    corpus = work / "corpus"
    shutil.copytree(SEEDS_DIR, corpus)
    (corpus / "xiaodian_hostile.txt").write_text(HOSTILE_REPORT, encoding="utf-8")
    (corpus / "jinshui_report.txt").write_text(UNSUBSCRIBED_REPORT, encoding="utf-8")
    port = free_port()
    settings = Settings(warehouse=work / "data" / "warehouse.duckdb")
    site = Site(work, corpus, settings, f"http://127.0.0.1:{port}")
    site.run_pipeline()
    app = create_app(settings, Signer(SECRET))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, access_log=False, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "review site did not start"
        time.sleep(0.05)
    yield site
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} missing: apt-get install chromium (.ci/run does)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 800})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = context.new_page()
    yield page
    context.close()
