"""What a published SVG may hold: the allow-lists of elements, attributes, links and CSS it is checked against."""

from __future__ import annotations

import re

SVG = "http://www.w3.org/2000/svg"
XHTML = "http://www.w3.org/1999/xhtml"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

# SVG 1.1/2 elements that draw, group, define paint or describe, and do nothing else.
SVG_ELEMENTS = frozenset({
    "svg", "g", "defs", "symbol", "use", "switch", "a", "title", "desc", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image", "foreignObject",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "view",
    "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode",
    "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile",
    "feTurbulence",
    "animate", "animateMotion", "animateTransform", "set", "mpath",  # their attributeName is checked
})
# XHTML that a diagram tool puts in <foreignObject> for its labels: text and its formatting.
XHTML_ELEMENTS = frozenset({
    "div", "span", "p", "br", "hr", "b", "i", "u", "s", "strong", "em", "small", "big", "sub", "sup",
    "font", "code", "pre", "tt", "mark", "del", "ins", "abbr", "q", "cite", "blockquote", "center", "strike",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "td", "th",
    "a",  # its href is checked as an SVG <a>'s is
})
# SVG elements dropped with all they hold: they describe the file, and no browser draws them.
DROPPED_SVG_ELEMENTS = frozenset({"metadata", "flowRoot"})  # flowRoot: SVG 1.2 text of old Inkscape
# Elements whose refusal says that they could run script (the others are only not on the list).
SCRIPTED_ELEMENTS = frozenset({
    "script", "handler", "listener", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
    "input", "button", "textarea", "select", "base", "link", "meta", "portal", "template", "noscript",
})
# Attributes without a namespace: core, geometry, presentation, text, paint servers, filters,
# animation timing, and the XHTML a label uses. Any other is dropped; `on*` is refused.
ATTRIBUTES = frozenset({
    "id", "class", "style", "lang", "role", "title", "dir", "tabindex", "target", "href",
    "version", "baseProfile", "viewBox", "preserveAspectRatio", "zoomAndPan",
    "requiredFeatures", "requiredExtensions", "systemLanguage",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height",
    "d", "points", "pathLength", "transform", "transform-origin",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side", "path",
    "refX", "refY", "markerWidth", "markerHeight", "markerUnits", "orient",
    "patternUnits", "patternContentUnits", "patternTransform", "gradientUnits", "gradientTransform",
    "spreadMethod", "offset", "clipPathUnits", "maskUnits", "maskContentUnits", "filterUnits", "primitiveUnits",
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
    "color-interpolation-filters", "color-rendering", "cursor", "direction", "display", "dominant-baseline",
    "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity",
    "font", "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant",
    "font-weight", "glyph-orientation-horizontal", "glyph-orientation-vertical", "image-rendering",
    "isolation", "kerning", "letter-spacing", "lighting-color", "marker", "marker-end", "marker-mid",
    "marker-start", "mask", "mask-type", "mix-blend-mode", "opacity", "overflow", "paint-order",
    "pointer-events", "shape-rendering", "stop-color", "stop-opacity", "stroke", "stroke-dasharray",
    "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity",
    "stroke-width", "text-anchor", "text-decoration", "text-rendering", "unicode-bidi", "vector-effect",
    "visibility", "white-space", "word-spacing", "writing-mode",
    "in", "in2", "result", "stdDeviation", "mode", "type", "values", "tableValues", "slope", "intercept",
    "amplitude", "exponent", "operator", "k1", "k2", "k3", "k4", "kernelMatrix", "kernelUnitLength", "order",
    "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "surfaceScale", "diffuseConstant",
    "specularConstant", "specularExponent", "scale", "xChannelSelector", "yChannelSelector", "radius",
    "baseFrequency", "numOctaves", "seed", "stitchTiles", "azimuth", "elevation", "z", "pointsAtX",
    "pointsAtY", "pointsAtZ", "limitingConeAngle",
    "attributeName", "attributeType", "begin", "dur", "end", "min", "max", "restart", "repeatCount",
    "repeatDur", "calcMode", "keyTimes", "keySplines", "keyPoints", "from", "to", "by", "additive", "accumulate",
    "align", "valign", "face", "size", "colspan", "rowspan",
})
XLINK_ATTRIBUTES = frozenset({"href", "title"})
XML_ATTRIBUTES = frozenset({"space", "lang"})

# What an href may be: a #id of the SVG anywhere, a web page on <a>, an embedded raster on <image>.
LOCAL_REFERENCE = re.compile(r"#[\w.:-]+")
WEB_LINK = re.compile(r"https?://[^\s\\\x00-\x1f\x7f]+", re.IGNORECASE)
EMBEDDED_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*", re.IGNORECASE)
LINKING_ELEMENTS = frozenset({"a"})
IMAGE_ELEMENTS = frozenset({"image", "feImage"})

# CSS (a <style>, a style attribute, any other attribute's value) may not load or run anything:
# url() only of a #id, and none of the other ways to name a file or run code.
CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)
CSS_URL = re.compile(r"url\(", re.IGNORECASE)
CSS_LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#[\w.:-]+\1\s*\)", re.IGNORECASE)
CSS_SCRIPT = re.compile(r"javascript:|vbscript:|expression\(|-moz-binding|behavior:", re.IGNORECASE)
CSS_LOADING = re.compile(r"@import|image-set\(|image\(|cross-fade\(|element\(|src\(", re.IGNORECASE)
