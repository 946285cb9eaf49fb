"""The real aws CLI (awscli v1, a Python program), without its start-up cost on every call.

`python aws-cli-fork.py serve <socket> <client>` imports the CLI's modules once, writes `<client>` (an `aws`
executable for PATH) and then serves on the Unix socket `<socket>`: for every call the client makes, it forks, and
the child runs the CLI driver's `main()` with the caller's arguments, environment, working directory and standard
streams (passed over the socket), as the `aws` entry point does; the client exits with the child's code. The driver
is created once, before the forks, with its command table and service models loaded: that, and importing botocore
and awscli, is nine tenths of a call's CPU time. A call whose environment names other configuration than this
process had gets a driver created for it.
"""

import json
import os
import socket
import stat
import struct
import sys

from fork_server import serve_forks

CLIENT = r'''#!{python} -S
import json, os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect({socket!r})
body = json.dumps({{"argv": sys.argv[1:], "env": dict(os.environ), "cwd": os.getcwd()}}).encode()
socket.send_fds(s, [struct.pack("!I", len(body))], [0, 1, 2])
s.sendall(body)
code = b""
while len(code) < 4:
    chunk = s.recv(4 - len(code))
    if not chunk:
        sys.exit(255)
    code += chunk
sys.exit(struct.unpack("!i", code)[0])
'''


def receive(conn, size):
    data = b""
    while len(data) < size:
        chunk = conn.recv(size - len(data))
        if not chunk:
            raise EOFError("the client hung up")
        data += chunk
    return data


def run_call(conn):
    header, fds, _, _ = socket.recv_fds(conn, 4, 3)
    (size,) = struct.unpack("!I", header)
    request = json.loads(receive(conn, size))
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.argv = ["aws", *request["argv"]]
    code = 255
    try:
        if all(request["env"].get(name) == CALLER_ENV.get(name) for name in CONFIG_VARIABLES):
            os.environ.update(SET_BY_IMPORT)
            code = WARM_DRIVER.main()
        else:
            import importlib

            import awscli

            importlib.reload(awscli)  # its import sets AWS_DATA_PATH from the environment
            from awscli.clidriver import main

            code = main()
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        conn.sendall(struct.pack("!i", code or 0))
        os._exit(0)


# What the driver reads once, when it is created: a call whose environment names other files gets a driver of its own.
CONFIG_VARIABLES = ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_DATA_PATH", "AWS_PROFILE", "AWS_DEFAULT_PROFILE")
SERVICES = ("s3", "cloudtrail", "kms", "logs", "cloudwatch", "sns", "sts", "ec2", "organizations", "iam", "s3control")
WARM_DRIVER = None
# The environment as this process was started with it, and what importing awscli added (AWS_DATA_PATH).
CALLER_ENV = {}
SET_BY_IMPORT = {}


def warm_up():
    """Creates the driver as `aws` does, with its command table and the service models the scenarios use."""
    global WARM_DRIVER, CALLER_ENV, SET_BY_IMPORT
    CALLER_ENV = dict(os.environ)
    from awscli.clidriver import create_clidriver

    SET_BY_IMPORT = {k: v for k, v in os.environ.items() if CALLER_ENV.get(k) != v}
    WARM_DRIVER = create_clidriver()
    WARM_DRIVER._get_command_table()
    session = WARM_DRIVER.session
    for service in SERVICES:
        session.get_service_model(service)
        for kind in ("paginators-1", "waiters-2"):
            try:
                session.get_component("data_loader").load_service_model(service, kind)
            except Exception:
                pass  # the service has none
        # Explicit credentials: the session must not cache any, each call resolves its own.
        session.create_client(
            service,
            region_name="us-east-1",
            endpoint_url="http://127.0.0.1:9",
            aws_access_key_id="warm-up",
            aws_secret_access_key="warm-up",
        )


def serve(path, client):
    warm_up()
    with open(client, "w") as out:
        out.write(CLIENT.format(python=sys.executable, socket=path))
    os.chmod(client, os.stat(client).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    serve_forks(path, run_call)


if __name__ == "__main__":
    serve(sys.argv[2], sys.argv[3])
