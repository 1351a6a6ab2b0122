"""Brief files: finding them, splitting the header, validating into a Brief."""

import dataclasses
import os
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefsite import yamlio
from briefsite.config import Config, TaxonomyConfig
from briefsite.errors import BuildError
from briefsite.memory import briefs as briefs_memory
from briefsite.memory.briefs import BriefCache
from briefsite.model.brief import BRIEF, Source
from briefsite.reading.brief import HEADER_HELP, parse_brief, split_front_matter
from briefsite.reading.files import find_briefs, read_brief_files

FILE = "briefings/x.md"
UTC = Config()
SHANGHAI = dataclasses.replace(Config(), timezone="Asia/Shanghai")

SAMPLE = """\
---
title: China repatriates 40 nationals stranded in Thailand after illegal border crossings
date: 2025-02-27
location: Beijing
tags: [illegal immigration, repatriation, transnational crime, telecom fraud, law enforcement cooperation]
countries: [China, Thailand]
organizations: [Ministry of Public Security, National Immigration Administration, Xinhua]
sources:
  - name: Xinhua
  - name: Ministry of Public Security
---

Forty Chinese nationals involved in illegal immigration were repatriated from Thailand on Thursday in a \
coordinated effort to combat cross-border crime and safeguard the legitimate rights of Chinese citizens, \
according to China's Ministry of Public Security (MPS).

The operation, conducted in accordance with Chinese and Thai laws, is one example of an ongoing collaboration.
"""
SAMPLE_FILE = "briefings/2025-02-27-china-thailand-repatriation.md"


def parse(header: str, body: str = "Body.\n", config: Config = UTC, file: str = FILE):
    """A brief with title and date plus `header`; returns (brief, messages)."""
    text = f"---\ntitle: T\ndate: 2025-02-27\n{header}---\n{body}"
    brief, problems = parse_brief(file, text.encode(), config)
    return brief, [str(p) for p in problems]


def errors_of(data, file: str = FILE) -> list[str]:
    brief, problems = parse_brief(file, data if isinstance(data, bytes) else data.encode(), Config())
    assert brief is None
    return [str(p) for p in problems]


def test_sample_brief():
    brief, problems = parse_brief(SAMPLE_FILE, SAMPLE.encode(), Config())
    assert problems == []
    assert brief.path == SAMPLE_FILE
    assert brief.slug == "2025-02-27-china-thailand-repatriation"
    assert brief.title == "China repatriates 40 nationals stranded in Thailand after illegal border crossings"
    assert brief.filed == datetime(2025, 2, 27, tzinfo=ZoneInfo("UTC"))
    assert brief.timed is False
    assert brief.updated is None
    assert brief.location == "Beijing"
    assert brief.summary == (
        "Forty Chinese nationals involved in illegal immigration were repatriated from Thailand on Thursday in a "
        "coordinated effort to combat cross-border crime and safeguard the legitimate rights of Chinese…")
    assert brief.summary_given is False
    assert brief.sources == (Source("Xinhua"), Source("Ministry of Public Security"))
    assert brief.terms == (
        ("tags", ("illegal immigration", "repatriation", "transnational crime", "telecom fraud",
                  "law enforcement cooperation")),
        ("countries", ("China", "Thailand")),
        ("organizations", ("Ministry of Public Security", "National Immigration Administration", "Xinhua")),
    )
    assert brief.terms_of("countries") == ("China", "Thailand")
    assert brief.draft is False
    assert brief.extra == {}
    assert brief.body.startswith("<p>Forty Chinese nationals")
    assert "China’s Ministry" in brief.body  # smart quotes
    assert brief.body.endswith("ongoing collaboration.</p>")


def test_bom_and_crlf_give_the_same_brief():
    plain, _ = parse_brief(SAMPLE_FILE, SAMPLE.encode(), Config())
    windows, problems = parse_brief(SAMPLE_FILE, b"\xef\xbb\xbf" + SAMPLE.replace("\n", "\r\n").encode(), Config())
    assert problems == []
    assert windows == plain
    assert windows.body == plain.body


def test_crlf_error_lines_match_the_file():
    assert errors_of(b"\xef\xbb\xbf---\r\ntitle: T\r\ndate: 2025-02-30\r\n---\r\n") == [
        f"{FILE}:3:7: date: '2025-02-30' is not a real date or time (day is out of range for month)"]


NOT_REAL = "is not a real date or time"
DATE_HELP = "expected a date as YYYY-MM-DD or an ISO 8601 date-time, got"


@pytest.mark.parametrize(("text", "message"), [
    ("---\ndate: 2025-02-27\n---\n", "2:1: title: missing; every brief needs a title and a date"),
    ("---\ntitle:\ndate: 2025-02-27\n---\n", "2:7: title: missing; every brief needs a title and a date"),
    ("---\ntitle: T\n---\n", "2:1: date: missing; every brief needs a title and a date"),
    ("---\ntitle: [a, b]\ndate: 2025-02-27\n---\n", "2:8: title: expected text, got a list"),
    ("---\ntitle: {a: 1}\ndate: 2025-02-27\n---\n", "2:8: title: expected text, got a mapping"),
    ("---\ntitle: true\ndate: 2025-02-27\n---\n", "2:8: title: expected text, got True"),
    ("---\ntitle: ''\ndate: 2025-02-27\n---\n", "2:8: title: expected text, got an empty value"),
    ("---\ntitle: T\ndate: 27/02/2025\n---\n", f"3:7: date: {DATE_HELP} '27/02/2025'"),
    ("---\ntitle: T\ndate: 20250227\n---\n", f"3:7: date: {DATE_HELP} 20250227"),
    ("---\ntitle: T\ndate: [2025]\n---\n", f"3:7: date: {DATE_HELP} a list"),
    ("---\ntitle: T\ndate: 2025-02-30\n---\n", f"3:7: date: '2025-02-30' {NOT_REAL} (day is out of range for month)"),
    ("---\ntitle: T\ndate: 2025-13-01\n---\n", f"3:7: date: '2025-13-01' {NOT_REAL} (month must be in 1..12)"),
    ("---\ntitle: T\ndate: 2025-02-27T25:00\n---\n",
     f"3:7: date: '2025-02-27T25:00' {NOT_REAL} (hour must be in 0..23)"),
    ("---\ntitle: T\ndate: 2025-02-27 garbage\n---\n",
     f"3:7: date: '2025-02-27 garbage' {NOT_REAL} (Invalid isoformat string: '2025-02-27 garbage')"),
    ("---\ntitle: T\ndate: 2025-02-27\nupdated: 2025-02-31\n---\n",
     f"4:10: updated: '2025-02-31' {NOT_REAL} (day is out of range for month)"),
    ("---\ntitle: T\ndate: 2025-02-27\n", "1:1: front matter is not closed; expected a line '---' after the header"),
    ("title: T\ndate: 2025-02-27\n", f"1:1: no front matter; {HEADER_HELP}"),
    ("---\n---\nbody\n", "2:1: the header is empty; expected a mapping with at least title and date"),
    ("---\n- a\n- b\n---\n", "2:1: the header is a list; expected a mapping with at least title and date"),
    ("---\njust text\n---\n", "2:1: the header is 'just text'; expected a mapping with at least title and date"),
    ("---\ntitle: T\ndate: 2025-02-27\ntags: [a, b\n---\n",
     "5:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"),
    ("---\ntitle: T\ntitle: U\ndate: 2025-02-27\n---\n", "3:1: duplicate key 'title' (first given on line 2)"),
    ("---\ntitle: T\ndate: 2025-02-27\ntags: {a: 1}\n---\n", "4:7: tags: expected a term or a list of terms, got a mapping"),
    ("---\ntitle: T\ndate: 2025-02-27\ntags: [a, {b: 1}]\n---\n", "4:11: tags: expected a term, got a mapping"),
    ("---\ntitle: T\ndate: 2025-02-27\ntags: [a, [b]]\n---\n", "4:11: tags: expected a term, got a list"),
    ("---\ntitle: T\ndate: 2025-02-27\ncountries: ''\n---\n", "4:12: countries: expected text, got an empty value"),
    ("---\ntitle: T\ndate: 2025-02-27\nslug: ../x\n---\n",
     "4:7: slug: '../x' is not one URL segment of lowercase words and hyphens; try 'x'"),
    ("---\ntitle: T\ndate: 2025-02-27\nslug: a/b\n---\n",
     "4:7: slug: 'a/b' is not one URL segment of lowercase words and hyphens; try 'a-b'"),
    ("---\ntitle: T\ndate: 2025-02-27\nslug: '...'\n---\n",
     "4:7: slug: '...' is not one URL segment of lowercase words and hyphens"),
    ("---\ntitle: T\ndate: 2025-02-27\ndraft: 'no'\n---\n", "4:8: draft: expected true or false, got 'no'"),
    ("---\ntitle: T\ndate: 2025-02-27\nextra: [1]\n---\n", "4:8: extra: expected a mapping, got a list"),
    ("---\ntitle: T\ndate: 2025-02-27\nsources: [{url: 'https://x.org'}]\n---\n",
     "4:11: sources: a source needs a name"),
    ("---\ntitle: T\ndate: 2025-02-27\nsources: [{name: A, link: x}]\n---\n",
     "4:27: sources: unknown key 'link' in a source; expected name, url, accessed and credibility"),
])
def test_bad_brief_gives_exact_error(text, message):
    assert errors_of(text) == [f"{FILE}:{message}"]


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    assert errors_of(data) == [f"{FILE}: empty file; {HEADER_HELP}"]


def test_not_utf8():
    assert errors_of(b"---\ntitle: caf\xe9\ndate: 2025-02-27\n---\n") == [
        f"{FILE}: not valid UTF-8 (byte 14); save the file as UTF-8"]


def test_python_object_tag_is_an_error_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    text = f"---\ntitle: T\ndate: 2025-02-27\nx: !!python/object/apply:os.system ['touch {marker}']\n---\n"
    assert errors_of(text) == [
        f"{FILE}:4:4: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"]
    assert not marker.exists()


def test_all_errors_of_a_brief_together():
    assert errors_of("---\ntitle: [x]\ndate: 2025-02-30\ndraft: 1\n---\n") == [
        f"{FILE}:2:8: title: expected text, got a list",
        f"{FILE}:3:7: date: '2025-02-30' is not a real date or time (day is out of range for month)",
        f"{FILE}:4:8: draft: expected true or false, got 1",
    ]


def test_explicit_timestamp_tag_is_an_error():
    assert len(errors_of("---\ntitle: T\ndate: !!timestamp 2025-02-30\n---\n")) == 1


def test_no_slug_from_name_or_title():
    assert errors_of("---\ntitle: '!!!'\ndate: 2025-02-27\n---\n", file="briefings/!!!.md") == [
        "briefings/!!!.md:2:8: no slug can be made from the file name or title; add a 'slug'"]


def test_unknown_keys_are_warnings_with_did_you_mean():
    brief, problems = parse("titel: x\ntag: [a]\nfoo: 1\n")
    assert brief is not None
    assert problems == [
        f"{FILE}:4:8: warning: unknown key 'titel' is ignored; did you mean 'title'?",
        f"{FILE}:5:6: warning: unknown key 'tag' is ignored; did you mean 'tags'?",
        f"{FILE}:6:6: warning: unknown key 'foo' is ignored; declare it in site.yml as a taxonomy or in extra_keys",
    ]


@pytest.mark.parametrize(("value", "published", "timed"), [
    ("2025-02-27", "2025-02-27T00:00:00+08:00", False),
    ("2025-02-27T23:30:00", "2025-02-27T23:30:00+08:00", True),
    ("2025-02-27 10:00", "2025-02-27T10:00:00+08:00", True),
    ("2025-02-27T01:00:00+08:00", "2025-02-27T01:00:00+08:00", True),
    ("2025-02-27T23:30:00+00:00", "2025-02-28T07:30:00+08:00", True),
    ("2025-02-27T20:00:00Z", "2025-02-28T04:00:00+08:00", True),
    ("2025-02-27T23:30:00-05:00", "2025-02-28T12:30:00+08:00", True),
    ("2025-02-27T15:59:59+00:00", "2025-02-27T23:59:59+08:00", True),
])
def test_dates_land_on_the_site_timezone_day(value, published, timed):
    brief, problems = parse_brief(FILE, f"---\ntitle: T\ndate: {value}\n---\n".encode(), SHANGHAI)
    assert problems == []
    assert brief.filed.isoformat() == published
    assert brief.date.isoformat() == published[:10]
    assert brief.timed is timed
    assert brief.filed.tzinfo == ZoneInfo("Asia/Shanghai")


def test_updated_in_site_timezone():
    brief, _ = parse("updated: 2025-03-01T02:00:00+00:00\n", config=SHANGHAI)
    assert brief.updated.isoformat() == "2025-03-01T10:00:00+08:00"


def test_sources_bare_and_with_url():
    brief, problems = parse("sources:\n  - Xinhua\n  - name: MPS\n    url: https://mps.gov.cn/a\n")
    assert problems == []
    assert brief.sources == (Source("Xinhua"), Source("MPS", "https://mps.gov.cn/a"))


def test_single_bare_source():
    brief, _ = parse("sources: Xinhua\n")
    assert brief.sources == (Source("Xinhua"),)


@pytest.mark.parametrize(("url", "shown"), [
    ("'javascript:alert(1)'", "'javascript:alert(1)'"),
    ("' JavaScript:alert(1)'", "'JavaScript:alert(1)'"),
    ("'data:text/html,<script>'", "'data:text/html,<script>'"),
    ("/relative", "'/relative'"),
])
def test_unsafe_source_url_is_dropped_with_a_warning(url, shown):
    brief, problems = parse(f"sources:\n  - name: A\n    url: {url}\n")
    assert brief.sources == (Source("A"),)
    assert problems == [f"{FILE}:6:10: warning: sources: link {shown} is not an http(s) URL and is left out"]


def test_summary_from_the_key():
    brief, _ = parse("summary: Given.\n", "First paragraph.\n")
    assert (brief.summary, brief.summary_given) == ("Given.", True)


def test_summary_from_the_first_paragraph():
    brief, _ = parse("", "# Heading\n\nFirst *para* with [a link](https://x.org) &amp; more.\n\nSecond.\n")
    assert (brief.summary, brief.summary_given) == ("First para with a link & more.", False)


def test_long_summary_cut_at_a_word_near_200():
    brief, _ = parse("", "aaaa bbbb. " * 30 + "\n")
    assert brief.summary == "aaaa bbbb. " * 17 + "aaaa bbbb…"
    assert len(brief.summary) == 197


def test_empty_body_gives_empty_summary():
    brief, _ = parse("", "")
    assert (brief.summary, brief.body) == ("", "")


def test_draft_flagged():
    assert parse("draft: true\n")[0].draft is True
    assert parse("")[0].draft is False


def test_extra_passed_through():
    brief, _ = parse("extra:\n  hero: x.jpg\n  n: [1, 2]\n")
    assert brief.extra == {"hero": "x.jpg", "n": [1, 2]}


def test_terms_from_string_or_list():
    brief, _ = parse("tags: Telecom Fraud\ncountries: [China, 5]\n")
    assert brief.terms == (("tags", ("Telecom Fraud",)), ("countries", ("China", "5")), ("organizations", ()))


def test_configured_taxonomies_are_read():
    config = dataclasses.replace(Config(), taxonomies=(TaxonomyConfig("people", "People", "Person", "people"),))
    brief, problems = parse("people: [Ann]\ntags: [x]\n", config=config)
    assert brief.terms == (("people", ("Ann",)),)
    assert problems == [f"{FILE}:5:7: warning: unknown key 'tags' is ignored; declare it in site.yml as a taxonomy or in extra_keys"]


@pytest.mark.parametrize(("file", "header", "slug"), [
    ("briefings/Hello World.md", "", "hello-world"),
    ("briefings/sub/2025 China–Thailand.md", "", "2025-china-thailand"),
    ("briefings/x.md", "slug: my-slug\n", "my-slug"),
    ("briefings/!!!.md", "", "t"),  # from the title
])
def test_slug(file, header, slug):
    assert parse(header, file=file)[0].slug == slug


def test_closing_fence_may_be_dots():
    brief, problems = parse_brief(FILE, b"---\ntitle: T\ndate: 2025-02-27\n...\nBody.\n", Config())
    assert problems == []
    assert brief.body == "<p>Body.</p>"


def test_split_front_matter():
    assert split_front_matter("---\na: 1\n---\nbody\n---\nmore", FILE) == ("a: 1\n", "body\n---\nmore")
    assert split_front_matter("--- \na: 1\n---  \n", FILE) == ("a: 1\n", "")


def test_find_briefs_skips_hidden_and_non_markdown(tmp_path):
    folder = tmp_path / "briefings"
    for name in ["b.md", "a.md", "sub/c.md", ".hidden.md", ".git/d.md", "sub/.drafts/e.md", "notes.txt",
                 "f.md.bak", "README"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x", encoding="utf-8")
    (folder / "dir.md").mkdir()
    (tmp_path / "outside.md").write_text("x", encoding="utf-8")
    assert [p.relative_to(folder).as_posix() for p in find_briefs(tmp_path)] == ["a.md", "b.md", "sub/c.md"]


def test_find_briefs_without_folder(tmp_path):
    assert find_briefs(tmp_path) == []


@given(st.text())
def test_split_front_matter_never_raises(text):
    result = split_front_matter(text, FILE)
    if isinstance(result, BuildError):
        assert result.path == FILE
    else:
        header, body = result
        assert isinstance(header, str) and isinstance(body, str)


@given(st.one_of(st.binary(), st.text().map(str.encode), st.text().map(lambda t: f"---\n{t}\n---\n".encode())))
def test_parse_brief_never_raises(data):
    brief, problems = parse_brief(FILE, data, Config())
    assert all(isinstance(p, BuildError) and p.path == FILE for p in problems)
    assert brief is not None or any(not p.warning for p in problems)


def _old_split(text: str):
    """split_front_matter as it was before it stopped splitting the whole text, for comparison."""
    lines = text.split("\n")
    if not text.strip() or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:number]) + "\n", "\n".join(lines[number + 1:])
    return None


@given(st.lists(st.sampled_from(["---", "--- ", "...", "", "a: 1", " ---", "\t", "x\x0c", "---\x1f"]), max_size=8))
def test_split_front_matter_reads_only_the_header_and_splits_as_before(lines):
    for text in ("\n".join(lines), "\n".join(lines) + "\n"):
        result = split_front_matter(text, FILE)
        assert (None if isinstance(result, BuildError) else result) == _old_split(text)


# ---------------------------------------------------------------------------
# Characters no page or feed may contain
# ---------------------------------------------------------------------------

REMOVED = "removed (no page or feed may contain it)"


def test_control_characters_in_header_text_are_removed_where_they_were_written():
    brief, problems = parse(r'location: "Bei\x1bjing\f"' "\n" r'tags: ["a\x01b", "c\vd\vx"]' "\n"
                            r'sources: [{name: "X\u0085\uFFFE"}]' "\n" r'extra: {"k\x02": "\0v"}' "\n")
    assert (brief.location, brief.terms_of("tags"), brief.sources[0].name) == ("Beijing", ("ab", "cdx"), "X")
    assert brief.extra == {"k": "v"}
    assert problems == [
        f"{FILE}:4:15: warning: location: control character U+001B {REMOVED}",
        f"{FILE}:4:23: warning: location: control character U+000C {REMOVED}",
        f"{FILE}:5:10: warning: tags: control character U+0001 {REMOVED}",
        f"{FILE}:5:20: warning: tags: control character U+000B removed, 2 times (no page or feed may contain it); "
        "the first is here",
        f"{FILE}:6:20: warning: sources: control character U+0085 {REMOVED}",
        f"{FILE}:6:26: warning: sources: noncharacter U+FFFE {REMOVED}",
        f"{FILE}:7:11: warning: extra: control character U+0002 {REMOVED}",
        f"{FILE}:7:19: warning: extra: control character U+0000 {REMOVED}",
    ]


def test_control_character_in_the_title_is_removed():
    brief, problems = parse_brief(FILE, b'---\ntitle: "Red \\e[31malert"\ndate: 2025-02-27\n---\n', Config())
    assert brief.title == "Red [31malert"
    assert [str(p) for p in problems] == [f"{FILE}:2:13: warning: title: control character U+001B {REMOVED}"]


def test_a_slug_with_a_control_character_is_an_error_not_changed():
    assert errors_of('---\ntitle: T\ndate: 2025-02-27\nslug: "a\\x01b"\n---\n') == [
        f"{FILE}:4:7: slug: 'a\\x01b' is not one URL segment of lowercase words and hyphens; try 'a-b'"]


def test_control_characters_in_the_body_are_removed_at_their_line_and_column():
    brief, problems = parse("", "One\x0c two.\n\nThree \x1b[0m and \x7f\x1b.\n")
    assert brief.body == "<p>One two.</p>\n<p>Three [0m and .</p>"
    assert problems == [
        f"{FILE}:5:4: warning: body: control character U+000C {REMOVED}",
        f"{FILE}:7:7: warning: body: control character U+001B removed, 2 times (no page or feed may contain it); "
        "the first is here",
        f"{FILE}:7:16: warning: body: control character U+007F {REMOVED}",
    ]


def test_tab_newline_and_carriage_return_stay():
    brief, problems = parse('summary: "a\\tb\\rc"\n', "x\ty\rz\n")
    assert problems == []
    assert (brief.summary, brief.body) == ("a\tb\rc", "<p>x   y\nz</p>")  # as Markdown writes them


def test_character_references_to_forbidden_characters_are_removed_but_not_in_code():
    brief, problems = parse("", "a &#27; b &#xFFFE; c\n\n`&#27;` &#x9; &#233;\n")
    assert brief.body == "<p>a  b  c</p>\n<p><code>&amp;#27;</code> \t é</p>"
    assert problems == [
        f"{FILE}:5:3: warning: body (character reference): control character U+001B {REMOVED}",
        f"{FILE}:5:11: warning: body (character reference): noncharacter U+FFFE {REMOVED}",
    ]


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x01\x0b\x0c\x1b\x7f\x85\ufffe&#;x1b")))
def test_no_forbidden_character_survives_anywhere(text):
    quoted = text.encode("unicode_escape").decode("ascii").replace('"', '\\"')
    data = f'---\ntitle: "T {quoted}"\ndate: 2025-02-27\ntags: ["{quoted} x"]\nextra: {{k: "{quoted}"}}\n---\n{text}\n'
    brief, _ = parse_brief(FILE, data.encode("utf-8", "surrogatepass"), Config())
    if brief is not None:
        shown = [brief.title, brief.summary, brief.body, *brief.terms_of("tags"), str(brief.extra)]
        assert not any(yamlio.FORBIDDEN.search(value) for value in shown)


# ---------------------------------------------------------------------------
# Numbers and `extra`: only what JSON can carry
# ---------------------------------------------------------------------------

FINITE = "is not a finite number; put it in quotes if it is meant as text"


@pytest.mark.parametrize(("header", "message"), [
    ("tags: [a, .nan]\n", f"4:11: tags: .nan {FINITE}"),
    ("location: .inf\n", f"4:11: location: .inf {FINITE}"),
    ("extra:\n  a: {b: [1, -.Inf]}\n", f"5:14: extra: -.inf {FINITE}"),
    ("extra: {x: !!float 1e400}\n", f"4:12: extra: .inf {FINITE}"),
    ("unknown: .NaN\n", f"4:10: unknown: .nan {FINITE}"),
])
def test_a_non_finite_number_anywhere_in_the_header_is_an_error(header, message):
    assert [p for p in parse(header)[1] if "warning" not in p] == [f"{FILE}:{message}"]


def test_a_non_finite_title_is_one_error():
    assert errors_of("---\ntitle: .nan\ndate: .inf\n---\n") == [
        f"{FILE}:2:8: title: .nan {FINITE}", f"{FILE}:3:7: date: .inf {FINITE}"]


JSON_HELP = "expected text, a number, true, false, null, a list or a mapping"


@pytest.mark.parametrize(("header", "message"), [
    ("extra: {b: !!binary aGk=}\n", f"4:12: extra: binary data (!!binary) cannot go into briefs.json; {JSON_HELP}"),
    ("extra:\n  s: !!set {a, b}\n", f"5:6: extra: a set (!!set) cannot go into briefs.json; {JSON_HELP}"),
    ("extra: {o: !!omap [{a: 1}]}\n",
     f"4:20: extra: a list of pairs (!!omap or !!pairs) cannot go into briefs.json; {JSON_HELP}"),
    ("extra:\n  years:\n    2025: x\n", "6:11: extra: key 2025 is not text; put it in quotes"),
    ("extra: {true: x}\n", "4:8: extra: key True is not text; put it in quotes"),
])
def test_extra_holds_only_what_json_can_carry(header, message):
    assert parse(header)[1] == [f"{FILE}:{message}"]


def test_extra_dates_become_iso_text():
    brief, problems = parse("extra:\n  day: !!timestamp 2025-02-27\n  at: !!timestamp 2025-02-27T10:00:00+08:00\n")
    assert problems == []
    assert brief.extra == {"day": "2025-02-27", "at": "2025-02-27T10:00:00+08:00"}


def test_extra_with_merge_keys_and_shared_values():
    brief, problems = parse("extra:\n  base: &b {a: 1, b: [x]}\n  more:\n    <<: *b\n    a: 2\n")
    assert problems == []
    assert brief.extra == {"base": {"a": 1, "b": ["x"]}, "more": {"a": 2, "b": ["x"]}}


# ---------------------------------------------------------------------------
# Links to other briefs: only outside code
# ---------------------------------------------------------------------------

CODE_BODY = """\
```
[fenced](fenced.md)
```

    [indented](indented.md)

Inline `[span](span.md)` and ``[double `tick`](tick.md)``, then [real](real.md) and [ref][r].

~~~md
[real](real.md)
~~~

[r]: ref.md
[unused]: unused.md
"""


def links(brief) -> list[tuple[str, int, int]]:
    """The brief's links to other briefs: (target, line, column)."""
    return [(r.target, r.line, r.column) for r in brief.references if r.kind == BRIEF]


def test_links_are_looked_for_only_outside_code():
    brief, problems = parse("", CODE_BODY)
    assert problems == []
    assert links(brief) == [("real.md", 11, 72), ("ref.md", 17, 6)]


def test_a_link_also_shown_as_code_is_placed_outside_code():
    brief, _ = parse("", "`[x](a.md)`\n\n```\n[x](a.md)\n```\n\nSee [x](a.md).\n")
    assert links(brief) == [("a.md", 11, 9)]


def test_a_raw_html_link_to_a_brief_is_a_link_too():
    brief, _ = parse("", 'Before.\n\n<p>See <a href="other.md">it</a>.</p>\n')
    assert links(brief) == [("other.md", 7, 17)]


def test_many_links_are_placed_in_one_pass():
    # A paragraph each: in one paragraph of 3,000 links Python-Markdown's own link pattern takes over a
    # minute (3.11.4 finds the bracket ends again for each link), which is not what this test is about.
    body = "\n".join(f"[l{i}](x{i % 7}.md) `[c](c.md)`\n" for i in range(3000))
    brief, _ = parse("", body)
    assert len(links(brief)) == 3000
    assert links(brief)[-1] == ("x3.md", 6003, 9)


# ---------------------------------------------------------------------------
# Files that cannot be named or read
# ---------------------------------------------------------------------------


def sources_in(folder: Path, shown: str = "") -> tuple[list[str], list[str]]:
    """The brief files found under `folder`, and the problems of those that cannot be read."""
    sources = read_brief_files(folder, shown, BriefCache(None, Config()))
    return list(sources.files), [str(p) for p in sources.problems.values()]


def test_a_file_name_that_is_not_utf8_is_an_error_naming_it(tmp_path):
    (tmp_path / "briefings").mkdir()
    (tmp_path / "briefings" / "ok.md").write_text("x", encoding="utf-8")
    with open(os.fsencode(tmp_path / "briefings") + b"/bad\xff\xfename.md", "w") as file:
        file.write("x")
    assert sources_in(tmp_path, "src") == (["src/briefings/ok.md"], [
        "src/briefings/bad\\xff\\xfename.md: the file name is not valid UTF-8; rename the file"])
    # The bad name has a key: a build with it is not taken for the last one, unchanged.
    assert len(read_brief_files(tmp_path, "src", BriefCache(None, Config())).keys) == 2


def test_an_unreadable_file_is_an_error_naming_it(tmp_path, monkeypatch):
    (tmp_path / "briefings").mkdir()
    for name in ("a.md", "b.md"):
        (tmp_path / "briefings" / name).write_text("x", encoding="utf-8")
    read_limited = briefs_memory.read_limited

    def refuse(path, limit):  # root may read any file: the refusal is injected
        if path.name == "b.md":
            raise PermissionError(13, "Permission denied", str(path))
        return read_limited(path, limit)

    monkeypatch.setattr(briefs_memory, "read_limited", refuse)
    assert sources_in(tmp_path) == (["briefings/a.md"], [
        "briefings/b.md: cannot be read (Permission denied); its brief is left out"])


def test_an_unreadable_folder_is_an_error_naming_it(tmp_path, monkeypatch):
    for name in ("a.md", "secret/b.md", "secret/deeper/c.md"):
        (tmp_path / "briefings" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "briefings" / name).write_text("x", encoding="utf-8")
    scandir = os.scandir

    def refuse(path="."):
        if os.fspath(path).endswith("secret"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    assert sources_in(tmp_path) == (["briefings/a.md"], [
        "briefings/secret: this folder cannot be read (Permission denied); its briefs are left out"])
