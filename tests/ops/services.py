"""Real services for the operations tests, each started on a free 127.0.0.1 port and
stopped after: Redis (Debian's redis-server), an S3 API (moto's server), nginx.

`make test` installs redis-server and nginx when it may; where one is missing, the tests
that need it are skipped with a message that names the package.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, process: subprocess.Popen | None = None, timeout: float = 30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def stop(process: subprocess.Popen, *, sig=signal.SIGTERM, timeout: float = 15) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def missing(reason: str):
    """Skip a test whose service is missing - but under CI=true (.ci/run) fail it: CI
    always runs the operations tests."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def program(name: str, *candidates: str, package: str) -> str:
    """The path of a system program, or skip the test naming the package to install."""
    for candidate in candidates or (name,):
        found = shutil.which(candidate)
        if found:
            return found
    missing(f"{name} is not installed: `make test` installs it, or `apt-get install {package}`")


class Redis:
    def __init__(self, tmp: Path):
        binary = program("redis-server", package="redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp), "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)

    def flush(self) -> None:
        import redis

        redis.Redis.from_url(self.url).flushdb()

    def stop(self) -> None:
        stop(self.process)


def public_read_policy(bucket: str) -> dict:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicRead",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


class S3:
    """moto's S3 server: a real S3 API over HTTP, the same one boto3 speaks to AWS."""

    ACCESS_KEY = "testing"
    SECRET_KEY = "testing"  # noqa: S105
    REGION = "eu-north-1"

    def __init__(self):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1",
             "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "MOTO_ALLOW_NONEXISTENT_REGION": "true"},
        )  # fmt: skip
        wait_for_port(self.port, process=self.process, timeout=60)

    def env(self, *, public: str, private: str) -> dict[str, str]:
        """The S3_* variables of docs/operations.md for these two buckets, made here."""
        client = self.client()
        for bucket in (public, private):
            client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": self.REGION}
            )
        # The public bucket is readable by anyone, as docs/operations.md tells operators.
        client.put_bucket_policy(Bucket=public, Policy=json.dumps(public_read_policy(public)))
        return {
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_BUCKET_PUBLIC": public,
            "S3_BUCKET_PRIVATE": private,
            "S3_ACCESS_KEY_ID": self.ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": self.SECRET_KEY,
            "S3_REGION": self.REGION,
        }

    def client(self):
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.ACCESS_KEY,
            aws_secret_access_key=self.SECRET_KEY,
            region_name=self.REGION,
        )

    def stop(self) -> None:
        stop(self.process)


def nginx_binary() -> str:
    return program("nginx", *NGINX_CANDIDATES, package="nginx")


def nginx_site(*, placeholders: dict[str, str]) -> str:
    """docs/nginx.conf with its ${UTB_...} placeholders filled in, as envsubst would."""
    text = (ROOT / "docs" / "nginx.conf").read_text()
    for name, value in placeholders.items():
        text = text.replace("${" + name + "}", value)
    left = re.findall(r"\$\{UTB_[A-Z_]+\}", text)
    assert not left, f"placeholders without a value: {left}"
    return text


def nginx_start(tmp: Path, site: str) -> subprocess.Popen:
    """nginx in the foreground with `site` (from nginx_site) in a minimal main file whose
    paths are all under `tmp`."""
    binary = nginx_binary()
    (tmp / "site.conf").write_text(site)
    mime = Path("/etc/nginx/mime.types")
    user = "user root;" if os.getuid() == 0 else ""
    (tmp / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{ worker_connections 256; }}
http {{
    {f"include {mime};" if mime.exists() else ""}
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/site.conf;
}}
"""
    )
    command = [binary, "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-g", "daemon off;"]
    return subprocess.Popen(command)


def login(session, base: str, username: str, password: str):
    """Sign in through the login form at `base` with a requests.Session."""
    session.get(f"{base}/accounts/login/", timeout=30)
    return session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies.get("csrftoken", ""),
        },
        allow_redirects=False,
        timeout=30,
    )
