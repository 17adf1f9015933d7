""".ci/audit tells a found vulnerability, a clean audit and an unreachable advisory source
apart: against a stub OSV server on this machine (nothing is fetched from the internet)."""

import json
import os
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# pip-audit with --disable-pip reads the pins and downloads nothing: the hash is not checked.
LOCK = (
    "asgiref==3.8.1 \\\n"
    "    --hash=sha256:3e1e3ecc849832fe52ccf2cb6686b7a55f82bb1d6aee72a58826471390335e47\n"
)


class StubOSV(BaseHTTPRequestHandler):
    vulnerable: set[str] = set()

    def do_POST(self):
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        name = query["package"]["name"]
        answer = {}
        if name in self.vulnerable:
            answer = {
                "vulns": [
                    {
                        "id": "PYSEC-0000-1",
                        "summary": "invented for the test",
                        "affected": [
                            {
                                "package": {"name": name, "ecosystem": "PyPI"},
                                "ranges": [{"type": "ECOSYSTEM", "events": [{"fixed": "99.0"}]}],
                            }
                        ],
                    }
                ]
            }
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def osv_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), StubOSV)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    StubOSV.vulnerable = set()


def run_audit(tmp_path, osv_url, **env):
    lock = tmp_path / "requirements.txt"
    lock.write_text(LOCK)
    environment = {
        **os.environ,
        "AUDIT_LOCK": str(lock),
        "AUDIT_SERVICES": "osv",
        "AUDIT_OSV_URL": osv_url,
        **env,
    }
    return subprocess.run(
        ["bash", str(ROOT / ".ci" / "audit")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_known_vulnerability_fails(tmp_path, osv_server):
    StubOSV.vulnerable = {"asgiref"}
    result = run_audit(tmp_path, f"http://127.0.0.1:{osv_server.server_port}/v1/query")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "asgiref 3.8.1: PYSEC-0000-1 (fixed in 99.0)" in result.stdout
    assert "FAILED" in result.stderr


def test_a_clean_answer_passes(tmp_path, osv_server):
    result = run_audit(tmp_path, f"http://127.0.0.1:{osv_server.server_port}/v1/query")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 of 1 locked packages checked" in result.stdout
    assert "PASSED" in result.stdout


def test_an_unreachable_source_is_skipped_loudly_never_passed(tmp_path, osv_server):
    port = osv_server.server_port
    osv_server.shutdown()
    osv_server.server_close()
    result = run_audit(tmp_path, f"http://127.0.0.1:{port}/v1/query")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SKIPPED" in result.stdout and "NOT checked" in result.stdout
    assert "PASSED" not in result.stdout
    required = run_audit(tmp_path, f"http://127.0.0.1:{port}/v1/query", AUDIT_REQUIRED="1")
    assert required.returncode == 2
