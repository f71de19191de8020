"""The Python runner's forwarder: see forwarder.mjs.

Listens on the sandbox's loopback address inside the jail and pipes each connection to the
sandbox's Unix socket. Daemon threads, so it never holds the runner open once the handler is done.
"""

import socket
import threading


def _pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)  # a half-close travels through
    except OSError:
        pass


def _serve(client, socket_path):
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(socket_path)
    except OSError:
        client.close()
        upstream.close()
        return
    back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
    back.start()
    _pump(client, upstream)
    back.join()
    client.close()
    upstream.close()


def start(host, port, socket_path):
    """Returns True once listening, False when the address cannot be taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    server = socket.socket(family, socket.SOCK_STREAM)
    try:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(64)
    except OSError:
        server.close()
        return False

    def accept():
        while True:
            try:
                client, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=_serve, args=(client, socket_path), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    return True
