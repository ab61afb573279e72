"""Hardening (issue 12): the build cannot be turned against its site, its editors' files or
its readers. Bad content with exact messages is in bad_inputs/cases-hardening.yaml; here are
the cases a corpus entry cannot express: the URL scan of the real site, the output folder
(refusals, lock, permissions, leftovers, kills), symbolic links, the theme, and failures of
the operating system (full disk, mount point, permissions, Ctrl-C)."""

from __future__ import annotations

import errno
import fcntl
import html
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, build_site
from sitepages import reset_pelican_log_dedup

sys.path.insert(0, str(Path(__file__).resolve().parent / "bad_inputs"))
from cases import copy_base_site  # noqa: E402

from research.export import tables as exports

from research.cli import outputs

from research.guard import urlpolicy# noqa: E402

# --- URLs of the built real site, parsed independently of urlpolicy.py ----------------------

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "cite",
                  "data", "srcset", "background", "ping", "manifest", "longdesc"}


class _UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                self.urls.append((self.getpos()[0], name, value))

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str | None:
    # WHATWG: strip C0 controls and space at both ends, drop tab and newline anywhere.
    cleaned = re.sub("[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))
    match = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return match[1].lower() if match else None


def _site_urls(output: Path) -> tuple[int, list[str]]:
    count, bad = 0, []
    for path in sorted(output.rglob("*")):
        if path.suffix not in (".html", ".svg", ".xml") or "pagefind" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        texts = [text]
        if "<feed" in text[:2000]:  # feed entries are escaped HTML: scan them as markup too
            texts.append(html.unescape(text))
        for markup in texts:
            collector = _UrlCollector()
            collector.feed(markup)
            for line, name, url in collector.urls:
                for item in (url.split(",") if name == "srcset" else [url]):
                    count += 1
                    if _scheme(item.strip()) not in (None, "http", "https", "mailto"):
                        bad.append(f"{path.relative_to(output)}:{line}: {name}={url!r}")
    return count, bad


def test_every_url_of_the_real_site_has_an_allowed_scheme(real_site):
    _, output = real_site
    count, bad = _site_urls(output)
    assert count > 1000, "the scan found too few URLs to mean anything"
    assert bad == []


def test_every_url_of_the_published_site_and_its_feed_has_an_allowed_scheme(published_site):
    output, _ = published_site
    assert (output / "feeds" / "all.atom.xml").is_file()
    count, bad = _site_urls(output)
    assert count > 1000
    assert bad == []


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JAVASCRIPT:alert(1)", " javascript:alert(1)",
    "\x01javascript:alert(1)", "java\tscript:alert(1)", "java\nscript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html,<script>", "data:image/png;base64,AAAA",
    "file:///etc/passwd", "javascript:https://example.org/?%0aalert(1)"])
def test_the_policy_refuses_a_scheme_however_it_is_hidden(url):
    assert urlpolicy.refused(url)
    assert _scheme(url) not in (None, "http", "https", "mailto")  # the test's parser agrees


@pytest.mark.parametrize("url", ["", "#p-3", "../x/", "/x", "x.html?a=b:c", "//example.org/",
                                 "https://example.org/", "HTTP://example.org", "mailto:a@b.c"])
def test_the_policy_allows_relative_urls_http_https_and_mailto(url):
    assert urlpolicy.refused(url) is None


def test_the_scan_finds_urls_hidden_by_character_references_and_in_feed_entries():
    page = b'<p>\n<a href="&#106;ava&#x09;script:alert(1)">x</a>\n<img src=\'data:x\'></p>'
    found = urlpolicy.scan_file(page)
    assert [(line, name, url) for line, name, url, _ in found] == [
        (2, "href", "java\tscript:alert(1)"), (3, "src", "data:x")]
    feed = (b'<feed><entry><content type="html">&lt;a href=&quot;javascript:x&quot;&gt;'
            b'</content></entry></feed>')
    assert [url for _, _, url, _ in urlpolicy.scan_file(feed, feed=True)] == ["javascript:x"]
    assert urlpolicy.scan_file(b"<p>href=javascript:x is text, not a link</p>") == []


def test_a_static_link_out_of_the_content_folder_copies_nothing(tmp_path, monkeypatch):
    """`{static}/../../../etc/hostname` used to be copied outside the output folder even by
    a failing build; now nothing is written anywhere."""
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    root = tmp_path / "a" / "b"
    site = copy_base_site(root / "site")
    secret = tmp_path / "secret.txt"
    secret.write_text("not for publishing\n", encoding="utf-8")
    briefing = site / "content" / "briefings" / "csto-and-georgia.md"
    briefing.write_text(briefing.read_text(encoding="utf-8") + "\n[leak]({static}/../../../../"
                        "secret.txt) and [leak2]({static}../../../../../secret.txt) {#p-5}\n",
                        encoding="utf-8")
    before = sorted(str(path) for path in tmp_path.rglob("*"))
    reset_pelican_log_dedup()
    result = build_site(site, root / "output")
    assert not result.ok
    refused = [problem for problem in result.problems if "outside the content folder" in problem]
    assert len(refused) == 2, result.problems
    assert sorted(str(path) for path in tmp_path.rglob("*")) == before


# --- the output folder ----------------------------------------------------------------------

def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


@pytest.fixture
def site(tmp_path, monkeypatch):
    monkeypatch.setenv("RESEARCH_PROJECT_ROOT", str(ROOT))
    reset_pelican_log_dedup()
    return copy_base_site(tmp_path / "site")


def _cli(site: Path, output: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "research", "build", "--settings",
                           "pelicanconf.py", "--output", output], cwd=site, capture_output=True,
                          text=True, timeout=180,
                          env={**os.environ, "RESEARCH_PROJECT_ROOT": str(ROOT)}, **kwargs)


@pytest.mark.parametrize("output, expected", [
    (".", "--output .: is the site's own folder (with the settings file); the build replaces "
          "its output folder as a whole, so give it a folder of its own, e.g. --output output"),
    ("content", "--output content: is the content folder (PATH); the build replaces its "
                "output folder as a whole, so give it a folder of its own, e.g. --output "
                "output"),
    ("content/site", "--output content/site: is inside the content folder (PATH), so the next "
                     "build would read the site as input; build into a folder outside it, "
                     "e.g. --output output"),
    ("docs", "--output docs: exists and is not a site built by this tool (it has no "
             ".research-build file); the build replaces its output folder as a whole, so "
             "choose another --output, or remove this folder yourself if it is an old build"),
    ("notes.txt", "--output notes.txt: exists and is not a folder; remove it or choose "
                  "another --output"),
])
def test_an_output_folder_that_must_not_be_replaced_is_refused(site, output, expected):
    (site / "docs").mkdir()
    (site / "docs" / "keep.md").write_text("mine\n", encoding="utf-8")
    (site / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(site)
    run = _cli(site, output)
    assert run.returncode == 1, run.stderr
    assert expected in [line.strip() for line in run.stderr.splitlines()], run.stderr
    assert "Traceback" not in run.stderr
    assert snapshot(site) == before  # nothing deleted, nothing written


def test_an_output_folder_containing_the_site_is_refused(site):
    run = _cli(site, "..")
    assert run.returncode == 1
    assert f"--output ..: contains the site's own folder (with the settings file) ({site})" \
        in run.stderr


def test_an_empty_folder_or_a_previous_build_is_replaced(site, tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    assert build_site(site, output).ok  # empty: accepted
    assert (output / outputs.MARKER).is_file()
    (output / "stale.html").write_text("old\n", encoding="utf-8")
    reset_pelican_log_dedup()
    assert build_site(site, output).ok  # marked: replaced as a whole
    assert not (output / "stale.html").exists()


def test_a_second_build_at_the_same_time_gets_a_clear_message(site, tmp_path):
    output = tmp_path / "output"
    assert build_site(site, output).ok
    before = snapshot(output)
    holder = os.open(tmp_path, os.O_RDONLY)
    fcntl.flock(holder, fcntl.LOCK_EX)  # as a running build holds it
    try:
        run = _cli(site, str(output))
    finally:
        os.close(holder)
    assert run.returncode == 1
    assert (f"--output {output}: another build into {tmp_path} is running now; wait until it "
            "has finished and build again") in run.stderr
    assert "Traceback" not in run.stderr
    assert snapshot(output) == before


def _modes(folder: Path) -> list[str]:
    """Paths under `folder` (and itself) that others cannot read (or enter, for folders)."""
    unreadable = []
    for path in [folder, *folder.rglob("*")]:
        mode = path.stat().st_mode
        need = stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0)
        if mode & need != need:
            unreadable.append(f"{path.relative_to(folder)} {stat.filemode(mode)}")
    return unreadable


def test_the_site_is_readable_by_others_under_umask_022(site, tmp_path):
    output = tmp_path / "output"
    old = os.umask(0o022)
    try:
        assert build_site(site, output).ok
        reset_pelican_log_dedup()
        assert build_site(site, output).ok  # the swapped-in second build too
    finally:
        os.umask(old)
    assert stat.S_IMODE(output.stat().st_mode) == 0o755
    assert _modes(output) == []


def test_the_site_follows_a_stricter_umask(site, tmp_path):
    output = tmp_path / "output"
    old = os.umask(0o077)
    try:
        assert build_site(site, output).ok
    finally:
        os.umask(old)
    assert stat.S_IMODE(output.stat().st_mode) == 0o700


def test_leftovers_of_killed_builds_are_removed_by_the_next_build(site, tmp_path):
    output = tmp_path / "output"
    assert build_site(site, output).ok
    for name in (".output.building-dead1", ".output.old-dead2"):
        (tmp_path / name / "countries").mkdir(parents=True)
        (tmp_path / name / "countries" / "index.html").write_text("x", encoding="utf-8")
    reset_pelican_log_dedup()
    assert build_site(site, output).ok
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]


def test_an_old_site_left_by_a_kill_between_two_renames_is_put_back(site, tmp_path):
    """The fallback swap (no renameat2) renames the old site away, then the new one in; a
    kill between the two leaves no output folder: the next build restores the old one."""
    output = tmp_path / "output"
    assert build_site(site, output).ok
    before = snapshot(output)
    os.rename(output, tmp_path / ".output.old-1234abcd")
    assert outputs.clean_leftovers(output) == []
    assert snapshot(output) == before


def test_the_fallback_swap_without_renameat2_replaces_the_site(site, tmp_path, monkeypatch):
    output = tmp_path / "output"
    assert build_site(site, output).ok
    monkeypatch.setattr(outputs, "_exchange", lambda first, second: False)
    (output / "stale.html").write_text("old\n", encoding="utf-8")
    reset_pelican_log_dedup()
    assert build_site(site, output).ok
    assert not (output / "stale.html").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]


def _immutable(path: Path, on: bool) -> bool:
    done = subprocess.run(["chattr", "+i" if on else "-i", str(path)], capture_output=True)
    return done.returncode == 0


def test_an_undeletable_file_in_the_old_site_is_named_and_removed_later(site, tmp_path):
    output = tmp_path / "output"
    assert build_site(site, output).ok
    stuck = output / "countries" / "stuck.txt"
    stuck.write_text("x\n", encoding="utf-8")
    if shutil.which("chattr") is None or not _immutable(stuck, True):
        pytest.skip("chattr +i is not available here (needs root on ext4/xfs/btrfs)")
    try:
        reset_pelican_log_dedup()
        result = build_site(site, output)
        assert result.ok
        assert len(result.notes) == 1 and result.notes[0].startswith("note: could not remove ")
        assert "the next build tries again, or remove it yourself" in result.notes[0]
        assert not (output / "countries" / "stuck.txt").exists()
    finally:
        for leftover in tmp_path.glob(".output.old-*/countries/stuck.txt"):
            _immutable(leftover, False)
    reset_pelican_log_dedup()
    again = build_site(site, output)
    assert again.ok and again.notes == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]


# --- the operating system refuses ------------------------------------------------------------

def _fails_cleanly(result, expected: str, output: Path, before: dict, tmp_path: Path):
    assert not result.ok
    assert expected in result.problems, "\n".join(result.problems)
    assert snapshot(output) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]


def test_a_full_disk_fails_the_build_cleanly(site, tmp_path, monkeypatch):
    output = tmp_path / "output"
    assert build_site(site, output).ok
    before = snapshot(output)
    from pelican.writers import Writer

    opened = Writer._open_w

    def full(self, filename, encoding, override=False):
        handle = opened(self, filename, encoding, override)
        if filename.endswith(os.path.join("countries", "georgia", "index.html")):
            handle.close()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return handle

    monkeypatch.setattr(Writer, "_open_w", full)
    reset_pelican_log_dedup()
    _fails_cleanly(build_site(site, output), "countries/georgia/index.html: cannot write: No "
                   "space left on device (ENOSPC); the disk is full: free some space and build "
                   "again", output, before, tmp_path)


def _mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True)
    return done.returncode == 0


def test_a_really_full_disk_fails_the_build_cleanly(site, tmp_path):
    """The same on a real tmpfs with room for one site but not for two: the first build
    fits; the second, which is staged beside the first, does not."""
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, "50m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        output = disk / "output"
        run = _cli(site, str(output))
        assert run.returncode == 0, run.stderr
        before = snapshot(output)
        usage = os.statvfs(disk)
        used = (usage.f_blocks - usage.f_bfree) * usage.f_frsize
        subprocess.run(["mount", "-o", f"remount,size={used * 3 // 2}", str(disk)], check=True)
        run = _cli(site, str(output))
        assert run.returncode == 1
        assert "Traceback" not in run.stderr, run.stderr
        assert re.search(r"^  \S+: cannot write: No space left on device \(ENOSPC\); the disk "
                         r"is full: free some space and build again$", run.stderr, re.M), \
            run.stderr
        assert snapshot(output) == before
        assert sorted(path.name for path in disk.iterdir()) == ["output"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_an_output_folder_that_is_a_mount_point_fails_cleanly(site, tmp_path):
    output = tmp_path / "output"
    if not _mount_tmpfs(output, "20m"):
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        run = _cli(site, str(output))  # empty: but it cannot be renamed over (EBUSY)
        assert run.returncode == 1
        assert "Traceback" not in run.stderr, run.stderr
        assert (f"--output {output}: cannot be replaced because it is in use as a mount point "
                f"(EBUSY); build into a folder inside it, e.g. --output {output}/site"
                in run.stderr), run.stderr
        assert list(output.iterdir()) == []
        assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]
    finally:
        subprocess.run(["umount", str(output)], check=False)


def test_a_busy_output_folder_fails_cleanly(site, tmp_path, monkeypatch):
    output = tmp_path / "output"
    assert build_site(site, output).ok
    before = snapshot(output)

    def busy(first, second):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), str(second))

    monkeypatch.setattr(outputs, "_exchange", busy)
    reset_pelican_log_dedup()
    _fails_cleanly(build_site(site, output), f"--output {output}: cannot be replaced because "
                   "it is in use as a mount point (EBUSY); build into a folder inside it, e.g. "
                   f"--output {output}/site", output, before, tmp_path)


def test_an_unwritable_output_parent_fails_cleanly(site, tmp_path, monkeypatch):
    """Tests run as root, which may write anywhere: the refusal is simulated."""
    output = tmp_path / "output"
    assert build_site(site, output).ok
    before = snapshot(output)
    mkdir = os.mkdir

    def refuse(path, *args, **kwargs):
        if os.path.basename(path).startswith(".output.building-"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", refuse)
    reset_pelican_log_dedup()
    result = build_site(site, output)
    _fails_cleanly(result, f"--output {output}: cannot create the build's folder in {tmp_path} "
                   "(Permission denied); choose an --output in a folder you can write", output,
                   before, tmp_path)


def _start(site: Path, output: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "research", "build", "--settings",
                             "pelicanconf.py", "--output", str(output)], cwd=site,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "RESEARCH_PROJECT_ROOT": str(ROOT)})


def _wait_for_staging(folder: Path, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not list(folder.glob(".output.building-*/*")):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.parametrize("signum, code, message", [
    (signal.SIGINT, 130, "Build interrupted (Ctrl-C); the previous site, if any, is unchanged"),
    (signal.SIGTERM, 143, "Build stopped (SIGTERM); the previous site, if any, is unchanged")])
def test_ctrl_c_or_sigterm_stops_the_build_cleanly(site, tmp_path, signum, code, message):
    output = tmp_path / "output"
    assert build_site(site, output).ok
    before = snapshot(output)
    process = _start(site, output)
    _wait_for_staging(tmp_path, process)  # Pelican is writing pages
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert stderr.strip().splitlines()[-1] == message
    assert "Traceback" not in stderr
    assert snapshot(output) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]


def test_a_build_killed_at_any_point_leaves_a_complete_old_or_new_site(site, tmp_path):
    """SIGKILL at several points of the build: `output/` is always one complete site (the
    one before or the one being built), and the next build removes what the kill left."""
    # An edit to a paragraph nothing cites (a cited one would need `research ids --confirm`).
    source = site / "content" / "briefings" / "csto-and-georgia.md"
    versions = [source.read_text(encoding="utf-8")]
    versions.append(versions[0].replace("Sergei Lavrov called", "Sergei V. Lavrov called"))
    assert versions[1] != versions[0]
    sites = []
    for text in versions:  # the two complete sites, built elsewhere (builds are deterministic)
        source.write_text(text, encoding="utf-8")
        reference = tmp_path / f"reference-{len(sites)}"
        started = time.monotonic()
        run = _cli(site, str(reference / "output"))
        assert run.returncode == 0, run.stderr
        duration = time.monotonic() - started
        sites.append(snapshot(reference / "output"))
        shutil.rmtree(reference)
    assert sites[0] != sites[1]
    output = tmp_path / "output"
    current = 0
    source.write_text(versions[0], encoding="utf-8")
    assert _cli(site, str(output)).returncode == 0
    fractions = [0.15, 0.35, 0.55, 0.7, 0.8, 0.9, 0.97, 1.05]
    finished = 0
    for fraction in fractions:
        other = 1 - current
        source.write_text(versions[other], encoding="utf-8")
        process = _start(site, output)
        time.sleep(duration * fraction)
        process.kill()
        process.communicate()
        found = snapshot(output)
        assert found in (sites[0], sites[1]), f"output/ is not a complete site at {fraction}"
        if found == sites[other]:
            current, finished = other, finished + 1
    assert finished < len(fractions), "every build finished before the kill: no kill tested"
    source.write_text(versions[0], encoding="utf-8")
    assert _cli(site, str(output)).returncode == 0
    assert snapshot(output) == sites[0]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["output", "site"]


# --- symbolic links in the content folder, and the theme ------------------------------------

def test_symbolic_links_in_the_content_folder_are_refused_and_loops_named(site, tmp_path):
    content = site / "content"
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Outside\nslug: outside\ndate: '2008-09-05'\n---\nText.\n",
                       encoding="utf-8")
    (content / "root").symlink_to("/")
    (content / "sources" / "up").symlink_to("..")
    (content / "sources" / "outside.md").symlink_to(outside)
    (content / "sources" / "nowhere.md").symlink_to("missing.md")
    (content / "loop-a").symlink_to("loop-b")
    (content / "loop-b").symlink_to("loop-a")
    (content / "sources" / "inside.md").symlink_to("ministers-meet.md")  # allowed: in the site
    started = time.monotonic()
    result = build_site(site, tmp_path / "output")
    assert time.monotonic() - started < 60  # a link to / used to hang forever
    assert not result.ok
    assert sorted(result.problems) == sorted([
        "content/loop-a: is a symbolic link that loops or points to nothing; remove it, or "
        "replace it with the file",
        "content/loop-b: is a symbolic link that loops or points to nothing; remove it, or "
        "replace it with the file",
        "content/root: is a symbolic link to /, a folder that contains it: a loop; the content "
        "folder may hold only real folders: remove the link, or move the folder in",
        f"content/sources/up: is a symbolic link to {content}, a folder that contains it: a "
        "loop; the content folder may hold only real folders: remove the link, or move the "
        "folder in",
        "content/sources/nowhere.md: is a symbolic link that loops or points to nothing; remove "
        "it, or replace it with the file",
        f"content/sources/outside.md: is a symbolic link to {outside}, outside the repository; a "
        "published file must be in the repository: copy it in instead of linking",
    ])


@pytest.fixture
def own_theme(site):
    theme = site / "mytheme"
    shutil.copytree(ROOT / "theme", theme)
    with open(site / "pelicanconf.py", "a", encoding="utf-8") as handle:
        handle.write('\nTHEME = "mytheme"\n')
    return theme


@pytest.mark.parametrize("missing, expected", [
    ("base.html", "mytheme/templates/article.html:4: template error: the theme has no template "
                  "'base.html' (looked in {templates}); add it to the theme (Pelican's own "
                  "theme is not used)"),
    ("article.html", "mytheme/templates/article.html: template error: the theme has no template "
                     "'article.html' (looked in {templates}); add it to the theme (Pelican's "
                     "own theme is not used)"),
])
def test_a_missing_template_is_an_error_not_pelicans_theme(site, own_theme, tmp_path, missing,
                                                           expected):
    (own_theme / "templates" / missing).unlink()
    result = build_site(site, tmp_path / "output")
    assert not result.ok
    templates = own_theme / "templates"
    assert result.problems == [expected.format(templates=templates)]


def test_an_undefined_name_in_a_template_names_template_and_line(site, own_theme, tmp_path):
    base = own_theme / "templates" / "base.html"
    lines = base.read_text(encoding="utf-8").splitlines(keepends=True)
    line = next(i for i, text in enumerate(lines) if "{% block content %}" in text)
    lines[line] = lines[line].replace("{% block content %}",
                                      "{{ no_such_thing.title }}{% block content %}")
    base.write_text("".join(lines), encoding="utf-8")
    result = build_site(site, tmp_path / "output")
    assert result.problems == [f"mytheme/templates/base.html:{line + 1}: template error: "
                               "'no_such_thing' is undefined"]


# --- CSV exports ------------------------------------------------------------------------------

@pytest.mark.parametrize("cell, shown", [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("+1", "'+1"), ("-1", "'-1"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("Russia", "Russia"),
    (["=a", "b"], "'=a|b"), (None, ""), ("a=b", "a=b")])
def test_csv_cells_that_a_spreadsheet_would_run_are_shown_as_text(cell, shown):
    assert exports.csv_cell(cell) == shown


def test_a_formula_in_a_name_is_neutralised_in_csv_and_kept_in_json(site, tmp_path):
    georgia = site / "content" / "entities" / "countries" / "georgia.md"
    text = georgia.read_text(encoding="utf-8").replace("name: Georgia",
                                                       "name: \"=HYPERLINK('http://x')\"")
    georgia.write_text(text.replace("Georgia left", "=HYPERLINK('http://x') left"),
                       encoding="utf-8")
    result = build_site(site, tmp_path / "output")
    assert result.ok, result.problems
    csv_text = (tmp_path / "output" / "data" / "entities.csv").read_text(encoding="utf-8")
    assert "georgia,'=HYPERLINK('http://x'),country," in csv_text
    json_text = (tmp_path / "output" / "data" / "entities.json").read_text(encoding="utf-8")
    assert '"name": "=HYPERLINK(\'http://x\')"' in json_text


# --- the path registry itself -------------------------------------------------------------------

def _registry():
    from research.guard.written import PathRegistry, Source

    paths = PathRegistry()
    page = Source("content/briefings/x.md", "content/briefings/x.md", "save_as")
    return paths, page, Source("the theme's index.html")


@pytest.mark.parametrize("first, second, expected", [
    ("a/index.html", "a/index.html", "'a/index.html' is written twice"),
    ("a", "a/index.html", "'a' is both a file and the folder of 'a/index.html'"),
    ("a/index.html", "a", "'a' is both a file and the folder of 'a/index.html'"),
    ("a/b/c.html", "a/b", "'a/b' is both a file and the folder of 'a/b/c.html'"),
])
def test_two_writers_of_one_path_are_named_in_either_order(first, second, expected):
    from research.core.errors import ContentError

    paths, page, template = _registry()
    paths.claim(first, template)
    with pytest.raises(ContentError) as raised:
        paths.claim(second, page)
    [problem] = raised.value.problems
    assert (problem.path, problem.field) == ("content/briefings/x.md", "save_as")
    assert problem.message == (f"{expected}, by this file and by the theme's index.html; every "
                               "file of the site has one writer: give it another save_as")


@pytest.mark.parametrize("path, message", [
    ("", "'' names a folder, not a file; write a file name, e.g. 'notes/x/index.html'"),
    ("a/", "'a/' names a folder, not a file; write a file name, e.g. 'notes/x/index.html'"),
    ("../x.html", "'../x.html' is not a plain path inside the site; write it without '.', "
                  "'..' or a leading '/'"),
    ("a/../../x", "'a/../../x' is not a plain path inside the site; write it without '.', "
                  "'..' or a leading '/'"),
    ("/etc/x", "'/etc/x' is not a plain path inside the site; write it without '.', '..' or "
               "a leading '/'"),
    ("a/" + "é" * 128 + "/index.html", "the file name '" + "é" * 39 + "…' is 256 bytes long, "
                                       "over the limit of 255 of file systems; make it shorter"),
])
def test_a_path_the_file_system_would_refuse_is_a_problem(path, message):
    from research.core.errors import ContentError

    paths, page, _ = _registry()
    with pytest.raises(ContentError) as raised:
        paths.claim(path, page)
    assert raised.value.problems[0].message == message


def test_a_folder_written_as_a_whole_takes_no_other_file():
    from research.core.errors import ContentError
    from research.guard.written import Source

    paths, page, _ = _registry()
    paths.claim_tree("pagefind", Source("the search index (Pagefind)"))
    paths.claim("pagefinder.html", page)  # a name that merely starts alike is fine
    with pytest.raises(ContentError) as raised:
        paths.claim("pagefind/x.js", page)
    assert "'pagefind/x.js' is inside 'pagefind/', a folder written as a whole" in str(
        raised.value)
