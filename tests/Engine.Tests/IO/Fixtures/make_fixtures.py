#!/usr/bin/env python3
"""Writes the .npy/.npz fixtures for NpyTests with real NumPy. Run from this folder: /usr/bin/python3 make_fixtures.py

Every array's values are a simple formula of its C-order flat index, so the C# tests can check them exactly:
floats: i * 0.5 - 3, ints: i * 7 - 20, uint8: (i * 37) % 256, bool: i % 3 == 0.
"""
import io
import os
import zipfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def values(dtype, shape):
    i = np.arange(int(np.prod(shape)), dtype=np.int64).reshape(shape)
    kind = np.dtype(dtype).kind
    if kind == "f":
        return (i * 0.5 - 3).astype(dtype)
    if kind == "i":
        return (i * 7 - 20).astype(dtype)
    if kind == "u":
        return ((i * 37) % 256).astype(dtype)
    return (i % 3 == 0).astype(dtype)


def save(name, array, version=None):
    path = os.path.join(HERE, name)
    with open(path, "wb") as f:
        np.lib.format.write_array(f, array, version=version)


# Every dtype, little-endian, C order.
for code in ("<f4", "<f8", "<i4", "<i8", "|u1", "|b1"):
    save(f"le_{code[1:]}_2x3.npy", values(code, (2, 3)))
# Big-endian, converted on read.
for code in (">f4", ">f8", ">i4", ">i8"):
    save(f"be_{code[1:]}_2x3.npy", values(code, (2, 3)))
# Fortran order, 2-d and 3-d.
save("fortran_f4_3x4.npy", np.asfortranarray(values("<f4", (3, 4))))
save("fortran_i8_2x3x4.npy", np.asfortranarray(values("<i8", (2, 3, 4))))
save("fortran_be_f8_2x3x2.npy", np.asfortranarray(values(">f8", (2, 3, 2))))
# 0-d, empty, 1-d.
save("scalar_f8.npy", np.array(2.5))
save("empty_f4_0x3.npy", np.zeros((0, 3), dtype="<f4"))
save("vector_i4_5.npy", values("<i4", (5,)))
# Format versions 2.0 and 3.0 (3.0 permits a utf-8 header; numpy writes 3.0 only when asked).
save("v2_f4_2x3.npy", values("<f4", (2, 3)), version=(2, 0))
save("v3_f4_2x3.npy", values("<f4", (2, 3)), version=(3, 0))
# Unsupported dtypes.
save("unsupported_f2.npy", np.zeros(3, dtype="<f2"))
save("unsupported_U10.npy", np.array(["a", "bc"], dtype="<U10"))
save("unsupported_i2.npy", np.zeros(3, dtype="<i2"))
np.save(os.path.join(HERE, "unsupported_object.npy"), np.array([1, "x"], dtype=object), allow_pickle=True)
save("unsupported_structured.npy", np.zeros(2, dtype=[("a", "<f4"), ("b", "<i4")]))

# npz: stored (np.savez) and deflated (np.savez_compressed).
np.savez(os.path.join(HERE, "stored.npz"), weights=values("<f4", (3, 4)), steps=values("<i8", (5,)), done=values("|b1", (4,)))
np.savez_compressed(os.path.join(HERE, "compressed.npz"), weights=values("<f4", (3, 4)), obs=values("|u1", (2, 2, 3)),
                    scalar=np.array(2.5))

# Corrupt and truncated files, made from a good one.
good = io.BytesIO()
np.lib.format.write_array(good, values("<f4", (2, 3)))
good = good.getvalue()
header_len = int.from_bytes(good[8:10], "little")
with open(os.path.join(HERE, "corrupt_magic.npy"), "wb") as f:
    f.write(b"\x93NUMPZ" + good[6:])
with open(os.path.join(HERE, "corrupt_truncated_data.npy"), "wb") as f:
    f.write(good[:-5])
with open(os.path.join(HERE, "corrupt_header_past_end.npy"), "wb") as f:
    f.write(good[:8] + (60000).to_bytes(2, "little") + good[10:])
with open(os.path.join(HERE, "corrupt_header_dict.npy"), "wb") as f:
    bad = good[10:10 + header_len].replace(b"'shape': (2, 3)", b"'shape': [2, 3")
    f.write(good[:10] + bad + good[10 + header_len:])
with open(os.path.join(HERE, "corrupt_too_short.npy"), "wb") as f:
    f.write(good[:4])
with open(os.path.join(HERE, "corrupt_version.npy"), "wb") as f:
    f.write(good[:6] + b"\x07\x00" + good[8:])
with open(os.path.join(HERE, "corrupt_not_zip.npz"), "wb") as f:
    f.write(b"this is not a zip archive at all")
with zipfile.ZipFile(os.path.join(HERE, "corrupt_entry.npz"), "w") as z:
    z.writestr("ok.npy", good)
    z.writestr("bad.npy", good[:-5])
