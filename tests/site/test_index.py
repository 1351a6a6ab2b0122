"""Indexing briefs into a Site: terms, order, timeline, neighbours, related."""


from briefsite.config import Config
from briefsite.reading.brief import parse_brief
from briefsite.site.index import build_index, duplicate_slugs, newest_first
from briefsite.site.references import resolve_links
from briefsite.site.related import RELATED_COUNT


def brief(slug, date, tags=(), countries=(), path=None):
    """A brief parsed from inline text, as the build would make it."""
    text = (f"---\ntitle: Brief {slug}\ndate: '{date}'\nslug: {slug}\n"
            f"tags: {list(tags)}\ncountries: {list(countries)}\n---\nBody of {slug}.\n")
    parsed, problems = parse_brief(path or f"briefings/{slug}.md", text.encode(), Config())
    assert problems == []
    return parsed


def slugs(briefs) -> list[str]:
    return [b.slug for b in briefs]


def terms_of(site, taxonomy: str) -> list[tuple]:
    (found,) = [t for t in site.taxonomies if t.config.name == taxonomy]
    return [(t.key, t.name, t.slug, slugs(t.briefs)) for t in found.terms]


def test_terms_merge_case_and_separator_insensitively():
    site = build_index([
        brief("a", "2025-02-27", ["Telecom Fraud"]),
        brief("b", "2025-02-26", ["telecom-fraud", "x"]),
        brief("c", "2025-02-25", ["TELECOM_FRAUD"]),
        brief("d", "2025-02-24", ["Telecom Fraud"]),
    ], Config())
    assert terms_of(site, "tags") == [
        ("telecom fraud", "Telecom Fraud", "telecom-fraud", ["a", "b", "c", "d"]),
        ("x", "x", "x", ["b"]),
    ]
    assert terms_of(site, "countries") == []
    assert [t.config.name for t in site.taxonomies] == ["tags", "countries", "organizations"]


def test_most_used_spelling_is_shown():
    site = build_index([
        brief("a", "2025-02-27", ["telecom fraud"]),
        brief("b", "2025-02-26", ["telecom fraud"]),
        brief("c", "2025-02-25", ["Telecom Fraud"]),
    ], Config())
    assert terms_of(site, "tags")[0][1] == "telecom fraud"


def test_spelling_tie_broken_deterministically():
    one = [brief("a", "2025-02-27", ["telecom fraud"]), brief("b", "2025-02-26", ["Telecom-Fraud"])]
    two = [brief("a", "2025-02-27", ["Telecom-Fraud"]), brief("b", "2025-02-26", ["telecom fraud"])]
    assert terms_of(build_index(one, Config()), "tags")[0][1] == "Telecom-Fraud"
    assert terms_of(build_index(two, Config()), "tags")[0][1] == "Telecom-Fraud"
    assert terms_of(build_index(reversed(one), Config()), "tags")[0][1] == "Telecom-Fraud"


def test_term_repeated_in_one_brief_counts_once():
    site = build_index([brief("a", "2025-02-27", ["Thailand", "thailand", "THAILAND"])], Config())
    assert terms_of(site, "tags") == [("thailand", "THAILAND", "thailand", ["a"])]
    ((group),) = site.placement(site.briefs[0]).terms
    assert (group.taxonomy.config.name, [t.key for t in group.terms]) == ("tags", ["thailand"])


def test_spelling_repeated_in_one_brief_counts_once():
    site = build_index([
        brief("a", "2025-02-27", ["thailand", "thailand", "thailand"]),
        brief("b", "2025-02-26", ["Thailand"]),
        brief("c", "2025-02-25", ["Thailand"]),
    ], Config())
    assert terms_of(site, "tags") == [("thailand", "Thailand", "thailand", ["a", "b", "c"])]


def test_terms_sorted_by_name_and_non_latin_slugs():
    site = build_index([brief("a", "2025-02-27", ["电信诈骗", "beta", "Alpha", "ประเทศไทย"])], Config())
    assert [(name, slug) for _, name, slug, _ in terms_of(site, "tags")] == [
        ("Alpha", "alpha"), ("beta", "beta"), ("ประเทศไทย", "ประเทศไทย"), ("电信诈骗", "电信诈骗")]


def test_colliding_term_slugs_are_unique():
    site = build_index([brief("a", "2025-02-27", ["C", "C#"])], Config())
    assert [(key, slug) for key, _, slug, _ in terms_of(site, "tags")] == [("c", "c"), ("c#", "c-2e26e6")]


def test_newest_first_same_day_by_slug():
    briefs = [brief("b", "2025-02-27"), brief("c", "2025-02-27"), brief("a", "2025-02-27"),
              brief("old", "2024-01-01"), brief("z", "2025-02-27T09:00:00")]
    assert slugs(newest_first(briefs)) == ["z", "a", "b", "c", "old"]
    assert slugs(newest_first(reversed(briefs))) == ["z", "a", "b", "c", "old"]
    assert slugs(build_index(briefs, Config()).briefs) == ["z", "a", "b", "c", "old"]


def test_timeline_years_and_months_newest_first():
    site = build_index([
        brief("jan", "2025-01-05"), brief("feb2", "2025-02-27"), brief("feb1", "2025-02-01"),
        brief("dec", "2024-12-31"), brief("mar", "2023-03-03"),
    ], Config())
    assert [(y.year, [(m.year, m.month, slugs(m.briefs)) for m in y.months], slugs(y.briefs)) for y in site.years] == [
        (2025, [(2025, 2, ["feb2", "feb1"]), (2025, 1, ["jan"])], ["feb2", "feb1", "jan"]),
        (2024, [(2024, 12, ["dec"])], ["dec"]),
        (2023, [(2023, 3, ["mar"])], ["mar"]),
    ]


def test_empty_site():
    site = build_index([], Config())
    assert (site.briefs, site.years, site.placements) == ((), (), {})
    assert [t.terms for t in site.taxonomies] == [(), (), ()]


def test_neighbours_older_and_newer():
    site = build_index([brief("a", "2025-01-01"), brief("c", "2025-01-03"), brief("b", "2025-01-02")], Config())
    named = {slug: (place.older and place.older.slug, place.newer and place.newer.slug)
             for slug, place in site.placements.items()}
    assert named == {"c": ("b", None), "b": ("a", "c"), "a": (None, "b")}


def test_related_ranked_by_shared_terms_then_time_then_slug():
    site = build_index([
        brief("me", "2025-06-15", ["x", "y", "z"], ["China"]),
        brief("three", "2020-01-01", ["x", "y"], ["china"]),
        brief("two-far", "2024-01-01", ["x", "y"]),
        brief("two-near", "2025-06-10", ["y", "z"]),
        brief("one-b", "2025-06-16", ["z"]),
        brief("one-a", "2025-06-14", ["z"]),
        brief("one-c", "2025-06-20", ["x"]),
        brief("none", "2025-06-15", ["w"]),
    ], Config())
    assert slugs(site.placements["me"].related) == ["three", "two-near", "two-far", "one-a", "one-b"]
    assert RELATED_COUNT == 5


def test_related_never_itself_and_empty_without_shared_terms():
    site = build_index([brief("a", "2025-01-01", ["x"]), brief("b", "2025-01-02", ["y"]),
                        brief("c", "2025-01-03", ["x"])], Config())
    assert {slug: slugs(place.related) for slug, place in site.placements.items()} == {"a": ["c"], "b": [], "c": ["a"]}


def test_duplicate_slugs_name_both_files():
    first = brief("x", "2025-01-02", path="briefings/a.md")
    second = brief("x", "2025-01-01", path="briefings/z.md")
    other = brief("y", "2025-01-01", path="briefings/y.md")
    errors = duplicate_slugs([second, other, first])
    assert [str(e) for e in errors] == ["briefings/z.md: slug 'x' is already used by briefings/a.md"]


def test_no_duplicate_slugs():
    assert duplicate_slugs([brief("x", "2025-01-01"), brief("y", "2025-01-01")]) == []


def linking(slug: str, body: str):
    text = f"---\ntitle: Brief {slug}\ndate: 2025-01-01\n---\n{body}"
    parsed, problems = parse_brief(f"briefings/{slug}.md", text.encode(), Config())
    assert problems == []
    return parsed


def test_links_shown_as_code_are_no_links_and_real_ones_resolve():
    body = "```\n[a](missing.md)\n```\n\n    [b](missing.md)\n\n`[c](missing.md)` and [d](target.md#part).\n"
    briefs, errors = resolve_links([linking("source", body), linking("target", "Text.\n")], Config())
    assert errors == []
    assert '<a href="/briefs/target/#part">d</a>' in briefs[0].body
    assert "<code>[a](missing.md)\n</code>" in briefs[0].body


def test_a_missing_link_outside_code_is_an_error_at_its_place():
    _, errors = resolve_links([linking("source", "`[c](missing.md)`\n\nSee [it](missing.md).\n")], Config())
    assert [str(e) for e in errors] == ["briefings/source.md:7:10: link to 'missing.md' matches no brief file"]
