"""Real-world files (issue 24): an image is known by its contents, never published with its metadata;
attachments that a browser would run are refused; damaged, tall, long or huge files give located errors."""

from __future__ import annotations

import io
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from briefsite.media import files as media_files
from briefsite.media import images
from briefsite.media.files import media_url
from briefsite.media.images import DAMAGED, HAS_AVIF, MediaError, publish
from briefsite.memory.fingerprints import digest

from conftest import brief_text, build, encoded, failure, tree

SECRETS = (b"SpyCamMaker", b"secret-comment", b"Exif\x00\x00")


def camera_exif(image: Image.Image) -> Image.Exif:
    exif = image.getexif()
    exif[0x010F] = "SpyCamMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (13.0, 45.0, 7.0), 3: "E", 4: (100.0, 30.0, 2.0)})
    return exif


def photo(size=(640, 480), kind="JPEG") -> bytes:
    """A phone's photo: maker, GPS position and a comment."""
    image = Image.new("RGB", size, "#806040")
    options = {"comment": b"secret-comment"} if kind == "JPEG" else {}
    return encoded(image, kind, exif=camera_exif(image), **options)


def assert_no_metadata(out) -> None:
    """No published file carries the camera's make, GPS position, comment or any EXIF block."""
    published = b"".join(data for name, data in tree(out).items() if name.startswith("media/"))
    for secret in SECRETS:
        assert secret not in published


def site(make_site, files: dict[str, bytes], body="", **header):
    src = make_site({"b.md": brief_text(title="B", date="2025-01-01", body=body, **header)}, config="search: false\n")
    for name, data in files.items():
        (src / "briefings" / name).write_bytes(data)
    return src


# Item 2: an image is known by its contents, not its name.

@pytest.mark.parametrize("name", ["p.jfif", "p.jpe", "p.JPG", "p.png"])
def test_a_jpeg_under_any_name_is_shown_and_led_with_stripped(make_site, tmp_path, name):
    data = photo()
    src = site(make_site, {name: data}, body=f"![The compound]({name})",
               image=f"{{file: {name}, alt: The compound}}")
    out = tmp_path / "out"
    build(src, out)
    original = media_url(name, data).rsplit(".", 1)[0] + ".jpg"
    assert Image.open(out / original).format == "JPEG"
    page = (out / "briefs" / "b" / "index.html").read_text()
    assert f'<meta property="og:image" content="http://127.0.0.1:8000/{original}">' in page
    assert f'<link rel="enclosure" type="image/jpeg" href="http://127.0.0.1:8000/{original}"' \
        in (out / "feed.xml").read_text()
    assert_no_metadata(out)


@pytest.mark.parametrize(("files", "body", "header", "message"), [
    ({"notes.txt": b"Notes from the meeting.\n"}, "![x](notes.txt)", {},
     "5:6: 'notes.txt': not an image: JPEG, PNG, GIF, WebP, AVIF and SVG can be published"),
    ({"statement.pdf": b"%PDF-1.4 a statement"}, "", {"image": "{file: statement.pdf, alt: A statement}"},
     "4:8: 'statement.pdf': not an image: JPEG, PNG, GIF, WebP, AVIF and SVG can be published"),
    ({"scan.tiff": photo(kind="TIFF")}, "![x](scan.tiff)", {},
     "5:6: 'scan.tiff': TIFF images are not published: convert it to JPEG, PNG or WebP"),
    ({"scan.png": photo(kind="TIFF")}, "![x](scan.png)", {},  # a TIFF by its contents, whatever its name
     "5:6: 'scan.png': TIFF images are not published: convert it to JPEG, PNG or WebP"),
    ({"iphone.heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(64)}, "![x](iphone.heic)", {},
     "5:6: 'iphone.heic': HEIF images are not published: convert it to JPEG, PNG or WebP"),
])
def test_what_is_used_as_an_image_and_is_none_we_publish_is_an_error_at_its_reference(
        make_site, tmp_path, files, body, header, message):
    src = site(make_site, files, body=body, **header)
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:{message}"]


def test_an_image_linked_or_attached_is_published_stripped_and_pointed_at(make_site, tmp_path):
    data, other = photo(), photo(size=(300, 200))
    src = site(make_site, {"p.jfif": data, "raw.bin": other}, body="[The photo](p.jfif)",
               attachments="[raw.bin]")
    out = tmp_path / "out"
    build(src, out)
    linked = media_url("p.jfif", data).removesuffix(".jfif") + ".jpg"
    attached = media_url("raw.bin", other).removesuffix(".bin") + ".jpg"
    page = (out / "briefs" / "b" / "index.html").read_text()
    assert f'href="/{linked}"' in page and f'<a href="/{attached}">raw.bin</a>' in page
    assert sorted(name for name in tree(out) if name.startswith("media/")) == sorted([linked, attached])  # no renditions
    assert_no_metadata(out)


@pytest.mark.parametrize(("files", "body", "header", "message"), [
    ({"scan.tiff": photo(kind="TIFF")}, "[The scan](scan.tiff)", {},
     "5:12: 'scan.tiff': TIFF images are not published: convert it to JPEG, PNG or WebP"),
    ({"scan.dat": photo(kind="TIFF")}, "", {"attachments": "[scan.dat]"},
     "4:15: 'scan.dat': TIFF images are not published: convert it to JPEG, PNG or WebP"),
    ({"cut.jpg": photo()[:700]}, "[cut](cut.jpg)", {}, f"5:7: 'cut.jpg': {DAMAGED}"),
])
def test_an_image_linked_that_cannot_be_stripped_is_refused(make_site, tmp_path, files, body, header, message):
    src = site(make_site, files, body=body, **header)
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:{message}"]


# Item 5: what a browser would run is never attached or linked.

RUNNABLE = ("which a browser would run as part of the site: attach or link documents and images (PDF, text, "
            "office files, archives, JPEG, PNG), not web pages, scripts, XML or SVG")


@pytest.mark.parametrize(("name", "data", "kind"), [
    ("doc.html", b"<p>hello</p><script>alert(document.cookie)</script>", "an HTML page"),
    ("doc.HTM", b"plain words", "an HTML page"),
    ("page.xhtml", b"<html/>", "an HTML page"),
    ("map.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>', "an SVG"),
    ("feed.xml", b"<?xml version='1.0'?><rss/>", "an XML file"),
    ("style.xsl", b"<x/>", "an XML file"),
    ("app.js", b"alert(1)", "a script"),
    ("app.mjs", b"export {}", "a script"),
    ("notes.txt", b"\xef\xbb\xbf\n  <!DOCTYPE html><script>alert(1)</script>", "an HTML page"),
    ("route.kml", b'<?xml version="1.0"?><kml/>', "an XML file"),
    ("drawing", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "an SVG"),
])
def test_an_attachment_a_browser_would_run_is_refused_naming_what_may_be_attached(make_site, tmp_path, name, data,
                                                                                  kind):
    src = site(make_site, {name: data}, attachments=f"[{name}]")
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:4:15: '{name}' is {kind}, {RUNNABLE}"]


def test_a_page_linked_from_a_body_is_refused_too(make_site, tmp_path):
    src = site(make_site, {"page.html": b"<script>alert(1)</script>"}, body="See [the page](page.html).")
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:5:16: 'page.html' is an HTML page, {RUNNABLE}"]


def test_documents_are_attached_and_linked_as_they_are(make_site, tmp_path):
    files = {"s.pdf": b"%PDF-1.4 a statement", "t.csv": b"a,b\n1,2\n", "n.txt": b"Police < army\n",
             "r.docx": b"PK\x03\x04 office"}
    src = site(make_site, files, body="[notes](n.txt)", attachments="[s.pdf, t.csv, r.docx]")
    out = tmp_path / "out"
    build(src, out)
    assert {(out / media_url(name, data)).read_bytes() for name, data in files.items()} == set(files.values())


# Item 8: every brief's images are checked in every build, whatever its audience.

@pytest.mark.parametrize("audience", ["clear", "red"])
def test_a_left_out_briefs_damaged_image_fails_every_build_alike(make_site, tmp_path, audience):
    src = make_site({"a.md": brief_text(title="A", date="2025-01-01"),
                     "s.md": brief_text(title="S", date="2025-01-02", audience="red", body="![Map](map.png)")},
                    config=f"search: false\naudience: {audience}\n")
    (src / "briefings" / "map.png").write_bytes(encoded(Image.effect_noise((300, 200), 60), "PNG")[:3000])
    assert failure(src, tmp_path) == [f"{src}/briefings/s.md:6:8: 'map.png': {DAMAGED}"]


def test_a_left_out_briefs_good_image_is_checked_but_not_published(make_site, tmp_path):
    data = photo()
    src = make_site({"a.md": brief_text(title="A", date="2025-01-01"),
                     "s.md": brief_text(title="S", date="2025-01-02", audience="red", body="![Map](map.jpg)")},
                    config="search: false\n")
    (src / "briefings" / "map.jpg").write_bytes(data)
    out = tmp_path / "out"
    build(src, out)
    assert not (out / "media").exists()


# Item 9: a damaged image is an error in words, never a traceback.

def samples() -> dict[str, bytes]:
    picture = Image.radial_gradient("L").resize((300, 200)).convert("RGB")
    found = {kind: encoded(picture, kind) for kind in ["JPEG", "PNG", "WEBP", "GIF"] + ["AVIF"] * HAS_AVIF}
    frames = [Image.new("P", (64, 48), colour) for colour in (1, 2, 3)]
    found["animated GIF"] = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    found["MPO"] = encoded(picture, "MPO", save_all=True, append_images=[picture], exif=camera_exif(picture))
    return found


SAMPLES = samples()
# What a damaged file may be refused with; anything else (a traceback) fails the test.
REFUSALS = {DAMAGED, "not an image: JPEG, PNG, GIF, WebP, AVIF and SVG can be published",
            "the image has more than the 40 million pixels allowed: make it smaller"}


def refused_or_published(data: bytes) -> None:
    try:
        published = publish(data)
    except MediaError as error:
        assert str(error) in REFUSALS or str(error).endswith("images are not published: convert it to JPEG, PNG or "
                                                             "WebP") or str(error).startswith("the animation has")
    else:
        for file in published.files:
            assert not any(secret in file.data for secret in SECRETS)


@pytest.mark.parametrize("kind", SAMPLES)
def test_a_cut_short_image_is_damaged_in_words(kind):
    data = SAMPLES[kind]
    whole = len(data) // 2 if kind == "MPO" else len(data)  # an MPO publishes its first image: cut the second, fine
    for end in sorted({20, 60, whole // 4, whole // 2, whole - 40}):
        with pytest.raises(MediaError) as raised:
            publish(data[:end])
        assert str(raised.value) == DAMAGED, (kind, end)


@pytest.mark.parametrize("kind", SAMPLES)
def test_an_image_with_flipped_bytes_is_published_or_refused_in_words(kind):
    rng = random.Random(kind)
    for _ in range(40):
        data = bytearray(SAMPLES[kind])
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(12, len(data))] ^= 1 << rng.randrange(8)
        refused_or_published(bytes(data))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(SAMPLES)), cut=st.integers(0, 4000),
       flips=st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 255)), max_size=4))
def test_any_mutation_of_an_image_is_published_or_refused_in_words(kind, cut, flips):
    data = bytearray(SAMPLES[kind][: max(1, len(SAMPLES[kind]) - cut)])
    for at, bits in flips:
        data[at % len(data)] ^= bits
    refused_or_published(bytes(data))


# Item 10: renditions within each format's limits.

def test_a_full_page_screenshot_has_renditions_within_each_formats_limits(make_site, tmp_path):
    data = encoded(Image.new("RGB", (100, 17000), "white"), "PNG")  # narrow: one rendition to encode
    published = publish(data)
    assert [(r.suffix, r.width, r.height) for r in published.files] == [
        (".png", 100, 17000), *[("-100w.avif", 100, 17000)] * HAS_AVIF, ("-96w.webp", 96, 16320)]
    src = site(make_site, {"shot.png": data}, body="![The page](shot.png)")
    out = tmp_path / "out"
    build(src, out)
    folder = media_url("shot.png", data).removesuffix("shot.png")
    assert f'srcset="/{folder}shot-96w.webp 96w"' in (out / "briefs" / "b" / "index.html").read_text()
    assert Image.open(out / folder / "shot-96w.webp").size == (96, 16320)


def test_fitted_sizes_keep_the_aspect_and_give_up_only_below_a_pixel():
    assert images.fitted((2000, 1000), 480, 16383) == (480, 240)
    assert images.fitted((1000, 40000), 960, 16383) == (409, 16360)
    assert images.fitted((1, 40_000_000), 1, 65536) is None


# Item 11: an animation's frames × pixels are bounded before its frames are decoded.

def test_an_animation_with_too_many_frames_is_refused_before_it_is_decoded(monkeypatch):
    frames = [Image.new("RGB", (40, 30), ("red", "green", "blue")[n % 3]) for n in range(1000)]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert len(publish(data).original.data) > 0
    monkeypatch.setattr(images, "MAX_ANIMATION_PIXELS", 1_000_000)
    with pytest.raises(MediaError) as raised:
        publish(data)
    assert str(raised.value) == ("the animation has 1,000 frames of 40×30 pixels, more than the 1,000,000 pixels "
                                 "(frames × width × height) allowed: shorten it or make it smaller")


# Item 13: a size limit per published file, checked before it is read.

def test_a_file_larger_than_the_limit_is_an_error_naming_its_size_and_the_limit(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(media_files, "MAX_FILE_SIZE", 4000)
    src = site(make_site, {"big.pdf": b"%PDF" + bytes(6000), "small.pdf": b"%PDF" + bytes(3000)},
               attachments="[big.pdf, small.pdf]")
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:4:15: 'big.pdf' is 6 KB, more than the 4 KB allowed for "
                                      "a published file (GitHub Pages refuses larger files): make it smaller, or link "
                                      "to where it is kept"]


def test_a_huge_sparse_file_is_refused_without_being_read(make_site, tmp_path):
    src = site(make_site, {}, attachments="[huge.pdf]")
    with open(src / "briefings" / "huge.pdf", "wb") as huge:
        huge.truncate(3 * 1024**3)  # 3 GiB, no disk: read whole it would exhaust the test's memory
    assert failure(src, tmp_path) == [f"{src}/briefings/b.md:4:15: 'huge.pdf' is 3,221 MB, more than the 100 MB "
                                      "allowed for a published file (GitHub Pages refuses larger files): make it smaller, "
                                      "or link to where it is kept"]


def test_a_large_file_is_fingerprinted_by_its_digest():
    large = bytes(3 << 20)
    assert digest(large) == digest(bytes(3 << 20)) != digest(large + b"!")


# Item 18: a phone's JPEG holding a second image (MPO).

def test_an_mpo_is_published_from_its_first_image_as_a_stripped_jpeg(make_site, tmp_path):
    first, second = Image.new("RGB", (640, 480), "#c03030"), Image.new("RGB", (640, 480), "#3030c0")
    data = encoded(first, "MPO", save_all=True, append_images=[second], exif=camera_exif(first))
    assert Image.open(io.BytesIO(data)).format == "MPO" and b"SpyCamMaker" in data
    published = publish(data)
    assert (published.facts.format, published.original.suffix, published.original.mime) == ("JPEG", ".jpg",
                                                                                             "image/jpeg")
    with Image.open(io.BytesIO(published.original.data)) as image:
        assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
        assert image.convert("RGB").getpixel((10, 10))[0] > 150  # the first image, not the second
    src = site(make_site, {"hdr.jpg": data}, body="![The square](hdr.jpg)")
    out = tmp_path / "out"
    build(src, out)
    assert_no_metadata(out)
