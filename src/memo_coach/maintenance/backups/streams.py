"""Streaming file transforms for backups: zstd, optional AES-GCM encryption, and SHA-256 in one pass.

zstd rather than gzip: on the 2-core machine it compresses twice as fast at level 1 with a better
ratio, and decompresses several times faster, which is what verification and restore wait on.
The stored file is a standard .zst (readable with the `zstd` tool) unless it is encrypted.
cryptography is imported when a backup is sealed or opened: 8 MB a process need not hold at rest.
"""

from __future__ import annotations

import hashlib
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import zstandard

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CHUNK = 4 * 1024 * 1024
MAGIC = b"MCBAK1"
_LAST, _MORE = b"last", b"more"


class StreamError(Exception):
    """The stored file cannot be read back: truncated, not gzip, or not decryptable with this key."""


def _cipher(passphrase: str, salt: bytes) -> AESGCM:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(_key(passphrase, salt))


def _key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=2**14, r=8, p=1).derive(passphrase.encode())


def _chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            yield chunk


def _compressed(source: Path, level: int) -> Iterator[bytes]:
    compressor = zstandard.ZstdCompressor(level=level, threads=-1).compressobj()
    for chunk in _chunks(source):
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()


def _encrypted(blocks: Iterator[bytes], passphrase: str) -> Iterator[bytes]:
    """Each block sealed on its own; the last is marked so a cut-off file is detected, not accepted."""
    salt, prefix = os.urandom(16), os.urandom(8)
    aead = _cipher(passphrase, salt)
    yield MAGIC + salt + prefix
    counter, previous = 0, None
    for block in blocks:
        if previous is not None:
            yield _seal(aead, prefix, counter, previous, _MORE)
            counter += 1
        previous = block
    yield _seal(aead, prefix, counter, previous or b"", _LAST)


def _seal(aead: AESGCM, prefix: bytes, counter: int, block: bytes, tag: bytes) -> bytes:
    sealed = aead.encrypt(prefix + struct.pack(">I", counter), block, tag)
    return struct.pack(">I", len(sealed)) + sealed


def _write(blocks: Iterator[bytes], target: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        for block in blocks:
            digest.update(block)
            size += len(block)
            out.write(block)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest()


def write_stored(source: Path, target: Path, level: int, passphrase: str | None) -> tuple[int, str]:
    """Compresses (and encrypts) source into target; returns (size, sha256) of what was stored."""
    blocks = _compressed(source, level)
    return _write(_encrypted(blocks, passphrase) if passphrase else blocks, target)


def copy_plain(source: Path, target: Path, _level: int, passphrase: str | None) -> tuple[int, str]:
    """Stores a file as it is (pg_dump's custom format is compressed already), encrypted when a key is set.
    Takes the unused level so it can stand in for write_stored."""
    blocks = _chunks(source)
    return _write(_encrypted(blocks, passphrase) if passphrase else blocks, target)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(path):
        digest.update(chunk)
    return digest.hexdigest()


def _decrypted(path: Path, passphrase: str) -> Iterator[bytes]:
    with path.open("rb") as f:
        header = f.read(len(MAGIC) + 24)
        if not header.startswith(MAGIC):
            raise StreamError("not an encrypted backup (unknown header)")
        salt, prefix = header[len(MAGIC) : len(MAGIC) + 16], header[len(MAGIC) + 16 :]
        aead, counter = _cipher(passphrase, salt), 0
        while True:
            size_bytes = f.read(4)
            if len(size_bytes) < 4:
                raise StreamError("encrypted backup ends before its last block: truncated")
            sealed = f.read(struct.unpack(">I", size_bytes)[0])
            block, last = _open(aead, prefix, counter, sealed)
            yield block
            if last:
                return
            counter += 1


def _open(aead: AESGCM, prefix: bytes, counter: int, sealed: bytes) -> tuple[bytes, bool]:
    nonce = prefix + struct.pack(">I", counter)
    for tag, last in ((_MORE, False), (_LAST, True)):
        try:
            return aead.decrypt(nonce, sealed, tag), last
        except Exception:  # cryptography raises InvalidTag; try the other marker before giving up
            continue
    raise StreamError(f"block {counter} does not decrypt: wrong key, or the file is damaged")


def _decompressed(blocks: Iterator[bytes]) -> Iterator[bytes]:
    """One zstd frame; input that stops before the frame's end is a truncated file."""
    decompressor = zstandard.ZstdDecompressor().decompressobj()
    for block in blocks:
        try:
            yield decompressor.decompress(block)
        except zstandard.ZstdError as exc:
            raise StreamError(f"not a valid zstd stream: {exc}") from None
    if not decompressor.eof:
        raise StreamError("the compressed stream ends early: the file is truncated")


def read_stored(stored: Path, target: Path, passphrase: str | None) -> None:
    """Decrypts and decompresses a stored backup into target."""
    blocks = _decrypted(stored, passphrase) if passphrase else _chunks(stored)
    with target.open("wb") as out:
        for data in _decompressed(blocks):
            out.write(data)


def read_plain(stored: Path, target: Path, passphrase: str | None) -> None:
    blocks = _decrypted(stored, passphrase) if passphrase else _chunks(stored)
    with target.open("wb") as out:
        for block in blocks:
            out.write(block)
