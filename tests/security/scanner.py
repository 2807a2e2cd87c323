"""Test doubles for the malware scanner: one in-process, one that speaks clamd's protocol."""

import socket
import struct
import threading

from django.core.exceptions import ValidationError

# The EICAR anti-virus test file: harmless, and every scanner reports it.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


class EicarScanner:
    """Flags any upload that contains the EICAR string, as ClamAV would."""

    def scan(self, uploaded) -> None:
        uploaded.seek(0)
        data = b"".join(uploaded.chunks())
        uploaded.seek(0)
        if EICAR in data:
            raise ValidationError("The file contains malware and was not accepted.", code="malware")


class FakeClamd:
    """A clamd stand-in on a unix socket: answers INSTREAM like clamd does."""

    def __init__(self, path: str):
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _recv_exact(self, conn, n: int) -> bytes:
        buf = b""
        while len(buf) < n:
            part = conn.recv(n - len(buf))
            if not part:
                raise ConnectionError("short read")
            buf += part
        return buf

    def _serve(self):
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                assert command == b"zINSTREAM\0"
                data = b""
                while True:
                    (length,) = struct.unpack(">I", self._recv_exact(conn, 4))
                    if length == 0:
                        break
                    data += self._recv_exact(conn, length)
                self.received.append(data)
                reply = (
                    b"stream: Eicar-Test-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
                )
                conn.sendall(reply)

    def close(self):
        self.server.close()
