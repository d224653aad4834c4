"""No secret in any log: tokens and secret parameters are redacted before a log line is written.

Tokens travel only as ``Authorization: Bearer`` (RFC 6750 section 2.1), which no log records;
but a client may still put one in a URL (``?access_token=``, RFC 6750 section 2.3, which this
service does not accept), and uvicorn's access log writes the whole request line. A filter on the
loggers and their handlers rewrites every record: an account token anywhere (``mkg_<id>_<secret>``
keeps its id, loses its secret), and the value of any query parameter whose name says it is a
secret. OWASP Logging Cheat Sheet: "access tokens ... should usually not be recorded directly".
"""

from __future__ import annotations

import logging
import re

TOKEN_TEXT = re.compile(r"(mkg_[0-9a-f]{12}_)[A-Za-z0-9_-]+")
SECRET_PARAM = re.compile(
    r"(?i)((?:^|[?&;])(?:[a-z_]*token|api_?key|key|secret|password|passwd|session|csrf)"
    r"(?:=|%3D))[^&;\s\"]*"
)
LOGGERS = ("uvicorn", "uvicorn.access", "uvicorn.error", "mercury_kg", "mercury_kg.service")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    """``text`` without token secrets or the values of secret-named parameters.

    >>> redact('GET /sparql?access_token=mkg_0123456789ab_SeCrEt&x=1')
    'GET /sparql?access_token=[redacted]&x=1'
    >>> redact("Bearer mkg_0123456789ab_SeCrEt")
    'Bearer mkg_0123456789ab_[redacted]'
    """
    return SECRET_PARAM.sub(rf"\1{REDACTED}", TOKEN_TEXT.sub(rf"\1{REDACTED}", text))


class Redact(logging.Filter):
    """Rewrites a record's message and string arguments with ``redact``."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {
                k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()
            }
        return True


_FILTER = Redact()


def install() -> None:
    """Put the filter on the service's and uvicorn's loggers, their handlers and the root's."""
    loggers = [logging.getLogger(name) for name in LOGGERS] + [logging.getLogger()]
    for logger in loggers:
        for target in (logger, *logger.handlers):
            if _FILTER not in target.filters:
                target.addFilter(_FILTER)
