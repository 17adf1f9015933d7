"""Hostile .xlsx files, built for real and small on disk: an XML entity expansion
("billion laughs") and a zip bomb."""

import struct
import zipfile
import zlib
from pathlib import Path

from tests.visitfiles.files import write_xlsx

SHEET = "xl/worksheets/sheet1.xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + "]>\n"
)


def billion_laughs_xlsx(path: Path, part: str = SHEET) -> Path:
    """A real workbook whose sheet (or workbook part) expands &lol9; to 10**9 laughs."""
    write_xlsx(path.with_suffix(".plain.xlsx"), [])
    with zipfile.ZipFile(path.with_suffix(".plain.xlsx")) as plain:
        members = {info.filename: plain.read(info) for info in plain.infolist()}
    path.with_suffix(".plain.xlsx").unlink()
    if part == SHEET:
        members[SHEET] = (
            LAUGHS + f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
            "<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
        ).encode()
    else:
        original = members[part].decode()
        if original.startswith("<?xml"):
            original = original.split("?>", 1)[1]
        members[part] = (LAUGHS + original.replace('name="Sheet"', 'name="&lol9;"', 1)).encode()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as hostile:
        for name, data in members.items():
            hostile.writestr(name, data)
    return path


def _deflated(data: bytes, last: bool) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_FULL_FLUSH
    )


def zip_bomb_xlsx(path: Path, unpacked: int = 1 << 30) -> Path:
    """A real workbook whose sheet unpacks to `unpacked` bytes (1 GiB) of empty rows.

    The sheet's deflate stream is one compressed megabyte of ``<row/>`` repeated (each
    piece ends in a full flush, so the pieces join into one valid stream), so building it
    costs a CRC over the unpacked bytes, not compressing them; the file is about 1 MB.
    """
    write_xlsx(path.with_suffix(".plain.xlsx"), [])
    with zipfile.ZipFile(path.with_suffix(".plain.xlsx")) as plain:
        members = {info.filename: plain.read(info) for info in plain.infolist()}
    path.with_suffix(".plain.xlsx").unlink()
    head = f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    chunk = b"<row/>" * ((1 << 20) // 6)
    repeats = (unpacked - len(head) - len(tail)) // len(chunk)
    size = len(head) + repeats * len(chunk) + len(tail)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    piece = _deflated(chunk, last=False)
    stream = [_deflated(head, last=False), *[piece] * repeats, _deflated(tail, last=True)]

    entries = [
        (name, _deflated(data, last=True), zlib.crc32(data), len(data))
        for name, data in members.items()
        if name != SHEET
    ]
    entries.append((SHEET, b"".join(stream), crc, size))
    with path.open("wb") as out:
        directory = b""
        for name, data, crc32, length in entries:
            offset = out.tell()
            encoded = name.encode()
            out.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0,
                    8,
                    0,
                    0,
                    crc32,
                    len(data),
                    length,
                    len(encoded),
                    0,
                )
                + encoded
                + data
            )
            directory += (
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0,
                    crc32,
                    len(data),
                    length,
                    len(encoded),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + encoded
            )
        start = out.tell()
        out.write(directory)
        out.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), start, 0
            )
        )
    return path
