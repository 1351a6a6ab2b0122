"""Issue 25: conventions of real sites the build itself accepts — `image: route.png`, a lead image
given by its file alone, and an entity's parent that is a term briefs use in any taxonomy."""

from __future__ import annotations

import json

from briefsite.media.files import media_url

from conftest import brief_text, build, failure, nu_errors, png

BASE = "http://127.0.0.1:8000"

MAP = png()  # a map, as test_media has it


# --- `image: route.png` ---------------------------------------------------------------------------------


def test_a_lead_image_given_by_its_file_alone_is_published_with_empty_alt_and_a_warning(make_site, tmp_path):
    src = make_site({"r/index.md": brief_text(title="R", image="route.png")}, config="search: false\n")
    (src / "briefings" / "r" / "route.png").write_bytes(MAP)
    out = tmp_path / "out"
    result = build(src, out)
    assert [str(w) for w in result.warnings] == [
        f"{src}/briefings/r/index.md:4:8: warning: image 'route.png' has no alt text; say what it shows, as in "
        "image: {file: route.png, alt: Route of the convoy}"]
    lead = media_url("r/route.png", MAP)
    page = (out / "briefs" / "r" / "index.html").read_text()
    assert f'<img src="/{lead}" alt="" width="800" height="400" decoding="async"></picture>' in page
    assert "<figcaption>" not in page
    assert f'<meta property="og:image" content="{BASE}/{lead}">' in page
    assert '<meta property="og:image:alt" content="">' in page
    thumbnail = lead.replace("route.png", "route-480w.webp")
    assert f'<img class="item-image" src="/{thumbnail}" alt="" loading="lazy" width="800" height="400">' \
        in (out / "index.html").read_text()
    assert json.loads((out / "feed.json").read_text())["items"][0]["image"] == f"{BASE}/{lead}"
    assert f'<link rel="enclosure" type="image/png" href="{BASE}/{lead}" title=""/>' in (out / "feed.xml").read_text()
    assert json.loads((out / "briefs.json").read_text())["briefs"][0]["image"] == {
        "url": f"{BASE}/{lead}", "alt": "", "caption": None}
    assert nu_errors(out / "briefs" / "r") == ""  # alt="" and an empty og:image:alt are valid HTML


def test_the_mapping_form_is_as_before_and_warns_of_nothing(make_site, tmp_path):
    src = make_site({"b.md": brief_text(title="B", image="{file: route.png, alt: The route}")},
                    config="search: false\n")
    (src / "briefings" / "route.png").write_bytes(MAP)
    out = tmp_path / "out"
    assert build(src, out).warnings == []
    assert 'alt="The route" width="800" height="400" decoding="async">' in (out / "briefs" / "b" / "index.html").read_text()


def test_a_lead_image_file_alone_is_checked_as_any_file(make_site, tmp_path):
    src = make_site({"b.md": brief_text(title="B", image="gone.png"),
                     "c.md": brief_text(title="C", image="/assets/route.png")}, config="search: false\n")
    assert failure(src, tmp_path) == [
        f"{src}/briefings/b.md:4:8: 'gone.png' matches no file (looked for briefings/gone.png)",
        f"{src}/briefings/c.md:4:8: image: '/assets/route.png' is not a file beside the brief; expected a relative "
        "path such as 'docs/statement.pdf'"]


# --- an entity's parent that is a term briefs use ------------------------------------------------------------

POLICE = "- name: Royal Thai Police\n  aliases: [RTP]\n  parent: thailand\n"


def police_site(make_site, organizations: str = POLICE, **briefs):
    src = make_site(briefs or {
        "a.md": brief_text(title="Alpha", date="2025-01-01", organizations="[RTP]", countries="[Thailand]"),
        "b.md": brief_text(title="Bravo", date="2025-01-02", countries="[Thailand]"),
    }, config="search: false\n")
    (src / "data").mkdir()
    (src / "data" / "organizations.yml").write_text(organizations, encoding="utf-8")
    return src


def test_a_parent_that_is_a_term_of_another_taxonomy_links_to_its_page(make_site, tmp_path):
    out = tmp_path / "out"
    assert build(police_site(make_site), out).warnings == []
    police = (out / "organizations" / "royal-thai-police" / "index.html").read_text()
    # Named as its page names it ("Thailand"), not as data/ spelled it ("thailand").
    assert '<p class="term-fact">Part of <a href="/countries/thailand/">Thailand</a>.</p>' in police
    thailand = (out / "countries" / "thailand" / "index.html").read_text()
    assert ('<p class="term-fact">Includes <a href="/organizations/royal-thai-police/">Royal Thai Police</a>.</p>'
            in thailand)


def test_a_parent_term_is_looked_for_in_its_own_taxonomy_first_then_in_site_order(make_site, tmp_path):
    out = tmp_path / "out"
    src = police_site(make_site, "- name: Royal Thai Police\n  parent: Thailand\n- name: Tourist Police\n"
                                 "  parent: Thailand\n",
                      **{"a.md": brief_text(organizations="[Royal Thai Police, Tourist Police, Thailand]",
                                            countries="[Thailand]", tags="[Thailand]")})
    build(src, out)
    police = (out / "organizations" / "royal-thai-police" / "index.html").read_text()
    assert '<p class="term-fact">Part of <a href="/organizations/thailand/">Thailand</a>.</p>' in police
    (src / "briefings" / "a.md").write_text(brief_text(organizations="[Royal Thai Police]", countries="[Thailand]",
                                                       tags="[Thailand]"))
    build(src, out)
    police = (out / "organizations" / "royal-thai-police" / "index.html").read_text()
    assert '<p class="term-fact">Part of <a href="/tags/thailand/">Thailand</a>.</p>' in police  # tags come first
    assert "Includes" not in (out / "countries" / "thailand" / "index.html").read_text()


def test_a_parent_term_only_a_left_out_brief_uses_is_plain_text_and_no_error(make_site, tmp_path):
    out = tmp_path / "out"
    src = police_site(make_site, **{
        "a.md": brief_text(title="Alpha", date="2025-01-01", organizations="[RTP]"),
        "b.md": brief_text(title="Bravo", date="2025-01-02", countries="[Thailand]", draft="true")})
    assert build(src, out).warnings == []
    police = (out / "organizations" / "royal-thai-police" / "index.html").read_text()
    assert '<p class="term-fact">Part of thailand.</p>' in police  # as data/ writes it: no page names it
    assert not (out / "countries" / "thailand").exists()
    build(src, out, drafts=True)
    police = (out / "organizations" / "royal-thai-police" / "index.html").read_text()
    assert '<p class="term-fact">Part of <a href="/countries/thailand/">Thailand</a>.</p>' in police


def test_a_parent_naming_nothing_is_an_error_with_the_nearest_name(make_site, tmp_path):
    src = police_site(make_site, "- name: Royal Thai Police\n  parent: Thailnd\n- name: Tourist Police\n"
                                 "  parent: Atlantis\n")
    assert failure(src, tmp_path) == [
        f"{src}/data/organizations.yml:2:11: Royal Thai Police.parent: 'Thailnd' is no entity declared in data/ and "
        "no term of a brief; did you mean 'Thailand'?",
        f"{src}/data/organizations.yml:4:11: Tourist Police.parent: 'Atlantis' is no entity declared in data/ and "
        "no term of a brief; declare it in data/ first"]


def test_a_cycle_of_parents_is_still_an_error(make_site, tmp_path):
    src = police_site(make_site, "- name: Royal Thai Police\n  aliases: [RTP]\n  parent: Bureau\n- name: Bureau\n"
                                 "  parent: RTP\n")
    assert failure(src, tmp_path) == [
        f"{src}/data/organizations.yml:3:11: Royal Thai Police.parent: a cycle of parents: Royal Thai Police > "
        "Bureau > Royal Thai Police; an entity cannot be its own parent"]
