"""Symbolic links in the content folder.

Pelican walks the content folder following links, with no guard against loops: a link to `/`
or to a parent folder never finishes, and a link to a file outside the repository publishes
that file without a word. So before Pelican runs, the build walks the content folder once
without following links and refuses: a link to a folder (content/ holds real folders; a
link to an enclosing folder is named as a loop), a link that loops or points nowhere, and a
link to a file outside the repository (the folder of the settings file).
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import Problem
from .reader import display_path


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check(content: str | os.PathLike, repository: str | os.PathLike) -> list[Problem]:
    root = Path(content)
    repository = Path(repository).resolve()
    real_root = root.resolve()
    problems = []
    for folder, dirs, files in os.walk(root):  # followlinks=False: links are not entered
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            path = Path(folder) / name
            if not path.is_symlink():
                continue
            shown = display_path(str(path))
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                problems.append(Problem(shown, "is a symbolic link that loops or points to "
                                        "nothing; remove it, or replace it with the file",
                                        code="symlink.broken"))
                continue
            if target.is_dir():
                if _inside(real_root, target) or _inside(path.parent.resolve(), target):
                    why = (f"is a symbolic link to {target}, a folder that contains it: a "
                           "loop")
                else:
                    why = f"is a symbolic link to the folder {target}"
                problems.append(Problem(shown, f"{why}; the content folder may hold only real "
                                        "folders: remove the link, or move the folder in",
                                        code="symlink.folder"))
            elif not _inside(target, repository):
                problems.append(Problem(shown, f"is a symbolic link to {target}, outside the "
                                        "repository; a published file must be in the "
                                        "repository: copy it in instead of linking",
                                        code="symlink.outside"))
    return problems
