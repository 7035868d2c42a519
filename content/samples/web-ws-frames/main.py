import base64
import hashlib
import struct

OPCODES = {
    0: "continuation", 1: "text", 2: "binary", 8: "close", 9: "ping", 10: "pong",
}


def hexs(data):
    return data.hex(" ")


# step: Answer the opening handshake
# region handshake
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # fixed by RFC 6455


def accept(key):
    digest = hashlib.sha1((key + GUID).encode()).digest()
    return base64.b64encode(digest).decode()
# endregion


print("accept:", accept("dGhlIHNhbXBsZSBub25jZQ=="))


# step: Encode a frame
# region frames
def encode(opcode, payload, fin=True, mask=None):
    head = bytearray([(0x80 if fin else 0) | opcode])
    mask_bit = 0x80 if mask else 0
    if len(payload) < 126:
        head.append(mask_bit | len(payload))
    elif len(payload) < 65536:
        head += struct.pack("!BH", mask_bit | 126, len(payload))
    else:
        raise ValueError("64-bit lengths left out of this sample")
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        head += bytes(mask)
    return bytes(head) + payload


# step: Decode a frame
def decode(frame):
    fin = bool(frame[0] & 0x80)
    opcode = frame[0] & 0x0F
    masked = bool(frame[1] & 0x80)
    length = frame[1] & 0x7F
    offset = 2
    if length == 126:
        (length,), offset = struct.unpack_from("!H", frame, 2), 4
    elif length == 127:
        (length,), offset = struct.unpack_from("!Q", frame, 2), 10
    mask = frame[offset:offset + 4] if masked else None
    if masked:
        offset += 4
    payload = frame[offset:offset + length]
    if mask:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return {"fin": fin, "opcode": OPCODES[opcode], "masked": masked,
            "payload": payload}
# endregion


# step: Check against the RFC's examples
hello = b"Hello"
print('server text "Hello":', hexs(encode(1, hello)))
mask = [0x37, 0xFA, 0x21, 0x3D]
masked_hello = [0x7F, 0x9F, 0x4D, 0x51, 0x58]
from_client = bytes([0x81, 0x85, *mask, *masked_hello])
d = decode(from_client)
fin, masked = str(d["fin"]).lower(), str(d["masked"]).lower()
flags = f"fin={fin} opcode={d['opcode']} masked={masked}"
print(f'client frame: {flags} payload="{d["payload"].decode()}"')
print("re-encoded with the same mask:", hexs(encode(1, hello, mask=mask)))
big = encode(2, bytes(256))
print("256-byte binary frame, header:", hexs(big[:4]))
parts = [encode(1, b"Hel", fin=False), encode(0, b"lo")]
joined = b"".join(decode(f)["payload"] for f in parts).decode()
print("fragments:", " | ".join(hexs(f) for f in parts), "->", f'"{joined}"')
close = struct.pack("!H", 1000) + b"bye"  # 1000, normal closure
print('close 1000 "bye":', hexs(encode(8, close)))
