import base64
import os
import signal
import subprocess
import sys
import unicodedata
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation.reloader import translation_file_changed
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentcloud.accounts.models import OrgUnit, User
from talentcloud.accounts.roles import roles_install
from talentcloud.cli import catalogues_compile
from talentcloud.dashboards.metrics import snapshot_refresh
from talentcloud.demo.seed import demo_passwords_reset, generate_password, seed_all
from talentcloud.demo.talentcode import seed_talent_codes
from talentcloud.notifications.models import Notification


class Command(BaseCommand):
    help = (
        "Create/migrate the demo SQLite database, seed it, print the demo logins and serve on 127.0.0.1:8000."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--talents", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--no-serve", action="store_true", help="prepare and print the logins, do not serve"
        )
        parser.add_argument("--no-worker", action="store_true", help="do not start the worker and scheduler")

    def handle(self, *args: Any, **options: Any) -> None:
        # `talentcloud demo` compiled the catalogues before Django started; run as `manage.py demo`, translations
        # may already be cached (the system checks), so a catalogue compiled now empties those caches, as the
        # development server's reloader does when a .mo changes.
        for mo_path in catalogues_compile():
            translation_file_changed(sender=None, file_path=mo_path)
        call_command("migrate", interactive=False, verbosity=0)
        roles_install()  # keep the standard role catalogue current on an existing demo database
        if not OrgUnit.objects.exists():
            self.stdout.write("正在生成演示数据 Seeding demo data …")
            seed_all(talents=options["talents"], seed=options["seed"])
            snapshot_refresh()
        elif not User.objects.filter(username="hospital").exists():
            with transaction.atomic():  # a demo seeded before the talent code (#23): its verifiers, codes
                seed_talent_codes(
                    seed=options["seed"],
                    units={u.code: u for u in OrgUnit.objects.all()},
                    generate_password=generate_password,
                )
        passwords = demo_passwords_reset()
        self.print_logins(passwords, options["addr"])
        if Notification.objects.filter(params__isnull=True).exists():
            self.stdout.write(
                "Some messages of this demo database were written before messages kept their codes and stay "
                f"in the language they were written in; delete {settings.DATABASES['default']['NAME']} "
                "to seed the demo afresh."
            )
        if options["no_serve"]:
            return
        helpers: list[subprocess.Popen[bytes]] = []
        if not options["no_worker"]:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.dev"),
            }
            for command in (["worker", "--interval", "2"], ["scheduler"]):
                helpers.append(
                    subprocess.Popen(
                        [sys.executable, str(settings.BASE_DIR / "manage.py"), *command], env=env
                    )
                )
        # Stopping the demo (Ctrl-C or a plain kill) stops its worker and scheduler too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", options["addr"], use_reloader=False)
        finally:
            for helper in helpers:
                helper.terminate()

    def print_logins(self, passwords: dict[str, str], addr: str) -> None:
        """The logins, in Chinese and English (whoever runs the demo reads one of them): a table whose
        columns line up in a terminal, where a Chinese character takes two columns."""
        w = self.stdout.write
        w("")
        w(f"人才云演示 Talent Cloud demo — 打开 open http://{addr}/")
        w("用下列任一账号登录；工作人员账号还需六位动态码：另开终端运行 `talentcloud otp 用户名`，")
        w("或把 TOTP 密钥加入任一身份验证器 App。")
        w("Sign in with any account below; staff accounts then ask for a six-digit code: run")
        w("`talentcloud otp USERNAME` in a second terminal, or add the TOTP key to any authenticator app.")
        w("")
        rows = [("用户名 username", "角色 role", "密码 password", "TOTP 密钥 key")]
        for user in User.objects.filter(is_demo=True).prefetch_related("roles").order_by("pk"):
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            key = (
                base64.b32encode(device.bin_key).decode().rstrip("=")
                if device
                else "（无 none: 人才/企业 talent/enterprise）"
            )
            role = "、".join(f"{r.name} {r.name_en}" for r in user.roles.all())
            rows.append((user.username, role, passwords.get(user.username, ""), key))
        widths = [max(_width(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            w("  ".join([*(_pad(text, width) for text, width in zip(row, widths, strict=False)), row[3]]))
        w("")


def _width(text: str) -> int:
    """Columns ``text`` takes in a terminal: two for a wide (Chinese) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
