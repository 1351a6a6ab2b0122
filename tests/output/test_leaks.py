"""The leak scanner: a left-out brief's title, URL, slug, summary and sentences found in any output file,
HTML-escaped, wrapped, gzip'd or JSON-escaped; canaries a kept brief shares are not counted."""

import gzip
import json

import pytest

from briefsite.config import Config
from briefsite.output import leaks
from briefsite.output.leaks import Leak, canaries, find_leaks
from briefsite.reading.brief import parse_brief

SENTENCE = "Officers seized forty kilograms of methamphetamine at the river crossing near the border."
SHARED = "The ministry said the joint operation would continue until the end of the rainy season."


def make_brief(slug: str, title: str, body: str, **header: str):
    lines = ["---", f"title: {title}", "date: 2025-02-27", f"slug: {slug}",
             *(f"{key}: {value}" for key, value in header.items()), "---", body, ""]
    brief, problems = parse_brief(f"briefings/{slug}.md", "\n".join(lines).encode(), Config())
    assert brief is not None and problems == []
    return brief


def write(folder, files: dict) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())


def fragment(value) -> bytes:
    """A Pagefind fragment file: gzip'd signature and JSON, non-ASCII escaped as \\uXXXX."""
    return gzip.compress(b"pagefind_dcd" + json.dumps(value, ensure_ascii=True).encode())


@pytest.fixture
def left():
    return make_brief("raid-bangkok", "Thai police raid & arrest café owners", f"{SENTENCE} {SHARED}")


@pytest.fixture
def kept():
    return make_brief("harbour-patrols", "Harbour patrols stepped up in Songkhla",
                      f"Patrol boats now sail twice a day from the harbour at dawn. {SHARED}")


def test_a_folder_naming_only_kept_briefs_is_clean(tmp_path, left, kept):
    write(tmp_path, {
        "index.html": '<a href="/briefs/harbour-patrols/">Harbour patrols stepped up in Songkhla</a>',
        "briefs/harbour-patrols/index.html": f"<h1>Harbour patrols stepped up in Songkhla</h1><p>{SHARED}</p>",
        "feed.json": json.dumps({"items": [{"url": "/briefs/harbour-patrols/"}]}),
    })
    assert find_leaks(tmp_path, [left], [kept]) == []


def test_the_canaries_of_a_brief(left, kept):
    assert canaries(left, [kept]) == [
        ("its title 'Thai police raid & arrest café owners'", "thai police raid & arrest café owners"),
        ("its URL 'briefs/raid-bangkok/'", "briefs/raid-bangkok/"),
        ("its slug 'raid-bangkok'", "raid-bangkok"),
        ("the sentence 'Officers seized forty kilograms of methamphetamine at the…'", SENTENCE.casefold()),
    ]


def test_a_title_with_an_escaped_ampersand_is_found(tmp_path, left, kept):
    write(tmp_path, {"index.html": "<li><a href='/x/'>Thai police raid &amp; arrest caf&eacute; owners</a></li>",
                     "feed.xml": "<content type='html'>&lt;h2&gt;Thai police raid &amp;amp; arrest café owners</content>",
                     "about/index.html": "<p>Thai police raid, arrest café owners</p>"})
    title = "its title 'Thai police raid & arrest café owners'"
    assert find_leaks(tmp_path, [left], [kept]) == [
        Leak("feed.xml", "briefings/raid-bangkok.md", title), Leak("index.html", "briefings/raid-bangkok.md", title)]


def test_a_sentence_wrapped_across_lines_and_marked_up_is_found(tmp_path, left, kept):
    write(tmp_path, {
        "tags/thailand/index.html": "<p>Officers seized forty kilograms of\n    methamphetamine at the river crossing</p>",
        "timeline/index.html": "<p>Officers seized <em>forty</em> kilograms of\n  methamphetamine at the river\r\n"
                               "crossing near the border.</p>",
        "feed.xml": "<content type='html'>&lt;p&gt;Officers seized forty kilograms of methamphetamine at\n"
                    "the river crossing near the border.&lt;/p&gt;</content>",
    })
    sentence = "the sentence 'Officers seized forty kilograms of methamphetamine at the…'"
    assert find_leaks(tmp_path, [left], [kept]) == [
        Leak("feed.xml", "briefings/raid-bangkok.md", sentence),
        Leak("timeline/index.html", "briefings/raid-bangkok.md", sentence),
    ]


def test_a_title_in_a_gzipped_pagefind_fragment_with_unicode_escapes_is_found(tmp_path, left, kept):
    write(tmp_path, {
        "pagefind/fragment/en_1a2b.pf_fragment": fragment({"meta": {"title": "Thai police raid & arrest café owners"}}),
        "pagefind/fragment/en_3c4d.pf_fragment": fragment({"meta": {"title": "Harbour patrols stepped up in Songkhla"}}),
        "pagefind/index/en_5e6f.pf_index": gzip.compress(b"pagefind_dcd\xa2\x63raid\x01\x67bangkok"),
    })
    raw = (tmp_path / "pagefind/fragment/en_1a2b.pf_fragment").read_bytes()
    assert b"\\u00e9" in gzip.decompress(raw) and b"\\u0026" not in gzip.decompress(raw)  # json.dumps keeps "&"
    assert find_leaks(tmp_path, [left], [kept]) == [
        Leak("pagefind/fragment/en_1a2b.pf_fragment", "briefings/raid-bangkok.md",
             "its title 'Thai police raid & arrest café owners'")]


def test_json_escapes_of_ampersands_and_slashes_are_resolved(tmp_path, left, kept):
    write(tmp_path, {"briefs.json": '{"t": "Thai police raid \\u0026 arrest caf\\u00e9 owners", '
                                    '"u": "\\/briefs\\/raid-bangkok\\/"}'})
    assert find_leaks(tmp_path, [left], [kept]) == [
        Leak("briefs.json", "briefings/raid-bangkok.md", "its URL 'briefs/raid-bangkok/'"),
        Leak("briefs.json", "briefings/raid-bangkok.md", "its slug 'raid-bangkok'"),
        Leak("briefs.json", "briefings/raid-bangkok.md", "its title 'Thai police raid & arrest café owners'"),
    ]


def test_a_sentence_a_kept_brief_also_has_is_no_canary(tmp_path, left, kept):
    assert SHARED.casefold() not in [text for _, text in canaries(left, [kept])]
    assert SHARED.casefold() in [text for _, text in canaries(left, [])]
    write(tmp_path, {"briefs/harbour-patrols/index.html": f"<p>{SHARED}</p>"})
    assert find_leaks(tmp_path, [left], [kept]) == []
    assert find_leaks(tmp_path, [left], []) == [
        Leak("briefs/harbour-patrols/index.html", "briefings/raid-bangkok.md",
             "the sentence 'The ministry said the joint operation would continue until…'")]


def test_a_slug_is_found_only_as_a_whole_token(tmp_path, left):
    other = make_brief("raid-bangkok-2", "Second raid in the capital", "Police returned.")
    write(tmp_path, {"index.html": '<a href="/briefs/raid-bangkok-2/">Second raid in the capital</a>'})
    assert find_leaks(tmp_path, [left], [other]) == []
    write(tmp_path, {"index.html": '<a href="/briefs/raid-bangkok/">More</a> <a href="/briefs/raid-bangkok-2/">'})
    assert find_leaks(tmp_path, [left], [other]) == [
        Leak("index.html", "briefings/raid-bangkok.md", "its URL 'briefs/raid-bangkok/'"),
        Leak("index.html", "briefings/raid-bangkok.md", "its slug 'raid-bangkok'"),
    ]


def test_a_short_title_and_slug_are_no_canaries_but_a_given_summary_is(left):
    brief = make_brief("raid", "Raid", "Short.", summary="Forty held after a dawn raid on a casino")
    assert canaries(brief, [left]) == [
        ("its summary 'Forty held after a dawn raid on a casino'", "forty held after a dawn raid on a casino"),
        ("its URL 'briefs/raid/'", "briefs/raid/"),
    ]


def test_a_gzip_file_beyond_the_cap_is_an_error_naming_it(tmp_path, left, kept, monkeypatch):
    monkeypatch.setattr(leaks, "MAX_DECOMPRESSED", 1000)
    write(tmp_path, {"pagefind/index/en_big.pf_index": gzip.compress(b"pagefind_dcd" + b"x" * 1001),
                     "pagefind/index/en_ok.pf_index": gzip.compress(b"pagefind_dcd" + b"x" * 988)})
    with pytest.raises(ValueError, match=r"^pagefind/index/en_big\.pf_index: decompresses to more than 1000 bytes"):
        find_leaks(tmp_path, [left], [kept])


def test_a_broken_gzip_file_is_an_error_naming_it(tmp_path, left, kept):
    write(tmp_path, {"pagefind/pagefind.en.pf_meta": gzip.compress(b"pagefind_dcd" + b"x" * 100)[:20]})
    with pytest.raises(ValueError, match=r"^pagefind/pagefind\.en\.pf_meta: cannot decompress it"):
        find_leaks(tmp_path, [left], [kept])


def test_symlinks_are_not_followed_out_of_the_folder(tmp_path, left, kept):
    outside = tmp_path / "outside"
    write(outside, {"index.html": "Thai police raid &amp; arrest café owners"})
    (tmp_path / "site").mkdir()
    (tmp_path / "site/linked").symlink_to(outside)
    (tmp_path / "site/page.html").symlink_to(outside / "index.html")
    assert find_leaks(tmp_path / "site", [left], [kept]) == []
