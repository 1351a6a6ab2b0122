"""Bounded work: limits on a brief's header, body and terms, nesting, and the whole build on hostile input."""

from __future__ import annotations

import dataclasses
import json
import os
import xml.dom.minidom
from pathlib import Path

import pytest

from briefsite.build import Options, build_site
from briefsite.config import Config
from briefsite.config.load import load_config
from briefsite.errors import BuildFailed
from briefsite.reading.brief import parse_brief

from conftest import brief_text

FILE = "briefings/x.md"


def problems_of(text: str, config: Config | None = None) -> list[str]:
    return [str(p) for p in parse_brief(FILE, text.encode(), config or Config())[1]]


def test_the_limits_are_settings(tmp_path):
    (tmp_path / "site.yml").write_text("max_header_size: 1000\nmax_body_size: 2000\nmax_terms: 3\n")
    config, errors = load_config(tmp_path, "")
    assert errors == []
    assert (config.max_header_size, config.max_body_size, config.max_terms) == (1000, 2000, 3)
    assert (Config().max_header_size, Config().max_body_size, Config().max_terms) == (65536, 1048576, 200)


@pytest.mark.parametrize("value", ["0", "-1", "many", "1.5", "true"])
def test_a_limit_is_a_whole_number(tmp_path, value):
    (tmp_path / "site.yml").write_text(f"max_terms: {value}\n")
    _, errors = load_config(tmp_path, "")
    shown = {"many": "'many'", "true": "True"}.get(value, value)
    assert [str(e) for e in errors] == [f"site.yml:1:12: max_terms: expected a whole number of at least 1, got {shown}"]


# ---------------------------------------------------------------------------
# Body and header size
# ---------------------------------------------------------------------------

BODY_TOO_LONG = "the body is longer than {} characters (max_body_size in site.yml)"


def test_a_body_over_the_limit_is_refused_before_markdown():
    text = brief_text(body="word " * 210_000)  # 1,050,000 characters: Markdown would take seconds
    assert problems_of(text) == [f"{FILE}:5:1: {BODY_TOO_LONG.format(1048576)}"]


def test_the_body_limit_is_configurable():
    config = dataclasses.replace(Config(), max_body_size=10)
    assert problems_of(brief_text(body="x" * 11), config) == [f"{FILE}:5:1: {BODY_TOO_LONG.format(10)}"]
    assert problems_of(brief_text(body="x" * 9), config) == []  # and its line break


def test_a_large_body_with_a_bad_header_reports_both():
    assert problems_of("---\ntitle: [x]\ndate: 2025-02-27\n---\n" + "x" * 11,
                       dataclasses.replace(Config(), max_body_size=10)) == [
        f"{FILE}:2:8: title: expected text, got a list", f"{FILE}:5:1: {BODY_TOO_LONG.format(10)}"]


HEADER_TOO_LARGE = "the header is larger than {} characters with its aliases written out (max_header_size in site.yml)"


def bomb(levels: int) -> str:
    lines = ["extra:", '  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [7, 8])
def test_an_alias_bomb_in_extra_is_refused_at_its_line(levels):
    assert problems_of(brief_text() .replace("---\nBody", bomb(levels) + "---\nBody")) == [
        f"{FILE}:9:7: {HEADER_TOO_LARGE.format(65536)}"]


def test_the_header_limit_counts_aliases_and_is_configurable():
    text = brief_text().replace("---\nBody", bomb(3) + "---\nBody")  # 27,000 characters written out
    assert problems_of(text) == []
    assert problems_of(text, dataclasses.replace(Config(), max_header_size=20_000)) == [
        f"{FILE}:8:7: {HEADER_TOO_LARGE.format(20000)}"]


def test_a_long_header_is_refused_before_yaml_reads_it():
    assert problems_of(brief_text(summary="x" * 70_000)) == [f"{FILE}:2:1: {HEADER_TOO_LARGE.format(65536)}"]


# ---------------------------------------------------------------------------
# Terms per brief
# ---------------------------------------------------------------------------

TOO_MANY = "more than {} terms in one brief, all taxonomies together (max_terms in site.yml)"


def test_terms_over_the_limit_are_an_error_at_the_first_too_many():
    tags = ", ".join(f"t{i}" for i in range(150))
    countries = ", ".join(f"c{i}" for i in range(60))
    assert problems_of(brief_text(tags=f"[{tags}]", countries=f"[{countries}]")) == [
        f"{FILE}:5:{13 + sum(len(f'c{i}, ') for i in range(50))}: countries: {TOO_MANY.format(200)}"]


def test_two_thousand_tags_are_refused():
    tags = ", ".join(f"tag number {i}" for i in range(2000))
    assert problems_of(brief_text(tags=f"[{tags}]"))[0].endswith(f": tags: {TOO_MANY.format(200)}")


def test_a_term_written_twice_counts_once_and_the_limit_is_configurable():
    config = dataclasses.replace(Config(), max_terms=2)
    assert problems_of(brief_text(tags="[a, A, b]", countries="[B]"), config) == []
    assert problems_of(brief_text(tags="[a, b]", countries="[c]"), config) == [
        f"{FILE}:5:13: countries: {TOO_MANY.format(2)}"]


# ---------------------------------------------------------------------------
# Whole builds: located errors instead of tracebacks, a site every parser reads
# ---------------------------------------------------------------------------


def build(src: Path, out: Path, cache: bool = True):
    return build_site(Options(src, out, jobs=1, cache=cache))


def failure_of(src: Path, out: Path, write: bool = True) -> list[str]:
    with pytest.raises(BuildFailed) as failure:
        build_site(Options(src, out, jobs=1), write=write)
    return [str(p) for p in failure.value.problems]


def test_a_brief_refused_under_one_limit_builds_under_a_higher_one(make_site, tmp_path):
    src = make_site({"a.md": brief_text(tags="[a, b, c]")}, config="max_terms: 2\n")
    assert failure_of(src, tmp_path / "out") == [
        f"{src}/briefings/a.md:4:14: tags: {TOO_MANY.format(2)}"]
    (src / "site.yml").write_text("max_terms: 3\n")
    assert build(src, tmp_path / "out").briefs == 1  # the cached refusal does not stand


def test_deep_extra_is_refused_by_check_and_build_alike(make_site, tmp_path):
    deep = "extra:\n  x: " + "[" * 600 + "]" * 600
    src = make_site({"a.md": brief_text(deep=None).replace("deep: None", deep)})
    message = f"{src}/briefings/a.md:5:54: lists and mappings are nested more than 50 levels deep"
    assert failure_of(src, tmp_path / "out", write=False) == [message]
    assert failure_of(src, tmp_path / "out") == [message]


def test_extra_nested_to_the_limit_is_cached_and_exported(make_site, tmp_path):
    src = make_site({"a.md": brief_text(extra="{x: " + "[" * 48 + "]" * 48 + "}")})
    build(src, tmp_path / "out")
    assert build(src, tmp_path / "out2").briefs == 1  # from the parse cache
    assert json.loads((tmp_path / "out2" / "briefs.json").read_text())["briefs"][0]["extra"]["x"] == eval(
        "[" * 48 + "]" * 48)


def test_bad_extra_is_an_error_of_the_brief_not_of_the_template(make_site, tmp_path):
    src = make_site({"a.md": brief_text(extra="{n: .nan, b: !!binary aGk=}")})
    assert failure_of(src, tmp_path / "out") == [
        f"{src}/briefings/a.md:4:12: extra: .nan is not a finite number; put it in quotes if it is meant as text"]


def test_hostile_characters_and_numbers_give_a_site_every_parser_reads(make_site, tmp_path):
    src = make_site({"a.md": (
        '---\ntitle: "Alert \\e[31m\\f now"\ndate: 2025-02-27\nlocation: "X\\x01"\n'
        'tags: ["x\\vy", ok]\nsummary: "s\\uFFFE"\nextra: {n: 1.5, when: !!timestamp 2025-02-27, "k\\x02": [null]}\n'
        "---\nBody \x0c with \x1b and &#27; and \x7f.\n")})
    result = build(src, tmp_path / "out")
    shown = [str(p).split("/briefings/")[1] for p in result.warnings]
    assert shown.pop() == ("a.md:4:11: warning: location: 'X' is not a place briefsite knows (did you mean Xe?); "
                           "declare it in data/places.yml with its lat and lon, or give them here")
    assert shown == [f"a.md:{where}: warning: {what} removed (no page or feed may contain it)" for where, what in [
        ("2:15", "title: control character U+001B"), ("2:21", "title: control character U+000C"),
        ("4:13", "location: control character U+0001"), ("5:10", "tags: control character U+000B"),
        ("6:12", "summary: noncharacter U+FFFE"), ("7:49", "extra: control character U+0002"),
        ("9:6", "body: control character U+000C"), ("9:13", "body: control character U+001B"),
        ("9:17", "body (character reference): control character U+001B"), ("9:29", "body: control character U+007F")]]
    out = tmp_path / "out"
    for feed in ("feed.xml", "tags/ok/feed.xml", "sitemap.xml"):
        xml.dom.minidom.parse(str(out / feed))  # well-formed
    for data in ("briefs.json", "feed.json", "timeline.json"):
        json.loads((out / data).read_text(), parse_constant=not_json)
    record = json.loads((out / "briefs.json").read_text())["briefs"][0]
    assert (record["title"], record["extra"]) == ("Alert [31m now", {"n": 1.5, "when": "2025-02-27", "k": [None]})


def not_json(name: str):
    raise AssertionError(f"{name} is not JSON")


def test_a_file_name_that_is_not_utf8_fails_build_and_check_with_its_name(make_site, cli, tmp_path):
    src = make_site({"ok.md": brief_text()})
    with open(os.fsencode(src / "briefings") + b"/bad\xff.md", "w") as file:
        file.write(brief_text(title="Other"))
    message = f"{src}/briefings/bad\\xff.md: the file name is not valid UTF-8; rename the file"
    for command in ("check", "build"):
        result = cli(command, "--source", src)
        assert result.exit_code == 1
        assert result.stderr.splitlines()[0] == message


def test_a_new_unreadable_file_is_no_unchanged_build(make_site, tmp_path, monkeypatch):
    src = make_site({"a.md": brief_text()})
    build(src, tmp_path / "out")
    (src / "briefings" / "b.md").write_text(brief_text(title="B"))
    stat = Path.stat

    def refuse(path, **options):  # root may read any file: the refusal is injected
        if path.name == "b.md" and not options:
            raise PermissionError(13, "Permission denied", str(path))
        return stat(path, **options)

    monkeypatch.setattr(Path, "stat", refuse)
    assert failure_of(src, tmp_path / "out") == [
        f"{src}/briefings/b.md: cannot be read (Permission denied); its brief is left out"]
