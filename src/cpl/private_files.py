"""Files only the service's own user can read: the database, keys, stored attachments.

Folders are made 0700 and files 0600, whatever the process's umask (which commonly leaves
new files readable by every local user: 0644). Another account on the machine must not read
a worker's records or the key that decrypts the issuer's signing key.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


def private_folder(path: Path) -> Path:
    """Make the folder if needed, and make it private; missing parents are made private too
    (``mkdir -p`` would give them the umask's permissions)."""
    if not path.parent.exists():
        private_folder(path.parent)
    path.mkdir(mode=FOLDER_MODE, exist_ok=True)
    os.chmod(path, FOLDER_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create the file empty if it is missing, and make it private."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    os.chmod(path, FILE_MODE)
    return path


def keep_private_if_present(path: Path) -> None:
    try:
        os.chmod(path, FILE_MODE)
    except FileNotFoundError:
        pass


def write_once(path: Path, data: bytes) -> bytes:
    """Write ``data`` to a new private file at ``path`` unless one is there; return what the file holds.

    Written under another name and hard-linked into place, so that several processes starting
    at once agree on one content and none ever reads a half-written file.
    """
    if not path.exists():
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        try:
            os.link(partial, path)
        except FileExistsError:
            pass
        finally:
            partial.unlink()
    return path.read_bytes()
