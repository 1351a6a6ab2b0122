"""Entities: data/<taxonomy>.yml, term pages by any name, parents and children, alias redirects,
check's report of terms that are probably one entity, and import's use of aliases."""

from __future__ import annotations

import pytest

from briefsite.build import Options, build_site
from briefsite.commands.wire import suggest_terms
from briefsite.config.load import load_site_config
from briefsite.reading.data import load_data
from briefsite.site.entities import likely_same, same_entities
from briefsite.site.index import build_index

from conftest import brief_text, build, clean_tree, failure, rewritten, stamps, tree

CONFIG = "search: false\n"
ORGANIZATIONS = """\
- name: Ministry of Public Security
  aliases: [MPS, 公安部, Public Security Ministry]
  description: China's national police authority.
  parent: China
  ids: {wikidata: Q1073867, isni: 0000 0001 2175 3093}
- name: Criminal Investigation Department
  aliases: CID
  parent: Ministry of Public Security
- name: Hidden Bureau
  parent: MPS
"""
COUNTRIES = """\
- name: China
  aliases: [中国, PRC]
"""


def entity_site(make_site, organizations: str | None = ORGANIZATIONS, countries: str | None = COUNTRIES,
                briefs: dict | None = None):
    src = make_site(briefs if briefs is not None else {
        "a.md": brief_text(title="Alpha", date="2025-01-01", organizations="[MPS]", countries="[中国]"),
        "b.md": brief_text(title="Bravo", date="2025-01-02", organizations="[公安部, Interpol]"),
        "c.md": brief_text(title="Charlie", date="2025-01-03", organizations="[criminal investigation department]"),
        "d.md": brief_text(title="Delta", date="2025-01-04", organizations="[ministry-of-public-security]"),
    }, config=CONFIG)
    (src / "data").mkdir(exist_ok=True)
    for name, text in (("organizations.yml", organizations), ("countries.yml", countries)):
        if text is not None:
            (src / "data" / name).write_text(text, encoding="utf-8")
    return src


@pytest.mark.parametrize(("text", "messages"), [
    ("name: X\n", ["1:1: expected a list of entities, each with a name and maybe aliases, description, parent "
                   "and ids, got a mapping"]),
    ("- MPS\n", ["1:3: entry 1: expected a mapping with name, aliases, description, parent and ids, got 'MPS'"]),
    ("- aliases: [MPS]\n", ["1:3: entry 1: an entity needs a name"]),
    ("-\n", ["1:2: entry 1: an entity needs a name"]),
    ("- name: ''\n", ["1:9: entry 1.name: expected text, got an empty value"]),
    ("- name: [X]\n", ["1:9: entry 1.name: expected text, got a list"]),
    ("- name: X\n  alias: [Y]\n", ["2:10: X: unknown key 'alias'; did you mean 'aliases'?"]),
    ("- name: X\n  size: 3\n", ["2:9: X: unknown key 'size'; expected name, aliases, description, parent and ids"]),
    ("- name: X\n  aliases: {Y: 1}\n", ["2:12: X.aliases: expected a name or a list of names, got a mapping"]),
    ("- name: X\n  aliases: [Y, '']\n", ["2:16: X.aliases: expected text, got an empty value"]),
    ("- name: X\n  aliases: [Y, 3]\n", ["2:16: X.aliases: expected text, got 3"]),
    ("- name: X\n  aliases: ' '\n", ["2:12: X.aliases: expected text, got an empty value"]),
    ("- name: X\n  description: [a]\n", ["2:16: X.description: expected text, got a list"]),
    ("- name: Ministry\n- name: ministry\n",
     ["2:9: 'ministry' is already the name of the entity on line 1; keep one"]),
    ("- name: Ministry\n  aliases: [MPS]\n- name: Mps\n",
     ["3:9: 'Mps' is already an alias of 'Ministry'; keep one"]),
    ("- name: Ministry\n  aliases: [MPS]\n- name: Bureau\n  aliases: [Bu, mps]\n",
     ["4:17: Bureau.aliases: 'mps' is already an alias of 'Ministry'"]),
    ("- name: Ministry\n- name: Bureau\n  aliases: [ministry]\n",
     ["3:13: Bureau.aliases: 'ministry' is already the name of the entity on line 1"]),
    ("- name: Ministry\n  aliases: [MPS, mps]\n", ["2:18: Ministry.aliases: 'mps' is already an alias of 'Ministry'"]),
    ("- name: X\n  parent: Chna\n", ["2:11: X.parent: 'Chna' is no entity declared in data/ and no term of a brief; "
                                    "did you mean 'China'?"]),
    ("- name: X\n  parent: Atlantis\n", ["2:11: X.parent: 'Atlantis' is no entity declared in data/ and no term of a "
                                        "brief; declare it in data/ first"]),
    ("- name: X\n  parent: Y\n- name: Y\n  parent: x\n",
     ["2:11: X.parent: a cycle of parents: X > Y > X; an entity cannot be its own parent"]),
    ("- name: X\n  parent: X\n", ["2:11: X.parent: a cycle of parents: X > X; an entity cannot be its own parent"]),
    ("- name: X\n  ids: [Q1]\n", ["2:8: X.ids: expected a mapping of id kinds to ids, such as {wikidata: Q1073867}, "
                                  "got a list"]),
    ("- name: X\n  ids: {isni: [1]}\n", ["2:15: X.ids.isni: expected text or a number, got a list"]),
    ("- name: X\n  ids: {isni: ''}\n", ["2:15: X.ids.isni: expected text or a number, got an empty value"]),
    ("- name: X\n  ids: {isni: true}\n", ["2:15: X.ids.isni: expected text or a number, got True"]),
    ("- name: X\n  ids: {wikidata: X1}\n",
     ["2:19: X.ids.wikidata: expected a Wikidata id such as Q1073867, got 'X1'"]),
    ("- name: X\n  aliases: [Y\n", ["3:1: invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"]),
])
def test_a_wrong_entities_file_is_an_error_naming_file_line_and_column(make_site, tmp_path, text, messages):
    src = entity_site(make_site, text)
    found = failure(src, tmp_path)
    assert found == [f"{src}/data/organizations.yml:{message}" for message in messages]


def test_every_taxonomy_has_its_file_and_errors_of_several_are_reported_together(make_site, tmp_path):
    src = entity_site(make_site, "- name: X\n  size: 1\n", "- name: China\n  aliases: [China]\n")
    assert failure(src, tmp_path) == [
        f"{src}/data/countries.yml:2:13: China.aliases: 'China' is already the name of the entity on line 1",
        f"{src}/data/organizations.yml:2:9: X: unknown key 'size'; expected name, aliases, description, parent "
        "and ids",
    ]


def test_a_brief_using_any_name_lands_on_the_one_term_page(make_site, tmp_path):
    out = tmp_path / "out"
    build(entity_site(make_site), out)
    names = sorted(p.name for p in (out / "organizations").iterdir() if p.is_dir())
    assert names == ["cid", "criminal-investigation-department", "interpol", "ministry-of-public-security", "mps",
                     "public-security-ministry", "公安部"]
    page = (out / "organizations" / "ministry-of-public-security" / "index.html").read_text()
    assert "<h1>Ministry of Public Security</h1>" in page and "4 briefs" not in page and "3 briefs" in page
    assert [t for t in ("Alpha", "Bravo", "Charlie", "Delta") if f">{t}</a>" in page] == ["Alpha", "Bravo", "Delta"]
    assert '<p class="term-description">China&#39;s national police authority.</p>' in page
    assert '<meta name="description" content="China&#39;s national police authority.">' in page
    assert '<p class="term-fact">Also known as MPS, 公安部 and Public Security Ministry.</p>' in page
    assert '<p class="term-fact">Part of <a href="/countries/china/">China</a>.</p>' in page
    assert ('<p class="term-fact">Includes <a href="/organizations/criminal-investigation-department/">'
            'Criminal Investigation Department</a>.</p>') in page  # Hidden Bureau has no brief: not named
    assert ('<p class="term-fact">Wikidata: <a href="https://www.wikidata.org/wiki/Q1073867">Q1073867</a>'
            ' · isni: 0000 0001 2175 3093</p>') in page
    # The brief's own spelling is gone from the brief page: it names the entity as declared.
    brief = (out / "briefs" / "b" / "index.html").read_text()
    assert ">Ministry of Public Security</a>" in brief and "公安部</a>" not in brief
    china = (out / "countries" / "china" / "index.html").read_text()
    assert "<h1>China</h1>" in china and "Also known as 中国 and PRC." in china
    assert ('Includes <a href="/organizations/ministry-of-public-security/">Ministry of Public Security</a>.'
            in china)  # a child of another taxonomy


def test_an_undeclared_term_page_is_as_before(make_site, tmp_path):
    out = tmp_path / "out"
    build(entity_site(make_site), out)
    page = (out / "organizations" / "interpol" / "index.html").read_text()
    assert "term-fact" not in page and "term-description" not in page
    assert '<meta name="description" content="Briefs on Interpol, newest first.">' in page


def test_a_parent_without_a_page_in_this_build_is_plain_text(make_site, tmp_path):
    out = tmp_path / "out"
    build(entity_site(make_site, briefs={"c.md": brief_text(organizations="[CID]")}), out)
    page = (out / "organizations" / "criminal-investigation-department" / "index.html").read_text()
    assert '<p class="term-fact">Part of Ministry of Public Security.</p>' in page
    assert not (out / "organizations" / "ministry-of-public-security").exists()
    assert (out / "organizations" / "cid" / "index.html").exists()


def test_an_alias_url_redirects_to_the_canonical_page_and_is_listed_nowhere(make_site, tmp_path):
    out = tmp_path / "out"
    build(entity_site(make_site), out)
    page = (out / "organizations" / "mps" / "index.html").read_text()
    target = "http://127.0.0.1:8000/organizations/ministry-of-public-security/"
    assert f'<link rel="canonical" href="{target}">' in page
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
    assert '<meta name="robots" content="noindex">' in page
    assert f'<p>MPS is another name for <a href="{target}">Ministry of Public Security</a>.</p>' in page
    assert (out / "organizations" / "公安部" / "index.html").exists()
    everything = tree(out)
    for name, data in everything.items():
        if not name.startswith("organizations/mps/"):
            assert b"organizations/mps/" not in data, name
    assert b"/public-security-ministry/" not in everything["sitemap.xml"]
    assert b"Public Security Ministry" not in (out / "organizations" / "index.html").read_bytes()


def test_an_alias_page_on_a_real_page_is_an_error_naming_the_data_file(make_site, tmp_path):
    src = entity_site(make_site, "- name: Interpol Bureau\n  aliases: [Interpol!]\n", briefs={
        "a.md": brief_text(organizations="[Interpol, Interpol Bureau]")})
    assert failure(src, tmp_path) == [
        f"{src}/data/organizations.yml:1:3: alias 'Interpol!' redirects from /organizations/interpol/, the file "
        "organizations/interpol/index.html, which organization 'Interpol' writes too"]


def test_entities_of_a_taxonomy_without_briefs_make_no_pages(make_site, tmp_path):
    out = tmp_path / "out"
    build(entity_site(make_site, briefs={"a.md": brief_text(tags="[x]")}), out)
    assert not (out / "organizations" / "mps").exists()
    assert "Ministry" not in "".join(data.decode(errors="replace") for data in tree(out).values())


@pytest.mark.parametrize(("a", "b", "why"), [
    ("Myanmar Police Force", "myanmar police forces", "same words"),
    ("Scam Centres", "scam-centre", "same words"),
    ("Ministries", "ministry", "same words"),
    ("Tax Offices", "tax office", "same words"),
    ("U.S.", "US", "same words"),
    ("Telecom Fraud", "TelecomFraud", "same words"),
    ("Cambodia", "Cambodai", "spelling"),
    ("Royal Thai Police", "Royal Thai Polise", "spelling"),
    ("Lancang-Mekong Cooperation", "Lancang-Mekong Cooperatoin", "spelling"),
    ("MPS", "Ministry of Public Security", "acronym"),
    ("Ministry for the Public Security", "M.P.S.", "acronym"),
    ("Laos", "Lao", "same words"),  # the plural folded
    ("Mali", "Malawi", None),  # short: two letters apart is not enough
    ("Thailand", "Taiwan", None),
    ("Interpol", "Europol", None),  # two apart, but Europol is shorter than 8 characters
    ("Myanmar", "Myanmar Police Force", None),
    ("MP", "Ministry of Public Security", None),
    ("Mekong", "Mekong Economic Kommission", None),
])
def test_likely_same_names_why_two_names_are_one_entity(a, b, why):
    assert likely_same(a, b) == why
    assert likely_same(b, a) == why


def test_same_entities_skips_pairs_the_desk_declared_apart():
    names = ["Cambodia", "Cambodai", "Royal Thai Police", "RTP", "Thailand"]
    assert same_entities(names, set()) == [("Cambodai", "Cambodia", "spelling"),
                                           ("Royal Thai Police", "RTP", "acronym")]
    assert same_entities(names, {"royal thai police", "rtp"}) == [("Cambodai", "Cambodia", "spelling")]
    assert same_entities(names, {"cambodia"}) == [("Cambodai", "Cambodia", "spelling"),
                                                  ("Royal Thai Police", "RTP", "acronym")]


def test_check_reports_terms_that_are_probably_one_entity_and_exits_0(make_site, cli):
    src = entity_site(make_site, briefs={
        "a.md": brief_text(title="Alpha", date="2025-01-01", organizations="[Myanmar Police Force, MPS]"),
        "b.md": brief_text(title="Bravo", date="2025-01-02", organizations="[Myanmar Police Forces]"),
        "c.md": brief_text(title="Charlie", date="2025-01-03", organizations="[Myanmar police forces, CIB]",
                           countries="[Cambodia]"),
        "d.md": brief_text(title="Delta", date="2025-01-04", countries="[Cambodai]", draft="true"),
        "e.md": brief_text(title="Echo", date="2025-01-05", organizations="[Central Investigation Bureau]"),
    })
    result = cli("check", "--source", str(src))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Checked 4 briefs and 39 pages: no errors.",
        "Probably one country (spelling): 'Cambodai' and 'Cambodia'",
        f"  'Cambodai': {src}/briefings/d.md",
        f"  'Cambodia': {src}/briefings/c.md",
        "Probably one organization (acronym): 'Central Investigation Bureau' and 'CIB'",
        f"  'Central Investigation Bureau': {src}/briefings/e.md",
        f"  'CIB': {src}/briefings/c.md",
        "Probably one organization (same words): 'Myanmar Police Force' and 'Myanmar Police Forces'",
        f"  'Myanmar Police Force': {src}/briefings/a.md",
        f"  'Myanmar Police Forces': {src}/briefings/b.md, {src}/briefings/c.md",
    ]


def test_incremental_build_equals_a_clean_one_after_edits_to_the_entities_files(make_site, tmp_path):
    src, out = entity_site(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    organizations = src / "data" / "organizations.yml"
    edits = [
        ORGANIZATIONS.replace("China's national police authority.", "The police ministry."),
        ORGANIZATIONS.replace("Public Security Ministry]", "Public Security Ministry, Interpol]"),  # joins the MPS
        ORGANIZATIONS.replace("[MPS, 公安部, Public Security Ministry]", "[MPS]"),  # 公安部: a term of its own
        ORGANIZATIONS.replace("  parent: China\n", ""),
        None,  # the file removed
    ]
    for number, text in enumerate(edits):
        before = stamps(out)
        if text is None:
            organizations.unlink()
        else:
            organizations.write_text(text, encoding="utf-8")
        build_site(Options(src, out, jobs=1))
        assert rewritten(out, before), text  # the edit shows somewhere
        assert tree(out) == clean_tree(src, tmp_path, f"clean{number}"), text


def test_import_suggests_an_entity_by_its_declared_aliases(make_site):
    src = entity_site(make_site, briefs={"a.md": brief_text(organizations="[Interpol]", countries="[China]")})
    config = load_site_config(src)[0]
    data, problems = load_data(src, config)
    assert problems == []
    site = build_index([], config, data=data)
    text = "Officers of the MPS met 公安部 staff and Interpol in the PRC; see mps.example.org."
    assert suggest_terms(text, site) == {"tags": [], "countries": ["China"],
                                         "organizations": ["Ministry of Public Security"]}
    assert suggest_terms("Files at mps.example.org; the cid said so.", site)["organizations"] == []
    assert suggest_terms("The Public-Security Ministry and CID", site)["organizations"] == [
        "Criminal Investigation Department", "Ministry of Public Security"]


def test_import_writes_the_canonical_name_of_an_alias_in_the_report(make_site, cli, tmp_path):
    src = entity_site(make_site, briefs={"a.md": brief_text(organizations="[Interpol]")})
    report = tmp_path / "2025-03-01-raid.txt"
    report.write_text("BEIJING, March 1 (Xinhua) -- The MPS said 40 suspects were held.\n", encoding="utf-8")
    result = cli("import", str(report), "--source", str(src))
    assert result.exit_code == 0, result.output
    written = next((src / "briefings").glob("2025-03-01-*.md")).read_text(encoding="utf-8")
    assert "organizations: [Ministry of Public Security]" in written


def test_same_entities_finds_every_pair_that_comparing_all_pairs_finds():
    import itertools
    import random

    rng = random.Random(14)
    base = ["Ministry of Public Security", "Royal Thai Police", "Telecom Fraud", "Scam Centre", "Mekong River",
            "National Immigration Administration", "Cambodia", "Human Trafficking", "Online Gambling", "Xinhua"]
    names = set(base) | {"MPS", "RTP", "NIA", "M.P.S.", "Scam-Centres", "online gamblings"}
    for name in base * 6:  # typos: one to three characters dropped, doubled or swapped
        for _ in range(rng.choice((1, 2, 3))):
            at = rng.randrange(len(name) - 1)
            name = rng.choice((name[:at] + name[at + 1:], name[:at] + name[at] + name[at:],
                               name[:at] + name[at + 1] + name[at] + name[at + 2:]))
        names.add(name)
    ordered = sorted(names, key=lambda n: (n.casefold(), n))
    every = [(a, b, likely_same(a, b)) for a, b in itertools.combinations(ordered, 2) if likely_same(a, b)]
    assert len(every) > 40
    assert same_entities(list(names), set()) == every


def test_a_left_out_brief_leaves_no_entity_page_link_or_redirect(make_site, tmp_path):
    # The amber brief alone uses the Ministry; the public build has no page of it, no redirect from its
    # aliases, and the page of its child names it as plain text from data/, never as a link.
    src = entity_site(make_site, briefs={
        "a.md": brief_text(title="Alpha", organizations="[MPS]", audience="amber"),
        "b.md": brief_text(title="Bravo", organizations="[CID]"),
    })
    (src / "site.yml").write_text(CONFIG + "audience: clear\n", encoding="utf-8")
    out = tmp_path / "out"
    build(src, out)
    assert sorted(p.name for p in (out / "organizations").iterdir() if p.is_dir()) == [
        "cid", "criminal-investigation-department"]
    page = (out / "organizations" / "criminal-investigation-department" / "index.html").read_text()
    assert '<p class="term-fact">Part of Ministry of Public Security.</p>' in page
    assert "ministry-of-public-security" not in "".join(data.decode(errors="replace") for data in tree(out).values())


def test_what_data_declares_is_shown_as_text(make_site, tmp_path):
    hostile = ('- name: "<script>alert(1)</script> Org"\n  aliases: ["<b>x</b>"]\n'
               '  description: "<img src=x onerror=alert(1)>"\n  ids: {"<i>k</i>": "<v>"}\n')
    src = entity_site(make_site, hostile, briefs={"a.md": brief_text(organizations='["<b>x</b>"]')})
    out = tmp_path / "out"
    build(src, out)
    page = (out / "organizations" / "script-alert-1-script-org" / "index.html").read_text()
    assert "<h1>&lt;script&gt;alert(1)&lt;/script&gt; Org</h1>" in page
    assert '<p class="term-description">&lt;img src=x onerror=alert(1)&gt;</p>' in page
    assert '<p class="term-fact">Also known as &lt;b&gt;x&lt;/b&gt;.</p>' in page
    assert '<p class="term-fact">&lt;i&gt;k&lt;/i&gt;: &lt;v&gt;</p>' in page
    assert "<p>&lt;b&gt;x&lt;/b&gt; is another name for" in (out / "organizations" / "b-x-b" / "index.html").read_text()
