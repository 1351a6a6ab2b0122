"""The Equal Earth projection (Šavrič, Patterson and Jenny, 2018), computed as d3-geo's `geoEqualEarthRaw`.

Equal-area, so a country's shade is not exaggerated by its latitude; parallels are straight lines,
and poles are lines as long as about a third of the equator.
"""

from __future__ import annotations

import math

A1, A2, A3, A4 = 1.340264, -0.081106, 0.000893, 0.003796
M = math.sqrt(3) / 2
_RADIANS = math.pi / 180
X_MAX = math.pi / (M * A1)  # x at (180°, 0°): half the equator's length, 2.7066…
_POLE = math.pi / 3  # the parametric latitude at a pole: asin(M)
Y_MAX = _POLE * (A1 + A2 * _POLE**2 + _POLE**6 * (A3 + A4 * _POLE**2))  # y at 90°N, 1.3173…
# x = λ cos θ / (M (A1 + 3 A2 θ² + 7 A3 θ⁶ + 9 A4 θ⁸)): the denominator's coefficients, for λ in degrees
_K1, _K3, _K7, _K9 = (M / _RADIANS * a for a in (A1, 3 * A2, 7 * A3, 9 * A4))


def equal_earth(lon: float, lat: float) -> tuple[float, float]:
    """(x, y) on the unit sphere for a longitude and latitude in degrees; y grows north.

    Longitudes beyond ±180 are projected as the formula extends them (x is linear in longitude),
    which is what lets a ring that crosses the antimeridian be followed before it is cut.
    """
    xs, ys = equal_earth_all([lon], [lat])
    return xs[0], ys[0]


def equal_earth_all(lons: list[float], lats: list[float]) -> tuple[list[float], list[float]]:
    """`equal_earth` for many points at once: (xs, ys); a map projects tens of thousands."""
    ks, ys = equal_earth_factors(lats)
    return [lon * k for lon, k in zip(lons, ks, strict=True)], ys


def equal_earth_factors(lats: list[float]) -> tuple[list[float], list[float]]:
    """For each latitude, (k, y): a point there at `lon` degrees from the central meridian projects to (lon·k, y).

    x is linear in longitude, so these are worked out once per point, and a map about any meridian
    projects it with a subtraction and a multiplication.
    """
    asin, sin, cos = math.asin, math.sin, math.cos
    thetas = [asin(M * sin(lat * _RADIANS)) for lat in lats]  # the parametric latitude
    ks = [cos(t) / (_K1 + t * t * (_K3 + t * t * t * t * (_K7 + _K9 * t * t))) for t in thetas]
    return ks, [t * (A1 + t * t * (A2 + t * t * t * t * (A3 + A4 * t * t))) for t in thetas]


def equal_earth_inverse(x: float, y: float) -> tuple[float, float]:
    """The longitude and latitude in degrees of a projected point, by Newton's method as d3-geo does."""
    y = max(-Y_MAX, min(Y_MAX, y))  # beyond a pole there is nothing; take the pole
    theta = y
    for _ in range(12):
        t2 = theta * theta
        t6 = t2 * t2 * t2
        delta = (theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2)) - y) / (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2))
        theta -= delta
        if abs(delta) < 1e-12:
            break
    t2 = theta * theta
    t6 = t2 * t2 * t2
    lon = M * x * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)) / math.cos(theta)
    lat = math.asin(max(-1.0, min(1.0, math.sin(theta) / M)))
    return lon / _RADIANS, lat / _RADIANS
