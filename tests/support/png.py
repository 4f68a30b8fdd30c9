"""A PNG reader for the tests: checks every chunk's CRC and the image data, and gives the
pixels back, so a test can prove a screenshot is a valid picture of something.

A reader of the format (8-bit greyscale, RGB and RGBA, non-interlaced, all five row
filters), not of what our own encoder happens to write.
"""

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
CHANNELS = {0: 1, 2: 3, 6: 4}


@dataclass
class Png:
    width: int
    height: int
    channels: int
    rows: list[bytes]

    def dark_fraction(self, *, top=None, below=128):
        """Share of pixels (in the first `top` rows) whose first channel is below `below`."""
        rows = self.rows[:top] if top else self.rows
        step = self.channels
        dark = sum(sum(1 for value in row[::step] if value < below) for row in rows)
        return dark / (len(rows) * self.width)


def read_png(data):
    assert data[:8] == SIGNATURE, "not a PNG signature"
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        payload = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert len(payload) == length, f"{kind!r} chunk cut short"
        assert zlib.crc32(kind + payload) & 0xFFFFFFFF == crc, f"bad CRC in {kind!r}"
        chunks.append((kind, payload))
        position += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, color, compression, filtering, interlace = struct.unpack(
        ">IIBBBBB", chunks[0][1]
    )
    assert depth == 8 and color in CHANNELS and (compression, filtering, interlace) == (0, 0, 0)
    channels = CHANNELS[color]
    raw = zlib.decompress(b"".join(payload for kind, payload in chunks if kind == b"IDAT"))
    stride = width * channels
    assert len(raw) == height * (stride + 1), "image data does not match the header's size"
    rows, previous = [], bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        row = _unfilter(raw[start], raw[start + 1 : start + 1 + stride], previous, channels)
        rows.append(row)
        previous = row
    return Png(width, height, channels, rows)


def _unfilter(kind, line, previous, bpp):
    if kind == 0:
        return bytes(line)
    out = bytearray(line)
    for i in range(len(out)):
        left = out[i - bpp] if i >= bpp else 0
        up = previous[i]
        corner = previous[i - bpp] if i >= bpp else 0
        if kind == 1:
            predicted = left
        elif kind == 2:
            predicted = up
        elif kind == 3:
            predicted = (left + up) // 2
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            predicted = left if pa <= pb and pa <= pc else (up if pb <= pc else corner)
        else:
            raise AssertionError(f"unknown PNG row filter {kind}")
        out[i] = (out[i] + predicted) & 0xFF
    return bytes(out)
