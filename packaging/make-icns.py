#!/usr/bin/env python3
"""Writes packaging/icons/control-room.icns from the 256 and 512 px PNGs.

An .icns file is a header ('icns', total length) followed by entries (type, length, data); the
types ic08 and ic09 hold a 256 and a 512 px PNG as they are, so no image tool is needed and the
file can be made on any OS. Run it again when the PNGs change.
"""
import pathlib
import struct

icons = pathlib.Path(__file__).resolve().parent / "icons"
entries = b""
for kind, png in (("ic08", "control-room-256.png"), ("ic09", "control-room-512.png")):
    data = (icons / png).read_bytes()
    entries += kind.encode("ascii") + struct.pack(">I", len(data) + 8) + data
(icons / "control-room.icns").write_bytes(b"icns" + struct.pack(">I", len(entries) + 8) + entries)
print(icons / "control-room.icns")
