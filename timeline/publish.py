"""Safe writing of output folders: atomic files, a run's set of files replaced as one, one run at a time.

Three layers, each for one failure a run can meet:

- ``atomic_write_text`` / ``atomic_write_bytes``: a file is written to a temporary name in its own
  folder and renamed into place, so a reader (or a run killed half way) never sees a truncated file.
- ``Staged``: a run writes its whole set into a fresh hidden sibling folder (``.<name>.new-<pid>-*``);
  only when every file is written is that folder swapped with the live one (one ``renameat2``
  ``RENAME_EXCHANGE`` on Linux, two renames elsewhere). A killed run leaves the previous complete set;
  a finished run leaves no stale file of an earlier corpus (old ``timeml/*.tml``, an old
  ``summaries.json``), because the new folder holds only what this run wrote.
- ``OutputLock``: an exclusive ``flock`` on ``.<name>.lock`` beside the folder, so a second run into
  the same folder stops at once with a clear message instead of mixing its files with the first's.

Nothing the user put in an output folder is lost: a folder holding files this program did not write
is refused before any work starts (``check_target``), and files a run is asked to keep (the summary
cache) are carried into the new set.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Iterable

#: Written into every published folder: the names of the files of the set, so the next run knows
#: which entries are its own (and may be replaced) and which belong to the user.
MANIFEST_NAME = ".timeline-outputs.json"


class OutputError(Exception):
    """An output folder cannot be used; the message says which, why, and what to do."""


class OutputBusy(OutputError):
    """Another run holds the output folder's lock."""


# --------------------------------------------------------------------------- atomic files

def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    """UTF-8 text with the line endings given (no translation), written atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))


# --------------------------------------------------------------------------- checks

def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_target(folder: Path, *, what: str, input_dir: Path | None = None,
                 own: Callable[[str], bool] = lambda name: False) -> None:
    """Raise OutputError unless ``folder`` can receive a new output set.

    Refused: a path that is a file (or lies under one); a folder equal to or inside ``input_dir``
    (its outputs would be read back as articles on the next run) or holding it (replacing the set
    would take the input with it); a folder holding entries that are neither in its manifest nor
    ``own(name)``; a parent folder where the new set cannot be written.
    """
    folder = Path(os.path.abspath(folder))
    for up in [folder, *folder.parents]:
        if up.exists():
            if not up.is_dir():
                raise OutputError(f"{what} {folder}: {up} is a file, not a folder; "
                                  f"give a folder path (it is created if missing)")
            break
    if input_dir is not None:
        source = Path(os.path.realpath(input_dir))
        real = Path(os.path.realpath(folder))
        if _inside(real, source):
            raise OutputError(f"{what} {folder} is inside the input folder {input_dir}: the next run would "
                              f"read the outputs as articles; choose a folder outside it")
        if _inside(source, real):
            raise OutputError(f"{what} {folder} holds the input folder {input_dir}: replacing the outputs "
                              f"would replace the input; choose a folder outside it")
    if folder.is_dir():
        known = set(manifest(folder)) | {MANIFEST_NAME}
        foreign = sorted(name for name in os.listdir(folder) if name not in known and not own(name))
        if foreign:
            shown = ", ".join(foreign[:5]) + (", ..." if len(foreign) > 5 else "")
            raise OutputError(f"{what} {folder} holds files this program did not write ({shown}); they would "
                              f"be replaced: choose an empty or new folder, or move them away")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise OutputError(f"{what} {folder} is not writable; choose another folder or fix its permissions")
    parent = folder.parent
    while not parent.exists():
        parent = parent.parent
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{what} {folder}: cannot create files in {parent} (not writable); "
                          f"choose another folder or fix its permissions")


def manifest(folder: Path) -> list[str]:
    """Top-level names a published folder lists as its own (empty when it has no valid manifest)."""
    try:
        data = json.loads((Path(folder) / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return []
    return sorted({str(f).split("/")[0] for f in files if isinstance(f, str) and f})


# --------------------------------------------------------------------------- lock

class OutputLock:
    """Exclusive, non-blocking ``flock`` on ``.<name>.lock`` beside ``folder`` (released on exit or
    when the process dies, so a killed run never leaves a stale lock)."""

    def __init__(self, folder: Path, what: str = "output folder"):
        folder = Path(os.path.realpath(folder))  # a symlinked folder: lock (and replace) what it points to
        self.folder = folder
        self.path = folder.parent / f".{folder.name}.lock"
        self.what = what
        self._fd: int | None = None

    def __enter__(self) -> "OutputLock":
        try:
            import fcntl
        except ImportError:  # not a POSIX system: runs are not serialised there
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                try:
                    holder = self.path.read_text(encoding="utf-8").strip() or "?"
                except OSError:
                    holder = "?"
                raise OutputBusy(f"{self.what} {self.folder} is being written by another run (process {holder}, "
                                 f"lock {self.path}); wait for it to finish or choose another folder") from None
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing releases the flock; the empty lock file stays (harmless)
            self._fd = None


# --------------------------------------------------------------------------- staged folders

def _stage_prefix(folder: Path) -> str:
    return f".{folder.name}.new-"


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two existing paths (Linux ``renameat2`` ``RENAME_EXCHANGE``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    AT_FDCWD, RENAME_EXCHANGE = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP if hasattr(errno, "EOPNOTSUPP") else -1):
        return False
    raise OSError(err, os.strerror(err), str(a))


class Staged:
    """A fresh sibling folder that becomes ``target`` (replacing it whole) on ``publish``.

    Leftover stage folders of killed runs are removed when a new stage is made (the caller holds the
    folder's lock, so no other run can be using them).
    """

    def __init__(self, target: Path):
        self.target = Path(os.path.realpath(target))
        self.target.parent.mkdir(parents=True, exist_ok=True)
        prefix = _stage_prefix(self.target)
        for stale in self.target.parent.glob(prefix + "*"):
            shutil.rmtree(stale, ignore_errors=True)
        self.path = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=self.target.parent))
        os.chmod(self.path, 0o755)

    def carry(self, names: Iterable[str]) -> None:
        """Copy these entries of the live folder (when present) into the stage, e.g. a cache."""
        for name in names:
            src, dst = self.target / name, self.path / name
            if src.is_file() and not dst.exists():
                dst.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dst)

    def publish(self, files: Iterable[Path]) -> None:
        """Write the manifest, then swap the stage in; the previous set is deleted afterwards."""
        names = sorted(str(Path(f).relative_to(self.path)).replace(os.sep, "/") for f in files)
        atomic_write_text(self.path / MANIFEST_NAME,
                          json.dumps({"files": names}, indent=1, ensure_ascii=False) + "\n")
        _fsync_dir(self.path)
        if not self.target.exists():
            os.rename(self.path, self.target)
        elif _exchange(self.path, self.target):
            shutil.rmtree(self.path, ignore_errors=True)  # now holds the previous set
        else:  # no atomic exchange: a killed run may leave the previous set under .<name>.old-<pid>
            old = self.target.parent / f".{self.target.name}.old-{os.getpid()}"
            os.rename(self.target, old)
            os.rename(self.path, self.target)
            shutil.rmtree(old, ignore_errors=True)
        _fsync_dir(self.target.parent)

    def discard(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
