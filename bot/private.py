"""Files and folders that hold personal data are readable by their owner only.

The SQLite database, its WAL and lock files, the files served by signed links and the channels'
small state files live in the data folder; the folders chibo creates are 0700 and its files
0600, whatever the umask. SQLite gives the WAL and journal files the database file's mode.
"""

import os
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path | str) -> Path:
    """Create the folder (and any missing parent) for the owner only; an existing one is kept."""
    path = Path(path)
    missing = []
    for folder in (path, *path.parents):
        if folder.exists():
            break
        missing.append(folder)
    for folder in reversed(missing):
        folder.mkdir(mode=DIR_MODE, exist_ok=True)
        os.chmod(folder, DIR_MODE)
    return path


def private_file(path: Path | str) -> Path:
    """Create an empty file for the owner only, in a private folder, unless it exists."""
    path = Path(path)
    private_dir(path.parent)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, FILE_MODE))
    except FileExistsError:
        pass
    return path


def write_private(path: Path | str, data: bytes) -> None:
    """Write a whole file readable by its owner only."""
    path = private_file(path)
    os.chmod(path, FILE_MODE)
    path.write_bytes(data)
