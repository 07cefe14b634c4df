"""gunicorn's access log as one JSON object per line (see gunicorn.conf.py).

Fields: time, level, remote_addr (the proxy), forwarded_for (X-Forwarded-For as received),
request_id (X-Request-ID, set by nginx), method, path, status, bytes, duration_ms,
referer, user_agent, pid. The query string is left out: search words and tokens in it may
be personal data.
"""

import datetime
import json
import os

from gunicorn.glogging import Logger


def access_record(*, resp, req, environ, request_time) -> dict:
    """The fields of one access-log line."""
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    if isinstance(status, str) and status.isdigit():
        status = int(status)
    return {
        "time": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
        "level": "info",
        "logger": "access",
        "remote_addr": environ.get("REMOTE_ADDR", ""),
        "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
        "request_id": environ.get("HTTP_X_REQUEST_ID", ""),
        "method": environ.get("REQUEST_METHOD", ""),
        "path": environ.get("PATH_INFO", ""),
        "status": status,
        "bytes": getattr(resp, "sent", None),
        "duration_ms": round(request_time.total_seconds() * 1000, 1),
        "referer": environ.get("HTTP_REFERER", ""),
        "user_agent": environ.get("HTTP_USER_AGENT", ""),
        "pid": os.getpid(),
    }


class JsonAccessLogger(Logger):
    """gunicorn's logger with the access line written as JSON."""

    def access(self, resp, req, environ, request_time):
        if not self.access_log_enabled:
            return
        try:
            record = access_record(resp=resp, req=req, environ=environ, request_time=request_time)
            self.access_log.info(json.dumps(record, ensure_ascii=False))
        except Exception:  # a log line must never break a response
            self.exception("Could not write the access log line")
