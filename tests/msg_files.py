"""Outlook .msg files for the tests, written from the specifications (no product import).

An .msg is a compound file ([MS-CFB]: 512-byte sectors, a FAT, a directory of 128-byte
entries in a red-black tree, streams under 4096 bytes in the mini stream of 64-byte
sectors) holding Outlook's properties ([MS-OXMSG]): the ``__properties_version1.0`` stream
of each object, one ``__substg1.0_TTTTPPPP`` stream per string/binary property (subject
0037001F, plain body 1000001F, HTML body 10130102, compressed RTF body 10090102), and one
storage ``__attach_version1.0_#0000000N`` per attachment (long file name 3707001F, data
37010102, attach method 37050003 = 1 "by value"; or, for an Outlook item dragged into the
message, method 5 and the item's own storage ``__substg1.0_3701000D``).

``write_cfb`` is checked against olefile, an independent reader, by the tests.
"""

from __future__ import annotations

import math
import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF

Tree = dict[str, "bytes | Tree"]  # a storage: name -> stream bytes or a sub-storage


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        self.name, self.kind, self.data = name, kind, data  # kind: 1 storage, 2 stream, 5 root
        self.left = self.right = self.child = NOSTREAM
        self.start, self.size = END, 0


def _order(name: str) -> tuple[int, str]:
    """[MS-CFB] 2.6.4: shorter names first, then by the upper-cased name."""
    return len(name), name.upper()


def _flatten(tree: Tree, entries: list[_Entry], parent: _Entry) -> None:
    children = []
    for name, value in tree.items():
        entry = _Entry(name, 2, value) if isinstance(value, bytes) else _Entry(name, 1)
        entries.append(entry)
        children.append(entries.index(entry))
        if not isinstance(value, bytes):
            _flatten(value, entries, entry)
    ids = sorted(children, key=lambda i: _order(entries[i].name))

    def balanced(lo: int, hi: int) -> int:  # a balanced search tree; every node black
        if lo >= hi:
            return NOSTREAM
        mid = (lo + hi) // 2
        node = entries[ids[mid]]
        node.left, node.right = balanced(lo, mid), balanced(mid + 1, hi)
        return ids[mid]

    parent.child = balanced(0, len(ids))


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i + 1 < count else END


def write_cfb(tree: Tree) -> bytes:
    """A version 3 compound file holding ``tree`` (streams and storages)."""
    root = _Entry("Root Entry", 5)
    entries = [root]
    _flatten(tree, entries, root)
    streams = [e for e in entries if e.kind == 2]
    # mini stream: the small streams, in 64-byte sectors, chained in the mini FAT
    mini_fat: list[int] = []
    mini_stream = bytearray()
    for e in streams:
        e.size = len(e.data)
        if 0 < e.size < CUTOFF:
            e.start = len(mini_fat)
            n = math.ceil(e.size / MINI)
            mini_fat.extend([0] * n)
            _chain(mini_fat, e.start, n)
            mini_stream += e.data + bytes(n * MINI - e.size)
    big = [e for e in streams if e.size >= CUTOFF]
    # regular sectors: big streams, mini stream, mini FAT, directory, then the FAT itself
    blobs = [e.data for e in big] + [bytes(mini_stream), b"".join(struct.pack("<I", v) for v in mini_fat)]
    dir_sectors = math.ceil(len(entries) * 128 / SECTOR)
    data_sectors = sum(math.ceil(len(b) / SECTOR) for b in blobs) + dir_sectors
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < data_sectors + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "no DIFAT sectors in this writer"
    fat = [FREE] * (fat_sectors * (SECTOR // 4))
    body = bytearray()
    starts = []
    for blob in blobs:
        n = math.ceil(len(blob) / SECTOR)
        first = len(body) // SECTOR
        starts.append(first if n else END)
        if n:
            _chain(fat, first, n)
            body += blob + bytes(n * SECTOR - len(blob))
    for e, first in zip(big, starts, strict=False):
        e.start = first
    root.start, root.size = (starts[len(big)], len(mini_stream)) if mini_stream else (END, 0)
    mini_fat_start = starts[len(big) + 1]
    dir_start = len(body) // SECTOR
    _chain(fat, dir_start, dir_sectors)
    directory = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\x00\x00"
        assert len(name) <= 64, e.name
        directory += struct.pack("<64sHBBIII16sIQQIQ", name, len(name), e.kind, 1, e.left, e.right,
                                 e.child, bytes(16), 0, 0, 0, e.start, e.size)
    body += directory + bytes(dir_sectors * SECTOR - len(directory))
    fat_start = len(body) // SECTOR
    for i in range(fat_sectors):
        fat[fat_start + i] = FATSECT
    body += b"".join(struct.pack("<I", v) for v in fat)
    difat = [fat_start + i for i in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", bytes(16), 0x3E, 3,
                         0xFFFE, 9, 6, bytes(6), 0, fat_sectors, dir_start, 0, CUTOFF,
                         mini_fat_start if mini_fat else END, math.ceil(len(mini_fat) * 4 / SECTOR),
                         END, 0)
    header += struct.pack("<109I", *difat)
    return header + bytes(body)


# --------------------------------------------------------------------------- [MS-OXMSG]


def _props(fixed: dict[int, int], variable: dict[int, int], header: bytes) -> bytes:
    """A property stream: its header, then 16 bytes a property (tag, flags, value or size)."""
    out = bytearray(header)
    for tag, value in fixed.items():
        out += struct.pack("<IIQ", tag, 0x6, value)  # readable, writable
    for tag, size in variable.items():
        out += struct.pack("<IIII", tag, 0x6, size, 0)
    return bytes(out)


def _string(text: str) -> bytes:
    return text.encode("utf-16-le")


def write_msg(
    subject: str = "",
    body: str | None = None,
    html: bytes | None = None,
    rtf_compressed: bytes | None = None,
    attachments: list[tuple[str, bytes]] = (),
    sender: str = "",
    embedded: list[tuple[str, Tree]] = (),
) -> bytes:
    """An Outlook message (IPM.Note) with the given body and attachments, as Outlook saves it.

    ``embedded``: (display name, ``message_tree(...)``) of messages attached as Outlook items.
    """
    return write_cfb(message_tree(subject, body, html, rtf_compressed, attachments, sender, embedded))


def message_tree(
    subject: str = "",
    body: str | None = None,
    html: bytes | None = None,
    rtf_compressed: bytes | None = None,
    attachments: list[tuple[str, bytes]] = (),
    sender: str = "",
    embedded: list[tuple[str, Tree]] = (),
    top: bool = True,
) -> Tree:
    """The storages and streams of one message; ``top=False`` for a message inside another."""
    streams: dict[str, bytes] = {"__substg1.0_001A001F": _string("IPM.Note")}
    if subject:
        streams["__substg1.0_0037001F"] = _string(subject)
    if sender:
        streams["__substg1.0_0C1A001F"] = _string(sender)
    if body is not None:
        streams["__substg1.0_1000001F"] = _string(body)
    if html is not None:
        streams["__substg1.0_10130102"] = html
    if rtf_compressed is not None:
        streams["__substg1.0_10090102"] = rtf_compressed
    variable = {int(name[12:20], 16): len(data) + (2 if name.endswith("001F") else 0)
                for name, data in streams.items()}
    root: Tree = {"__nameid_version1.0": {"__substg1.0_00020102": b"", "__substg1.0_00030102": b"",
                                          "__substg1.0_00040102": b""}} if top else {}
    root.update(streams)
    for i, (filename, data) in enumerate(attachments):
        att = {"__substg1.0_3707001F": _string(filename), "__substg1.0_3704001F": _string(filename[:12]),
               "__substg1.0_37010102": data}
        att["__properties_version1.0"] = _props(
            {0x37050003: 1, 0x0E210003: i},  # PR_ATTACH_METHOD by value, PR_ATTACH_NUM
            {0x3707001F: len(att["__substg1.0_3707001F"]) + 2, 0x3704001F: len(att["__substg1.0_3704001F"]) + 2,
             0x37010102: len(data)},
            bytes(8))
        root[f"__attach_version1.0_#{i:08X}"] = att
    for j, (display, item) in enumerate(embedded, start=len(attachments)):
        att = {"__substg1.0_3001001F": _string(display), "__substg1.0_3701000D": item}
        att["__properties_version1.0"] = _props({0x37050003: 5, 0x0E210003: j},  # ATTACH_EMBEDDED_MSG
                                                {0x3001001F: len(att["__substg1.0_3001001F"]) + 2}, bytes(8))
        root[f"__attach_version1.0_#{j:08X}"] = att
    count = len(attachments) + len(embedded)
    header = bytes(8) + struct.pack("<IIII", 0, count, 0, count) + (bytes(8) if top else b"")
    root["__properties_version1.0"] = _props({0x0E070003: 0x1}, variable, header)  # PR_MESSAGE_FLAGS read
    return root
