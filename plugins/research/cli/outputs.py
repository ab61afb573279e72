"""The output folder: which folder a build may replace, and how it is replaced.

A build is written into a staging folder beside the output folder and swapped in only when it
is clean. This module makes that safe:

- **Which folder.** The build replaces its output folder as a whole, so it refuses one that
  it did not write (a build leaves a marker file, `MARKER`, in the folder), unless the folder
  does not exist or is empty, and one that is, or contains, the content, theme, plugins or the
  site's own folder (`--output .`, `--output content`); a folder inside the content or theme
  would be read back as input.
- **One build at a time.** The build holds an exclusive `flock` on the output's parent folder
  from before it cleans up until after the swap; a second build gets a clear message at once.
  (A lock on the folder itself needs no lock file, which would be left in the user's folder.)
- **Atomic for readers.** The new folder and the old one are exchanged by one
  `renameat2(RENAME_EXCHANGE)`, so a web server serving the folder sees the old site or the
  new one, never no folder. Where that call is missing (not Linux, or a file system without
  it) two renames are used, and the next build puts the old site back if a kill fell between
  them.
- **No leftovers.** Staging (`.<name>.building-*`) and old (`.<name>.old-*`) folders of killed
  builds are removed by the next build; a file that cannot be removed is named, not hidden.
- **Unchanged files keep their time.** Before the swap, every new file whose bytes equal the
  old site's file at the same place takes the old file's modification time, so tools that
  sync by size and time (`rsync -a`, `aws s3 sync`, most deploy actions) upload only the pages
  that changed. (Pagefind's index files are named by hash and differ between identical
  builds; they are re-uploaded each time.)
- **Permissions follow the umask**, as for any other file a program writes (mkdtemp would
  make the site 0700, unreadable by a web server running as another user).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import filecmp
import os
import secrets
import shutil
import stat
from contextlib import contextmanager
from pathlib import Path

MARKER = ".research-build"
MARKER_TEXT = ("This folder is a site built by `python -m research build`. The next build "
               "replaces the whole folder.\n")
BUILDING, OLD = "building", "old"


class OutputRefused(Exception):
    """The output folder cannot be used or replaced: a one-line message for the editor."""


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_target(target: Path, shown: str, protected: dict[str, Path]) -> None:
    """Refuse an output folder the build must not replace; `protected` names folders of the
    site (label -> absolute path), `shown` is the folder as the user wrote it."""
    for label, folder in protected.items():
        folder = folder.resolve()
        if target == folder:
            raise OutputRefused(f"--output {shown}: is the {label}; the build replaces its "
                                "output folder as a whole, so give it a folder of its own, "
                                "e.g. --output output")
        if _inside(folder, target):
            raise OutputRefused(f"--output {shown}: contains the {label} ({folder}); the "
                                "build replaces its output folder as a whole, so give it a "
                                "folder of its own, e.g. --output output")
        if label in ("content folder (PATH)", "theme folder (THEME)") and _inside(target,
                                                                                   folder):
            raise OutputRefused(f"--output {shown}: is inside the {label}, so the next build "
                                "would read the site as input; build into a folder outside "
                                "it, e.g. --output output")
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise OutputRefused(f"--output {shown}: exists and is not a folder; remove it or "
                            "choose another --output")
    if (target / MARKER).is_file():
        return
    try:
        empty = next(os.scandir(target), None) is None
    except OSError as err:
        raise OutputRefused(f"--output {shown}: cannot be read ({err.strerror})") from None
    if not empty:
        raise OutputRefused(f"--output {shown}: exists and is not a site built by this tool "
                            f"(it has no {MARKER} file); the build replaces its output folder "
                            "as a whole, so choose another --output, or remove this folder "
                            "yourself if it is an old build")


@contextmanager
def locked(target: Path, shown: str):
    """Hold the build lock of `target` (a `flock` on its parent folder) for the block."""
    parent = target.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as err:
        raise OutputRefused(f"--output {shown}: cannot create or open the folder {parent} "
                            f"({err.strerror}); choose an --output in a folder you can "
                            "write") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputRefused(f"--output {shown}: another build into {parent} is running "
                                "now; wait until it has finished and build again") from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _leftovers(target: Path, kind: str) -> list[Path]:
    prefix = f".{target.name}.{kind}-"
    try:
        return sorted(entry for entry in target.parent.iterdir()
                      if entry.name.startswith(prefix))
    except OSError:
        return []


def clean_leftovers(target: Path) -> list[str]:
    """Remove what killed builds left beside `target` (call with the lock held); return notes
    about anything that could not be removed. If `target` is missing but an old site is there
    (a kill between the two renames of the fallback swap), that site is put back first."""
    notes = []
    if not os.path.lexists(target):
        olds = sorted((old for old in _leftovers(target, OLD) if (old / MARKER).is_file()),
                      key=lambda old: old.stat().st_mtime)
        if olds:  # the most recent: the one renamed away last
            os.rename(olds[-1], target)
    for leftover in _leftovers(target, BUILDING) + _leftovers(target, OLD):
        problem = remove_tree(leftover)
        if problem:
            notes.append(problem)
    return notes


def remove_tree(folder: Path) -> str | None:
    """Remove a folder, making read-only folders inside it writable first (an editor's
    `chmod -w`, or files copied from a read-only medium); return a note if it stays."""
    failures: list[str] = []

    def retry(function, path, info):
        error = info[1] if isinstance(info, tuple) else info
        if isinstance(error, PermissionError) and function in (os.unlink, os.rmdir,
                                                                os.remove, os.scandir,
                                                                os.open):
            try:
                parent = os.path.dirname(path)
                os.chmod(parent, os.stat(parent).st_mode | stat.S_IRWXU)
                if function is os.rmdir or os.path.isdir(path) and not os.path.islink(path):
                    os.chmod(path, os.stat(path).st_mode | stat.S_IRWXU)
                    shutil.rmtree(path)
                else:
                    os.unlink(path)
                return
            except OSError as again:
                error = again
        failures.append(f"{path} ({getattr(error, 'strerror', None) or error})")

    if not os.path.lexists(folder):
        return None
    shutil.rmtree(folder, onerror=retry)
    if failures or os.path.lexists(folder):
        first = failures[0] if failures else str(folder)
        return (f"note: could not remove {folder}: {first}; the next build tries again, or "
                "remove it yourself")
    return None


def make_staging(target: Path, shown: str) -> Path:
    """A new, empty staging folder beside `target`. Its mode is 0777 less the umask, as for
    any folder a program makes (not mkdtemp's 0700, which `rsync -a` would carry to a web
    server's document root)."""
    while True:
        staging = target.parent / f".{target.name}.{BUILDING}-{secrets.token_hex(4)}"
        try:
            os.mkdir(staging, 0o777)
            return staging
        except FileExistsError:
            continue
        except OSError as err:
            raise OutputRefused(f"--output {shown}: cannot create the build's folder in "
                                f"{target.parent} ({err.strerror}); choose an --output in a "
                                "folder you can write") from None


def mark(staging: Path) -> None:
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def keep_unchanged_times(staging: Path, target: Path) -> int:
    """Give each file of `staging` that has the same bytes as the file at the same place in
    `target` (the site being replaced) that file's access and modification times; return how
    many kept them. A file that cannot be compared (unreadable, not a regular file) simply
    keeps its new time: this only saves uploads, it never changes what is published."""
    if not target.is_dir():
        return 0
    kept = 0
    for root, _folders, files in os.walk(staging):
        old_root = target / os.path.relpath(root, staging)
        for name in files:
            new, old = os.path.join(root, name), old_root / name
            try:
                before = os.stat(old, follow_symlinks=False)
                now = os.stat(new)
                if not stat.S_ISREG(before.st_mode) or now.st_size != before.st_size:
                    continue
                if now.st_mtime_ns == before.st_mtime_ns:  # copied from the old site
                    kept += 1  # (an incremental build, guard/reuse.py): already its time
                    continue
                if not filecmp.cmp(new, old, shallow=False):
                    continue
                os.utime(new, ns=(before.st_atime_ns, before.st_mtime_ns))
            except OSError:
                continue
            kept += 1
    return kept


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; False if this system cannot (then nothing happened)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second),
                 _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(staging: Path, target: Path, shown: str) -> list[str]:
    """Put the finished `staging` folder in the place of `target`; return notes."""
    try:
        if not os.path.lexists(target):
            os.rename(staging, target)
            return []
        old = target.parent / f".{target.name}.{OLD}-{secrets.token_hex(4)}"
        if _exchange(staging, target):
            os.rename(staging, old)  # the old site, under a name the next build cleans
        else:
            os.rename(target, old)
            os.rename(staging, target)
    except OSError as err:
        raise OutputRefused(_swap_problem(err, shown)) from None
    note = remove_tree(old)
    return [note] if note else []


def _swap_problem(err: OSError, shown: str) -> str:
    if err.errno == errno.EBUSY:
        return (f"--output {shown}: cannot be replaced because it is in use as a mount point "
                "(EBUSY); build into a folder inside it, e.g. --output "
                f"{shown.rstrip('/')}/site")
    if err.errno == errno.EXDEV:
        return (f"--output {shown}: is on another file system than its parent folder, so "
                "it cannot be replaced in one step (EXDEV); build into a folder inside it")
    return (f"--output {shown}: cannot be replaced ({err.strerror}); the previous site is "
            "unchanged")
