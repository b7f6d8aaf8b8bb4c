"""The first `make demo` on a fresh clone: no compiled catalogue and no database. The demo is run for real (a
process serving pages) from a copy of the catalogue without its .mo and a new SQLite database; a Chinese
browser gets Chinese pages at once, and the talent's seeded inbox reads in English after the switch."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_clone(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """Settings as `make demo` has them (config.settings.dev), but with the catalogue copied without its .mo
    (the .mo is git-ignored: a clone has none) and everything the demo writes in a fresh folder."""
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "talentcloud" / "locale", locale)
    for mo in locale.rglob("*.mo"):
        mo.unlink()
    (tmp_path / "firstrun_settings.py").write_text(
        "from pathlib import Path\n"
        "from config.settings.dev import *  # noqa: F403\n"
        f"LOCALE_PATHS = [Path({str(locale)!r})]\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TALENTCLOUD_", "DJANGO_")) and k not in {"DATABASE_URL", "REDIS_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="firstrun_settings",
        PYTHONPATH=os.pathsep.join([str(tmp_path), str(ROOT)]),
        PYTHONUNBUFFERED="1",
        TALENTCLOUD_VAR_DIR=str(tmp_path / "var"),
        TALENTCLOUD_SQLITE_PATH=str(tmp_path / "var" / "demo.sqlite3"),
    )
    return env, locale


ENTRIES = {
    "cli": ["-m", "talentcloud.cli"],  # `talentcloud demo`, what `make demo` runs
    "manage.py": [str(ROOT / "manage.py")],  # Django set up (and its checks run) before the command
}


@pytest.fixture
def demo_served(tmp_path: Path, request: Any) -> Any:
    """`talentcloud demo` (migrate, seed, serve) on a fresh clone: its URL, what it printed, the paths."""
    env, locale = fresh_clone(tmp_path)
    port = free_port()
    entry = ENTRIES[getattr(request, "param", "cli")]
    process = subprocess.Popen(
        [sys.executable, *entry, "demo", "--addr", f"127.0.0.1:{port}", "--talents", "60", "--no-worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in iter(process.stdout.readline, b""):
            output.append(line.decode(errors="replace"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    base = f"http://127.0.0.1:{port}"
    try:
        # Migrating and seeding a fresh database takes a minute or more on a loaded two-core machine.
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/health/", timeout=5) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(1)
        assert process.poll() is None, "the demo stopped:\n" + "".join(output)
        yield {"base": base, "output": output, "locale": locale, "db": Path(env["TALENTCLOUD_SQLITE_PATH"])}
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def assert_login_page_in_chinese(base: str) -> None:
    url, chinese = f"{base}/accounts/login/", {"Accept-Language": "zh-CN,zh;q=0.9"}
    request = urllib.request.Request(url, headers=chinese)  # noqa: S310 (http to the local demo)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        login_page = response.read().decode()
    assert "登录" in login_page
    assert "用户名" in login_page
    assert "Sign in" not in login_page
    assert "Username" not in login_page


@pytest.mark.browser
@pytest.mark.parametrize("demo_served", ["manage.py"], indirect=True)
def test_the_demo_command_run_through_django_speaks_chinese_too(demo_served):
    assert list(demo_served["locale"].rglob("django.mo")), "the demo compiled the catalogue"
    assert_login_page_in_chinese(demo_served["base"])


@pytest.mark.browser
def test_a_fresh_clones_first_demo_speaks_chinese_and_the_inbox_follows_the_switch(demo_served, page):

    base = demo_served["base"]
    assert list(demo_served["locale"].rglob("django.mo")), "the demo compiled the catalogue"
    assert_login_page_in_chinese(base)

    printed = "".join(demo_served["output"])
    password = re.search(r"^talent\s.*?(\w{5}-\w{5}-\w{5})", printed, re.MULTILINE)
    assert password, printed
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill("talent")
    page.get_by_label("密码").fill(password.group(1))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/inbox/")
    notices = page.get_by_test_id("notification")
    expect(notices.first).to_be_visible()
    chinese = " ".join(notices.all_inner_texts())
    assert "已收到" in chinese  # the case notices the seed wrote
    assert "received" not in chinese
    assert "You qualify" not in chinese

    page.get_by_test_id("lang-en").click()
    page.wait_for_url(f"{base}/inbox/")
    expect(page.get_by_test_id("lang-zh")).to_be_visible()
    english = " ".join(notices.all_inner_texts())
    assert re.search(r"Case \S+ received", english), english
    assert "You qualify for" in english or "is ready for you" in english
    assert "已收到" not in english
    with sqlite3.connect(demo_served["db"]) as db:
        [(language,)] = db.execute("SELECT preferred_language FROM accounts_user WHERE username = 'talent'")
    assert language == "en"  # kept on the account: the worker's SMS and e-mail follow it
