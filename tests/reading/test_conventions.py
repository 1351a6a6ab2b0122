"""The conventions users bring from Jekyll, Hugo and Pelican: file endings, foreign headers,
`published`, dates from file names, split term strings, extra keys, and old URLs that redirect."""

import json
import re

import pytest

from briefsite.build import Options, build_site
from briefsite.errors import BuildFailed

import conftest
from conftest import brief_text, shown, tree


def build(src, out, **options):
    """conftest's build, and its warnings as shown relative to the site folder."""
    result = conftest.build(src, out, **options)
    return result, shown(src, result.warnings)


def failure(src, out) -> list[str]:
    """Every problem (warnings too) of a build that must fail, relative to the site folder."""
    with pytest.raises(BuildFailed) as caught:
        conftest.build(src, out)
    return shown(src, caught.value.problems)


def slugs(out) -> list[str]:
    return sorted(brief["slug"] for brief in json.loads((out / "briefs.json").read_text())["briefs"])


def test_every_markdown_ending_is_a_brief_and_skipped_files_with_a_header_are_named(make_site, tmp_path):
    src = make_site({
        "a.md": brief_text("A"), "b.markdown": brief_text("B"), "c.mdown": brief_text("C"), "d.mkd": brief_text("D"),
        "_index.md": brief_text("Section"), ".hidden.md": brief_text("Hidden"), "notes.txt": brief_text("Notes"),
        "map.png": b"\x89PNG\r\n", "old/_draft.markdown": brief_text("Old"),
    })
    result, warnings = build(src, tmp_path / "out")
    assert slugs(tmp_path / "out") == ["a", "b", "c", "d"]
    assert warnings == [
        "briefings/_index.md: warning: skipped though it has a front-matter header: its name starts with '_' "
        "(Hugo's _index.md is a section page)",
        "briefings/notes.txt: warning: skipped though it has a front-matter header: only files ending in .md, "
        ".markdown, .mdown, .mkd are briefs",
        "briefings/old/_draft.markdown: warning: skipped though it has a front-matter header: its name starts "
        "with '_' (Hugo's _index.md is a section page)",
    ]


def test_a_link_to_a_markdown_file_of_any_ending_is_resolved(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A", body="See [b](b.markdown)."), "b.markdown": brief_text("B")})
    build(src, tmp_path / "out")
    assert '<a href="/briefs/b/">b</a>' in (tmp_path / "out/briefs/a/index.html").read_text()


@pytest.mark.parametrize("text, kind", [
    ('+++\ntitle = "A"\ndate = 2025-02-27\n+++\nBody.\n', "TOML"),
    ('{\n  "title": "A"\n}\nBody.\n', "JSON"),
    ("Title: A\nDate: 2025-02-27 10:20\n\nBody.\n", "Pelican ('Key: value')"),
])
def test_a_header_of_another_generator_is_named(make_site, tmp_path, text, kind):
    src = make_site({"a.md": text})
    assert failure(src, tmp_path / "out") == [
        f"briefings/a.md:1:1: {kind} front matter is not supported; convert it with `build.py migrate` "
        "(a brief's header is YAML between lines '---')"]


def test_published_false_is_a_draft(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A", published="false"), "b.md": brief_text("B", published="true")})
    build(src, tmp_path / "out")
    assert slugs(tmp_path / "out") == ["b"]
    build(src, tmp_path / "drafts", drafts=True)
    assert slugs(tmp_path / "drafts") == ["a", "b"]


def test_published_must_be_true_or_false(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A", published="'no'")})
    assert failure(src, tmp_path / "out") == ["briefings/a.md:4:12: published: expected true or false, got 'no'"]


def test_date_and_title_come_from_a_jekyll_file_name_with_a_warning(make_site, tmp_path):
    src = make_site({"2016-03-10-welcome-to-jekyll.md": "---\nlocation: Paris\n---\nBody.\n",
                     "2016-03-11-dated.md": "---\ntitle: Kept\n---\nBody.\n"})
    _, warnings = build(src, tmp_path / "out")
    assert warnings == [
        "briefings/2016-03-10-welcome-to-jekyll.md:2:1: warning: date: none in the header; 2016-03-10 taken "
        "from the file name",
        "briefings/2016-03-10-welcome-to-jekyll.md:2:1: warning: title: none in the header; 'Welcome to jekyll' "
        "taken from the file name",
        "briefings/2016-03-11-dated.md:2:1: warning: date: none in the header; 2016-03-11 taken from the file name",
    ]
    briefs = {b["slug"]: b for b in json.loads((tmp_path / "out/briefs.json").read_text())["briefs"]}
    assert [(b["title"], b["date"][:10]) for b in briefs.values()] == [
        ("Kept", "2016-03-11"), ("Welcome to jekyll", "2016-03-10")]


def test_without_a_dated_file_name_a_missing_date_is_still_an_error(make_site, tmp_path):
    src = make_site({"welcome.md": "---\ntitle: A\n---\nBody.\n"})
    assert failure(src, tmp_path / "out") == [
        "briefings/welcome.md:2:1: date: missing; every brief needs a title and a date"]


def test_a_term_string_is_one_term_unless_the_taxonomy_splits(make_site, tmp_path):
    briefs = {"a.md": brief_text("A", tags="'a b'", countries="'China, Thailand'")}
    src = make_site(briefs, "taxonomies:\n  tags: {split: ' '}\n  countries: {split: ','}\n  organizations: {}\n")
    build(src, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out/tags").iterdir() if p.is_dir()) == ["a", "b"]
    assert sorted(p.name for p in (tmp_path / "out/countries").iterdir() if p.is_dir()) == ["china", "thailand"]
    src = make_site(briefs, "title: Unsplit\n", folder="plain")
    build(src, tmp_path / "plain-out")
    assert sorted(p.name for p in (tmp_path / "plain-out/tags").iterdir() if p.is_dir()) == ["a-b"]


def test_split_takes_a_comma_or_a_space(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A")}, "taxonomies:\n  tags: {split: ';'}\n")
    assert failure(src, tmp_path / "out") == ["site.yml:2:9: taxonomies.tags: split: expected ',' or ' ', got ';'"]


def test_extra_keys_reach_templates_without_warnings(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A", layout="post", excerpt="Short.", categories="[news]",
                                        extra="{layout: x}"),
                     "b.md": brief_text("B", layout="post", extra="{owner: desk}")},
                    "extra_keys: [layout, excerpt]\n")
    assert failure(src, tmp_path / "out") == [
        "briefings/a.md:4:9: layout: given both here and in extra; keep one",
        "briefings/a.md:6:13: warning: unknown key 'categories' is ignored; declare it in site.yml as a taxonomy "
        "or in extra_keys",
    ]
    (src / "briefings/a.md").write_text(brief_text("A", layout="post", excerpt="Short."))
    _, warnings = build(src, tmp_path / "out")
    assert warnings == []
    extra = {b["slug"]: b["extra"] for b in json.loads((tmp_path / "out/briefs.json").read_text())["briefs"]}
    assert extra == {"a": {"layout": "post", "excerpt": "Short."}, "b": {"owner": "desk", "layout": "post"}}


def test_extra_keys_may_not_name_brief_keys_or_taxonomies(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A")}, "extra_keys: [layout, tags]\n")
    assert failure(src, tmp_path / "out") == [
        "site.yml:1:13: extra_keys: 'tags' is a brief key or a taxonomy, read as such; leave it out of extra_keys"]


def test_old_urls_redirect_to_the_brief_and_are_listed_nowhere(make_site, tmp_path):
    src = make_site({"2025-02-27-a.md": brief_text(
        "A & B", aliases="[/2016/03/10/old-title.html, /posts/old/, /p/caf%C3%A9]",
        redirect_from="/archive/a/")}, "base_url: https://example.org/briefs/\n")
    out = tmp_path / "out"
    build(src, out)
    page = "https://example.org/briefs/briefs/2025-02-27-a/"
    icon = re.search(r'<link rel="icon" href="([^"]+)"', (out / "index.html").read_text())[1]
    assert icon.startswith("/briefs/static/favicon.svg?v=")
    assert (out / "2016/03/10/old-title.html").read_text() == f"""\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>A &amp; B — Briefings</title>
<link rel="canonical" href="{page}">
<link rel="icon" href="{icon}" type="image/svg+xml">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={page}">
</head>
<body>
<p>This brief has moved to <a href="{page}">A &amp; B</a>.</p>
</body>
</html>
"""
    for old in ("posts/old/index.html", "p/café/index.html", "archive/a/index.html"):
        assert (out / old).read_bytes() == (out / "2016/03/10/old-title.html").read_bytes()
    listed = "".join((out / name).read_text() for name in ("sitemap.xml", "briefs.json", "feed.xml", "index.html"))
    assert "old-title" not in listed and "posts/old" not in listed


@pytest.mark.parametrize("alias, message", [
    ("/tags/", "old URL '/tags/' is the file tags/index.html, which taxonomy 'tags' writes too"),
    ("/briefs/b/", "old URL '/briefs/b/' is the file briefs/b/index.html, which briefings/b.md writes too"),
])
def test_an_old_url_that_is_a_page_of_the_site_is_an_error_naming_both(make_site, tmp_path, alias, message):
    src = make_site({"a.md": brief_text("A", tags="[x]", aliases=f"[{alias}]"), "b.md": brief_text("B")})
    assert failure(src, tmp_path / "out") == [f"briefings/a.md:5:11: {message}"]


def test_two_briefs_claiming_one_old_url_is_an_error_naming_both(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A", aliases="/old/"), "b.md": brief_text("B", redirect_from="[/old]")})
    assert failure(src, tmp_path / "out") == [
        "briefings/b.md:4:17: old URL '/old/' is the file old/index.html, which briefings/a.md writes too"]


@pytest.mark.parametrize("alias", ["old/x.html", "https://example.org/x", "/a/../b", "//host/x", "/x?y=1", "/"])
def test_an_old_url_must_be_a_plain_path_from_the_root(make_site, tmp_path, alias):
    src = make_site({"a.md": brief_text("A", aliases=f"['{alias}']")})
    assert failure(src, tmp_path / "out") == [
        f"briefings/a.md:4:11: aliases: {alias!r} is not a path from the site's root such as "
        "'/2016/03/10/old-title.html' or '/posts/old-title/'"]


def test_an_incremental_build_drops_an_old_url_that_is_gone(make_site, tmp_path):
    src = make_site({"a.md": brief_text("A", aliases="[/old/, /older/]"), "b.md": brief_text("B")})
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    (src / "briefings/a.md").write_text(brief_text("A renamed", aliases="[/older/]"))
    build_site(Options(src, out, jobs=1))
    assert not (out / "old").exists()
    assert "A renamed" in (out / "older/index.html").read_text()
    build_site(Options(src, tmp_path / "clean", jobs=1, cache=False))
    assert tree(out) == tree(tmp_path / "clean")


def test_liquid_tags_and_shortcodes_outside_code_are_named(make_site, tmp_path):
    body = ("Intro.\n\nSee {% post_url 2016-03-10-x %} and {{< ref \"x.md\" >}}, {% link a.md %}.\n\n"
            "    {% in code %}\n\n`{{< code >}}`\n")
    src = make_site({"a.md": brief_text("A", body=body), "b.md": brief_text("B", body="`{% raw %}` only")})
    _, warnings = build(src, tmp_path / "out")
    assert warnings == [
        "briefings/a.md:7:5: warning: Liquid tag '{% post_url 2016-03-10-x %}' is shown as text; briefsite has "
        "none: `build.py migrate` converts links, and anything else needs rewriting",
        "briefings/a.md:7:37: warning: Hugo shortcode '{{< ref \"x.md\" >}}' is shown as text; briefsite has "
        "none: `build.py migrate` converts links, and anything else needs rewriting",
    ]


def test_lang_names_the_language_a_brief_is_written_in(make_site, tmp_path):
    src = make_site({"a.md": brief_text("ไทย", lang="th"), "b.md": brief_text("Same", lang="EN"),
                     "c.md": brief_text("Bad", lang="'thai language'")})
    problems = failure(src, tmp_path / "out")
    assert problems == ["briefings/c.md:4:7: lang: expected a BCP 47 language tag of at most 20 characters such as "
                        "'en', 'zh-Hans' or 'th', got 'thai language'"]
    (src / "briefings" / "c.md").unlink()
    build(src, tmp_path / "out")
    page = (tmp_path / "out" / "briefs" / "a" / "index.html").read_text()
    assert '<div class="brief-body" lang="th">' in page
    same = (tmp_path / "out" / "briefs" / "b" / "index.html").read_text()
    assert ' lang="EN"' not in same and '<div class="brief-body">' in same  # the site's language: nothing to mark
