"""An upload leaves nothing in the upload folder: not when it is refused, not when the client goes away halfway,
and what a killed process left behind is removed by later uploads."""

import io
import os
import socket
import struct
import time
from urllib.parse import urlsplit

import pytest
from knox.models import AuthToken

from documents import intake
from documents.services.upload import document_upload
from tests import samples


@pytest.fixture
def upload_folder(settings, tmp_path):
    folder = tmp_path / "uploads-tmp"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def _wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("reset", [False, True], ids=["closed", "reset"])
@pytest.mark.django_db(transaction=True)
def test_a_client_that_disconnects_mid_upload_leaves_no_file(live_server, upload_folder, reviewer, reset):
    token = AuthToken.objects.create(reviewer)[1]
    # Zeros after the image, not random bytes: random ones held the boundary `--B` in about one run of five,
    # and Django took what followed it for a part without headers.
    head = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="scan.png"\r\n'
        b"Content-Type: image/png\r\n\r\n" + samples.png() + bytes(4 * 1024 * 1024)
    )
    address = urlsplit(live_server.url)
    with socket.create_connection((address.hostname, address.port)) as connection:
        connection.sendall(
            f"POST /api/documents/ HTTP/1.1\r\nHost: {address.netloc}\r\n".encode()
            + b"Authorization: Token "
            + token.encode()
            + b"\r\n"
            b"Content-Type: multipart/form-data; boundary=B\r\n"
            b"Content-Length: "
            + str(len(head) + 8 * 1024 * 1024).encode()
            + b"\r\n\r\n"
            # In the same write as the request's headers: Django reads a part's headers in one read, and a
            # short read of them (the headers alone in one TCP segment) is refused as oversized.
            + head
        )
        # The part received so far is on disk (past the in-memory limit) before the client goes away.
        if not _wait_for(lambda: any(upload_folder.iterdir())):
            connection.settimeout(2)
            said = connection.recv(2000)
            pytest.fail(f"the upload never reached the upload folder; the server said {said!r}")
        if reset:  # the connection is torn down (RST), as when the client's process is killed
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    assert _wait_for(lambda: not any(upload_folder.iterdir())), list(upload_folder.iterdir())


@pytest.mark.django_db
def test_a_refused_upload_leaves_nothing_in_the_upload_folder(upload_folder, reviewer):
    with pytest.raises(intake.IntakeError):
        document_upload(file=io.BytesIO(samples.truncated_png()), name="cut.png", uploaded_by=reviewer)
    assert list(upload_folder.iterdir()) == []


@pytest.mark.django_db
def test_an_upload_removes_what_killed_uploads_left_and_spares_ones_in_progress(upload_folder, reviewer, settings):
    abandoned_file = upload_folder / "tmpabc.upload.png"
    abandoned_file.write_bytes(b"partial")
    abandoned_folder = upload_folder / "intake-abc"
    abandoned_folder.mkdir()
    (abandoned_folder / "upload-abc").write_bytes(b"partial")
    in_progress = upload_folder / "tmpdef.upload.pdf"
    in_progress.write_bytes(b"still arriving")
    long_ago = time.time() - settings.UPLOAD_TEMP_MAX_AGE_MINUTES * 60 - 5
    for path in (abandoned_file, abandoned_folder / "upload-abc", abandoned_folder):
        os.utime(path, (long_ago, long_ago))

    document_upload(file=io.BytesIO(samples.png()), name="scan.png", uploaded_by=reviewer)

    assert sorted(path.name for path in upload_folder.iterdir()) == ["tmpdef.upload.pdf"]
