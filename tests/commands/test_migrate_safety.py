"""`migrate` loses nothing and writes nothing unsafe: alias bombs, symbolic links, slugs already taken, crashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_migrate import empty_site, summary, write

from briefsite.commands.migrate import writing

# Nine lists of nine, each of the one before: 9**9 values once written out, 1,000 characters as written.
BOMB = "".join(f"{name}: &{name} [" + ", ".join([f"*{before}"] * 9) + "]\n"
               for before, name in zip("abcdefgh", "bcdefghi", strict=True))
POST = "---\ntitle: {title}\n---\nText of {title}.\n"


pytestmark = pytest.mark.usefixtures("in_tmp")  # in tmp_path: messages show paths relative to it


def briefs(site: Path) -> list[str]:
    """Every file and link under the site's briefings/, by relative path."""
    folder = site / "briefings"
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() or p.is_symlink())


def builds(cli, site: str = "site") -> None:
    """The migrated site builds, without a warning."""
    result = cli("build", "--source", site, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


# Issue 24, item 15: an alias bomb in a header is refused before it is expanded.

@pytest.mark.parametrize("peer, folder, post", [
    ("jekyll", "old", "old/_posts/2016-03-02-bomb.md"),
    ("hugo", "old", "old/content/posts/2016-03-02-bomb.md"),
])
def test_an_alias_bomb_is_refused_and_every_other_post_converted(tmp_path, cli, peer, folder, post):
    first, last = post.replace("bomb", "first"), post.replace("2016-03-02-bomb", "2016-03-03-last")
    write(tmp_path, {
        first: POST.format(title="First"),
        post: "---\ntitle: Bomb\ndate: 2016-03-02\na: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
              + BOMB + "tags: *i\n---\nBoom.\n",
        last: POST.format(title="Last"),
    })
    if peer == "hugo":  # Hugo takes the date from the header only
        for path in (first, last):
            text = (tmp_path / path).read_text().replace("---\n", f"---\ndate: {Path(path).name[:10]}\n", 1)
            (tmp_path / path).write_text(text)
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", peer, folder, "--source", "site")
    assert result.exit_code == 1
    error = (f"{post}:8: the header is larger than 65536 characters with its aliases written out "
             "(max_header_size in site.yml)")
    assert result.stderr.splitlines() == [error]
    lines = summary(result.output)
    assert lines[0] == f"Migrated from {peer.title()}: 2 converted, 0 skipped, 0 not converted, 1 error."
    assert lines[-2:] == ["Errors:", f"  {error}"]
    assert briefs(tmp_path / "site") == ["2016-03-02-first.md", "2016-03-03-last.md"]
    builds(cli)


def test_the_site_limit_applies(tmp_path, cli):
    write(tmp_path, {"old/_posts/2016-03-02-long.md": f"---\ntitle: {'x' * 300}\n---\nText.\n"})
    empty_site(tmp_path / "site")
    (tmp_path / "site/site.yml").write_text("title: Migrated\nsearch: false\nmax_header_size: 200\n")
    result = cli("migrate", "--from", "jekyll", "old", "--source", "site")
    assert result.exit_code == 1
    assert result.stderr == ("old/_posts/2016-03-02-long.md:2: the header is larger than 200 characters with its "
                             "aliases written out (max_header_size in site.yml)\n")


def test_headers_nested_too_deeply_are_errors_naming_the_post(tmp_path, cli):
    write(tmp_path, {
        "old/content/posts/toml.md": "+++\ntitle = 'T'\ndate = 2020-01-01\na = " + "[" * 5000 + "]" * 5000 + "\n+++\n",
        "old/content/posts/json.md": '{"title": "J", "date": "2020-01-02", "a": ' + "[" * 5000 + "]" * 5000 + "}\n",
        "old/content/posts/yaml.md": "---\ntitle: Y\ndate: 2020-01-03\na: " + "[" * 60 + "]" * 60 + "\n---\n",
        "old/content/posts/fine.md": "---\ntitle: Fine\ndate: 2020-01-04\n---\nText.\n",
    })
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "old", "--source", "site")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "old/content/posts/json.md:1: header is not valid JSON: nested too deeply",
        "old/content/posts/toml.md:1: header is not valid TOML: nested too deeply",
        "old/content/posts/yaml.md:4: lists and mappings are nested more than 50 levels deep",
    ]
    assert briefs(tmp_path / "site") == ["2020-01-04-fine.md"]


def test_a_failure_in_one_post_is_an_error_naming_it_and_the_others_are_converted(tmp_path, cli, monkeypatch):
    import briefsite.commands.migrate as migrate

    write(tmp_path, {f"old/_posts/2016-03-0{day}-{name}.md": POST.format(title=name.title())
                     for day, name in ((1, "one"), (2, "two"), (3, "three"))})
    empty_site(tmp_path / "site")
    checked = migrate.parse_brief

    def failing(file, data, config):  # fault injection: as a MemoryError would
        if "two" in file:
            raise MemoryError
        return checked(file, data, config)

    monkeypatch.setattr(migrate, "parse_brief", failing)
    result = cli("migrate", "--from", "jekyll", "old", "--source", "site")
    assert result.exit_code == 1
    assert result.stderr == "old/_posts/2016-03-02-two.md: cannot be converted (MemoryError)\n"
    assert summary(result.output)[0] == "Migrated from Jekyll: 2 converted, 0 skipped, 0 not converted, 1 error."
    assert briefs(tmp_path / "site") == ["2016-03-01-one.md", "2016-03-03-three.md"]


def test_an_interrupted_migration_still_says_what_it_wrote(tmp_path, cli, monkeypatch):
    import briefsite.commands.migrate as migrate

    write(tmp_path, {f"old/_posts/2016-03-0{day}-{name}.md": POST.format(title=name.title())
                     for day, name in ((1, "one"), (2, "two"))})
    empty_site(tmp_path / "site")
    checked = migrate.parse_brief

    def interrupted(file, data, config):  # fault injection: Ctrl-C during the second post
        if "two" in file:
            raise KeyboardInterrupt
        return checked(file, data, config)

    monkeypatch.setattr(migrate, "parse_brief", interrupted)
    result = cli("migrate", "--from", "jekyll", "old", "--source", "site")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "Created site/briefings/2016-03-01-one.md"
    assert summary(result.output)[0] == "Migrated from Jekyll: 1 converted, 0 skipped, 0 not converted, 1 error."
    assert "Errors:\n  migrate was interrupted; the briefs created above are written\n" in result.output


# Item 16: symbolic links out of the source site are not followed; none in briefings/ is written through.

def test_links_out_of_the_source_site_are_not_followed(tmp_path, cli):
    write(tmp_path, {
        "secret/hostname": "db.internal\n",
        "secret/2016-03-05-inner.md": POST.format(title="Inner"),
        "old/_posts/2016-03-01-real.md": POST.format(title="Real"),
        "old/drafts/2016-03-02-kept.md": POST.format(title="Kept"),
    })
    posts = tmp_path / "old/_posts"
    (posts / "2016-03-03-host.md").symlink_to(tmp_path / "secret/hostname")
    (posts / "2016-03-04-inside.md").symlink_to(tmp_path / "old/drafts/2016-03-02-kept.md")
    (posts / "elsewhere").symlink_to(tmp_path / "secret")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "jekyll", "old", "--source", "site")
    assert result.exit_code == 1
    assert summary(result.output)[:2] == [
        "Migrated from Jekyll: 2 converted, 0 skipped, 1 not converted, 0 errors.", "Headers converted: 2"]
    assert "Not converted:\n  old/_posts/2016-03-03-host.md: not converted (it is a symbolic link to outside " \
           "the source site)\n" in result.output
    assert briefs(tmp_path / "site") == ["2016-03-01-real.md", "2016-03-04-inside.md"]
    assert "db.internal" not in (tmp_path / "site/briefings/2016-03-04-inside.md").read_text()


def test_a_bundle_file_linked_out_of_the_source_site_is_not_copied(tmp_path, cli):
    write(tmp_path, {
        "secret/hostname": "db.internal\n",
        "old/content/posts/trip/index.md": "---\ntitle: Trip\ndate: 2019-04-01\n---\n[Notes](notes.txt)\n"
                                           "[Up]({{< ref \"../../../../secret/hostname\" >}})\n",
        "old/content/posts/trip/notes.txt": "notes\n",
        "old/static/map.txt": "map\n",
    })
    bundle = tmp_path / "old/content/posts/trip"
    (bundle / "host.txt").symlink_to(tmp_path / "secret/hostname")
    (bundle / "map.txt").symlink_to(tmp_path / "old/static/map.txt")  # inside the Hugo site: fine
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "old", "--source", "site")
    assert result.exit_code == 1
    assert summary(result.output) == [
        "Migrated from Hugo: 1 converted, 0 skipped, 1 not converted, 0 errors.",
        "Headers converted: 1",
        "Links rewritten: 1",
        "  old/content/posts/trip/index.md:5: notes.txt -> 2019-04-01-trip/notes.txt",
        "Files copied: 2",
        "  old/static/map.txt -> site/briefings/2019-04-01-trip/map.txt",  # the file the link leads to
        "  old/content/posts/trip/notes.txt -> site/briefings/2019-04-01-trip/notes.txt",
        "Not converted:",
        "  old/content/posts/trip/host.txt: not copied (it is a symbolic link to outside the source site)",
        "Links not resolved, left as they are:",
        '  old/content/posts/trip/index.md:6: {{< ref "../../../../secret/hostname" >}} (no such page)',
    ]
    assert briefs(tmp_path / "site") == ["2019-04-01-trip.md", "2019-04-01-trip/map.txt", "2019-04-01-trip/notes.txt"]


def test_nothing_is_written_through_a_link_in_briefings(tmp_path, cli):
    write(tmp_path, {
        "elsewhere/keep.txt": "mine\n",
        "old/_posts/2016-03-01-pictured.md": "---\ntitle: Pictured\n---\n![A logo](logo.txt)\n",
        "old/_posts/logo.txt": "logo\n",
        "old/_posts/2016-03-02-plain.md": POST.format(title="Plain"),
    })
    site = empty_site(tmp_path / "site")
    (site / "briefings").mkdir()
    (site / "briefings/2016-03-01-pictured").symlink_to(tmp_path / "elsewhere")
    (site / "briefings/2016-03-02-plain.md").symlink_to(tmp_path / "elsewhere/keep.txt")
    before = sorted(os.listdir(tmp_path / "elsewhere"))
    result = cli("migrate", "--from", "jekyll", "old", "--source", "site")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path / "elsewhere")) == before
    assert (tmp_path / "elsewhere/keep.txt").read_text() == "mine\n"
    assert "Renamed, their name or slug being taken (their old URLs lead to them):\n" \
           "  old/_posts/2016-03-01-pictured.md -> site/briefings/2016-03-01-pictured-2.md: " \
           "site/briefings/2016-03-01-pictured, a symbolic link, already exists\n" \
           "  old/_posts/2016-03-02-plain.md -> site/briefings/2016-03-02-plain-2.md: " \
           "site/briefings/2016-03-02-plain.md, a symbolic link, already exists\n" in result.output
    assert briefs(site) == ["2016-03-01-pictured", "2016-03-01-pictured-2.md", "2016-03-01-pictured-2/logo.txt",
                            "2016-03-02-plain-2.md", "2016-03-02-plain.md"]


def test_a_new_file_is_never_made_through_a_link(tmp_path):
    # What a link made between planning and writing meets: O_NOFOLLOW on each folder, O_EXCL on the file.
    folder = write(tmp_path, {"briefings/a/.keep": "", "elsewhere/.keep": ""}) / "briefings"
    (folder / "b").symlink_to(tmp_path / "elsewhere")
    (folder / "c.md").symlink_to(tmp_path / "elsewhere/new.md")
    with pytest.raises(writing.Linked) as linked, writing.created(folder, "b/x/new.png"):
        pass
    assert linked.value.link == folder / "b"
    with pytest.raises(writing.Linked) as linked, writing.created(folder, "c.md"):
        pass
    assert linked.value.link == folder / "c.md"
    with pytest.raises(FileExistsError), writing.created(folder, "a/.keep"):
        pass
    with writing.created(folder, "a/new/file.txt") as out:
        out.write(b"made")
    assert (folder / "a/new/file.txt").read_bytes() == b"made"
    assert sorted(os.listdir(tmp_path / "elsewhere")) == [".keep"]


# Item 17: a brief whose slug is taken gets a free one; its old URLs still lead to it, and the site builds.

def test_a_slug_taken_by_a_brief_of_the_site_or_of_the_migration_gets_a_free_one(tmp_path, cli):
    write(tmp_path, {
        "old/content/posts/news.md": "---\ntitle: News\ndate: 2016-03-21\nslug: news\n---\nPosts.\n",
        "old/content/other/news.md": "---\ntitle: Other news\ndate: 2016-03-21\nslug: news\n---\nOther.\n",
        "old/content/posts/weekly.md": "---\ntitle: Weekly\ndate: 2016-03-22\n---\nWeekly.\n",
    })
    site = empty_site(tmp_path / "site")
    write(site, {
        "briefings/2016-01-01-news.md": "---\ntitle: Our news\ndate: 2016-01-01\nslug: news\n---\nOurs.\n",
        "briefings/archive/2016-03-22-weekly.md": "---\ntitle: Our weekly\ndate: 2016-03-22\n---\nOurs.\n",
    })
    result = cli("migrate", "--from", "hugo", "old", "--source", "site")
    assert result.exit_code == 0, result.output
    assert summary(result.output) == [
        "Migrated from Hugo: 3 converted, 0 skipped, 0 not converted, 0 errors.",
        "Headers converted: 3",
        "Links rewritten: 0",
        "Files copied: 0",
        "Renamed, their name or slug being taken (their old URLs lead to them):",
        "  old/content/other/news.md -> site/briefings/2016-03-21-news.md, slug 'news-2016-03-21': "
        "slug 'news' is already used by site/briefings/2016-01-01-news.md",
        "  old/content/posts/news.md -> site/briefings/2016-03-21-news-2.md, slug 'news-2016-03-21-2': "
        "site/briefings/2016-03-21-news.md is already made from old/content/other/news.md",
        "  old/content/posts/weekly.md -> site/briefings/2016-03-22-weekly-2.md: "
        "slug '2016-03-22-weekly' is already used by site/briefings/archive/2016-03-22-weekly.md",
    ]
    assert (site / "briefings/2016-03-21-news-2.md").read_text(encoding="utf-8") == (
        "---\ntitle: News\ndate: 2016-03-21\nslug: news-2016-03-21-2\naliases: [/posts/news/]\n---\n\nPosts.\n")
    builds(cli)
    for old_url, slug in (("posts/news", "news-2016-03-21-2"), ("other/news", "news-2016-03-21"),
                          ("posts/weekly", "2016-03-22-weekly-2")):
        redirect = (site / "site" / old_url / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="http://127.0.0.1:8000/briefs/{slug}/">' in redirect
    assert "Ours." in (site / "site/briefs/news/index.html").read_text(encoding="utf-8")


def test_two_posts_with_one_name_and_one_old_url(tmp_path, cli):
    write(tmp_path, {
        "old/_posts/a/2016-03-21-report.md": POST.format(title="Report A"),
        "old/_posts/b/2016-03-21-report.md": POST.format(title="Report B"),
    })
    site = empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "jekyll", "old", "--source", "site")
    assert result.exit_code == 0, result.output
    assert summary(result.output)[4:] == [
        "Renamed, their name or slug being taken (their old URLs lead to them):",
        "  old/_posts/b/2016-03-21-report.md -> site/briefings/2016-03-21-report-2.md: "
        "site/briefings/2016-03-21-report.md is already made from old/_posts/a/2016-03-21-report.md",
        "Old URLs left out:",
        "  old/_posts/b/2016-03-21-report.md: /2016/03/21/report.html is already an old URL of "
        "old/_posts/a/2016-03-21-report.md",
    ]
    assert "aliases" not in (site / "briefings/2016-03-21-report-2.md").read_text(encoding="utf-8")
    builds(cli)


def test_a_long_name_stays_one_slug_when_numbered(tmp_path, cli):
    name = "x" * 69  # with its date, the 80 characters a slug may have
    write(tmp_path, {f"old/_posts/{folder}/2016-03-21-{name}.md": POST.format(title=folder) for folder in "ab"})
    site = empty_site(tmp_path / "site")
    assert cli("migrate", "--from", "jekyll", "old", "--source", "site").exit_code == 0
    stems = [Path(name).stem for name in briefs(site)]
    assert stems == [f"2016-03-21-{'x' * 67}-2", f"2016-03-21-{name}"]
    builds(cli)


def test_a_second_migration_skips_what_the_first_converted(tmp_path, cli):
    write(tmp_path, {"old/_posts/2016-03-21-report.md": POST.format(title="Report")})
    site = empty_site(tmp_path / "site")
    assert cli("migrate", "--from", "jekyll", "old", "--source", "site").exit_code == 0
    edited = site / "briefings/2016-03-21-report.md"
    edited.write_text(edited.read_text().replace("Text of", "Edited"))  # an edit does not make it new
    again = cli("migrate", "--from", "jekyll", "old", "--source", "site")
    assert again.exit_code == 0
    assert summary(again.output) == [
        "Migrated from Jekyll: 0 converted, 1 skipped, 0 not converted, 0 errors.",
        "Headers converted: 0", "Links rewritten: 0", "Files copied: 0", "Skipped:",
        "  old/_posts/2016-03-21-report.md: already migrated, site/briefings/2016-03-21-report.md answers its "
        "old URL /2016/03/21/report.html",
    ]
    assert briefs(site) == ["2016-03-21-report.md"]


# The attack after the fixes: a named pipe among the posts is named, not skipped or waited on; a TOML or
# JSON header is held to max_header_size as a YAML one is.

def test_a_named_pipe_among_the_posts_is_named_and_a_huge_toml_header_refused(tmp_path, cli):
    write(tmp_path, {"old/content/posts/big.md": "+++\ntitle = \"Big\"\ndate = 2016-03-02\n# "
                     + "x" * 70_000 + "\n+++\nText.\n",
                     "old/content/posts/json.md": '{"title": "J", "date": "2016-03-02", "x": "' + "y" * 70_000
                     + '"}\nText.\n',
                     "old/content/posts/ok.md": "---\ntitle: Ok\ndate: 2016-03-03\n---\nText.\n"})
    os.mkfifo(tmp_path / "old/content/posts/pipe.md")
    empty_site(tmp_path / "site")
    result = cli("migrate", "--from", "hugo", "old", "--source", "site")
    assert result.exit_code == 1
    assert briefs(tmp_path / "site") == ["2016-03-03-ok.md"]
    for line in ("old/content/posts/big.md:1: the header is larger than 65536 characters (max_header_size in "
                 "site.yml)",
                 "old/content/posts/json.md:1: the header is larger than 65536 characters (max_header_size in "
                 "site.yml)",
                 "old/content/posts/pipe.md: cannot be read (it is a named pipe (FIFO), not a file)"):
        assert line in result.output, result.output
    builds(cli)
