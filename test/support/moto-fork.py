"""moto_server, started as a fork of one process that has already imported it.

`python moto-fork.py serve <socket>` imports moto's server and the models of the services the tests use, then
serves on the Unix socket `<socket>`: each connection sends `{"host": …, "port": …}`, and a forked child runs
`moto.server.main(["-H", host, "-p", port])` exactly as the `moto_server` command does, its standard streams on
/dev/null; the connection gets the child's process id back. Importing moto and the EC2 models is most of the CPU
time a new moto_server spends before its first answer.
"""

import json
import os
import random
import sys

from fork_server import serve_forks

SERVICES = (
    "account",
    "cloudtrail",
    "cloudwatch",
    "ec2",
    "iam",
    "kms",
    "logs",
    "organizations",
    "s3",
    "s3control",
    "sns",
    "sts",
)


def warm_up():
    """Imports what every server needs; creates no backend (a child must start from moto's empty state)."""
    import importlib

    import moto.server  # noqa: F401

    for service in SERVICES:
        for module in ("models", "responses", "urls"):
            try:
                importlib.import_module(f"moto.{service}.{module}")
            except ImportError:
                pass


def run_server(conn, request):
    os.setsid()
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    # Not the identifiers of every other server forked from the same parent: moto draws them from its own Random.
    random.seed()
    from moto.moto_api._internal import mock_random

    mock_random.seed()
    conn.sendall(json.dumps({"pid": os.getpid()}).encode() + b"\n")
    conn.close()
    from moto.server import main

    try:
        main(["-H", request["host"], "-p", str(request["port"])])
    finally:
        os._exit(0)


def start_server(conn):
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk
    run_server(conn, json.loads(data))


def serve(path):
    warm_up()
    serve_forks(path, start_server)


if __name__ == "__main__":
    serve(sys.argv[2])
