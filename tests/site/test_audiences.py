"""Audiences (TLP 2.0) and embargoes: what a build for one audience at one moment takes, marks and leaves out."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from briefsite.build import Options, build_site
from briefsite.errors import BuildFailed
from briefsite.values.tlp import checked_audience

from conftest import GOLDEN, GOLDEN_NOW, brief_text, tree

BEFORE = "2025-02-28T12:00:00Z"  # the embargo of `briefs()`' e.md holds
AFTER = "2025-03-02T00:00:00Z"  # it has lifted


def briefs() -> dict:
    return {
        "a.md": brief_text(title="Open raid report", date="2025-02-01", tags="[raid]",
                           body="Police raided a compound near the river crossing at dawn."),
        "g.md": brief_text(title="Community watch notes", date="2025-02-02", audience="green", tags="[watch]",
                           body="Partners shared the watch notes gathered over the weekend."),
        "r.md": brief_text(title="Handler Lantern exposed", date="2025-02-03", audience="TLP:RED", tags="[lantern]",
                           body="The handler codenamed Lantern met the source without cover twice."),
        "e.md": brief_text(title="Ministers task force", date="2025-02-04", tags="[taskforce]",
                           publish_at="2025-03-01T06:00:00+07:00", expires="2025-06-01",
                           body="Ministers will announce the standing task force on the first of March."),
    }


def html_text(root) -> str:
    """Every file of the built site but the theme's assets, as one text."""
    return "\n".join(data.decode() for name, data in tree(root).items() if not name.startswith("static/"))


def left_out(result, src) -> dict:
    return {path.replace(f"{src}/", ""): why for path, why in result.selection.left_out.items()}


def test_audience_forms_and_wrong_values():
    assert [checked_audience(v) for v in ("clear", "TLP:AMBER", "Amber+Strict", " red ")] == [
        "clear", "amber", "amber+strict", "red"]
    with pytest.raises(ValueError) as wrong:
        checked_audience("white")
    assert str(wrong.value) == ("expected one of clear, green, amber, amber+strict, red (TLP 2.0), got 'white'; "
                                "TLP 2.0 calls 'white' 'clear'")


def test_header_errors_name_line_column_and_the_allowed_values(make_site, cli):
    src = make_site({
        "a.md": brief_text(audience="purple"),
        "b.md": brief_text(title="B", publish_at="2025-03-01", expires="2025-02-01"),
        "c.md": brief_text(title="C", publish_at="soon"),
    })
    result = cli("check", "--source", src)
    assert result.exit_code == 1
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/a.md:4:11: audience: expected one of clear, green, amber, amber+strict, red (TLP 2.0), "
        "got 'purple'",
        "briefings/b.md:5:10: expires: 2025-02-01T00:00:00+00:00 is not after publish_at "
        "2025-03-01T00:00:00+00:00; the brief would never be published",
        "briefings/c.md:4:13: publish_at: expected a date as YYYY-MM-DD or an ISO 8601 date-time, got 'soon'",
        "Build failed with 3 errors; nothing was written.",
    ]


def test_settings_are_checked(make_site, cli):
    src = make_site({"a.md": brief_text()}, config="""\
        audience: amber
        default_audience: TLP:GREEN
        outputs:
          public: {audience: clear, output: site}
          desk: {audience: secret, output: site-desk}
          Bad Name: {}
          other: {output: site, colour: red}
          again: {output: site/}
        """)
    result = cli("check", "--source", src)
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "site.yml:5:20: outputs.desk.audience: expected one of clear, green, amber, amber+strict, red (TLP 2.0), "
        "got 'secret'",
        "site.yml:6:13: outputs.Bad Name: expected a name of lowercase letters, digits and hyphens",
        "site.yml:7:33: outputs.other.colour: unknown key 'colour'",
        "site.yml:8:19: outputs.again.output: folder 'site' is the output of 'public' too",
        "Build failed with 4 errors; nothing was written.",
    ]
    assert cli("check", "--source", src, "--audience", "pink").stderr.splitlines()[0] == (
        "--audience: audience: expected one of clear, green, amber, amber+strict, red (TLP 2.0), got 'pink'")


def test_default_audience_applies_to_briefs_that_name_none(make_site, tmp_path):
    src = make_site({"a.md": brief_text(title="Unmarked"), "b.md": brief_text(title="Open", audience="clear")},
                    config="default_audience: amber\n")
    result = build_site(Options(src, tmp_path / "out", jobs=1))
    assert [b.title for b in result.selection.briefs] == ["Open"]
    assert left_out(result, src) == {"briefings/a.md": "its audience TLP:AMBER is above this build's TLP:CLEAR"}


@pytest.mark.parametrize(("audience", "now", "titles"), [
    ("clear", BEFORE, ["Open raid report"]),
    ("clear", AFTER, ["Ministers task force", "Open raid report"]),
    ("green", AFTER, ["Ministers task force", "Community watch notes", "Open raid report"]),
    ("amber", BEFORE, ["Community watch notes", "Open raid report"]),
    ("red", "2025-06-01T00:00:00Z", ["Handler Lantern exposed", "Community watch notes", "Open raid report"]),
])
def test_a_build_takes_the_briefs_at_or_below_its_audience_whose_embargo_lifted(make_site, tmp_path, audience,
                                                                                  now, titles):
    src = make_site(briefs())
    result = build_site(Options(src, tmp_path / "out", jobs=1, audience=audience,
                                now=datetime.fromisoformat(now)))
    assert [brief.title for brief in newest(result.selection.briefs)] == titles


def newest(briefs):
    return sorted(briefs, key=lambda b: b.filed, reverse=True)


def test_why_each_brief_is_left_out(make_site, tmp_path):
    src = make_site({**briefs(), "d.md": brief_text(title="Draft", draft="true")})
    result = build_site(Options(src, tmp_path / "out", jobs=1, audience="green",
                                now=datetime(2025, 7, 1, tzinfo=UTC)))
    assert left_out(result, src) == {
        "briefings/d.md": "it is a draft",
        "briefings/e.md": "it expired at 2025-06-01T00:00:00Z",
        "briefings/r.md": "its audience TLP:RED is above this build's TLP:GREEN",
    }
    early = build_site(Options(src, tmp_path / "out", jobs=1, now=datetime(2025, 2, 1, tzinfo=UTC)))
    assert left_out(early, src)["briefings/e.md"] == "it is embargoed until 2025-02-28T23:00:00Z"


def test_the_summary_names_the_audience_and_what_was_left_out(make_site, cli, tmp_path):
    src = make_site(briefs())
    out = tmp_path / "desk"
    lines = cli("build", "--source", src, "--output", out, "--audience", "amber", "--now", BEFORE).stdout
    assert re.fullmatch(r"Built 2 briefs, \d+ pages into .*/desk/ for TLP:AMBER in [\d.]+ s \(\d+ rendered\); "
                        r"2 briefs left out\.\n", lines)
    again = cli("build", "--source", src, "--output", out, "--audience", "amber", "--now", BEFORE).stdout
    assert re.fullmatch(r"Built 2 briefs, \d+ pages into .*/desk/ for TLP:AMBER in [\d.]+ s \(0 rendered\); "
                        r"2 briefs left out\.\n", again)  # nothing to do, and said as before
    lines = cli("build", "--source", src, "--output", tmp_path / "pub", "--now", AFTER).stdout
    assert re.fullmatch(r"Built 2 briefs, \d+ pages into .*/pub/ in [\d.]+ s \(\d+ rendered\); "
                        r"2 briefs left out\.\n", lines)


def test_nothing_of_a_left_out_brief_is_in_the_site(make_site, tmp_path):
    src = make_site(briefs())
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1, now=datetime.fromisoformat(BEFORE)))
    text = html_text(out)
    for trace in ("Lantern", "lantern", "Community watch", "watch notes", "Ministers", "taskforce",
                  "briefs/r/", "briefs/g/", "briefs/e/"):
        assert trace not in text
    assert "Open raid report" in text
    assert sorted(path for path in tree(out) if path.startswith("tags/")) == [
        "tags/index.html", "tags/raid/feed.json", "tags/raid/feed.xml", "tags/raid/index.html"]


def test_a_clear_build_has_no_marking_and_one_above_clear_marks_every_page(make_site, tmp_path):
    src = make_site(briefs())
    clear, amber = tmp_path / "clear", tmp_path / "amber"
    build_site(Options(src, clear, jobs=1, now=datetime.fromisoformat(AFTER)))
    build_site(Options(src, amber, jobs=1, audience="amber", now=datetime.fromisoformat(AFTER)))
    assert "TLP:" not in html_text(clear) and "tlp" not in html_text(clear)
    pages = {path: data.decode() for path, data in tree(amber).items() if path.endswith(".html")}
    banner = ('<div class="tlp-banner">\n  <p class="wrap"><strong class="tlp tlp-amber">TLP:AMBER</strong> '
              '<span class="tlp-rule">Limited disclosure, restricted to participants&#39; organisations and their '
              'clients, on a need-to-know basis.</span></p>\n</div>')
    assert [path for path, page in pages.items() if banner not in page and "redirect" not in page] == []
    assert "404.html" in pages
    brief = pages["briefs/g/index.html"]
    assert ('<strong class="tlp tlp-green" data-pagefind-filter="audience">TLP:GREEN</strong> '
            '<span class="tlp-rule">Limited disclosure, restricted to the community.</span>') in brief
    assert '<span class="tlp tlp-clear">TLP:CLEAR</span> <time datetime="2025-02-04">' in pages["index.html"]
    feed = (amber / "feed.xml").read_text()
    assert "<title>[TLP:GREEN] Community watch notes</title>" in feed
    assert '<category term="TLP:GREEN" scheme="https://www.first.org/tlp/"/>' in feed
    assert "<rights>TLP:GREEN: Limited disclosure, restricted to the community.</rights>" in feed
    assert '"title": "[TLP:GREEN] Community watch notes"' in (amber / "feed.json").read_text()


LINKING = brief_text(title="Linking", date="2025-02-05", body="See [the review](r.md) and [notes](g.md \"optional\").")


def test_a_link_to_a_left_out_brief_is_an_error_unless_optional(make_site, cli, tmp_path):
    src = make_site({**briefs(), "l.md": LINKING})
    result = cli("check", "--source", src, "--audience", "green", "--now", AFTER)
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/l.md:5:18: link to 'r.md': its audience TLP:RED is above this build's TLP:GREEN, so this build "
        "leaves it out; give the link the title \"optional\" to show it as plain text then: "
        "[text](r.md \"optional\")",
        "Build failed with 1 error; nothing was written.",
    ]
    (src / "briefings" / "l.md").write_text(LINKING.replace("(r.md)", '(r.md "optional")'))
    build_site(Options(src, tmp_path / "clear", jobs=1, now=datetime.fromisoformat(AFTER)))
    page = (tmp_path / "clear" / "briefs" / "l" / "index.html").read_text()
    assert "<p>See the review and notes.</p>" in page
    build_site(Options(src, tmp_path / "red", jobs=1, audience="red", now=datetime.fromisoformat(AFTER)))
    page = (tmp_path / "red" / "briefs" / "l" / "index.html").read_text()
    assert '<p>See <a href="/briefs/r/">the review</a> and <a href="/briefs/g/">notes</a>.</p>' in page


def test_an_optional_link_to_no_brief_file_is_still_an_error(make_site, cli):
    src = make_site({"l.md": brief_text(body='See [it](gone.md "optional").')})
    assert cli("check", "--source", src).stderr.replace(f"{src}/", "").splitlines()[0] == (
        "briefings/l.md:5:10: link to 'gone.md' matches no brief file")


def test_slugs_are_unique_across_audiences(make_site, cli):
    src = make_site({"a.md": brief_text(slug="same"), "b.md": brief_text(slug="same", audience="red")})
    assert cli("check", "--source", src).stderr.replace(f"{src}/", "").splitlines()[0] == (
        "briefings/b.md: slug 'same' is already used by briefings/a.md")


OUTPUTS = """\
    outputs:
      public: {audience: clear, output: public, base_url: "https://example.org/"}
      desk: {audience: amber, output: desk}
    """


def test_build_all_builds_every_output_independently(make_site, cli):
    src = make_site({**briefs(), "l.md": LINKING.replace(" \"optional\"", "").replace("r.md", "a.md")},
                    config=OUTPUTS)
    result = cli("build", "--source", src, "--all", "--now", AFTER)
    assert result.exit_code == 1  # public: the link to g.md, a green brief, is not optional
    lines = result.stdout.replace(f"{src}/", "").splitlines()
    assert len(lines) == 1 and re.fullmatch(r"desk: Built 4 briefs, \d+ pages into desk/ for TLP:AMBER in .*", lines[0])
    assert result.stderr.replace(f"{src}/", "").splitlines()[-1] == "Build failed with 1 error; public/ was left unchanged."
    assert not (src / "public").exists() and (src / "desk" / "briefs" / "g" / "index.html").exists()
    (src / "briefings" / "l.md").unlink()
    assert cli("build", "--source", src, "--all", "--now", AFTER).exit_code == 0
    assert "https://example.org/briefs/a/" in (src / "public" / "sitemap.xml").read_text()
    assert not (src / "public" / "briefs" / "g").exists()


def test_build_all_refuses_an_output_or_audience_and_needs_outputs(make_site, cli):
    src = make_site({"a.md": brief_text()})
    result = cli("build", "--source", src, "--all")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "site.yml: declares no outputs for --all; add outputs: {public: {audience: clear, output: site}, ...}"]
    result = cli("build", "--source", src, "--all", "--audience", "red")
    assert result.exit_code == 2
    assert "--audience and --all do not go together" in result.stderr


def test_check_proves_that_no_left_out_brief_leaves_a_trace(make_site, cli):
    src = make_site(briefs(), config=OUTPUTS)
    result = cli("check", "--source", src, "--all", "--now", BEFORE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "public: Checked 1 brief and 19 pages for TLP:CLEAR: no errors, and no trace of the 3 briefs left out in "
        "any file.",
        "desk: Checked 2 briefs and 23 pages for TLP:AMBER: no errors, and no trace of the 2 briefs left out in "
        "any file.",
    ]
    assert sorted(p.name for p in src.iterdir()) == ["briefings", "site.yml"]  # nothing written, not even a cache
    # A template that names a red brief: the proof finds it, in every page that uses the template.
    (src / "templates").mkdir()
    (src / "templates" / "404.html").write_text("{% extends 'base.html' %}{% block content %}"
                                                "Handler Lantern exposed{% endblock %}")
    result = cli("check", "--source", src, "--audience", "amber", "--now", BEFORE)
    assert result.exit_code == 1
    assert result.stderr.replace(f"{src}/", "").splitlines() == [
        "briefings/r.md: left out of the TLP:AMBER build (its audience TLP:RED is above this build's TLP:AMBER), "
        "yet its title 'Handler Lantern exposed' is in 404.html",
        "Build failed with 1 error; nothing was written.",
    ]


def test_next_change_is_the_next_embargo_or_expiry_of_the_audience(make_site, cli):
    src = make_site({**briefs(), "x.md": brief_text(title="Red embargo", audience="red",
                                                    publish_at="2025-02-10T00:00:00Z")}, config=OUTPUTS)
    assert cli("next-change", "--source", src, "--now", "2025-02-01").stdout == "2025-02-28T23:00:00Z\n"
    assert cli("next-change", "--source", src, "--now", AFTER).stdout == "2025-06-01T00:00:00Z\n"
    assert cli("next-change", "--source", src, "--now", "2025-06-01T00:00:00Z").stdout == ""
    assert cli("next-change", "--source", src, "--now", "2025-02-01", "--audience", "red").stdout == (
        "2025-02-10T00:00:00Z\n")
    assert cli("next-change", "--source", src, "--now", "2025-02-01", "--all").stdout == "2025-02-28T23:00:00Z\n"
    assert cli("next-change", "--source", src, "--now", "soon").exit_code == 2


def test_an_incremental_build_follows_the_clock_and_audience_changes(make_site, tmp_path):
    src = make_site(briefs())
    out = tmp_path / "out"

    def build(now: str, **more):
        return build_site(Options(src, out, jobs=1, now=datetime.fromisoformat(now), **more))

    def clean(now: str, **more):
        fresh = tmp_path / f"clean-{len(list(tmp_path.iterdir()))}"
        build_site(Options(src, fresh, jobs=1, cache=False, now=datetime.fromisoformat(now), **more))
        return tree(fresh)

    build(AFTER)
    assert "Ministers" in html_text(out)
    assert build("2025-03-03T00:00:00Z").selection is None  # inside the same window: nothing to do
    assert build(BEFORE).selection is not None  # the clock set back before the embargo
    assert "Ministers" not in html_text(out) and tree(out) == clean(BEFORE)
    build(AFTER)
    (src / "briefings" / "a.md").write_text(briefs()["a.md"].replace("tags: [raid]", "tags: [raid]\naudience: red"))
    build(AFTER)
    assert "Open raid report" not in html_text(out) and tree(out) == clean(AFTER)
    build(AFTER, audience="red")
    assert tree(out) == clean(AFTER, audience="red")


def test_a_naive_now_is_in_the_site_timezone(make_site, tmp_path):
    src = make_site(briefs(), config="timezone: Asia/Bangkok\n")
    before = build_site(Options(src, tmp_path / "a", jobs=1, now=datetime(2025, 3, 1, 5, 59)))
    after = build_site(Options(src, tmp_path / "b", jobs=1, now=datetime(2025, 3, 1, 6, 0)))
    assert "briefings/e.md" in left_out(before, src) and "briefings/e.md" not in left_out(after, src)


def test_errors_in_any_brief_fail_every_build(make_site, tmp_path):
    src = make_site({"a.md": brief_text(), "r.md": brief_text(title="R", audience="red", date="soon")})
    with pytest.raises(BuildFailed):
        build_site(Options(src, tmp_path / "out", jobs=1))


def test_the_golden_site_leaks_nothing_into_either_output(cli):
    result = cli("check", "--source", GOLDEN / "site", "--all", "--now", GOLDEN_NOW.isoformat())
    assert result.exit_code == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["public", "desk"]
    public, desk = result.stdout.splitlines()
    assert public.endswith("no trace of the 5 briefs left out in any file.")  # green, amber, red, embargoed, draft
    assert desk.endswith("no trace of the 3 briefs left out in any file.")  # red, embargoed, draft


def test_a_file_the_proof_cannot_read_whole_fails_the_check(make_site, cli, monkeypatch):
    from briefsite.output import leaks

    monkeypatch.setattr(leaks, "MAX_DECOMPRESSED", 10)  # every Pagefind file is then too large
    src = make_site(briefs())
    result = cli("check", "--source", src, "--audience", "amber", "--now", BEFORE)
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("check: cannot search the built site: pagefind/") and "10 bytes" in first, first


def test_an_optional_link_in_raw_html_with_attributes_before_its_href(make_site, tmp_path):
    body = '<p>See <a class="more" href="g.md" title="optional">the notes</a>.</p>'
    src = make_site({**briefs(), "l.md": brief_text(title="Linking", date="2025-02-05", body=body)},
                    config="allow_raw_html: true\n")
    build_site(Options(src, tmp_path / "clear", jobs=1, now=datetime.fromisoformat(AFTER)))
    assert "<p>See the notes.</p>" in (tmp_path / "clear" / "briefs" / "l" / "index.html").read_text()
    build_site(Options(src, tmp_path / "green", jobs=1, audience="green", now=datetime.fromisoformat(AFTER)))
    assert '<p>See <a class="more" href="/briefs/g/">the notes</a>.</p>' in (
        tmp_path / "green" / "briefs" / "l" / "index.html").read_text()
