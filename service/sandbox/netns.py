"""Cut a worker process off the network: an empty Linux network namespace of its own.

The query engine (Oxigraph) performs HTTP for ``SERVICE`` from Rust, where no Python hook sees it
(security.md case 1), so the only hard guarantee is that the process has no network at all. A new
network namespace (``unshare(CLONE_NEWNET)``, https://man7.org/linux/man-pages/man7/network_namespaces.7.html)
holds nothing but a loopback interface that is down: every connect fails with "Network is
unreachable" and every name lookup fails, whatever the query text says. As root this needs
``CAP_SYS_ADMIN``; elsewhere an unprivileged user namespace (``CLONE_NEWUSER``) is tried too.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
SANDBOXED = "network namespace"
"""What ``/health`` reports when workers have no network."""


class SandboxUnavailable(RuntimeError):
    """This process could not be given a network namespace of its own."""


def _unshare(flags: int) -> int:
    """``unshare(2)``: 0, or the errno."""
    unshare = getattr(os, "unshare", None)  # Python 3.12+
    if unshare is not None:
        try:
            unshare(flags)
        except OSError as exc:
            return exc.errno or 1
        return 0
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(ctypes.c_int(flags)) != 0:
        return ctypes.get_errno() or 1
    return 0


def namespace() -> str:
    """The network namespace this process is in (``net:[inode]``)."""
    return os.readlink("/proc/self/ns/net")


def isolate() -> str:
    """Move this process into an empty network namespace; return its ``net:[...]`` id.

    Raises:
        SandboxUnavailable: not Linux, or neither a plain nor a user-owned namespace could be made.
    """
    if not Path("/proc/self/ns/net").exists():
        raise SandboxUnavailable("network namespaces need Linux (/proc/self/ns/net is missing)")
    before = namespace()
    error = _unshare(CLONE_NEWNET)
    if error:
        error = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if error or namespace() == before:
        raise SandboxUnavailable(
            f"unshare(CLONE_NEWNET) failed: {os.strerror(error) if error else 'no new namespace'}"
            " (needs root, CAP_SYS_ADMIN or unprivileged user namespaces)"
        )
    return namespace()
