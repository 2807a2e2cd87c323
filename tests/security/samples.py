"""Small, well-formed sample files built in code, and hostile variants of them."""

import struct
import zlib


def pdf(body: bytes = b"", *, streams: tuple[bytes, ...] = ()) -> bytes:
    """A minimal one-page PDF; `body` goes into an extra object, `streams` become Flate
    streams (compressed as object streams are)."""
    parts = [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n",
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n",
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n",
    ]
    if body:
        parts.append(b"4 0 obj\n" + body + b"\nendobj\n")
    for i, raw in enumerate(streams, start=5):
        packed = zlib.compress(raw)
        parts.append(
            b"%d 0 obj\n<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n"
            % (i, len(packed))
            + packed
            + b"\nendstream\nendobj\n"
        )
    parts.append(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
    return b"".join(parts)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width: int = 1, height: int = 1, *, trailer: bytes = b"", end: bool = True) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x80" * min(width, 4) for _ in range(min(height, 4)))
    data = b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(raw))
    if end:
        data += _chunk(b"IEND", b"")
    return data + trailer


def jpeg(width: int = 1, height: int = 1, *, trailer: bytes = b"", sof: bool = True) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(range(1, 65))
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00"
    body = b"\xff\xd8" + app0 + dqt + (sof0 if sof else b"") + sos + b"\x12\x34\x56" + b"\xff\xd9"
    return body + trailer
