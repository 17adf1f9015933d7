"""``omzien demo``: set up the Voorst demo network once and serve it with gunicorn."""

import errno
import os
import signal
import socket
import subprocess  # nosec B404  # gunicorn, argument list
import sys
from pathlib import Path

import gunicorn
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from omzien.accounts.two_factor import secret_for_typing
from omzien.demo.services import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    NotADemoDatabase,
    load_demo,
)

DEFAULT_PORT = 8000
STOP_SIGNALS = [signal.SIGTERM, signal.SIGHUP]
STOP_TIMEOUT = 15  # seconds gunicorn gets to stop before it is killed


def parse_port(value) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        raise CommandError(
            _("The port must be a number from 1 to 65535, not %(value)r.") % {"value": value}
        ) from None
    if not 1 <= port <= 65535:
        raise CommandError(
            _("The port must be a number from 1 to 65535, not %(port)d.") % {"port": port}
        )
    return port


def check_port_free(host: str, port: int) -> None:
    """Bind to the address the way gunicorn will, to fail early with a clear message."""
    try:
        family, kind, proto, _canonname, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM
        )[0]
    except socket.gaierror as error:
        raise CommandError(
            _("Cannot listen on %(host)s: %(error)s.") % {"host": host, "error": error.strerror}
        ) from None
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                message = _(
                    "Port %(port)d on %(host)s is already in use. Stop the program that uses "
                    "it or choose another port, e.g. --port %(other)d."
                ) % {"port": port, "host": host, "other": port + 1 if port < 65535 else 8001}
            else:
                message = _("Cannot listen on %(host)s port %(port)d: %(error)s.") % {
                    "host": host,
                    "port": port,
                    "error": error.strerror,
                }
            raise CommandError(message) from None


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def gunicorn_command(host: str, port: int) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "omzien.config.wsgi:application",
        "--bind",
        bind_address(host, port),
        "--workers",
        "2",
        "--access-logfile",
        "-",
    ]
    if gunicorn.version_info >= (25, 1):
        # Its control socket lives in the home folder, shared by every gunicorn; the demo
        # keeps to its data folder.
        command.append("--no-control-socket")
    return command


def describe_database() -> str:
    if connection.vendor == "sqlite":
        return _("SQLite database %(name)s") % {"name": connection.settings_dict["NAME"]}
    return _("%(vendor)s database %(name)s") % {
        "vendor": connection.display_name,
        "name": connection.settings_dict["NAME"],
    }


class Command(BaseCommand):
    help = _(
        "Set up the Voorst demo network with synthetic visitors (once; running it again adds "
        "nothing) and serve it with a real WSGI server until stopped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            default=str(DEFAULT_PORT),
            help=_("Port to serve on (default %(default)s)."),
        )
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help=_("Address to serve on (default %(default)s)."),
        )
        parser.add_argument(
            "--data-dir",
            help=_(
                "Folder for the SQLite database, the collected static files and the secret "
                "key (default: OMZIEN_DATA_DIR, else ./var)."
            ),
        )
        parser.add_argument(
            "--no-serve",
            action="store_true",
            help=_("Only set up the database; do not start the web server."),
        )

    def handle(self, *args, **options):
        serve = not options["no_serve"]
        host = options["host"]
        port = parse_port(options["port"])
        data_dir = self.data_dir(options["data_dir"])
        if serve:
            check_port_free(host, port)

        self.stdout.write(_("Data folder: %(path)s") % {"path": data_dir})
        self.stdout.write(_("Preparing the %(database)s …") % {"database": describe_database()})
        call_command("migrate", interactive=False, verbosity=0)

        self.stdout.write(_("Loading the Voorst demo network …"))
        try:
            loaded = load_demo(stdout=self.stdout)
        except NotADemoDatabase as error:
            raise CommandError(str(error)) from None
        if loaded:
            self.stdout.write(self.style.SUCCESS(_("The demo network has been loaded.")))
        else:
            self.stdout.write(_("The demo network was already there; nothing was added."))

        self.stdout.write(_("Collecting static files …"))
        call_command("collectstatic", interactive=False, verbosity=0)

        if not serve:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Ready. Serve it with: omzien demo --data-dir %(path)s") % {"path": data_dir}
                )
            )
            return
        self.print_welcome(host, port)
        self.serve(host, port)

    def data_dir(self, option: str | None) -> Path:
        """The data folder; --data-dir only works when given on the omzien command line."""
        data_dir = Path(settings.DATA_DIR)
        if option and Path(option).resolve() != data_dir.resolve():
            raise CommandError(
                _(
                    "The data folder is chosen before Omzien starts: run "
                    "'omzien demo --data-dir %(path)s' (or set OMZIEN_DATA_DIR)."
                )
                % {"path": option}
            )
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(
                _("Cannot create the data folder %(path)s: %(error)s.")
                % {"path": data_dir, "error": error.strerror}
            ) from None
        return data_dir

    def print_welcome(self, host: str, port: int) -> None:
        shown_host = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104  # nosec B104  # only shown
        url = f"http://{bind_address(shown_host, port)}/"
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS(_("Omzien demo runs at %(url)s") % {"url": url}))
        write(_("Management pages: %(url)sbeheer/") % {"url": url})
        write(_("Demo log-ins (password for all: %(password)s):") % {"password": DEMO_PASSWORD})
        width = max(len(login.username) for login in DEMO_LOGINS)
        for login in DEMO_LOGINS:
            write(f"  {login.username:<{width}}  {login.description}")
        write(
            _(
                "Professionals and administrators log in in two steps: add this key to an "
                "authenticator app (time-based, 6 digits) and enter its code: %(key)s"
            )
            % {"key": secret_for_typing(DEMO_TOTP_KEY)}
        )
        write(_("All residents and visits in this demo are invented (synthetic data)."))
        write(_("Stop with Ctrl-C."))
        write("")
        self.stdout.flush()

    def serve(self, host: str, port: int) -> None:
        environment = dict(os.environ)
        environment["OMZIEN_DATA_DIR"] = str(settings.DATA_DIR)
        environment.setdefault("DJANGO_SETTINGS_MODULE", "omzien.config.settings")
        process = subprocess.Popen(gunicorn_command(host, port), env=environment)  # nosec B603  # our own gunicorn

        stopping = False

        def forward(signum, frame):
            nonlocal stopping
            stopping = True
            if process.poll() is None:
                process.send_signal(signum)

        previous = {number: signal.signal(number, forward) for number in STOP_SIGNALS}
        try:
            while True:
                try:
                    return_code = process.wait()
                    break
                except KeyboardInterrupt:
                    # Ctrl-C in a terminal reaches gunicorn too; forward it when it did not.
                    stopping = True
                    if process.poll() is None:
                        process.send_signal(signal.SIGINT)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        if stopping or return_code == 0:
            self.stdout.write(_("The demo has stopped."))
        else:
            raise CommandError(
                _("The web server stopped unexpectedly (exit code %(code)d).")
                % {"code": return_code}
            )
