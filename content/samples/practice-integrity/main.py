import base64
import hashlib
import hmac

# step: The bytes that were downloaded
# A stand-in for a package archive: any bytes work the same way.
archive = "package/index.js\nmodule.exports = (s) => s.padStart(10);\n".encode("utf-8")

# step: Record the hashes, as a lockfile would
# npm writes Subresource Integrity strings: "<algorithm>-<base64 digest>".
integrity = "sha512-" + base64.b64encode(hashlib.sha512(archive).digest()).decode("ascii")
# pip's --hash option takes "<algorithm>:<hex digest>".
pip_hash = "sha256:" + hashlib.sha256(archive).hexdigest()
print(f"integrity: {integrity}")
print(f"--hash={pip_hash}")


# step: Verify bytes against each recorded hash
def check_integrity(data: bytes, sri: str) -> bool:
    # An SRI string may list several hashes separated by spaces; check the sha512 one.
    entry = next((part for part in sri.split() if part.startswith("sha512-")), None)
    if entry is None:
        raise ValueError("no sha512 hash to check against")
    expected = base64.b64decode(entry.removeprefix("sha512-"))
    return hmac.compare_digest(expected, hashlib.sha512(data).digest())


def check_pip_hash(data: bytes, spec: str) -> bool:
    algorithm, _, hex_digest = spec.partition(":")
    return hashlib.new(algorithm, data).hexdigest() == hex_digest


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISMATCH"


def report(label: str, data: bytes) -> None:
    print(f"{label}: integrity {verdict(check_integrity(data, integrity))}, hash {verdict(check_pip_hash(data, pip_hash))}")


report("original", archive)

# step: Change one byte and check again
tampered = bytearray(archive)
tampered[-4] ^= 0x01  # "10" becomes "11"
report("tampered", bytes(tampered))
