#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Cut the kernel's BTF out of a kernel image that is not an ELF file (arm64's Image, as
Debian ships it in linux-image-*-arm64), for scripts/gen-vmlinux.sh. The .BTF section is
found by its header: magic 0xeB9F, version 1, a 24-byte header, types then strings.

usage: btf-from-image.py IMAGE OUT.btf
"""
import gzip
import struct
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: btf-from-image.py IMAGE OUT.btf")
    data = open(sys.argv[1], "rb").read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    best = None
    pos = data.find(b"\x9f\xeb\x01\x00")
    while pos >= 0:
        hdr_len, type_off, type_len, str_off, str_len = struct.unpack_from("<IIIII", data, pos + 4)
        size = hdr_len + str_off + str_len
        if (hdr_len == 24 and type_off == 0 and str_off == type_len and
                pos + size <= len(data) and (best is None or size > best[1])):
            best = (pos, size)
        pos = data.find(b"\x9f\xeb\x01\x00", pos + 1)
    if best is None:
        sys.exit("btf-from-image: no BTF in %s (CONFIG_DEBUG_INFO_BTF=y?)" % sys.argv[1])
    with open(sys.argv[2], "wb") as out:
        out.write(data[best[0]:best[0] + best[1]])


if __name__ == "__main__":
    main()
