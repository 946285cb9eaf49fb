"""What aws-cli-fork.py and moto-fork.py share: a Unix socket served by forks of a process that has loaded a program."""

import os
import signal
import socket


def reap(*_):
    """Waits for the finished children (so that their CPU time counts as this process's children's)."""
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass


def serve_forks(path, handle):
    """Listens on `path`; for each connection, a forked child runs `handle(conn, listener)` and must not return."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    signal.signal(signal.SIGCHLD, reap)
    print("ready", flush=True)
    while True:
        conn, _ = listener.accept()
        if os.fork() == 0:
            try:
                listener.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                handle(conn)
            finally:
                os._exit(1)
        conn.close()
