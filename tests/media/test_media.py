"""Files beside briefs: bundles (a folder with index.md), relative references checked and published."""

from __future__ import annotations

import io
import json
import os

import pytest
from PIL import Image

from briefsite.build import Options, build_site
from briefsite.media.files import media_url

from conftest import brief_text, build, clean_tree, failure, png, tree

MAP = png()
SIZES = "(min-width: 44rem) 40rem, 100vw"  # the body's measure
PDF = b"%PDF-1.4 a statement"



def bundled_site(make_site, body="![Route of the return](route.png)\n\n[The statement](docs/statement.pdf#page=2)\n"):
    src = make_site({"2025-02-27-repatriation/index.md": "---\ntitle: Repatriation\n---\n" + body,
                     "plain.md": brief_text(title="Plain", date="2025-02-26", body="![Map](maps/mekong.png)")},
                    config="search: false\n")
    (src / "briefings" / "2025-02-27-repatriation" / "route.png").write_bytes(MAP)
    (src / "briefings" / "2025-02-27-repatriation" / "docs").mkdir()
    (src / "briefings" / "2025-02-27-repatriation" / "docs" / "statement.pdf").write_bytes(PDF)
    (src / "briefings" / "maps").mkdir()
    (src / "briefings" / "maps" / "mekong.png").write_bytes(MAP)
    return src


def test_a_bundle_is_named_by_its_folder_and_its_files_are_published(make_site, tmp_path):
    src, out = bundled_site(make_site), tmp_path / "out"
    build(src, out)
    page = (out / "briefs" / "2025-02-27-repatriation" / "index.html").read_text()
    route = media_url("2025-02-27-repatriation/route.png", MAP)
    statement = media_url("2025-02-27-repatriation/docs/statement.pdf", PDF)
    folder = route.removesuffix("route.png")
    assert (f'<picture><source type="image/avif" srcset="/{folder}route-480w.avif 480w, /{folder}route-800w.avif 800w" '
            f'sizes="{SIZES}"><source type="image/webp" srcset="/{folder}route-480w.webp 480w, '
            f'/{folder}route-800w.webp 800w" sizes="{SIZES}"><img src="/{route}" alt="Route of the return" '
            'width="800" height="400" decoding="async"></picture>') in page
    assert f'href="/{statement}#page=2"' in page
    assert Image.open(out / route).size == (800, 400) and (out / statement).read_bytes() == PDF
    assert '<time datetime="2025-02-27">' in page  # its date from the folder's name
    # One image shown by two briefs is one file; its URL is its contents'.
    assert media_url("maps/mekong.png", MAP) == route.replace("route.png", "mekong.png")
    assert f'src="/{media_url("maps/mekong.png", MAP)}"' in (out / "briefs" / "plain" / "index.html").read_text()


def test_media_urls_hold_while_contents_do(make_site, tmp_path):
    assert media_url("a/Route Map.PNG", MAP) == media_url("b/route-map.png", MAP)
    assert media_url("a/route-map.png", MAP) != media_url("a/route-map.png", MAP + b"!")
    assert media_url("a/route-map.png", MAP).startswith("media/") and media_url("???.pdf", PDF).endswith("/file.pdf")


@pytest.mark.parametrize(("body", "message"), [
    ("See ![map](missing.png).", "5:12: 'missing.png' matches no file (looked for briefings/b/missing.png)"),
    ("See [it](../../site.yml).", "5:10: '../../site.yml' is outside briefings/; keep the files a brief shows beside it"),
    ("Line\n\n[doc](sub/x.pdf \"The doc\")", "7:7: 'sub/x.pdf' matches no file (looked for briefings/b/sub/x.pdf)"),
])
def test_a_reference_to_no_usable_file_is_an_error_at_its_place(make_site, tmp_path, body, message):
    src = make_site({"b/index.md": brief_text(title="B", date="2025-01-01", body=body)}, config="search: false\n")
    assert failure(src, tmp_path) == [f"{src}/briefings/b/index.md:{message}"]


def test_a_symbolic_link_out_of_the_briefings_is_refused(make_site, tmp_path):
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", body="![x](secret.png)")},
                    config="search: false\n")
    (tmp_path / "secret.png").write_bytes(b"secret")
    os.symlink(tmp_path / "secret.png", src / "briefings" / "secret.png")
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:5:6: 'secret.png' is a symbolic link to outside "
                                      "briefings/"]


def test_references_in_code_are_text_and_links_elsewhere_stay(make_site, tmp_path):
    body = "`![x](nothing.png)` and [home](https://example.org/x.png) and [top](#top) and [root](/about/)"
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", body=body)}, config="search: false\n")
    out = tmp_path / "out"
    build(src, out)
    assert not (out / "media").exists()


def test_a_left_out_brief_publishes_none_of_its_files_but_its_errors_count(make_site, tmp_path):
    src = bundled_site(make_site)
    (src / "briefings" / "secret").mkdir()
    (src / "briefings" / "secret" / "index.md").write_text(
        brief_text(title="Secret", date="2025-01-01", audience="red", body="![x](informant.png)"))
    informant = png(colour="#123456")  # a real image: every brief's images are checked in every build
    (src / "briefings" / "secret" / "informant.png").write_bytes(informant)
    out = tmp_path / "out"
    build(src, out)
    assert not (out / media_url("secret/informant.png", informant)).parent.exists()
    (src / "briefings" / "secret" / "informant.png").unlink()
    assert failure(src, tmp_path) == [f"{src}/briefings/secret/index.md:6:6: 'informant.png' matches no file "
                                      "(looked for briefings/secret/informant.png)"]


def test_changing_a_file_publishes_the_new_one_and_equals_a_clean_build(make_site, tmp_path):
    src, out = bundled_site(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    (src / "briefings" / "2025-02-27-repatriation" / "route.png").write_bytes(png(colour="#3050c0"))
    result = build_site(Options(src, out, jobs=1))
    assert result.rendered >= 1
    assert Image.open(out / media_url("x/route.png", png(colour="#3050c0"))).getpixel((0, 0)) == (0x30, 0x50, 0xC0)
    assert (out / media_url("maps/mekong.png", MAP)).exists()  # still shown by the other brief
    assert not (out / media_url("x/route.png", MAP).replace("mekong", "route")).exists()
    assert tree(out) == clean_tree(src, tmp_path)


def own_files_site(make_site, files: dict[str, bytes]):
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01")}, config="search: false\n")
    for name, data in files.items():
        (src / "static" / name).parent.mkdir(parents=True, exist_ok=True)
        (src / "static" / name).write_bytes(data)
    return src


def test_the_sites_static_folder_is_published_as_it_is(make_site, tmp_path):
    files = {"CNAME": b"briefs.example.org\n", ".well-known/security.txt": b"Contact: mailto:desk@example.org\n",
             "img/logo.svg": b"<svg/>"}
    src, out = own_files_site(make_site, files), tmp_path / "out"
    build(src, out)
    assert {name: (out / name).read_bytes() for name in files} == files
    build_site(Options(src, out, jobs=1))
    (src / "static" / "CNAME").write_bytes(b"desk.example.org\n")
    build_site(Options(src, out, jobs=1))
    assert (out / "CNAME").read_bytes() == b"desk.example.org\n"
    assert tree(out) == clean_tree(src, tmp_path)


@pytest.mark.parametrize(("name", "message"), [
    ("index.html", "would replace index.html, which home page writes; rename or remove one"),
    ("briefs/b/index.html", "would replace briefs/b/index.html, which {src}/briefings/b.md writes; rename or remove one"),
    ("static/style.css", "would replace static/style.css, which the theme writes; rename or remove one"),
    ("pagefind/pagefind.js", "would replace pagefind/pagefind.js, which briefsite writes itself; rename or remove it"),
    (".briefsite", "would replace .briefsite, which briefsite writes itself; rename or remove it"),
])
def test_a_static_file_where_the_build_writes_is_an_error_naming_both(make_site, tmp_path, name, message):
    src = own_files_site(make_site, {name: b"mine"})
    assert failure(src, tmp_path) == [f"{src}/static/{name}: " + message.format(src=src)]
    assert not (tmp_path / "out").exists()


def test_a_static_link_out_of_the_folder_is_refused(make_site, tmp_path):
    src = own_files_site(make_site, {})
    (src / "static").mkdir()
    (tmp_path / "key").write_bytes(b"private")
    os.symlink(tmp_path / "key", src / "static" / "key.txt")
    assert failure(src, tmp_path) == [f"{src}/static/key.txt: is a symbolic link to outside static/"]


def test_an_image_without_alt_text_is_a_warning_at_its_line_and_the_page_stays_valid(make_site, tmp_path):
    body = "A map:\n\n![](route.png)\n\n<img src=\"route.png\">\n\n![The route](route.png)"
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", body=body)},
                    config="search: false\nallow_raw_html: true\n")
    (src / "briefings" / "route.png").write_bytes(MAP)
    out = tmp_path / "out"
    result = build(src, out)
    assert [str(w) for w in result.warnings] == [
        f"{src}/briefings/b.md:7:5: warning: image 'route.png' has no alt text; say what it shows, as in "
        "![Route of the convoy](route.png)",
        f"{src}/briefings/b.md:9:11: warning: image 'route.png' has no alt text; say what it shows, as in "
        "![Route of the convoy](route.png)"]
    page = (out / "briefs" / "b" / "index.html").read_text()
    assert page.count('alt="" width="800" height="400"') == 2
    assert 'alt="The route" width="800" height="400" loading="lazy"' in page  # the third image: below the fold


def test_attachments_and_a_lead_image_are_published_and_shown(make_site, tmp_path):
    header = {"attachments": "[docs/statement.pdf, {file: docs/statement.pdf, title: The ministry's statement}]",
              "image": "{file: route.png, alt: The route of the return flight, caption: Kunming to Bangkok}"}
    src = make_site({"r/index.md": brief_text(title="R", date="2025-02-27", **header)}, config="search: false\n")
    (src / "briefings" / "r" / "docs").mkdir(parents=True)
    (src / "briefings" / "r" / "docs" / "statement.pdf").write_bytes(PDF * 100)
    (src / "briefings" / "r" / "route.png").write_bytes(MAP)
    out = tmp_path / "out"
    build(src, out)
    page = (out / "briefs" / "r" / "index.html").read_text()
    pdf, lead = media_url("r/docs/statement.pdf", PDF * 100), media_url("r/route.png", MAP)
    assert f'<li><a href="/{pdf}">statement.pdf</a> <span class="document-facts">PDF, 2 KB</span></li>' in page
    assert f'<li><a href="/{pdf}">The ministry&#39;s statement</a> <span class="document-facts">PDF, 2 KB</span>' in page
    assert (f'<img src="/{lead}" alt="The route of the return flight" width="800" height="400" decoding="async">'
            '</picture>') in page  # the lead image is above the fold: not lazy
    assert "<figcaption>Kunming to Bangkok</figcaption>" in page
    assert f'<meta property="og:image" content="http://127.0.0.1:8000/{lead}">' in page
    thumbnail = lead.replace("route.png", "route-480w.webp")
    assert f'<img class="item-image" src="/{thumbnail}" alt="" loading="lazy" width="800" height="400">' \
        in (out / "index.html").read_text()
    assert (out / pdf).read_bytes() == PDF * 100
    export = json.loads((out / "briefs.json").read_text())["briefs"][0]
    assert export["image"] == {"url": f"http://127.0.0.1:8000/{lead}", "alt": "The route of the return flight",
                               "caption": "Kunming to Bangkok"}
    assert export["attachments"][1] == {"url": f"http://127.0.0.1:8000/{pdf}", "name": "The ministry's statement",
                                        "type": "PDF", "size": 2000}
    feed = json.loads((out / "feed.json").read_text())["items"][0]
    assert feed["image"] == f"http://127.0.0.1:8000/{lead}"
    assert f'<link rel="enclosure" type="image/png" href="http://127.0.0.1:8000/{lead}"' in (out / "feed.xml").read_text()


@pytest.mark.parametrize(("header", "message"), [
    ({"attachments": "[{file: x.pdf, name: X}]"}, "4:35: attachments: unknown key 'name' in an attachment; "
                                                   "expected file and title"),
    ({"attachments": "[https://example.org/x.pdf]"}, "4:15: attachments: 'https://example.org/x.pdf' is not a file "
                                                      "beside the brief; expected a relative path such as "
                                                      "'docs/statement.pdf'"),
    ({"attachments": "[{title: X}]"}, "4:15: attachments: expected a file beside the brief, such as "
                                      "'docs/statement.pdf'"),
    ({"attachments": "[missing.pdf]"}, "4:15: 'missing.pdf' matches no file (looked for briefings/missing.pdf)"),
    ({"image": "[route.png]"}, "4:8: image: expected a file beside the brief or {file, alt, caption}: the image, "
                               "and what it shows for readers who cannot see it, got a list"),
    ({"image": "https://example.org/route.png"}, "4:8: image: 'https://example.org/route.png' is not a file beside "
                                                 "the brief; expected a relative path such as 'docs/statement.pdf'"),
    ({"image": "{file: route.png}"}, "4:8: image: the image needs alt text: what it shows, for readers who cannot "
                                     "see it"),
    ({"image": "{file: gone.png, alt: A map}"}, "4:8: 'gone.png' matches no file (looked for briefings/gone.png)"),
])
def test_wrong_attachments_and_images_are_errors_at_their_place(make_site, tmp_path, header, message):
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", **header)}, config="search: false\n")
    (src / "briefings" / "route.png").write_bytes(MAP)
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:{message}"]


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (1200, 900), "#808080")
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    exif.get_ifd(0x8825)[2] = (13.0, 45.0, 0.0)  # GPSLatitude: where the photo was taken
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_published_photo_carries_no_metadata_and_each_rendition_its_size(make_site, tmp_path):
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", body="![The compound](compound.jpg)")},
                    config="search: false\n")
    (src / "briefings" / "compound.jpg").write_bytes(photo_with_gps())
    assert Image.open(src / "briefings" / "compound.jpg").getexif()  # the source has it
    out = tmp_path / "out"
    build(src, out)
    published = sorted(p.relative_to(out).as_posix() for p in (out / "media").rglob("*") if p.is_file())
    assert [name.rsplit("/", 1)[1] for name in published] == [
        "compound-1200w.avif", "compound-1200w.webp", "compound-480w.avif", "compound-480w.webp",
        "compound-960w.avif", "compound-960w.webp", "compound.jpg"]
    for name in published:
        with Image.open(out / name) as image:
            assert not image.getexif() and "exif" not in image.info, name
            width = int(name.rsplit("-", 1)[1].split("w.")[0]) if "w." in name else 1200
            assert image.size == (width, width * 3 // 4), name


def test_a_second_build_makes_no_image_again_and_a_new_one_only_that(make_site, tmp_path, monkeypatch):
    import briefsite.media.cache as cache

    made = []
    real = cache.publish
    monkeypatch.setattr(cache, "publish", lambda data: made.append(len(data)) or real(data))
    src, out = bundled_site(make_site), tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    assert len(made) == 1  # the two briefs' maps are one image
    (src / "briefings" / "plain.md").write_text(brief_text(title="Plain", date="2025-02-26",
                                                           body="![Map](maps/mekong.png) ![New](maps/new.png)"))
    (src / "briefings" / "maps" / "new.png").write_bytes(png(300, 200))
    build_site(Options(src, out, jobs=1))
    assert len(made) == 2  # only the new image
    assert tree(out) == clean_tree(src, tmp_path)


def test_an_image_that_cannot_be_published_is_an_error_at_its_reference(make_site, tmp_path):
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", body="![Map](map.png)")},
                    config="search: false\n")
    (src / "briefings" / "map.png").write_bytes(photo_with_gps()[:2000])
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:5:8: 'map.png': the image is damaged or cut short: "
                                      "export it again"]


def test_each_brief_gets_a_share_image_drawn_once_and_pointed_to(make_site, tmp_path, monkeypatch):
    import briefsite.media.previews as previews

    drawn = []
    real = previews.share_image
    monkeypatch.setattr(previews, "share_image", lambda *args: drawn.append(args[0]) or real(*args))
    src = make_site({"a.md": brief_text(title="Raid on a compound", date="2025-02-27", location="Mae Sot"),
                     "b.md": brief_text(title="Hidden", date="2025-02-27", audience="red")},
                    config="search: false\nshare_images: true\naudience: amber\n")
    out = tmp_path / "out"
    build_site(Options(src, out, jobs=1))
    with Image.open(out / "briefs" / "a" / "share.png") as card:
        assert card.size == (1200, 630) and card.format == "PNG"
    page = (out / "briefs" / "a" / "index.html").read_text()
    assert '<meta property="og:image" content="http://127.0.0.1:8000/briefs/a/share.png">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    assert not (out / "briefs" / "b").exists()  # a left-out brief has no card either
    (src / "briefings" / "c.md").write_text(brief_text(title="Another", date="2025-02-28"))
    build_site(Options(src, out, jobs=1))
    assert drawn == ["Raid on a compound", "Another"]  # the first card taken from the cache, not drawn again
    assert tree(out) == clean_tree(src, tmp_path)


def test_share_images_follow_the_marking_and_can_be_turned_off(make_site, tmp_path):
    src = make_site({"a.md": brief_text(title="Raid", date="2025-02-27")}, config="share_images: true\nsearch: false\n")
    build(src, tmp_path / "clear")
    (src / "site.yml").write_text("share_images: true\nsearch: false\naudience: amber\n")
    build(src, tmp_path / "amber")
    assert (tmp_path / "clear" / "briefs/a/share.png").read_bytes() != (tmp_path / "amber" / "briefs/a/share.png").read_bytes()
    (src / "site.yml").write_text("share_images: false\nsearch: false\n")
    build(src, tmp_path / "off")
    assert not (tmp_path / "off" / "briefs/a/share.png").exists()
    assert "og:image" not in (tmp_path / "off" / "briefs/a/index.html").read_text()
