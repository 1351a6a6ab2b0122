"""References in bodies: recorded once when a brief is parsed (reading/references.py), resolved at
their recorded places (site/references.py)."""

from __future__ import annotations

import pytest

from briefsite.config import DEFAULT_EXTENSIONS, Config
from briefsite.model.brief import BRIEF, LINKED, SHOWN
from briefsite.reading.brief import parse_brief
from briefsite.reading.markup import render_body
from briefsite.reading.references import MARK, apply, kind_of
from briefsite.site.references import Pointed, Replaced, resolve, resolve_links


def parse(body: str, file: str = "briefings/x.md"):
    brief, problems = parse_brief(file, f"---\ntitle: T\ndate: 2025-02-27\n---\n{body}".encode(), Config())
    assert [str(p) for p in problems if not p.warning] == []
    return brief


def recorded(brief) -> list[tuple]:
    """Each reference as (target, kind, line, column, its slot's text, its tag's text, its end tag's text)."""
    def text(span):
        return span and brief.body[span[0]:span[1]]

    return [(r.target, r.kind, r.line, r.column, text(r.slot), text(r.tag), text(r.end_tag))
            for r in brief.references]


def test_a_markdown_link_and_a_raw_one_are_recorded_alike_with_their_places():
    brief = parse('See [the raid](2025-02-27-raid.md#part "optional") and\n'
                  '<a class="x" href="2025-02-27-raid.md" title="optional">again</a>.\n')
    # The title "optional" is recorded, not shown.
    assert brief.body == ('<p>See <a href="2025-02-27-raid.md#part">the raid</a> and\n'
                          '<a class="x" href="2025-02-27-raid.md">again</a>.</p>')
    assert recorded(brief) == [
        ("2025-02-27-raid.md", BRIEF, 5, 16, "2025-02-27-raid.md", '<a href="2025-02-27-raid.md#part">', "</a>"),
        ("2025-02-27-raid.md", BRIEF, 6, 20, "2025-02-27-raid.md", '<a class="x" href="2025-02-27-raid.md">', "</a>")]
    assert [r.optional for r in brief.references] == [True, True]


def test_images_and_files_are_recorded_with_their_alt_and_every_image_gets_one():
    brief = parse('![The route](maps/route.png) and [it](docs/a%20b.pdf?x=1&y=2#p)\n\n<img src="maps/route.png">\n')
    assert brief.body == ('<p><img alt="The route" src="maps/route.png"> and '
                          '<a href="docs/a%20b.pdf?x=1&amp;y=2#p">it</a></p>\n<p><img alt="" src="maps/route.png"></p>')
    assert recorded(brief) == [
        ("maps/route.png", SHOWN, 5, 14, "maps/route.png", '<img alt="The route" src="maps/route.png">', None),
        ("docs/a%20b.pdf", LINKED, 5, 39, "docs/a%20b.pdf", '<a href="docs/a%20b.pdf?x=1&amp;y=2#p">', None),
        ("maps/route.png", SHOWN, 7, 11, "maps/route.png", '<img alt="" src="maps/route.png">', None)]
    assert [r.alt for r in brief.references] == ["The route", "", ""]


@pytest.mark.parametrize(("attribute", "value", "kind"), [
    ("href", "2025-01-16-x.md", BRIEF), ("href", "../other/x.md#part", BRIEF), ("href", "/x.md", BRIEF),
    ("href", "x.md?page=2", None), ("src", "x.md", None),
    ("href", "docs/a.pdf", LINKED), ("href", "docs/a.pdf#page=2", LINKED), ("src", "maps/route.png", SHOWN),
    ("href", "https://example.org/x.pdf", None), ("href", "mailto:a@b.org", None), ("src", "data:image/png;x", None),
    ("href", "#content", None), ("href", "/about.pdf", None), ("href", "", None), ("href", "?q", None),
    ("href", "a>text</a.pdf", None),
])
def test_what_a_value_refers_to(attribute, value, kind):
    assert kind_of(attribute, value) == kind


def test_a_scheme_behind_a_character_reference_is_still_taken_out_by_the_sanitiser():
    # The tree holds "javascript&#58;alert(1)", which looks relative; the mark after it leaves the
    # scheme where nh3 looks, so nh3 still removes it, and nothing is recorded.
    rendered = render_body("[a](javascript&#58;alert(1)) [b](x&#58;y.pdf)\n", DEFAULT_EXTENSIONS, False)
    assert (rendered.html, rendered.references) == ("<p><a>a</a> <a>b</a></p>", ())


def test_the_marks_never_reach_the_body_nor_does_text_that_looks_like_one():
    rendered = render_body("<textarea>\n\n[x](a.md) ![i](p.png)\n\n</textarea>\n\n&#x87; [y](b.md)\n",
                           DEFAULT_EXTENSIONS, False)
    assert MARK not in rendered.html
    assert rendered.html == '\n[x](a.md) ![i](p.png)\n\n\n\n<p>‡ <a href="b.md">y</a></p>'  # inside a textarea: text
    assert [r.target for r in rendered.references] == ["b.md"]


def test_a_link_the_sanitiser_repeats_is_recorded_and_resolved_at_each_place():
    source, target = parse('Inline <a href="t.md">unclosed\n\n<div>x</div>\n'), parse("T.\n", "briefings/t.md")
    assert [r.target for r in source.references] == ["t.md", "t.md"]
    (resolved, _), errors = resolve_links([source, target], Config())
    assert errors == []
    assert resolved.body == ('<p>Inline <a href="/briefs/t/">unclosed</a></p><a href="/briefs/t/">\n'
                             '<div>x</div></a>')


def test_references_keep_their_places_as_each_stage_resolves_its_own():
    brief = parse('[![Map](map.png)](gone.md "optional"), [the PDF](a.pdf#page=2) and [here](here.md).\n')
    files = {"map.png": Replaced("<picture>…</picture>"), "a.pdf": Pointed("/media/1/a.pdf")}
    brief = resolve(brief, lambda reference: files.get(reference.target))
    assert brief.body == ('<p><a href="gone.md"><picture>…</picture></a>, <a href="/media/1/a.pdf#page=2">the PDF</a> '
                          'and <a href="here.md">here</a>.</p>')
    here = parse("Here.\n", "briefings/here.md")
    (brief, _), errors = resolve_links([brief, here], Config(), left_out={"briefings/gone.md": "it is a draft"})
    assert errors == []
    assert brief.body == ('<p><picture>…</picture>, <a href="/media/1/a.pdf#page=2">the PDF</a> '
                          'and <a href="/briefs/here/">here</a>.</p>')


def test_edits_are_made_at_offsets_and_offsets_move_with_them():
    text, move = apply("abcdef", [(5, 5, "!"), (1, 3, "X"), (2, 4, "Y")])
    assert text == "aXde!f"  # (2, 4) overlaps (1, 3): skipped
    assert [move(offset) for offset in range(7)] == [0, 1, 1, 2, 3, 5, 6]
