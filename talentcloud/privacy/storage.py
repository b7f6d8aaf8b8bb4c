"""File storage that encrypts every file with SM4-GCM before it reaches the disk (or object storage).

Use it for uploads that hold personal data (materials of a case, documents of an archive):
``models.FileField(storage=encrypted_storage)``. The file's name is bound into the ciphertext, so a file
copied under another name does not decrypt.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject

from talentcloud.common.crypto import decrypt_bytes, encrypt_bytes


def _aad(name: str) -> bytes:
    return b"file:" + name.replace("\\", "/").encode()


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File) -> str:
        name = self.get_available_name(name)
        content.seek(0)
        token = encrypt_bytes(content.read(), aad=_aad(name)).encode()
        return str(FileSystemStorage._save(self, name, ContentFile(token)))  # type: ignore[attr-defined]

    def _open(self, name: str, mode: str = "rb") -> File:
        if "w" in mode or "a" in mode:
            raise ValueError("encrypted files are written with save(), not opened for writing")
        with FileSystemStorage._open(self, name, "rb") as stored:  # type: ignore[attr-defined]
            data = decrypt_bytes(stored.read().decode(), aad=_aad(name))
        wrapped = ContentFile(data, name=name)
        return wrapped

    def size(self, name: str) -> int:
        with self._open(name) as f:
            return len(f.read())


class _LazyEncryptedStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = EncryptedFileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


encrypted_storage: Any = _LazyEncryptedStorage()


def private_storage() -> Any:
    """The encrypted storage, for ``FileField(storage=private_storage)``: a callable keeps the storage's
    location (a setting of each installation) out of the migrations."""
    return encrypted_storage
