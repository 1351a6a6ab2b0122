"""The command line end to end: exit codes, summaries and exact error texts."""

from __future__ import annotations

import re

import pytest

from briefsite import faults

from conftest import brief_text, tree

HEADER_HELP = "a brief starts with a line '---', then its YAML header, then a line '---'"


def test_build_writes_site_and_prints_summary(make_site, cli):
    src = make_site({"2025-02-27-one.md": brief_text(tags="[a, b]")})
    result = cli("build", "--source", src, "--quiet")
    assert result.exit_code == 0, result.output
    assert result.output == ""
    assert (src / "site" / "briefs" / "2025-02-27-one" / "index.html").is_file()
    assert (src / "site" / "tags" / "a" / "index.html").is_file()

    result = cli("build", "--source", src, "--output", src / "out")
    assert result.exit_code == 0
    # home, brief, 3 taxonomy indexes, 2 tags, timeline, year, month, 404, robots, sitemap,
    # site feeds (2), tag feeds (2 x 2), search, briefs.json, timeline.json
    assert result.stdout.startswith(f"Built 1 brief, 22 pages into {src}/out/ in ")
    assert result.stdout.endswith(" s (22 rendered).\n")


def test_default_command_is_build(make_site, cli, monkeypatch):
    src = make_site({"x.md": brief_text()})
    monkeypatch.chdir(src)
    result = cli("--help")
    assert "build" in result.stdout and "check" in result.stdout
    result = cli()
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Built 1 brief, ")
    assert "into site/ in" in result.stdout


def test_check_validates_without_writing(make_site, cli):
    src = make_site({"x.md": brief_text()})
    result = cli("check", "--source", src)
    assert result.exit_code == 0
    assert result.stdout == "Checked 1 brief and 16 pages: no errors.\n"
    assert not (src / "site").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", f"x.md: empty file; {HEADER_HELP}"),
        (b"title: x\n", f"x.md:1:1: no front matter; {HEADER_HELP}"),
        (b"---\ntitle: x\ndate: 2025-01-01\n", "x.md:1:1: front matter is not closed; expected a line '---' after the header"),
        (b"---\n---\nbody\n", "x.md:2:1: the header is empty; expected a mapping with at least title and date"),
        (b"---\n- title\n---\n", "x.md:2:1: the header is a list; expected a mapping with at least title and date"),
        (b"---\ntitle: x\ndate: [2025\n---\n", "x.md:4:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
        (b"---\ndate: 2025-01-01\n---\n", "x.md:2:1: title: missing; every brief needs a title and a date"),
        (b"---\ntitle: x\n---\n", "x.md:2:1: date: missing; every brief needs a title and a date"),
        (b"---\ntitle: [a, b]\ndate: 2025-01-01\n---\n", "x.md:2:8: title: expected text, got a list"),
        (b"---\ntitle: x\ndate: 27/02/2025\n---\n",
         "x.md:3:7: date: expected a date as YYYY-MM-DD or an ISO 8601 date-time, got '27/02/2025'"),
        (b"---\ntitle: x\ndate: 2025-02-30\n---\n",
         "x.md:3:7: date: '2025-02-30' is not a real date or time (day is out of range for month)"),
        (b"---\ntitle: x\ndate: 2025-01-01\ntags: {a: 1}\n---\n",
         "x.md:4:7: tags: expected a term or a list of terms, got a mapping"),
        (b"---\ntitle: x\ndate: 2025-01-01\nslug: ../x\n---\n",
         "x.md:4:7: slug: '../x' is not one URL segment of lowercase words and hyphens; try 'x'"),
        (b"---\ntitle: x\ndate: 2025-01-01\nslug: a/b\n---\n",
         "x.md:4:7: slug: 'a/b' is not one URL segment of lowercase words and hyphens; try 'a-b'"),
        (b"---\ntitle: !!python/object/apply:os.system ['touch pwned']\ndate: 2025-01-01\n---\n",
         "x.md:2:8: invalid YAML: could not determine a constructor for the tag "
         "'tag:yaml.org,2002:python/object/apply:os.system'"),
        (b"\xff\xfe---\n", "x.md: not valid UTF-8 (byte 0); save the file as UTF-8"),
    ],
)
def test_bad_brief_fails_with_exact_error_and_leaves_site(make_site, cli, content, message):
    src = make_site({"good.md": brief_text()})
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    before = tree(src / "site")
    (src / "briefings" / "x.md").write_bytes(content)

    result = cli("build", "--source", src)

    assert result.exit_code == 1
    assert result.stderr == (f"{src}/briefings/{message}\n"
                             f"Build failed with 1 error; {src}/site/ was left unchanged.\n")
    assert result.stdout == ""
    assert tree(src / "site") == before
    assert not (src / "pwned").exists() and not (src.parent / "pwned").exists()


def test_all_errors_are_reported_together_sorted_by_path(make_site, cli):
    src = make_site({
        "b.md": "---\ntitle: B\n---\n",
        "a.md": "---\ntitle: A\ndate: 2025-13-01\ntags: {x: 1}\n---\n",
        "c.md": brief_text(slug="same"),
        "d.md": brief_text(slug="same"),
    })
    result = cli("build", "--source", src)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{src}/briefings/a.md:3:7: date: '2025-13-01' is not a real date or time (month must be in 1..12)",
        f"{src}/briefings/a.md:4:7: tags: expected a term or a list of terms, got a mapping",
        f"{src}/briefings/b.md:2:1: date: missing; every brief needs a title and a date",
        f"{src}/briefings/d.md: slug 'same' is already used by {src}/briefings/c.md",
        f"Build failed with 4 errors; {src}/site/ was left unchanged.",
    ]


def test_warnings_do_not_fail_the_build(make_site, cli):
    src = make_site({"x.md": brief_text(tagz="[a]")})
    result = cli("build", "--source", src)
    assert result.exit_code == 0
    assert result.stderr == f"{src}/briefings/x.md:4:7: warning: unknown key 'tagz' is ignored; did you mean 'tags'?\n"
    assert cli("build", "--source", src, "--quiet").stderr == ""


def test_config_errors_name_the_key(make_site, cli):
    src = make_site({"x.md": brief_text()}, config="titel: X\npage_size: many\n")
    result = cli("build", "--source", src)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{src}/site.yml:1:8: unknown setting 'titel'; did you mean 'title'?",
        f"{src}/site.yml:2:12: page_size: expected a whole number of at least 1, got 'many'",
        f"Build failed with 2 errors; {src}/site/ was left unchanged.",
    ]


def test_bad_base_url_option(make_site, cli):
    src = make_site({"x.md": brief_text()})
    result = cli("build", "--source", src, "--base-url", "example.org")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        "--base-url: base_url: expected an absolute http(s) URL such as https://example.org/briefs/, got 'example.org'")


def test_usage_errors_exit_2(make_site, cli):
    assert cli("build", "--no-such-option").exit_code == 2
    assert cli("build", "--jobs", "0").exit_code == 2
    assert cli("frobnicate").exit_code == 2


def test_missing_site_folder(tmp_path, cli):
    result = cli("build", "--source", tmp_path / "nope")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{tmp_path}/nope: site folder not found"


def test_output_may_not_replace_sources(make_site, cli):
    src = make_site({"x.md": brief_text()})
    result = cli("build", "--source", src, "--output", src)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{src}: the output folder would replace the site's sources; choose another"
    result = cli("build", "--source", src, "--output", src / "briefings" / "out")
    assert result.stderr.splitlines()[0] == f"{src}/briefings/out: the output folder may not be inside briefings/"
    assert sorted(p.name for p in (src / "briefings").iterdir()) == ["x.md"]


def test_drafts_only_with_flag(make_site, cli):
    src = make_site({"a.md": brief_text(), "d.md": brief_text(title="Secret", draft="true")})
    cli("build", "--source", src, "--quiet")
    assert not (src / "site" / "briefs" / "d").exists()
    assert "Secret" not in (src / "site" / "index.html").read_text()
    cli("build", "--source", src, "--quiet", "--drafts")
    assert (src / "site" / "briefs" / "d" / "index.html").is_file()


def test_base_url_option_overrides_config(make_site, cli):
    src = make_site({"a.md": brief_text()}, config="base_url: https://example.org/\n")
    cli("build", "--source", src, "--quiet", "--base-url", "https://user.github.io/briefs")
    page = (src / "site" / "briefs" / "a" / "index.html").read_text()
    assert '<link rel="canonical" href="https://user.github.io/briefs/briefs/a/">' in page
    assert '<a class="wordmark" href="/briefs/">' in page


def test_verbose_prints_the_time_of_every_stage(make_site, cli):
    src = make_site({"a.md": brief_text()})
    lines = cli("build", "--source", src, "--verbose").stdout.splitlines()
    # Search runs inside write, before the new site is in place, and is timed as its own stage.
    assert re.fullmatch(r"Stages: config [\d.]+ s, read [\d.]+ s, parse [\d.]+ s, select [\d.]+ s, media [\d.]+ s, "
                        r"index [\d.]+ s, plan [\d.]+ s, render [\d.]+ s, search [\d.]+ s, write [\d.]+ s", lines[-1])
    again = cli("build", "--source", src, "--verbose").stdout.splitlines()[-1]
    assert re.fullmatch(r"Stages: config [\d.]+ s, read [\d.]+ s", again)  # nothing changed: it stops there
    checked = cli("check", "--source", src, "--verbose").stdout.splitlines()[-1]
    assert re.fullmatch(r"Stages: config [\d.]+ s, read [\d.]+ s, parse [\d.]+ s, select [\d.]+ s, media [\d.]+ s, "
                        r"index [\d.]+ s, plan [\d.]+ s, render [\d.]+ s", checked)


def test_build_takes_force_and_no_wait_and_serve_no_output(make_site, cli):
    help_text = " ".join(cli("build", "--help").stdout.split())
    assert "--force Replace the output folder even if briefsite did not make it." in help_text
    assert "--no-wait Fail at once if another build is writing there, instead of waiting for it." in help_text
    serve_help = " ".join(cli("serve", "--help").stdout.split())  # serve builds into its preview folder only
    assert not {"--output", "--force", "--no-wait"} & set(serve_help.split())
    src = make_site({"x.md": brief_text()})
    assert cli("build", "--source", src, "--no-wait", "--force", "--quiet").exit_code == 0  # nothing to wait for


def test_a_previous_site_that_cannot_be_removed_is_a_warning_of_a_good_build(make_site, cli):
    src = make_site({"x.md": brief_text()}, config="search: false\n")
    assert cli("build", "--source", src, "--quiet").exit_code == 0
    (src / "briefings" / "y.md").write_text(brief_text(title="Y"))
    with faults.armed("retire", kind="eacces"):
        result = cli("build", "--source", src, "--no-cache")
    assert result.exit_code == 0
    assert result.stderr == (f"{src}/.site.old: warning: the previous site could not be removed (Permission denied); "
                             "the new site is in place: remove this folder by hand\n")
    assert result.stdout.startswith("Built 2 briefs, ")
    assert (src / "site" / "briefs" / "y" / "index.html").is_file()
    assert cli("build", "--source", src, "--no-cache", "--quiet").exit_code == 0
    assert not (src / ".site.old").exists()
