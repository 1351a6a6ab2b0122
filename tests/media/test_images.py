"""The image pipeline: facts, clean published files, renditions, refusals, the cache and the parallel batch."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from briefsite.media import cache as media_cache
from briefsite.media.cache import IMAGES_IN_PARALLEL, MediaCache, image_key, publish_all, publish_cached
from briefsite.media.html import picture
from briefsite.media.images import HAS_AVIF, MediaError, publish, read_facts, rendition_widths

from conftest import encoded

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
MODERN_MIMES = ["image/avif", "image/webp"] if HAS_AVIF else ["image/webp"]


def jpeg(size=(2000, 1000), orientation=1) -> bytes:
    """A camera's JPEG: maker, GPS position, orientation, a comment and a colour profile."""
    image = Image.new("RGB", size, (180, 40, 40))
    image.paste((20, 20, 200), (0, 0, size[0] // 4, size[1] // 4))
    exif = image.getexif()
    exif[0x010F] = "SpyCamMaker"
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (13.0, 45.0, 7.0), 3: "E", 4: (100.0, 30.0, 2.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=b"secret-comment", icc_profile=SRGB)
    return buffer.getvalue()


def png_with_text(size=(700, 300)) -> bytes:
    info = PngInfo()
    info.add_text("Author", "secret-author")
    info.add_itxt("Comment", "secret-itxt")
    buffer = io.BytesIO()
    Image.new("RGBA", size, (0, 128, 0, 128)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (64, 48), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300], loop=0,
                   comment=b"secret-comment")
    return buffer.getvalue()


def assert_no_metadata(data: bytes) -> Image.Image:
    for secret in (b"SpyCamMaker", b"secret-comment", b"secret-author", b"secret-itxt", b"Exif\x00\x00", b"<x:xmpmeta"):
        assert secret not in data
    image = Image.open(io.BytesIO(data))
    assert dict(image.getexif()) == {}
    assert not image.getexif().get_ifd(0x8825)  # no GPS
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "Author", "Comment"} & set(image.info)
    return image


def test_a_camera_jpeg_is_published_upright_without_exif_gps_or_comment_keeping_its_colour_profile():
    published = publish(jpeg(orientation=6))  # 6: the camera was turned a quarter to the right
    assert (published.facts.width, published.facts.height, published.facts.format) == (1000, 2000, "JPEG")
    assert published.original.suffix == ".jpg" and published.original.mime == "image/jpeg"
    for file in published.files:
        image = assert_no_metadata(file.data)
        assert image.size == (file.width, file.height)
        assert image.format == {"image/jpeg": "JPEG", "image/webp": "WEBP", "image/avif": "AVIF"}[file.mime]
        assert image.info.get("icc_profile") == SRGB
    upright = Image.open(io.BytesIO(published.original.data)).convert("RGB")
    assert upright.getpixel((5, 5))[0] > 150 and upright.getpixel((995, 5))[2] > 150  # the blue corner turned right


def test_renditions_come_in_a_few_widths_in_each_modern_format_never_wider_than_the_original():
    published = publish(jpeg(size=(2000, 1000)))
    assert [(r.suffix, r.width, r.height, r.mime) for r in published.renditions] == [
        (f"-{width}w{'.avif' if mime == 'image/avif' else '.webp'}", width, width // 2, mime)
        for width in (480, 960, 1600) for mime in MODERN_MIMES]
    assert rendition_widths(700) == (480, 700)
    assert rendition_widths(300) == (300,)
    assert rendition_widths(1600) == (480, 960, 1600)  # its own width: the widest a screen asks for
    assert rendition_widths(5000) == (480, 960, 1600)


def test_a_png_loses_its_text_chunks_and_keeps_its_transparency():
    published = publish(png_with_text())
    assert [r.width for r in published.renditions] == [480] * len(MODERN_MIMES) + [700] * len(MODERN_MIMES)
    for file in published.files:
        image = assert_no_metadata(file.data)
        assert image.convert("RGBA").getpixel((0, 0))[3] == 128 or file.mime == "image/avif"
    assert Image.open(io.BytesIO(published.original.data)).format == "PNG"


def test_an_animated_gif_keeps_its_frames_and_timing_without_renditions_or_comment():
    data = animated_gif()
    assert read_facts(data).animated
    published = publish(data)
    assert published.renditions == ()
    assert (published.original.suffix, published.original.width, published.original.height) == (".gif", 64, 48)
    image = assert_no_metadata(published.original.data)
    assert image.n_frames == 3
    assert [image.seek(n) or image.info["duration"] for n in range(3)] == [100, 200, 300]


def test_a_gif_with_a_transparent_colour_keeps_it_in_its_renditions():
    image = Image.new("P", (600, 200), 1)
    image.putpalette([255, 255, 255, 200, 0, 0] + [0] * 762)
    image.paste(0, (0, 0, 300, 200))
    published = publish(encoded(image, "GIF", transparency=0))
    for rendition in published.renditions:
        pixels = Image.open(io.BytesIO(rendition.data)).convert("RGBA")
        assert pixels.getpixel((10, 10))[3] == 0 and pixels.getpixel((rendition.width - 10, 10))[3] == 255


def test_a_cmyk_jpeg_is_published_in_rgb():
    published = publish(encoded(Image.new("CMYK", (500, 300), (0, 255, 255, 0)), "JPEG"))
    assert {Image.open(io.BytesIO(file.data)).mode for file in published.files} == {"RGB"}


def test_facts_of_each_format_read_and_published():
    image = Image.new("RGB", (40, 30), "white")
    for kind in ["JPEG", "PNG", "GIF", "WEBP"] + ["AVIF"] * HAS_AVIF:
        facts = read_facts(encoded(image, kind))
        assert (facts.width, facts.height, facts.format, facts.animated) == (40, 30, kind, False)


def test_the_same_bytes_make_byte_identical_files():
    for data in (jpeg(size=(1200, 800), orientation=3), png_with_text(), animated_gif()):
        assert publish(data) == publish(data)


@pytest.mark.parametrize(("data", "message"), [
    (b"not an image at all", "not an image: JPEG, PNG, GIF, WebP, AVIF and SVG can be published"),
    (encoded(Image.new("RGB", (4, 4)), "BMP"), "BMP images are not published: convert it to JPEG, PNG or WebP"),
    (jpeg()[:3000], "the image is damaged or cut short: export it again"),
    (png_with_text()[:200], "the image is damaged or cut short: export it again"),
])
def test_what_is_not_a_publishable_image_is_refused_in_words(data, message):
    with pytest.raises(MediaError) as raised:
        publish(data)
    assert str(raised.value) == message


def bomb(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width`×`height` pixels."""
    data = encoded(Image.new("L", (1, 1)), "PNG")
    header = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + header + struct.pack(">I", zlib.crc32(header)) + data[33:]


@pytest.mark.parametrize("size", [(8000, 6000), (100_000, 100_000)])
def test_a_decompression_bomb_is_refused_before_it_is_decoded(size):
    with pytest.raises(MediaError) as raised:
        read_facts(bomb(*size))
    assert str(raised.value) == "the image has more than the 40 million pixels allowed: make it smaller"


def test_a_plain_svg_is_published_written_anew_with_its_size():
    sized = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="320px" height="200"><rect/></svg>'
    boxed = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64.4 48"><rect/></svg>'
    written = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="320px" '
               b'height="200"><rect/></svg>')
    published = publish(sized)
    assert (published.facts, published.original.data, published.original.mime, published.renditions) == (
        read_facts(sized), written, "image/svg+xml", ())
    assert (published.facts.width, published.facts.height, published.original.suffix) == (320, 200, ".svg")
    assert (read_facts(boxed).width, read_facts(boxed).height) == (64, 48)


@pytest.mark.parametrize(("svg", "found"), [
    (b'<script>alert(1)</script>', "<script>"),
    (b'<rect onload="alert(1)"/>', "onload on <rect>"),
    (b'<a href="javascript:alert(1)"/>', "href 'javascript:alert(1)' on <a>"),
    (b'<foreignObject><script xmlns="http://www.w3.org/1999/xhtml"/></foreignObject>', "<script>"),
])
def test_an_svg_that_could_run_script_is_refused_naming_what_it_has(svg, found):
    # Every case is in tests/media/test_svg.py; this is the message as publish gives it.
    with pytest.raises(MediaError) as raised:
        publish(b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1">' + svg + b"</svg>")
    why = "is neither a #id of the SVG nor an http(s) link" if "href" in found else "could run script"
    assert str(raised.value) == f"the SVG has {found} on line 1, which {why}: remove it or export a PNG"


def test_an_svg_without_a_size_is_refused():
    with pytest.raises(MediaError) as raised:
        read_facts(b'<svg xmlns="http://www.w3.org/2000/svg" width="100%"></svg>')
    assert str(raised.value) == "the SVG has no width and height in pixels, nor a viewBox: add one"


def counting(monkeypatch) -> list:
    made = []

    def counted(data):
        made.append(data)
        return real(data)
    real = media_cache.publish
    monkeypatch.setattr(media_cache, "publish", counted)
    return made


def test_a_cached_image_is_read_back_without_any_pillow_work(tmp_path, monkeypatch):
    cache, data = MediaCache(tmp_path / "media"), jpeg(size=(1000, 600))
    first = publish_cached(data, cache)

    def no_pillow(*args, **kwargs):
        raise AssertionError("Pillow opened an image")
    monkeypatch.setattr(Image, "open", no_pillow)
    assert publish_cached(data, MediaCache(tmp_path / "media")) == first  # a later build, a new cache object


def test_a_damaged_cache_entry_is_made_again(tmp_path, monkeypatch):
    made = counting(monkeypatch)
    cache, data = MediaCache(tmp_path / "media"), png_with_text()
    first = publish_cached(data, cache)
    entry = tmp_path / "media" / image_key(data)[:2] / image_key(data)
    (entry / f"1{first.files[1].suffix}").write_bytes(b"cut short")
    assert publish_cached(data, cache) == first
    (entry / "index.json").write_text("{", encoding="utf-8")
    assert publish_cached(data, cache) == first
    (entry / "0.png").unlink()
    assert publish_cached(data, cache) == first
    assert publish_cached(data, cache) == first
    assert len(made) == 4


def test_a_batch_makes_only_what_is_new_and_reports_a_bad_image_in_its_place(tmp_path, monkeypatch):
    made = counting(monkeypatch)
    cache = MediaCache(tmp_path / "media")
    one, two = jpeg(size=(600, 400)), png_with_text()
    first = publish_all([one, two, one], cache)
    assert len(made) == 2 and first[0] == first[2] == publish(one)
    again = publish_all([one, b"junk", two, animated_gif()], cache)
    assert len(made) == 4  # only the new two: junk and the GIF
    assert (again[0], again[2]) == (first[0], first[1])
    assert str(again[1]) == "not an image: JPEG, PNG, GIF, WebP, AVIF and SVG can be published"


def test_a_parallel_batch_equals_a_serial_one(tmp_path):
    images = [jpeg(size=(500 + 10 * n, 300)) for n in range(4)] + [b"junk"]
    serial = publish_all(images, MediaCache(tmp_path / "serial"))
    assert len(images) >= IMAGES_IN_PARALLEL  # images are few and heavy: the pool starts from a handful
    pooled = publish_all(images, MediaCache(tmp_path / "pooled"), workers=2)
    assert pooled[:4] == serial[:4] and str(pooled[4]) == str(serial[4])
    assert publish_all(images, MediaCache(tmp_path / "pooled"))[:4] == serial[:4]  # and they were cached


def test_a_picture_has_a_source_per_format_and_an_img_with_its_size():
    published = publish(jpeg(size=(1000, 500)))
    html = picture(published, lambda file: f"/media/photo{file.suffix}", alt='Police at "the" border', lazy=True)
    sources = "".join(
        f'<source type="{mime}" srcset="/media/photo-480w{suffix}, 480w, /media/photo-960w{suffix} 960w, '
        f'/media/photo-1000w{suffix} 1000w" sizes="100vw">'.replace(", 480w,", " 480w,")
        for mime, suffix in zip(MODERN_MIMES, [".avif", ".webp"][-len(MODERN_MIMES):], strict=True))
    assert html == (f'<picture>{sources}<img src="/media/photo.jpg" alt="Police at &quot;the&quot; border" '
                    'width="1000" height="500" loading="lazy" decoding="async"></picture>')


def test_an_svg_or_animation_is_a_plain_img_and_eager_without_lazy():
    html = picture(publish(animated_gif()), lambda file: "/a.gif", alt=None, lazy=False)
    assert html == '<img src="/a.gif" alt="" width="64" height="48" decoding="async">'
