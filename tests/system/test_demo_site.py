"""The repository's own site, the demo desk: built once as `build --all` builds it, and every feature the
README promises is on its pages — a thread in order, a correction, graded sources, entities under their
other names, Thai and Chinese briefs, an image bundle and a document, an unverified brief, authors, and a
TLP:AMBER brief and an embargoed one that leave no trace in the public site."""

from __future__ import annotations

import gzip
import re
import shutil
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from click.testing import CliRunner

from briefsite.commands.cli import main
from briefsite.media.fonts import find_fonts
from briefsite.media.images import MediaError

from conftest import ROOT, require_client

NOW = "2026-12-01T00:00:00Z"  # December 2026: the embargoed brief is still out, whenever the test runs

THREAD = [  # the Myawaddy thread, in the order things happened
    "2025-01-08-wang-xing-freed-from-myawaddy",
    "2025-02-05-thailand-cuts-power-to-myanmar-border",
    "2025-02-23-mae-sot-repatriation-flights",
    "2025-03-11-india-flies-nationals-home-from-mae-sot",
    "2025-10-22-kk-park-flight-social-posts",
    "2025-10-28-kk-park-crossings-into-thailand",
]
KOKANG = [
    "2023-11-21-china-says-31000-suspects-handed-over",
    "2024-01-05-laukkaing-command-surrenders",
    "2024-01-31-bai-suocheng-handed-to-china",
    "2025-09-29-明家犯罪集团案一审宣判",
    "2025-11-04-bai-family-death-sentences",
]
AMBER = ("2025-11-05-partner-note-compound-dispersal", "Partner note: scam operators disperse from Myawaddy after the raids")
EMBARGOED = ("2027-02-05-two-years-after-the-border-blackout",
             "Two years after the border blackout: what the Myawaddy crackdown changed")
BUNDLE = "2025-02-23-mae-sot-repatriation-flights"
UNVERIFIED = "2025-10-22-kk-park-flight-social-posts"
THAI = "2025-02-05-thailand-cuts-power-to-myanmar-border"
CHINESE = "2025-09-29-明家犯罪集团案一审宣判"


def fonts_installed() -> bool:
    try:
        find_fonts()
    except MediaError:
        return False
    return True


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The repository's site folder copied aside and built with `build --all`: (folder, CLI result)."""
    require_client(fonts_installed(), "The share-image fonts", "install fonts-noto-cjk and fonts-thai-tlwg")
    src = tmp_path_factory.mktemp("demo") / "site-folder"
    src.mkdir()
    for folder in ("briefings", "data"):
        shutil.copytree(ROOT / folder, src / folder)
    shutil.copy(ROOT / "site.yml", src / "site.yml")
    result = CliRunner().invoke(main, ["build", "--source", str(src), "--all", "--now", NOW, "--no-cache"],
                                catch_exceptions=False)
    return src, result


@pytest.fixture(scope="module")
def public(built) -> Path:
    return built[0] / "site"


@pytest.fixture(scope="module")
def partners(built) -> Path:
    return built[0] / "site-partners"


def page(site: Path, path: str) -> str:
    return (site / path / "index.html").read_text(encoding="utf-8")


def brief(site: Path, slug: str) -> str:
    return page(site, f"briefs/{slug}")


def listed(html: str) -> list[str]:
    """The slugs of the briefs a list page shows, in order."""
    return [unquote(href.split("/")[2]) for href in re.findall(r'class="item-title"(?: lang="[^"]+")?><a href="([^"]+)"', html)]


def test_build_all_builds_both_outputs_and_prints_no_warning(built):
    src, result = built
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    public, partners = result.stdout.replace(f"{src}/", "").splitlines()
    assert re.fullmatch(r"public: Built 22 briefs, \d+ pages into site/ in [\d.]+ s \(\d+ rendered\); "
                        r"2 briefs left out\.", public), public
    assert re.fullmatch(r"partners: Built 23 briefs, \d+ pages into site-partners/ for TLP:AMBER in [\d.]+ s "
                        r"\(\d+ rendered\); 1 brief left out\.", partners), partners


def test_the_thread_lists_its_briefs_in_the_order_things_happened(public):
    html = page(public, "threads/myawaddy-crackdown")
    assert "<h1>The Myawaddy crackdown</h1>" in html
    assert listed(html) == THREAD
    assert listed(page(public, "threads/kokang-families")) == KOKANG


def test_a_brief_of_the_thread_names_its_place_and_links_its_neighbours(public):
    html = brief(public, BUNDLE)
    assert '<a href="/threads/myawaddy-crackdown/">The Myawaddy crackdown</a> · brief 3 of 6' in html
    earlier = re.search(r'<a class="older" href="([^"]+)"><span class="label">← Earlier in this story', html)
    later = re.search(r'<a class="newer" href="([^"]+)"><span class="label">Later in this story →', html)
    assert (earlier.group(1), later.group(1)) == (f"/briefs/{THREAD[1]}/", f"/briefs/{THREAD[3]}/")


def test_event_ranges_and_months_are_shown_as_written(public):
    assert '<span class="event">Event: 20–22 February 2025</span> · Filed' in brief(public, BUNDLE)
    assert '<span class="event">Event: November 2023</span> · Filed' in brief(public, KOKANG[0])
    assert ('<span class="event">Event: August–December 2024</span> · Filed'
            in brief(public, "2025-01-21-mekong-joint-operation-arrests"))


def test_the_corrected_brief_is_marked_and_on_the_corrections_page(public):
    html = brief(public, BUNDLE)
    assert '<p class="corrected" data-pagefind-ignore><a href="#updates">Corrected</a> <time' in html
    note = "An earlier version said the charter flights were operated by China Eastern Airlines."
    assert f"<strong>Correction</strong>, <time datetime=\"2025-02-24\">24 February 2025</time>: {note}" in html
    corrections = page(public, "corrections")
    assert '<p class="lead">1 correction, newest first.' in corrections  # updates that are no correction are not
    assert (f'<a href="/briefs/{BUNDLE}/#updates">China flies 600 nationals home from Mae Sot in three days</a>'
            in corrections)
    assert f'<p class="item-summary">{note} They were China Southern Airlines flights.</p>' in corrections


def test_sources_show_their_type_and_grade(public):
    ohchr = brief(public, "2023-08-29-un-report-online-scam-trafficking")
    assert ('<a href="/sources/un-human-rights-office/" data-pagefind-filter="source">UN Human Rights Office</a> '
            '<span class="grade">— official, A2</span> <span class="accessed">(read 29 August 2023)</span>') in ohchr
    # cited by an alias, shown by the declared name; an undeclared source shows its credibility alone
    assert 'UN Human Rights Office</a> <span class="grade">— official, A1</span>' in brief(
        public, "2025-02-28-un-rights-chief-uyghur-deportation")
    assert 'BBC News</a> <span class="grade">— 2</span>' in brief(public, "2024-01-31-bai-suocheng-handed-to-china")
    assert ">Xinhua</a> <span class=\"grade\">— wire, B3</span>" in brief(public, "2025-01-21-mekong-joint-operation-arrests")


def test_only_the_brief_sourced_from_social_media_is_unverified(public):
    html = brief(public, UNVERIFIED)
    assert '<p class="unverified" data-pagefind-ignore><strong>Unverified</strong>' in html
    assert "Facebook: Mae Sot community pages</a> <span class=\"grade\">— social, F3</span>" in html
    marked = sorted(p.parent.name for p in (public / "briefs").glob("*/index.html")
                    if '<p class="unverified"' in p.read_text(encoding="utf-8"))
    assert marked == [UNVERIFIED]
    assert '<strong class="unverified-chip">Unverified</strong>' in page(public, "threads/myawaddy-crackdown")


def test_an_alias_redirects_to_its_entity_in_any_script(public):
    for alias, canonical in [("organizations/kna", "organizations/karen-national-army"),
                             ("organizations/การไฟฟ้าส่วนภูมิภาค", "organizations/provincial-electricity-authority"),
                             ("countries/中国", "countries/china"), ("tags/电信诈骗", "tags/telecom-fraud")]:
        html = page(public, alias)
        target = f"http://127.0.0.1:8000/{canonical}/"
        assert f'<link rel="canonical" href="{target}">' in html
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in html


def test_briefs_naming_an_entity_differently_share_its_page(public):
    kna = page(public, "organizations/karen-national-army")
    assert "Also known as KNA, Karen Border Guard Force, Karen BGF, BGF, 克伦边防军 and กองกำลังพิทักษ์ชายแดนกะเหรี่ยง." in kna
    assert listed(kna) == ["2025-10-28-kk-park-crossings-into-thailand", "2025-05-06-us-sanctions-karen-national-army",
                           BUNDLE, "2025-01-08-wang-xing-freed-from-myawaddy",
                           "2023-12-08-uk-sanctions-scam-compound-figures"]  # KNA and Karen Border Guard Force
    assert f'href="/briefs/{THAI}/"' in page(public, "countries/thailand")  # named ประเทศไทย there
    pea = page(public, "organizations/provincial-electricity-authority")
    assert 'Part of <a href="/countries/thailand/">Thailand</a>.' in pea and listed(pea) == [THAI]


def test_the_thai_and_chinese_briefs_mark_their_language(public):
    """`lang:` in their headers: what the brief wrote carries it, the site's own words (English) do not."""
    thai = brief(public, THAI)
    assert '<h1 data-pagefind-meta="title" lang="th">ไทยตัดไฟฟ้า อินเทอร์เน็ต และน้ำมัน' in thai
    assert '<div class="brief-body" lang="th">\n<p>การไฟฟ้าส่วนภูมิภาค (กฟภ.) ตัดกระแสไฟฟ้า' in thai
    assert '<span class="dateline" data-pagefind-meta="location" lang="th">กรุงเทพฯ</span>' in thai
    assert '<dt>Dateline</dt><dd lang="th">กรุงเทพฯ</dd>' in thai  # again in the side column
    assert '<html lang="en">' in thai and thai.count(' lang="th"') == 5  # title, standfirst, datelines, body
    chinese = brief(public, CHINESE)
    assert '<div class="brief-body" lang="zh-Hans">' in chinese
    home = page(public, "page/2") + page(public, "")
    assert f'<h3 class="item-title" lang="zh-Hans"><a href="/briefs/{quote(CHINESE)}/">' in home
    feed = (public / "feed.xml").read_text(encoding="utf-8")
    assert feed.count('<entry xml:lang="zh-Hans">') == 1 and feed.count('<entry xml:lang="th">') == 1


def test_the_image_bundle_shows_its_picture_and_its_document(public):
    html = brief(public, BUNDLE)
    figure = re.search(r'<figure class="lead-image">\s*<picture>(.*?)</picture>', html, re.S)
    assert figure, "no <picture> in the lead image"
    assert re.search(r'<source type="image/avif" srcset="/media/[0-9a-f]+/mae-sot-crossing-480w\.avif 480w', figure[1])
    assert 'alt="Schematic map of the Moei river at Mae Sot: Shwe Kokko to the north' in figure[1]
    assert "<figcaption>The route home: from the compounds to the bridge" in html
    link = re.search(r'<li><a href="(/media/[0-9a-f]+/myawaddy-timeline\.pdf)">Desk timeline: the Myawaddy crackdown, '
                     r'January–March 2025</a> <span class="document-facts">PDF, 2 KB</span></li>', html)
    assert link, "no link to the attached PDF"
    assert (public / link[1].lstrip("/")).read_bytes().startswith(b"%PDF-1.4")


def test_every_author_has_a_page(public):
    for slug, name, role in [("malee-srisuk", "Malee Srisuk", "Bangkok correspondent"),
                             ("chen-jing", "Chen Jing", "China editor"),
                             ("tom-aldridge", "Tom Aldridge", "Sanctions and UN analyst")]:
        html = page(public, f"authors/{slug}")
        assert f"<h1>{name}</h1>" in html and role in html
        assert listed(html)
    assert 'By <a href="/authors/malee-srisuk/" rel="author">Malee Srisuk</a>' in brief(public, THAI)
    assert 'By <a href="/authors/chen-jing/" rel="author">Chen Jing</a>' in brief(public, CHINESE)


def site_text(site: Path) -> dict[str, bytes]:
    """Every file of a built site as bytes, Pagefind's compressed files decompressed."""
    found = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if path.suffix in {".pf_fragment", ".pf_index", ".pf_filter", ".pf_meta"}:
                data = gzip.decompress(data)
            found[path.relative_to(site).as_posix()] = data
    return found


def test_the_amber_and_embargoed_briefs_leave_no_trace_in_the_public_site(public):
    files = site_text(public)
    assert len(files) > 400 and any(name.startswith("pagefind/") for name in files)
    for slug, title in (AMBER, EMBARGOED):
        for needle in (slug, title, title.split(":")[0]):
            traces = [name for name, data in files.items() if needle.encode() in data]
            assert traces == [], f"{needle!r} is in {traces[:5]}"
    assert listed(page(public, "threads/myawaddy-crackdown")) == THREAD


def test_build_all_puts_the_amber_brief_in_the_partners_site_only(partners):
    html = brief(partners, AMBER[0])
    assert f"<h1 data-pagefind-meta=\"title\">{AMBER[1]}</h1>" in html
    assert '<strong class="tlp tlp-amber" data-pagefind-filter="audience">TLP:AMBER</strong>' in html
    assert listed(page(partners, "threads/myawaddy-crackdown")) == THREAD + [AMBER[0]]
    files = site_text(partners)
    assert [name for name, data in files.items() if EMBARGOED[0].encode() in data or EMBARGOED[1].encode() in data] == []


DEMO_PAGES = ["", f"briefs/{BUNDLE}/", f"briefs/{THAI}/", f"briefs/{CHINESE}/", f"briefs/{UNVERIFIED}/",
              "threads/myawaddy-crackdown/", "sources/", "timeline/", "search/"]


def test_axe_finds_no_serious_violations_on_the_demo_desk(public, context):
    """axe-core on the page types the demo desk adds to the golden site's, light and dark: a bundle's picture
    and document, Thai and Chinese briefs, an unverified marker, a thread of six."""
    from browser_helpers import serious_violations
    from served import serve

    from conftest import AXE_JS

    require_client(AXE_JS.is_file(), "axe-core", "run `npm ci`")
    found = []
    with serve(public, "/") as url:
        page = context.new_page()
        for path in DEMO_PAGES:
            assert page.goto(url + path).status == 200, path
            found += [f"{path or '/'} ({scheme}): {v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
                      for scheme, violations in serious_violations(page, AXE_JS).items() for v in violations]
    assert found == []


def test_every_link_of_the_demo_desk_resolves_over_http(built, tmp_path):
    """The public site built for the address it is served at: every page, file and anchor it links exists."""
    from datetime import datetime

    from served import serve
    from test_clients import crawl

    from briefsite.build import Options, build_site

    src, _ = built
    with serve(tmp_path / "site", "/desk/") as url:
        build_site(Options(src, tmp_path / "site", base_url=url, cache=False, now=datetime.fromisoformat(NOW)))
        pages = crawl(url)
    assert len(pages) > 100  # the HTML pages; feeds, exports and files are fetched too
    assert url + f"briefs/{BUNDLE}/" in pages
