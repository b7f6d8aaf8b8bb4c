from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from talentcloud.common.crypto import DecryptionError
from talentcloud.privacy.storage import EncryptedFileSystemStorage

SECRET = "身份证 32011519850317123X 体检报告".encode()


def test_files_are_encrypted_on_disk_and_read_back(tmp_path):
    storage = EncryptedFileSystemStorage(location=tmp_path)
    name = storage.save("materials/report.pdf", ContentFile(SECRET))
    on_disk = (tmp_path / name).read_bytes()
    assert SECRET not in on_disk
    assert b"32011519850317123X" not in on_disk
    with storage.open(name) as f:
        assert f.read() == SECRET
    assert storage.size(name) == len(SECRET)
    # A second file with the same name gets its own name; both read back.
    other = storage.save("materials/report.pdf", ContentFile(b"other"))
    assert other != name
    assert storage.open(other).read() == b"other"


def test_a_file_moved_to_another_name_does_not_decrypt(tmp_path):
    storage = EncryptedFileSystemStorage(location=tmp_path)
    name = storage.save("a.txt", ContentFile(SECRET))
    (tmp_path / "b.txt").write_bytes((tmp_path / name).read_bytes())
    with pytest.raises(DecryptionError):
        storage.open("b.txt")
