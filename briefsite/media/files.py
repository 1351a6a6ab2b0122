"""The files a brief's body refers to (an image, a map, a PDF): found beside it, checked, published.

A file is published at `media/<digest>/<name>`: its URL holds while its contents do, two briefs
showing one file share it, and a changed file gets a new URL that no cache serves stale.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote

from ..errors import BuildError, within
from ..filesystem import TooLarge, read_limited
from ..model.brief import BRIEF, LINKED, SHOWN, Brief, Reference
from ..reading.files import BRIEFS_DIR
from ..site.audience import Selection
from ..site.references import Pointed, Replaced, resolve
from ..site.urls import MEDIA
from ..values.slugs import slugify
from . import svg
from .cache import MediaCache, publish_all
from .html import picture
from .images import MediaError, Published, Rendition, is_image, read_facts


@dataclass(frozen=True)
class MediaFile:
    """A file beside the briefs that the build publishes: where it is, its URL and its bytes."""

    name: str  # its path under briefings/
    url: str  # site-relative
    data: bytes

    @property
    def path(self) -> str:
        """Its file in the output folder."""
        return self.url

    @property
    def mark(self) -> bytes:
        """What the last build's ledger is compared with: a digest of the bytes."""
        return hashlib.blake2b(self.data, digest_size=16).digest()


def place_files(chosen: Selection, source: Path, shown: str, beside: dict, base_path: str, cache: MediaCache,
                jobs: int = 1) -> tuple[Selection, list[MediaFile], list[BuildError]]:
    """The briefs' part of the media stage: every file reference of every brief checked and every image
    it uses made (a left-out brief's too, so a build's errors do not depend on its audience; the cache
    keeps that cheap), the chosen briefs pointed at their files, and the files to publish, which only
    chosen briefs decide."""
    prefix = within(shown, f"{BRIEFS_DIR}/")
    root = (source / BRIEFS_DIR).resolve()
    found: dict[str, MediaFile] = {}
    errors: list[BuildError] = []
    everyone = sorted([*chosen.briefs, *chosen.left_out_briefs], key=lambda brief: brief.path)
    uses = {brief.path: _resolved(brief, prefix, root, beside, found, errors) for brief in everyone}
    for brief in everyone:
        errors += [BuildError(brief.path, use.line, use.column, f"'{use.target}' {why}")
                   for use, file in uses[brief.path] if (why := _runnable(use, file))]
    chosen_files = {file.name for brief in chosen.briefs for _, file in uses[brief.path]}
    images, more = publish_images(found, [(brief, uses[brief.path]) for brief in everyone], cache, jobs, chosen_files)
    briefs = [_with_files(brief, _addresses(uses[brief.path], images), images, base_path) if uses[brief.path]
              else brief for brief in chosen.briefs]
    published = _published([use for brief in chosen.briefs for use in uses[brief.path]], images)
    return dataclasses.replace(chosen, briefs=briefs), published, errors + more


ATTACHED = "attached"  # SHOWN and LINKED are how a body refers to a file
# The largest file a brief may publish: GitHub Pages refuses a file over 100 MiB, and a file is read whole.
MAX_FILE_SIZE = 100_000_000


@dataclass(frozen=True)
class Use:
    """One place a brief refers to a file: the target as written, where, and how (shown, linked, attached)."""

    target: str
    line: int
    column: int
    how: str


@dataclass(frozen=True)
class PublishedImage:
    """An image as the site serves it: stripped of its metadata, with renditions in modern formats."""

    published: Published
    folder: str  # media/<digest>/
    stem: str

    def url(self, file: Rendition) -> str:
        return f"{self.folder}{self.stem}{file.suffix}"

    @property
    def files(self) -> list[MediaFile]:
        return [MediaFile(self.folder + self.stem, self.url(file), file.data) for file in self.published.files]


def publish_images(found: dict[str, MediaFile], uses, cache: MediaCache, jobs: int, published: set[str]
                   ) -> tuple[dict[str, PublishedImage], list[BuildError]]:
    """Every file shown as an image, and every file linked or attached that is an image by its contents,
    by its name under briefings/: those in `published` made (or taken from `cache`) on up to `jobs`
    processes, the others (only left-out briefs use them) only checked; an error at the first reference
    to each that cannot be published. `uses`: (brief, [(use, file)]) in a fixed order."""
    first = {}
    for brief, used in uses:
        for use, file in used:
            first.setdefault(file.name, (brief, use))
    # Shown as an image somewhere, or one by its contents (a JPEG named .jfif, or linked as a document,
    # still carries its GPS position).
    shown = {file.name for _, used in uses for use, file in used if use.how == SHOWN}
    names = [name for name in found if name in shown or is_image(found[name].data)]
    made = [name for name in names if name in published]
    results = dict(zip(made, publish_all([found[name].data for name in made], cache, jobs), strict=True))
    results |= {name: _checked(found[name].data) for name in names if name not in published}
    images, errors = {}, []
    for name in names:
        result = results[name]
        if isinstance(result, MediaError):
            brief, use = first[name]
            errors.append(BuildError(brief.path, use.line, use.column, f"'{use.target}': {result}"))
            continue
        if name not in published:
            continue
        folder, _, file_name = found[name].url.rpartition("/")
        images[name] = PublishedImage(result, folder + "/", file_name.rsplit(".", 1)[0])
    return images, errors


def _checked(data: bytes) -> MediaError | None:
    """Whether an image no chosen brief shows could be published: decoded, not made (no renditions)."""
    try:
        read_facts(data)
    except MediaError as exc:
        return exc
    return None


def _uses(brief: Brief) -> list[Use]:
    """Every file a brief refers to, with where and how: its body's images and links, attachments, lead image."""
    body = [Use(reference.target, reference.line, reference.column, reference.kind)
            for reference in brief.references if reference.kind != BRIEF]
    attachments = [Use(a.file, a.line, a.column, ATTACHED) for a in brief.attachments]
    image = [Use(brief.image.file, brief.image.line, brief.image.column, SHOWN)] if brief.image else []
    return [*body, *attachments, *image]


def _resolved(brief: Brief, prefix: str, root: Path, beside: dict, found: dict, errors: list
              ) -> list[tuple[Use, MediaFile]]:
    """Each file `brief` refers to, with its file (read into `found`, by name); an error for each that fails."""
    folder = posixpath.dirname(brief.path.removeprefix(prefix))
    files = []
    for use in _uses(brief):
        name = posixpath.normpath(posixpath.join(folder, unquote(use.target)))
        why = _unusable(name, root, beside)
        if why is None and name not in found:
            why = _read(name, root, found)
        if why:
            errors.append(BuildError(brief.path, use.line, use.column, f"'{use.target}' {why}"))
            continue
        files.append((use, found[name]))
    return files


def _read(name: str, root: Path, found: dict) -> str | None:
    """Read the file `name` into `found`; why it cannot be, or None. Its size is checked before it is read."""
    try:
        data = read_limited(root / name, MAX_FILE_SIZE)
    except TooLarge as exc:
        return f"{exc} for a published file (GitHub Pages refuses larger files): make it smaller, or link to " \
               "where it is kept"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    found[name] = MediaFile(name, media_url(name, data), data)
    return None


# A file a browser would run as part of the site if it were published as it is: by its name (a static host
# serves by extension) or by its contents (a browser sniffs a file without a known type).
_RUNNABLE_ENDINGS = {".html": "an HTML page", ".htm": "an HTML page", ".shtml": "an HTML page",
                     ".xhtml": "an HTML page", ".xhtm": "an HTML page", ".xht": "an HTML page", ".mht": "an HTML page",
                     ".mhtml": "an HTML page", ".svg": "an SVG", ".svgz": "an SVG", ".js": "a script",
                     ".mjs": "a script", ".cjs": "a script", ".es": "a script", ".ecma": "a script"}
# Every ending that mime-db 1.54 (the table GitHub Pages and most hosts serve types by) gives an HTML, XML
# or JavaScript type: served as XML, a file runs the XHTML scripts it holds (.xsd, .rss, .kml alike).
_MIME_DB_ENDINGS = """
1km ac aml atom atomcat atomdeleted atomsvc bdo bmml ccxml cdfx cdxml cjs cpl csl dae davmount dbk
dcmp dd2 ddf dtb dwd ecma emma emotionml es3 et3 fdt fo gml gpx grxml hal held htm html ink inkml
irp its js kml lasxml lbe lgr link66 lostxml mads maei mathml meta4 metalink mets mht mhtml mjs mods
mpd mpf mpkg mpp mrcx mscml musd musicxml mxml ncx obgx omdoc opf osfpvg osm owl pls provx pskcxml
rapd rdf relo res rif rl rld rng rs rsat rsd rsheet rss rusd sbml sdkd sdkm senmlx sensmlx shf shtml
sls smi smil sru srx ssdl ssml stpx svg svgz swidtag td tei teicorpus tfi ttml uo uoml uvt uvvt vxml
wadl wbs wif wsdl wspolicy x3d x3dz xaml xav xca xcs xdcf xdf xdm xdp xdssc xel xenc xer xht xhtm
xhtml xhvml xlf xml xns xop xpl xsd xsf xsl xslt xsm xspf xul xvm xvml yin zaz zmm
"""
_XML_ENDINGS = frozenset(f".{ending}" for ending in _MIME_DB_ENDINGS.split())
# What a browser sniffs as HTML or XML (WHATWG MIME Sniffing, "identifying a resource with an unknown type").
_SNIFFED_HTML = re.compile(rb"(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*<(?:!DOCTYPE HTML|HTML|HEAD|SCRIPT|IFRAME|H1|DIV|FONT|"
                           rb"TABLE|A|STYLE|TITLE|B|BODY|BR|P|!--)[ >]", re.IGNORECASE)
_SNIFFED_XML = re.compile(rb"(?:\xef\xbb\xbf)?[\t\n\x0c\r ]*<\?xml")
RUNNABLE = ("attach or link documents and images (PDF, text, office files, archives, JPEG, PNG), "
            "not web pages, scripts, XML or SVG")


def _runnable(use: Use, file: MediaFile) -> str | None:
    """Why a file linked or attached may not be published, being one a browser would run; or None."""
    if use.how == SHOWN:  # an image is checked as one (an SVG shown is checked for script)
        return None
    ending = PurePosixPath(file.name).suffix.lower()
    kind = _RUNNABLE_ENDINGS.get(ending) or ("an XML file" if ending in _XML_ENDINGS else None)
    if kind is None:
        data = file.data
        kind = ("an HTML page" if _SNIFFED_HTML.match(data) else "an SVG" if svg.looks_like_svg(data)
                else "an XML file" if _SNIFFED_XML.match(data) else None)
    return f"is {kind}, which a browser would run as part of the site: {RUNNABLE}" if kind else None


def _addresses(uses: list[tuple[Use, MediaFile]], images: dict[str, PublishedImage]) -> dict[str, MediaFile]:
    """Each target -> the file its reference points at: an image's stripped original, or the file itself."""
    def address(file: MediaFile) -> MediaFile:
        image = images.get(file.name)
        if image is None:
            return file
        original = image.published.original
        return MediaFile(file.name, image.url(original), original.data)

    return {use.target: address(file) for use, file in uses}


def _published(uses: list[tuple[Use, MediaFile]], images: dict[str, PublishedImage]) -> list[MediaFile]:
    """The files the chosen briefs' `uses` publish: an image shown with its renditions, an image linked or
    attached as its stripped original alone, any other file as it is."""
    published = {}
    for use, file in uses:
        image = images.get(file.name)
        shown = image.files if image and use.how == SHOWN else image.files[:1] if image else [file]
        published |= {item.url: item for item in shown}
    return sorted(published.values(), key=lambda file: file.url)


def _unusable(name: str, root: Path, beside: dict) -> str | None:
    """Why the file `name` (under briefings/) cannot be published, or None."""
    if name == ".." or name.startswith("../") or name.startswith("/"):
        return f"is outside {BRIEFS_DIR}/; keep the files a brief shows beside it"
    if name not in beside:
        return f"matches no file (looked for {BRIEFS_DIR}/{name})"
    if not (root / name).resolve().is_relative_to(root):  # a symbolic link may point anywhere
        return f"is a symbolic link to outside {BRIEFS_DIR}/"
    return None


def media_url(name: str, data: bytes) -> str:
    """`media/<digest of the contents>/<file name, made URL-safe>`."""
    path = PurePosixPath(name)
    stem = slugify(path.stem) or "file"
    return f"{MEDIA}/{hashlib.blake2b(data, digest_size=8).hexdigest()}/{stem}{path.suffix.lower()}"


def _with_files(brief: Brief, files: dict[str, MediaFile], images: dict[str, PublishedImage], base_path: str
                ) -> Brief:
    """The brief with each reference to a file pointed at its published URL (query and fragment kept), each
    image it shows as a `<picture>` of its renditions (lazy but the first, unless a lead image is shown
    above it), its attachments and lead image knowing theirs."""
    def href(url: str) -> str:
        return base_path + quote(url)

    def image_of(reference: Reference) -> PublishedImage | None:  # an <img> of a published image
        file = files.get(reference.target)
        return images.get(file.name) if file and reference.kind == SHOWN and reference.element == "img" else None

    # The body shows the lead image itself (an old post's first image often is): the page shows it there only.
    lead = files.get(brief.image.file) if brief.image else None
    in_body = lead is not None and any(image_of(r) and files[r.target] is lead for r in brief.references)
    shown = 0

    def point(reference: Reference):
        nonlocal shown
        file = files.get(reference.target) if reference.kind in (SHOWN, LINKED) else None
        image = image_of(reference)
        if image is None:
            return Pointed(href(file.url)) if file else None  # one that failed: the build fails on its error
        shown += 1
        lazy = shown > 1 or (brief.image is not None and not in_body)
        return Replaced(picture(image.published, lambda rendition: href(image.url(rendition)), reference.alt, lazy,
                                SIZES))

    def published(item, **more):  # one that failed is left as it was: the build fails on its error
        file = files.get(item.file)
        return dataclasses.replace(item, url=file.url, **{k: v(file) for k, v in more.items()}) if file else item

    attachments = tuple(published(a, size=lambda file: len(file.data)) for a in brief.attachments)
    image = _lead(brief, files, images, href)
    image = dataclasses.replace(image, in_body=True) if in_body else image
    return dataclasses.replace(resolve(brief, point), attachments=attachments, image=image)


def _lead(brief: Brief, files: dict[str, MediaFile], images: dict[str, PublishedImage], href):
    """The brief's lead image with its URL, size, markup and thumbnail once published."""
    lead = brief.image
    file = files.get(lead.file) if lead else None
    if file is None:
        return lead
    image = images.get(file.name)
    if image is None:  # not an image: the build fails on its error
        return dataclasses.replace(lead, url=file.url)
    original, renditions = image.published.original, image.published.renditions
    smallest = min(renditions, key=lambda r: (r.width, r.mime != "image/webp"), default=original)
    return dataclasses.replace(lead, url=image.url(original), width=original.width, height=original.height,
                               markup=picture(image.published, lambda r: href(image.url(r)), lead.alt, False, SIZES),
                               thumbnail=image.url(smallest))


SIZES = "(min-width: 44rem) 40rem, 100vw"  # an image spans the body's measure (40rem), or the screen
