"""`migrate` after a review: regular expressions that stay linear on hostile posts, Liquid comments that never
leak, the old site's hidden files never published, and what used to lose a post or print a traceback."""

from __future__ import annotations

import os
import signal
from functools import partial
from pathlib import Path

import pytest

from briefsite.commands.migrate import PEERS, liquid
from briefsite.commands.migrate.common import Report, fenced
from briefsite.commands.migrate.jekyll import Jekyll
from briefsite.commands.migrate.jekyll_header import read_front_matter
from briefsite.commands.migrate.links import Links

SIZE = 200_000


pytestmark = pytest.mark.usefixtures("in_tmp")  # in tmp_path: messages show paths relative to it


@pytest.fixture
def deadline():
    """A generous guard: a regex that backtracks on hostile text fails the test instead of hanging it."""

    def expired(signum, frame):
        raise TimeoutError("took more than 10 seconds")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


def rewritten(root: Path, body: str, files: dict[str, str] | None = None) -> tuple[str, Report]:
    """A Jekyll post's body as migrate rewrites it, and the report of it."""
    site = write(root, {"_config.yml": "url: https://old.example.org\n", **(files or {}),
                        "_posts/2020-01-02-a.md": "---\ntitle: A\n---\n" + body})
    peer = Jekyll(site, 1_000_000)
    list(peer.candidates())
    post = peer.read(site / "_posts/2020-01-02-a.md")
    report = Report()
    links = Links(site, {}, report, peer.old_site)
    return links.rewrite(post, peer.pattern, partial(peer.tag, links)), report


@pytest.mark.parametrize("body", [
    "{{" + " " * SIZE,  # an output never closed, then whitespace
    "{{ x" * (SIZE // 4),
    "{%" + " " * SIZE,  # a tag never closed
    "{% a" * (SIZE // 4),
    "{%- a " + " " * SIZE + "x",
    "{% raw %}" * (SIZE // 9),  # blocks never closed
    "{% highlight ruby %}" * (SIZE // 20),
    "{% comment %}" + "{% endraw %}" * (SIZE // 12),
    "]({{ x" * (SIZE // 6),  # a link Liquid makes, never closed
    "[a](b.png)\n" * (SIZE // 11),  # many links on many lines: each line counted once
])
def test_hostile_text_is_rewritten_in_linear_time(tmp_path, deadline, body):
    text, _ = rewritten(tmp_path / "old", body)
    assert text.count("\n") == body.count("\n")


def test_a_header_with_a_long_run_of_spaces_is_refused_in_linear_time(deadline):
    notes: list = []
    header = "---\n" + " " * SIZE + "x\ny: [\n---\nbody\n"
    with pytest.raises(Exception, match="header is not valid YAML"):
        read_front_matter(header, 1_000_000, notes)
    assert notes == []


def test_outputs_and_tags_keep_their_meaning():
    assert [liquid.trimmed(inside) for inside in ["- site.title -", " page.x ", " -1 "]] == \
        ["site.title", "page.x", "-1"]
    assert liquid.tag_parts("- post_url  2016-01-01-a  -") == ("post_url", "2016-01-01-a")


def test_nested_comments_hide_all_they_hold(tmp_path):
    text, report = rewritten(tmp_path / "old", "A {% comment %}a{% comment %}b{% endcomment %} SECRET "
                                               "{% endcomment %} Z {% raw %}{{ x }}{% endraw %}\n")
    assert text == "A  Z {{ x }}\n"
    assert report.removed == ["old/_posts/2020-01-02-a.md:4: {% comment %}a{% comment %}b{% endcomment %} "
                              "SECRET {% endcomment %}"]


def test_a_comment_never_closed_hides_the_rest_of_the_post(tmp_path):
    text, report = rewritten(tmp_path / "old", "Shown\n{% comment %}\nSECRET\n{% endcomment %\nSECRET\n")
    assert text == "Shown\n\n\n\n\n"
    assert report.removed == ["old/_posts/2020-01-02-a.md:5: {% comment %} SECRET {% endcomment % SECRET "
                              "(never closed: the rest of the post is left out)"]


def test_a_raw_block_never_closed_is_left_as_written_and_listed(tmp_path):
    text, report = rewritten(tmp_path / "old", "{% raw %}{{ x }}\n")
    assert text == "{% raw %}{{ x }}\n"
    assert report.unknown == ["old/_posts/2020-01-02-a.md:4: {% raw %}", "old/_posts/2020-01-02-a.md:4: {{ x }}"]


def test_highlighted_code_with_a_fence_in_it_keeps_it(tmp_path):
    text, _ = rewritten(tmp_path / "old", "{% highlight md %}\n```\ncode\n```\n{% endhighlight %}\n")
    assert text == "````md\n```\ncode\n```\n````\n"
    assert fenced("a", "py") == "```py\na\n```"


def test_files_the_old_site_never_served_are_never_copied(tmp_path):
    files = {"_config.yml": "url: https://old.example.org\n", ".env": "SECRET=1\n", ".git/config": "[core]\n",
             "_drafts/x.png": "png", "_posts/img/ok.png": "png"}
    text, report = rewritten(tmp_path / "old", "[a](../_config.yml) [b](../.env#top) [c](../.git/config)\n"
                                               "{% link .env %} [d](../_drafts/x.png) [e](img/ok.png)\n", files)
    assert text == ("[a](https://old.example.org/_config.yml) [b](https://old.example.org/.env#top) "
                    "[c](https://old.example.org/.git/config)\n"
                    "{% link .env %} [d](https://old.example.org/_drafts/x.png) [e](2020-01-02-a/img/ok.png)\n")
    assert report.unresolved == [
        "old/_posts/2020-01-02-a.md:4: ../_config.yml (not published by the old site; "
        "linked to https://old.example.org/_config.yml)",
        "old/_posts/2020-01-02-a.md:4: ../.env#top (not published by the old site; "
        "linked to https://old.example.org/.env#top)",
        "old/_posts/2020-01-02-a.md:4: ../.git/config (not published by the old site; "
        "linked to https://old.example.org/.git/config)",
        "old/_posts/2020-01-02-a.md:5: {% link .env %} (not published by the old site)",
        "old/_posts/2020-01-02-a.md:5: ../_drafts/x.png (not published by the old site; "
        "linked to https://old.example.org/_drafts/x.png)",
    ]


def test_a_base_path_without_an_address_is_kept(tmp_path):
    files = {"_config.yml": "baseurl: /blog/\n", "assets/x.png": "png"}
    text, report = rewritten(tmp_path / "old", "![x]({{ site.baseurl }}/assets/x.png) [y](/blog/assets/x.png)\n",
                             files)
    assert text == "![x](2020-01-02-a/assets/x.png) [y](2020-01-02-a/assets/x.png)\n"
    assert report.missing_files == []


def test_a_link_no_file_can_have_costs_no_post(tmp_path):
    long = "a" * 300
    text, report = rewritten(tmp_path / "old", f"[x](a%00b) [y]({long}.png) [z](/{long}.png) ![w](/a%00b.png)\n")
    assert text == (f"[x](https://old.example.org/2020/01/02/a%00b) [y](https://old.example.org/2020/01/02/{long}.png) "
                    f"[z](https://old.example.org/{long}.png) ![w](https://old.example.org/a%00b.png)\n")
    assert report.missing_files == [
        f"old/_posts/2020-01-02-a.md:4: {long[:99]}… (no such file in the old site; linked to "
        f"https://old.example.org/2020/01/02/{long}.png)",
        f"old/_posts/2020-01-02-a.md:4: /{long[:98]}… (no such file in the old site; linked to "
        f"https://old.example.org/{long}.png)",
        "old/_posts/2020-01-02-a.md:4: /a%00b.png (no such file in the old site; linked to "
        "https://old.example.org/a%00b.png)",
    ]
    assert report.old_site_links == ["old/_posts/2020-01-02-a.md:4: a%00b -> https://old.example.org/2020/01/02/a%00b"]


def test_nothing_is_made_before_the_options_and_the_old_site_are_checked(tmp_path, cli):
    write(tmp_path / "old", {"about.md": "# About\n"})
    result = cli("migrate", "--from", "jekyll", "old", "--source", "new")
    assert result.exit_code == 2
    assert "old is not a Jekyll site: it has no _posts/ folder (give the site's folder or its _posts/)" in result.stderr
    bad = cli("migrate", "--from", "jekyll", "old", "--source", "new", "--old-url", "example.org")
    assert bad.exit_code == 2
    assert not (tmp_path / "new").exists()


def test_an_old_site_that_cannot_be_read_is_said_without_a_traceback(tmp_path, cli, monkeypatch):
    class Unreadable(Jekyll):
        def __init__(self, src, max_header_size):
            raise PermissionError(13, "Permission denied", "old/_posts")

    monkeypatch.setitem(PEERS, "jekyll", Unreadable)
    write(tmp_path / "old", {"_posts/2020-01-02-a.md": "# A\n"})
    result = cli("migrate", "--from", "jekyll", "old", "--source", "new")
    assert result.exit_code == 1
    assert result.stderr == ("migrate stopped early (PermissionError: [Errno 13] Permission denied: 'old/_posts'); "
                             "the briefs created above are written\n")
    assert "Migrated from Jekyll: 0 converted, 0 skipped, 0 not converted, 1 error." in result.output.splitlines()
    assert not (tmp_path / "new").exists()


def test_dates_and_settings_that_cannot_be_read_are_said(tmp_path, cli):
    write(tmp_path / "old", {
        "_config.yml": "baseurl: /blog\nurl: [\n",
        "_posts/2014-02-30-feb.md": "---\ntitle: Feb\n---\nText\n",
        "_posts/2016-03-21-zone.md": "---\ntitle: Zone\ndate: 2016-03-21 12:00 IST\n---\nText\n",
    })
    result = cli("migrate", "--from", "jekyll", "old", "--source", "new")
    assert result.exit_code == 1
    assert result.stderr == ("old/_posts/2014-02-30-feb.md: the file name's date 2014-02-30 is no day of the "
                             "calendar, and the header gives none\n")
    lines = result.output.splitlines()
    assert "  old/_config.yml: not read (line 3: header is not valid YAML: did not find expected node content " \
        "(while parsing a flow node)); Jekyll's defaults are taken" in lines
    assert "  old/_posts/2016-03-21-zone.md:3: date: '2016-03-21 12:00 IST' is no date; the file name's date " \
        "is taken" in lines
    assert "Warning" not in result.output


def test_a_weekday_in_a_permalink_is_english():
    from datetime import date

    from briefsite.commands.migrate.jekyll import _expand
    assert _expand("/:year/W:week/:short_day/:title/", date(2016, 3, 21), "a", [], ".md") == "/2016/W12/Mon/a/"


def test_files_too_large_to_read_are_listed(tmp_path, cli):
    write(tmp_path / "old", {"_config.yml": "url: https://old.example.org\n", "_authors/ann.md": "---\nname: Ann\n---\n",
                             "_posts/2020-01-02-a.md": "---\ntitle: A\nauthor: ann\n---\n![Big](/big.png)\n"})
    (tmp_path / "old/big.png").write_bytes(png_head())
    os.truncate(tmp_path / "old/big.png", 100_000_001)  # sparse: large, yet nothing written
    write(tmp_path / "new", {"site.yml": "title: New\n", "briefings/big.md": "", "data/authors.yml": ""})
    os.truncate(tmp_path / "new/briefings/big.md", 16_000_001)
    os.truncate(tmp_path / "new/data/authors.yml", 16_000_001)
    result = cli("migrate", "--from", "jekyll", "old", "--source", "new")
    lines = result.output.splitlines()
    assert lines[lines.index("Left out, this build cannot take them:") + 1:][:2] == [
        "  new/briefings/big.md: not read, it is 16 MB, more than the 16 MB allowed; its slug and old URLs "
        "are not checked",
        "  old/_posts/2020-01-02-a.md:5: /big.png: it is 100 MB, more than the 100 MB allowed; "
        "linked to https://old.example.org/big.png",
    ]
    assert "  new/data/authors.yml: authors not added (it is 16 MB, more than the 16 MB allowed)" in lines


def png_head() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\0" * 56


def test_a_comment_in_a_link_target_is_hidden_too(tmp_path):
    text, report = rewritten(tmp_path / "old", "[x]({{ page.title }}{% comment %}SECRET{% endcomment %}) tail\n")
    assert text == "[x](https://old.example.org/2020/01/02/A) tail\n"
    assert report.removed == ["old/_posts/2020-01-02-a.md:4: {% comment %}SECRET{% endcomment %}"]
