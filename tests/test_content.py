"""Brief files: finding them, splitting the header, validating into a Brief."""

import dataclasses
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefsite.config import Config, TaxonomyConfig
from briefsite.errors import BuildError
from briefsite.reading.brief import HEADER_HELP, parse_brief, split_front_matter
from briefsite.reading.files import find_briefs
from briefsite.site.model import Source

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
    assert brief.published == datetime(2025, 2, 27, tzinfo=ZoneInfo("UTC"))
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
     "4:11: sources: unknown key 'link' in a source; expected name and url"),
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
        f"{FILE}:6:6: warning: unknown key 'foo' is ignored",
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
    assert brief.published.isoformat() == published
    assert brief.date.isoformat() == published[:10]
    assert brief.timed is timed
    assert brief.published.tzinfo == ZoneInfo("Asia/Shanghai")


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
    assert problems == [f"{FILE}:5:7: warning: unknown key 'tags' is ignored"]


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
