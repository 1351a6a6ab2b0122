"""Issue 24's promises under the files and settings people have: outputs that name one folder two ways,
outputs inside others, a leak left in an output folder, named pipes, a static file under a page's name,
and validation that does not depend on who a build is for or when it runs."""

from __future__ import annotations

import os
import textwrap

import pytest

from conftest import brief_text, png

SECRET = "Secret raid on the Bangkok compound"
BRIEFS = {"open.md": brief_text(title="Open report on the border"),
          "secret.md": brief_text(title=SECRET, audience="amber")}


def outputs_config(partners: str) -> str:
    return textwrap.dedent(f"""\
        outputs:
          public: {{audience: clear, output: site}}
          partners: {{audience: amber, output: {partners}}}
        """)


@pytest.mark.parametrize("partners", ["./site/", "site//", "../src/site", "{src}/site", "link-to-site"])
def test_two_outputs_naming_one_folder_are_refused_however_written(make_site, cli, partners):
    src = make_site(BRIEFS, config="")
    (src / "link-to-site").symlink_to(src / "site")
    written = partners.format(src=src)
    (src / "site.yml").write_text(outputs_config(f'"{written}"'), encoding="utf-8")
    result = cli("build", "--source", src, "--all")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{src}/site.yml:3:39: outputs.partners.output: folder '{written.rstrip('/')}' is the output of 'public' too"]
    assert not (src / "site").exists()


@pytest.mark.parametrize(("public", "partners", "why"), [
    ("site", "site/partners", "folder 'site/partners' is inside 'site', the output of 'public'; outputs may not nest"),
    ("site/public", "site", "folder 'site' holds 'site/public', the output of 'public'; outputs may not nest"),
])
def test_an_output_inside_another_is_refused(make_site, cli, public, partners, why):
    config = outputs_config(partners).replace("public: {audience: clear, output: site}",
                                              f"public: {{audience: clear, output: {public}}}")
    src = make_site(BRIEFS, config=config)
    result = cli("check", "--source", src, "--all")
    assert result.exit_code == 1
    assert result.stderr.replace(f"{src}/", "").splitlines()[0].split(": ", 1)[1] == f"outputs.partners.output: {why}"


def test_build_all_refuses_a_source_folder_as_an_output_before_building_any(make_site, cli):
    src = make_site(BRIEFS, config=outputs_config("data"))
    (src / "data").mkdir()
    (src / "data" / "authors.yml").write_text("- name: Jane Doe\n", encoding="utf-8")
    result = cli("build", "--source", src, "--all", "--force")
    assert result.exit_code == 1
    assert result.stderr.replace(f"{src}/", "").splitlines()[0] == (
        "data: the output folder would replace the site's data/; choose another")
    assert not (src / "site").exists() and (src / "data" / "authors.yml").exists()


def test_check_all_searches_each_output_folders_own_files(make_site, cli):
    src = make_site(BRIEFS, config=outputs_config("partners"))
    assert cli("build", "--source", src, "--all", "--quiet").exit_code == 0
    assert cli("check", "--source", src, "--all").exit_code == 0
    amber_page = (src / "partners" / "briefs" / "secret" / "index.html").read_bytes()
    (src / "site" / "briefs" / "secret").mkdir()
    (src / "site" / "briefs" / "secret" / "index.html").write_bytes(amber_page)  # say, copied by hand
    result = cli("check", "--source", src, "--all")
    assert result.exit_code == 1
    lines = result.stderr.replace(f"{src}/", "").splitlines()
    why = "briefings/secret.md: left out of the TLP:CLEAR build (its audience TLP:AMBER is above this build's TLP:CLEAR)"
    assert lines[0] == f"{why}, yet its URL 'briefs/secret/' is in site/briefs/secret/index.html"
    assert f"{why}, yet its title '{SECRET}' is in site/briefs/secret/index.html" in lines


def test_named_pipes_never_hang_a_build(make_site, cli):
    src = make_site({"a.md": brief_text()})
    (src / "static").mkdir()
    for path in ("briefings/pipe", "briefings/pipe.md", "static/pipe.txt"):
        os.mkfifo(src / path)
    result = cli("build", "--source", src)
    assert result.exit_code == 0
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/pipe: warning: skipped: it is a named pipe (FIFO), not a file",
        "briefings/pipe.md: warning: skipped: it is a named pipe (FIFO), not a file",
        "static/pipe.txt: warning: skipped: it is a named pipe (FIFO), not a file"]
    (src / "data").mkdir(exist_ok=True)
    os.mkfifo(src / "data" / "threads.yml")
    (src / "templates").mkdir(exist_ok=True)
    os.mkfifo(src / "templates" / "brief.html")
    for path, why in (("data/threads.yml", "not a file"), ("templates/brief.html", "not a template file")):
        result = cli("build", "--source", src)
        assert result.exit_code == 1
        assert [line for line in result.stderr.replace(f"{src}/", "").splitlines() if "warning" not in line] == [
            f"{path}: is a named pipe (FIFO), {why}", "Build failed with 1 error; site/ was left unchanged."]
        os.unlink(src / path)
    (src / "site.yml").unlink()
    os.mkfifo(src / "site.yml")
    assert cli("build", "--source", src).stderr.replace(f"{src}/", "").splitlines()[0] == (
        "site.yml: is a named pipe (FIFO), not a file")


def test_a_data_file_that_is_a_folder_is_an_error_not_ignored(make_site, cli):
    src = make_site({"a.md": brief_text()})
    (src / "data" / "authors.yml").mkdir(parents=True)
    assert cli("check", "--source", src).stderr.replace(f"{src}/", "").splitlines()[0] == (
        "data/authors.yml: is a folder, not a file")


def test_a_brief_that_links_out_of_briefings_is_refused_like_any_file(make_site, cli, tmp_path):
    src = make_site({"a.md": brief_text()})
    (tmp_path / "elsewhere.md").write_text(brief_text(title="From elsewhere"), encoding="utf-8")
    (src / "briefings" / "out.md").symlink_to(tmp_path / "elsewhere.md")
    (src / "briefings" / "sub").mkdir()
    (src / "briefings" / "sub" / "in.md").symlink_to(src / "briefings" / "a.md")  # inside: a brief like any
    result = cli("check", "--source", src)
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/out.md: is a symbolic link to outside briefings/; keep the brief itself in the folder",
        "Build failed with 1 error; nothing was written."]


@pytest.mark.parametrize("held", ["audience: red", "publish_at: 2099-01-01", "draft: true"])
def test_a_url_clash_with_a_left_out_brief_fails_every_build_not_the_day_it_enters(make_site, cli, held):
    src = make_site({"a.md": brief_text(title="Open", aliases="[/briefs/raid/]"),
                     "raid.md": brief_text(title="Held", **dict([held.split(": ")]))})
    for command in ("check", "build"):
        result = cli(command, "--source", src)
        assert result.exit_code == 1
        assert result.stderr.replace(f"{src}/", "").splitlines()[0] == (
            "briefings/a.md:4:11: old URL '/briefs/raid/' is the file briefs/raid/index.html, which briefings/raid.md "
            "writes too")
    assert not (src / "site").exists()


def test_a_site_file_where_a_page_needs_a_folder_or_under_a_pages_file_is_named(make_site, cli):
    src = make_site({"a.md": brief_text(tags="[border]")})
    (src / "static" / "index.html").mkdir(parents=True)
    (src / "static" / "index.html" / "foo.txt").write_text("x", encoding="utf-8")
    (src / "static" / "tags").write_text("y", encoding="utf-8")
    result = cli("build", "--source", src)
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "static/index.html/foo.txt: needs a folder at index.html, which home page writes as a file; rename or move it",
        "static/tags: is a file where tag 'border' needs a folder (to write tags/border/feed.json); rename or remove it",
        "Build failed with 2 errors; site/ was left unchanged."]


def test_an_alias_under_a_pages_file_is_named_not_a_write_failure(make_site, cli):
    src = make_site({"a.md": brief_text(aliases="[/index.html/old/]")})
    result = cli("build", "--source", src)
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/a.md:4:11: writes index.html/old/index.html, which needs a folder at index.html, where home page "
        "writes a file",
        "Build failed with 1 error; site/ was left unchanged."]


def test_a_source_folder_linked_into_the_output_is_never_replaced(make_site, cli, tmp_path):
    src = make_site({"a.md": brief_text()})
    out = tmp_path / "out"
    assert cli("build", "--source", src, "--output", out, "--quiet").exit_code == 0
    (out / "keep").mkdir()
    (out / "keep" / "authors.yml").write_text("Jane Doe: {}\n", encoding="utf-8")
    (src / "data").symlink_to(out / "keep")
    result = cli("build", "--source", src, "--output", out)
    assert result.stderr.splitlines()[0] == (f"{out}: the output folder holds the site's data/ (a symbolic link leads "
                                             "there); choose another")
    assert (out / "keep" / "authors.yml").exists()
    (src / "data").unlink()
    (src / "data").symlink_to(src / "data")  # a loop
    assert cli("build", "--source", src, "--output", out).stderr.splitlines()[0] == (
        f"{src}/data: is a symbolic link that cannot be followed")


def test_an_empty_work_folder_is_a_killed_builds_and_cleared(make_site, cli):
    src = make_site({"a.md": brief_text()})
    (src / ".site.staging").mkdir()  # killed between making the folder and marking it
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    assert not (src / ".site.staging").exists()


@pytest.mark.parametrize("name", ["report.xhtm", "schema.xsd", "feed.rss", "route.kml"])
def test_a_document_a_host_serves_as_xml_or_html_is_refused(make_site, cli, name):
    src = make_site({"a.md": brief_text(attachments=f"[{name}]")})
    (src / "briefings" / name).write_text('<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
                                          encoding="utf-8")
    result = cli("check", "--source", src)
    kind = "an HTML page" if name.endswith(".xhtm") else "an XML file"
    assert result.stderr.replace(f"{src}/", "").splitlines()[0] == (
        f"briefings/a.md:4:15: '{name}' is {kind}, which a browser would run as part of the site: attach or link "
        "documents and images (PDF, text, office files, archives, JPEG, PNG), not web pages, scripts, XML or SVG")


def test_a_brief_that_cannot_be_looked_at_is_an_error(make_site, cli):
    src = make_site({"a.md": brief_text()})
    (src / "briefings" / "loop.md").symlink_to(src / "briefings" / "loop.md")
    assert cli("check", "--source", src).stderr.replace(f"{src}/", "").splitlines()[0] == (
        "briefings/loop.md: cannot be read (Too many levels of symbolic links)")


def test_check_all_refuses_a_symbolic_link_in_an_output_folder(make_site, cli):
    src = make_site(BRIEFS, config=outputs_config("partners"))
    assert cli("build", "--source", src, "--all", "--quiet").exit_code == 0
    (src / "site" / "p").symlink_to("../partners")  # a host that dereferences links publishes the amber site
    result = cli("check", "--source", src, "--all")
    assert result.exit_code == 1
    assert result.stderr.replace(f"{src}/", "").splitlines()[0] == (
        "site/p: is a symbolic link, which no build makes: a host would publish what it leads to, which no check "
        "has searched; remove it")


@pytest.mark.parametrize("work", [".partners.old", ".partners.staging", ".partners.pending", ".partners.search"])
def test_an_output_in_another_outputs_work_folder_is_refused(make_site, cli, work):
    src = make_site(BRIEFS, config=outputs_config("partners").replace("output: site}", f"output: {work}}}"))
    result = cli("build", "--source", src, "--all")
    assert result.exit_code == 1
    assert result.stderr.replace(f"{src}/", "").splitlines()[0] == (
        f"{work}: the output of 'public' is where the build of 'partners' keeps its work; choose another folder")
    assert sorted(p.name for p in src.iterdir()) == ["briefings", "site.yml"]


AMBER_2019 = brief_text(title="Amber", date="2019-02-02", audience="amber", tags="[secret]", author="Li Wei")


@pytest.mark.parametrize(("alias", "writer"), [
    ("/tags/secret/", "tag 'secret'"), ("/authors/li-wei/", "author 'Li Wei'"), ("/timeline/2019/", "year 2019"),
    ("/timeline/2019/02/", "February 2019")])
def test_an_alias_on_a_page_only_a_left_out_brief_makes_fails_every_build(make_site, cli, alias, writer):
    src = make_site({"2019-02-02-amber.md": AMBER_2019, "p.md": brief_text(title="Pub", aliases=f"[{alias}]")})
    for audience in ("clear", "amber"):
        result = cli("check", "--source", src, "--audience", audience)
        assert result.exit_code == 1
        line = result.stderr.replace(f"{src}/", "").splitlines()[0]
        assert line.startswith(f"briefings/p.md:4:11: old URL '{alias}' is the file ") and line.endswith(
            f", which {writer} writes too"), line


def test_a_left_out_briefs_link_to_no_brief_and_a_static_file_on_its_pages_fail_every_build(make_site, cli):
    src = make_site({"2019-02-02-amber.md": AMBER_2019.replace("Body text.", "See [x](gone.md)."),
                     "p.md": brief_text(title="Pub")})
    (src / "static" / "tags" / "secret").mkdir(parents=True)
    (src / "static" / "tags" / "secret" / "index.html").write_text("mine", encoding="utf-8")
    result = cli("build", "--source", src)
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/2019-02-02-amber.md:8:9: link to 'gone.md' matches no brief file",
        "Build failed with 1 error; site/ was left unchanged."]
    (src / "briefings" / "2019-02-02-amber.md").write_text(AMBER_2019, encoding="utf-8")
    result = cli("build", "--source", src)
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "static/tags/secret/index.html: would replace tags/secret/index.html, which tag 'secret' writes; rename or "
        "remove one", "Build failed with 1 error; site/ was left unchanged."]


def test_files_read_whole_are_bounded_before_they_are_read(make_site, cli, monkeypatch):
    from briefsite import filesystem
    monkeypatch.setattr(filesystem.read_limited, "__defaults__", (30_000,))  # the theme's files are smaller
    src = make_site({"a.md": brief_text(), "big.md": brief_text(body="x" * 5000)}, config="max_body_size: 20\n"
                    "max_header_size: 100\n")
    (src / "templates").mkdir(exist_ok=True)
    (src / "templates" / "extra.html").write_bytes(b" " * 35_000)
    (src / "data").mkdir(exist_ok=True)
    (src / "data" / "authors.yml").write_bytes(b"#" * 35_000)
    for line in ("data/authors.yml: is 35 KB, more than the 30 KB allowed",
                 "templates/extra.html: is 35 KB, more than the 30 KB allowed",
                 "briefings/big.md: is 5 KB, more than the 480 bytes allowed for a brief (its header and body at "
                 "max_header_size and max_body_size of site.yml); split it, or link to a document"):
        result = cli("check", "--source", src)
        assert result.exit_code == 1
        assert result.stderr.replace(f"{src}/", "").splitlines()[0] == line
        (src / line.split(":")[0]).unlink()


def test_an_attribute_left_open_in_a_real_archives_html_is_no_file_reference(make_site, cli):
    # 18F's blog (public domain), 2016-03-22: a closing quote missing after a URL swallows the text up to the
    # next quote, which Markdown then reads as the next link's target.
    body = ('  <blockquote>\n  “My CfA teammates and I built <a href="http://ohanapi.org">Ohana API</a>. We ended up '
            'being one of the seven winners of the <a href="http://www.knightfoundation.org/grants/201447979>Knight '
            'News Challenge for Health</a> in 2014.\n\n  In late 2014, I submitted <a href="https://github.com/18F/'
            'openopps-platform/pulls">these two pull requests</a>. Sarah emailed me.” – Moncef Belyamani\n'
            '  </blockquote>\n</div>\n\n<div class="pquote">Lenny Bogdonoff\n  <blockquote>\n  “I went to a small '
            'college.”\n  </blockquote>\n</div>\n')
    src = make_site({"a.md": brief_text(body=body)})
    result = cli("check", "--source", src)
    assert result.exit_code == 0, result.stderr


def test_headings_of_old_posts_never_skip_a_level_and_heading_tags_in_a_paragraph_are_text():
    from briefsite.config import DEFAULT_EXTENSIONS
    from briefsite.reading.markup import render_body
    body = ("Use headings like <h1> and <h2>, and style them.\n\nNext.\n\n### First\n\n##### Deep\n\n"
            "# Top\n\n#### Under\n")
    assert render_body(body, DEFAULT_EXTENSIONS, False).html == (
        "<p>Use headings like &lt;h1&gt; and &lt;h2&gt;, and style them.</p>\n<p>Next.</p>\n"
        '<h2 id="first">First</h2>\n<h3 id="deep">Deep</h3>\n<h2 id="top">Top</h2>\n<h3 id="under">Under</h3>')
    assert render_body("<h1>Raw</h1>\n", DEFAULT_EXTENSIONS, False).html == "Raw"


def test_a_lead_image_the_body_shows_too_is_shown_once(make_site, tmp_path):

    from conftest import build
    src = make_site({"a.md": brief_text(image="{file: route.png, alt: The route}", body="![The route](route.png)\n\nText."),
                     "b.md": brief_text(title="Other", image="{file: route.png, alt: The route}", body="Text.")})
    (src / "briefings" / "route.png").write_bytes(png())
    build(src, tmp_path / "out")
    shown_in_body = (tmp_path / "out" / "briefs" / "a" / "index.html").read_text(encoding="utf-8")
    assert 'class="lead-image"' not in shown_in_body and shown_in_body.count("<picture>") == 1
    assert 'loading="lazy"' not in shown_in_body  # the body's image is the first on the page
    led = (tmp_path / "out" / "briefs" / "b" / "index.html").read_text(encoding="utf-8")
    assert 'class="lead-image"' in led and led.count("<picture>") == 1


def test_build_all_with_an_output_that_is_a_loop_of_links_is_a_message(make_site, cli):
    src = make_site(BRIEFS, config=outputs_config("partners"))
    (src / "partners").symlink_to(src / "partners")
    result = cli("build", "--source", src, "--all")
    assert result.exit_code == 1
    assert result.stderr.replace(f"{src}/", "").splitlines()[0] == (
        "site.yml:3:39: outputs.partners.output: folder 'partners' is, or holds, a symbolic link that cannot be "
        "followed")
