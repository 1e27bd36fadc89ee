"""Procedural highway frames with exact TuSimple ground truth, domain-randomised for training LaneATT.

One pinhole camera (height, pitch, roll, focal length, principal point) looks at a flat road whose
lane boundaries bend as X = b + k*Z + c*Z^2 (lateral X, forward Z, metres). The same projection
draws the markings and produces the labels, so the labels are exact by construction. Everything
random comes from numpy's PCG64 seeded with the scene seed, so a seed always gives the same frame.

Frames are rendered at TuSimple's 1280x720 (BGR, like cv2.imread) and then go through LaneATT's
own preprocessing (bilinear resize to 640x360) exactly like a real frame.
"""
import math

import cv2
import numpy as np

W, H = 1280, 720  # label (TuSimple) resolution
RW, RH = 640, 360  # render resolution = LaneATT input; the camera is scaled by 1/2 for drawing
H_SAMPLES = list(range(160, 720, 10))  # TuSimple 0531/0601/test rows
N_ROWS = 72  # LaneATT rows (anchor_ys = linspace(1, 0, 72) of the 360-high input)

# Seed ranges: disjoint by construction (train seeds are drawn below 10**6 only).
TRAIN_SEED_BASE = 0
VAL_SEEDS = list(range(2_000_000, 2_000_100))
TEST_SEEDS = list(range(3_000_000, 3_000_200))
# Lane-free training scenes (train.py --lane-free): the same roads with no paint and so no labels.
LANE_FREE_SEED_BASE = 4_000_000

_NOISE_BANK = None


def _noise_bank():
    """A few full-frame noise fields made once per process; scenes take random shifted crops (fast)."""
    global _NOISE_BANK
    if _NOISE_BANK is None:
        rng = np.random.default_rng(12345)
        fine = [cv2.GaussianBlur(rng.normal(0, 1, (RH * 2, RW * 2)).astype(np.float32), (0, 0), s) for s in (0.6, 1.2)]
        coarse = [
            cv2.resize(rng.normal(0, 1, (18, 32)).astype(np.float32), (RW * 2, RH * 2), interpolation=cv2.INTER_CUBIC)
            for _ in range(2)
        ]
        _NOISE_BANK = {'fine': [f / f.std() for f in fine], 'coarse': [c / c.std() for c in coarse]}
    return _NOISE_BANK


def _crop(rng, field):
    y = int(rng.integers(0, field.shape[0] - RH))
    x = int(rng.integers(0, field.shape[1] - RW))
    return field[y : y + RH, x : x + RW]


class Camera:
    def __init__(self, f, cx, cy, h, pitch, roll):
        self.f, self.cx, self.cy, self.h = f, cx, cy, h
        self.sp, self.cp = math.sin(pitch), math.cos(pitch)
        self.sr, self.cr = math.sin(roll), math.cos(roll)

    def project(self, X, Z, height=0.0):
        """World (lateral X, forward Z, height above ground) -> image (u, v), continuous pixels."""
        X = np.asarray(X, np.float64)
        Z = np.asarray(Z, np.float64)
        y = self.h - np.asarray(height, np.float64)
        yc = y * self.cp - Z * self.sp
        zc = np.maximum(y * self.sp + Z * self.cp, 1e-3)
        du = self.f * X / zc
        dv = self.f * yc / zc
        u = self.cx + du * self.cr - dv * self.sr
        v = self.cy + du * self.sr + dv * self.cr
        return u, v


def _uniform(rng, a, b):
    return float(rng.uniform(a, b))


def _color(rng, base, spread):
    return np.clip(np.array(base, np.float32) + rng.uniform(-spread, spread, 3), 0, 255).astype(np.float32)


def sample_scene(seed):
    """Draw every random parameter of one scene (a plain dict, so it can be logged and inspected)."""
    rng = np.random.default_rng(seed)
    s = {'seed': int(seed)}
    f = _uniform(rng, 0.72, 1.1) * W
    cx = W / 2 + rng.normal(0, 25)
    cy = H / 2 + rng.normal(0, 20)
    horizon = _uniform(rng, 0.30, 0.47) * H
    pitch = math.atan((cy - horizon) / f)
    roll = math.radians(float(np.clip(rng.normal(0, 1.3), -3.5, 3.5)))
    s['cam'] = dict(f=f, cx=cx, cy=cy, h=_uniform(rng, 1.2, 2.4), pitch=pitch, roll=roll)
    lane_w = _uniform(rng, 3.2, 3.9)
    n_lanes = int(rng.choice([2, 3, 3, 4, 4, 5]))
    ego = int(rng.integers(0, n_lanes))
    offset = _uniform(rng, -0.3, 0.3) * lane_w if rng.random() > 0.1 else _uniform(rng, -0.55, 0.55) * lane_w
    cam_x = (ego + 0.5) * lane_w + offset
    s['k'] = float(rng.normal(0, 0.018))
    s['c'] = float(rng.uniform(-1, 1) * 0.0014) if rng.random() > 0.3 else 0.0
    s['z_end'] = _uniform(rng, 55, 170)
    bounds = []
    for j in range(n_lanes + 1):
        edge = j == 0 or j == n_lanes
        b = j * lane_w - cam_x
        r = rng.random()
        if edge:
            if r < 0.15:
                kind = 'none'
            elif r < 0.25:
                kind = 'double'
            else:
                kind = 'solid'
            yellow = j == 0 and rng.random() < 0.45
        else:
            kind = 'dashed' if r < 0.5 else 'dots' if r < 0.72 else 'solid' if r < 0.82 else 'double' if r < 0.88 else 'dashdots'
            yellow = rng.random() < 0.08
        wear = _uniform(rng, 0.25, 0.8) if rng.random() < 0.35 else _uniform(rng, 0.8, 1.0)
        bounds.append(
            dict(
                b=b,
                kind=kind,
                yellow=bool(yellow),
                width=_uniform(rng, 0.1, 0.2),
                dash=_uniform(rng, 2.5, 4.0),
                period=_uniform(rng, 9.0, 14.0),
                phase=_uniform(rng, 0, 14),
                dot_gap=_uniform(rng, 1.0, 2.4),
                wear=wear,
                gaps=int(rng.integers(0, 4)) if wear < 0.8 else 0,
            )
        )
    s['bounds'] = bounds
    s['road'] = (bounds[0]['b'] - _uniform(rng, 0.3, 3.0), bounds[-1]['b'] + _uniform(rng, 0.3, 3.0))
    s['rng_state'] = int(rng.integers(0, 2**31))
    return s


def lane_x(s, b, Z):
    return b + s['k'] * Z + s['c'] * Z * Z


def labelled_bounds(s):
    """The marked boundaries TuSimple would label: up to two on each side of the camera."""
    marked = [bd for bd in s['bounds'] if bd['kind'] != 'none']
    left = sorted([bd for bd in marked if bd['b'] < 0], key=lambda bd: -bd['b'])[:2]
    right = sorted([bd for bd in marked if bd['b'] >= 0], key=lambda bd: bd['b'])[:2]
    return sorted(left, key=lambda bd: bd['b']) + right


def _curve_uv(s, cam, b, z_max):
    Z = np.geomspace(0.8, z_max, 400)
    return cam.project(lane_x(s, b, Z), Z)


def ground_truth(s, cam=None):
    """(TuSimple record lanes at 1280x720 h_samples, LaneATT targets [n, 77] at 640x360).

    LaneATT target row: [0, 1, start_y, start_x, length, 72 xs] with xs the lane extrapolated over
    every row (pixels of the 640-wide input), start = first row from the bottom inside the image,
    length = rows of the contiguous in-image run up to the labelled end. Where the run ends at the
    label's end (not at the image's side), the length is fractional: it reaches the exact row of the
    end, so that the decoder's rounded length ends on the row nearest to it. (A whole number of rows
    stopped up to a row short: predictions ended on average 0.59 h-samples short of the labels at
    the far end, MODEL_CARD.md.)"""
    cam = cam or Camera(**s['cam'])
    lanes, targets = [], []
    rows_v = 2 * 360 * (1 - np.arange(N_ROWS) / (N_ROWS - 1))  # LaneATT rows in 1280x720 pixels
    for bd in labelled_bounds(s):
        u, v = _curve_uv(s, cam, bd['b'], s['z_end'])
        order = np.argsort(v)
        u, v = u[order], v[order]
        v_top = v[0]
        # TuSimple label: the marking centre at each h_sample inside the image and below the end
        xs = np.interp(H_SAMPLES, v, u)
        lab = [int(round(x)) if (hs >= v_top and 0 <= x < W) else -2 for x, hs in zip(xs, H_SAMPLES)]
        if sum(1 for x in lab if x >= 0) < 2:
            continue
        # LaneATT target
        ax = np.interp(rows_v, v, u, left=np.nan) / 2.0  # NaN above the end of the label
        inside = (ax >= 0) & (ax < 640)
        if not inside.any():
            continue
        start = int(np.argmax(inside))
        end = start
        while end + 1 < N_ROWS and inside[end + 1]:
            end += 1
        if end - start + 1 < 2:
            continue
        # below the image bottom the lane is extrapolated linearly from the first two rows (as LaneATT)
        xs_all = ax.copy()
        xs_all[np.isnan(xs_all)] = -1e5
        t = np.zeros(5 + N_ROWS, np.float32)
        t[1] = 1
        t[2] = start / (N_ROWS - 1)
        t[3] = ax[start] / 640
        t[4] = end - start + 1
        if end + 1 < N_ROWS and np.isnan(ax[end + 1]):  # ended at the label's end, between rows end and end + 1
            t[4] += min(max((N_ROWS - 1) * (1 - v_top / 720.0) - end, 0.0), 0.999)
        t[5:] = xs_all
        lanes.append(lab)
        targets.append(t)
    return lanes, np.array(targets, np.float32).reshape(-1, 5 + N_ROWS)


# ------------------------------------------------------------------------------------- drawing


def _fill(img_or_mask, pts, value):
    p = np.clip(np.round(np.stack(pts, -1) * 8), -2**20, 2**20).astype(np.int32)
    cv2.fillPoly(img_or_mask, [p], value, lineType=cv2.LINE_AA, shift=3)


def _strip(cam, s, x0, x1, z0, z1, n=8, h0=0.0, h1=0.0, follow_road=True):
    """Polygon of a ground (or vertical, via heights) strip between road-lateral x0..x1 and Z z0..z1."""
    Z = np.geomspace(max(z0, 0.5), z1, n)
    xa = lane_x(s, x0, Z) if follow_road else np.full_like(Z, x0)
    xb = lane_x(s, x1, Z) if follow_road else np.full_like(Z, x1)
    ua, va = cam.project(xa, Z, h0)
    ub, vb = cam.project(xb, Z, h1)
    return np.concatenate([ua, ub[::-1]]), np.concatenate([va, vb[::-1]])


def render_camera(s):
    """The scene camera scaled to the render resolution."""
    c = dict(s['cam'])
    sc = RW / W
    c['f'], c['cx'], c['cy'] = c['f'] * sc, c['cx'] * sc, c['cy'] * sc
    return Camera(**c)


def _marking_mask(s, cam, rng):
    mask = np.zeros((RH, RW), np.float32)
    ymask = np.zeros((RH, RW), np.float32)
    ze = s['z_end']
    for bd in s['bounds']:
        if bd['kind'] == 'none':
            continue
        target = ymask if bd['yellow'] else mask
        hw = bd['width'] / 2
        offsets = [0.0] if bd['kind'] not in ('double',) else [-0.12 - hw, 0.12 + hw]
        if bd['kind'] == 'dashdots':
            offsets = [0.0]
        for off in offsets:
            b = bd['b'] + off
            segs = []
            if bd['kind'] in ('solid', 'double'):
                zs = np.geomspace(1.0, ze, 24)
                segs = list(zip(zs[:-1], zs[1:]))
            elif bd['kind'] in ('dashed', 'dashdots'):
                z = bd['phase'] - bd['period']
                while z < ze:
                    if z + bd['dash'] > 1:
                        segs.append((max(z, 1.0), min(z + bd['dash'], ze)))
                    z += bd['period']
            for z0, z1 in segs:
                if z1 <= z0:
                    continue
                fade = bd['wear'] * min(1.0, (ze - z0) / (0.25 * ze) + 0.15)
                if bd['gaps'] and rng.random() < 0.12 * bd['gaps']:
                    fade *= _uniform(rng, 0.0, 0.5)
                u, v = _strip(cam, s, b - hw, b + hw, z0, z1, n=4 if z1 - z0 < 6 else 8)
                _fill(target, (u, v), float(fade))
            if bd['kind'] in ('dots', 'dashdots'):
                z = 1.5 + bd['phase'] % bd['dot_gap']
                while z < ze:
                    if bd['kind'] == 'dots' or (z % bd['period']) > bd['dash'] + 1.5:
                        x = lane_x(s, b, z)
                        ang = np.linspace(0, 2 * np.pi, 10, endpoint=False)
                        r = 0.055
                        u, v = cam.project(x + r * np.cos(ang), z + r * np.sin(ang), 0.02 + 0.02 * (np.sin(ang) < 0))
                        fade = bd['wear'] * min(1.0, (ze - z) / (0.25 * ze) + 0.15)
                        _fill(target, (u, v), float(fade))
                    z += bd['dot_gap']
    return np.clip(mask, 0, 1), np.clip(ymask, 0, 1)


def _paint(img, polys, col, alpha=1.0, multiply=False, soften=0.0):
    """Composite polygons onto img inside their bounding box only (fast): colour/texture or darkening."""
    pts = [np.clip(np.round(np.stack(p, -1) * 8), -2**20, 2**20).astype(np.int32) for p in polys]
    allp = np.concatenate(pts) / 8.0
    pad = int(3 * soften) + 2
    x0, y0 = max(int(allp[:, 0].min()) - pad, 0), max(int(allp[:, 1].min()) - pad, 0)
    x1, y1 = min(int(allp[:, 0].max()) + pad + 1, RW), min(int(allp[:, 1].max()) + pad + 1, RH)
    if x1 <= x0 or y1 <= y0:
        return
    m = np.zeros((y1 - y0, x1 - x0), np.float32)
    off = np.array([x0 * 8, y0 * 8], np.int32)
    cv2.fillPoly(m, [p - off for p in pts], 1.0, lineType=cv2.LINE_AA, shift=3)
    if soften > 0:
        m = cv2.GaussianBlur(m, (0, 0), soften)
    m = (m * alpha)[..., None]
    region = img[y0:y1, x0:x1]
    if multiply:
        region *= 1 - m * col
    else:
        c = col[y0:y1, x0:x1] if np.ndim(col) == 3 else col
        region += m * (c - region)


def render(s):
    """Render the scene at the network's 640x360: BGR uint8."""
    rng = np.random.default_rng(s['rng_state'])
    cam = render_camera(s)
    bank = _noise_bank()
    fine0, fine1 = _crop(rng, bank['fine'][0])[..., None], _crop(rng, bank['fine'][1])[..., None]
    img = np.empty((RH, RW, 3), np.float32)
    # sky: vertical gradient, blue / grey / white / overcast
    top = _color(rng, rng.choice([[200, 150, 90], [200, 190, 180], [235, 230, 225], [170, 120, 70], [110, 100, 95]]), 30)
    hor = np.clip(top + rng.uniform(10, 70), 0, 255)
    hv = cam.project(0, 1e5)[1]
    t = np.clip(np.arange(RH, dtype=np.float32) / max(hv, 1), 0, 1)[:, None, None]
    img[:] = top * (1 - t) + hor * t
    # ground beside the road (grass, dirt, concrete)
    ground = _color(rng, rng.choice([[60, 110, 90], [90, 120, 130], [120, 130, 135], [70, 90, 80], [140, 150, 160]]), 25)
    gtex = ground * (1 + 0.12 * _crop(rng, bank['coarse'][0])[..., None] + 0.08 * fine1)
    far = 1e5
    _paint(img, [([-4 * RW, 5 * RW, 5 * RW, -4 * RW], [cam.project(-far, far)[1], cam.project(far, far)[1], 10 * RH, 10 * RH])], gtex)
    # distant treeline / hills / buildings silhouette above the horizon
    if rng.random() < 0.85:
        col = _color(rng, rng.choice([[50, 80, 60], [90, 100, 100], [120, 120, 130], [60, 60, 70], [40, 45, 40]]), 20)
        xs = np.arange(-32, RW + 32, 16).astype(np.float64)
        hgt = np.abs(np.cumsum(rng.normal(0, 4, len(xs)))) + rng.uniform(2, 45)
        us = np.concatenate([xs, [RW + 32, -32]])
        vs = np.concatenate([cam.project((xs - cam.cx) / cam.f * 1e4, 1e4)[1] - hgt, [cam.project(0, 1e4)[1] + 20] * 2])
        _paint(img, [(us, vs)], col * (1 + 0.15 * fine1))
    # road surface (asphalt or concrete) with texture, repairs, seams and tyre tracks
    asphalt = _color(rng, [rng.uniform(55, 150)] * 3, 12) if rng.random() > 0.2 else _color(rng, [165, 165, 160], 25)
    tex = 1 + _uniform(rng, 0.03, 0.12) * _crop(rng, bank['coarse'][1])[..., None] + _uniform(rng, 0.02, 0.10) * fine0
    _paint(img, [_strip(cam, s, s['road'][0], s['road'][1], 0.5, 3000, n=40)], asphalt * tex)
    for _ in range(int(rng.integers(0, 6))):  # lane-parallel distractors
        x0 = _uniform(rng, s['road'][0], s['road'][1])
        z0 = _uniform(rng, 1, 60)
        poly = _strip(cam, s, x0, x0 + _uniform(rng, 0.05, 1.2), z0, z0 + _uniform(rng, 5, 150))
        _paint(img, [poly], np.float32(_uniform(rng, -0.25, 0.3)), multiply=True)
    # lane markings
    white, yellow = _marking_mask(s, cam, rng)
    wcol = _color(rng, [225, 228, 230], 25)
    ycol = _color(rng, [40, 180, 215], 25)
    img += white[..., None] * (wcol - img)
    img += yellow[..., None] * (ycol - img)
    # guard rails / concrete barriers at the road edges
    for side in (0, 1):
        if rng.random() < 0.55:
            x = s['road'][side] + (_uniform(rng, 0, 1.0) * (1 if side else -1))
            hgt = _uniform(rng, 0.6, 1.1)
            col = _color(rng, rng.choice([[150, 150, 150], [180, 185, 185], [110, 110, 105], [150, 185, 200]]), 20)
            zs = np.geomspace(1.0, 400, 30)
            polys = []
            for z0, z1 in zip(zs[:-1], zs[1:]):
                xa, xb = lane_x(s, x, z0), lane_x(s, x, z1)
                u0, v0 = cam.project([xa, xb], [z0, z1], 0)
                u1, v1 = cam.project([xb, xa], [z1, z0], hgt)
                polys.append((np.concatenate([u0, u1]), np.concatenate([v0, v1])))
            _paint(img, polys, col * (1 + 0.08 * fine0))
    # roadside trees and poles (strong vertical edges)
    objs = []
    for _ in range(int(rng.integers(0, 14))):
        side = rng.random() < 0.5
        x = s['road'][0] - _uniform(rng, 1.5, 12) if side else s['road'][1] + _uniform(rng, 1.5, 12)
        objs.append((_uniform(rng, 5, 150), x, rng.random() < 0.7))
    for z, x, tree in sorted(objs, reverse=True):
        xw = lane_x(s, x, z)
        if tree:
            hgt, rad = _uniform(rng, 4, 12), _uniform(rng, 1.5, 4)
            trunk = cam.project([xw - 0.15, xw + 0.15, xw + 0.15, xw - 0.15], [z] * 4, [0, 0, hgt, hgt])
            ang = np.linspace(0, 2 * np.pi, 14, endpoint=False)
            rr = rad * (1 + 0.25 * rng.uniform(-1, 1, 14))
            crown = cam.project(xw + rr * np.cos(ang), np.full(14, z), hgt + rr * np.sin(ang))
            _paint(img, [trunk, crown], _color(rng, [40, 80, 55], 25))
        else:
            hgt = _uniform(rng, 6, 11)
            pole = cam.project([xw - 0.1, xw + 0.1, xw + 0.1, xw - 0.1], [z] * 4, [0, 0, hgt, hgt])
            _paint(img, [pole], _color(rng, [130, 130, 130], 30))
    # shadows of trees (blotchy blobs) and bridges (a band across the road)
    shadows = []
    for _ in range(int(rng.integers(0, 7)) if rng.random() < 0.6 else 0):
        zc, xc = _uniform(rng, 3, 60), _uniform(rng, s['road'][0] - 3, s['road'][1] + 3)
        for _ in range(int(rng.integers(2, 7))):
            ang = np.linspace(0, 2 * np.pi, 16, endpoint=False)
            rx, rz = _uniform(rng, 0.5, 4), _uniform(rng, 0.5, 6)
            ox, oz = rng.normal(0, 2), rng.normal(0, 3)
            zz = np.maximum(zc + oz + rz * np.sin(ang), 0.6)
            shadows.append(cam.project(lane_x(s, xc + ox, zz) + rx * np.cos(ang), zz))
    if rng.random() < 0.15:
        zb = _uniform(rng, 6, 60)
        depth = _uniform(rng, 6, 25)
        shadows.append(_strip(cam, s, s['road'][0] - 30, s['road'][1] + 30, zb, zb + depth))
        zd = zb + depth + _uniform(rng, 0, 10)
        deck = cam.project([-200, 200, 200, -200], [zd] * 4, [5.0, 5.0, 7.0, 7.0])
        _paint(img, [deck], _color(rng, [120, 120, 120], 30))
    if shadows:
        _paint(img, shadows, np.float32(_uniform(rng, 0.35, 0.7)), multiply=True, soften=_uniform(rng, 0.5, 2.5))
    # vehicles: boxes in lanes, far to near, with a dark contact shadow, rear window and lights
    cars = []
    lanes_c = [(a['b'] + b_['b']) / 2 for a, b_ in zip(s['bounds'][:-1], s['bounds'][1:])]
    for _ in range(int(rng.integers(0, 7))):
        cars.append((_uniform(rng, 6, 90), lanes_c[int(rng.integers(0, len(lanes_c)))] + rng.normal(0, 0.3)))
    for z, x in sorted(cars, reverse=True):
        truck = rng.random() < 0.2
        w_, h_ = (2.5, _uniform(rng, 3, 4)) if truck else (_uniform(rng, 1.7, 2.0), _uniform(rng, 1.3, 1.9))
        xw = lane_x(s, x, z)
        xs4 = [xw - w_ / 2, xw + w_ / 2, xw + w_ / 2, xw - w_ / 2]
        shadow = cam.project([xw - w_ / 2 - 0.2, xw + w_ / 2 + 0.2, xw + w_ / 2 + 0.2, xw - w_ / 2 - 0.2], [z, z, z + 4, z + 4])
        _paint(img, [shadow], np.float32(0.6), multiply=True)
        col = _color(rng, rng.choice([[30, 30, 30], [200, 200, 200], [40, 40, 150], [120, 60, 20], [150, 150, 150]]), 30)
        _paint(img, [cam.project(xs4, [z] * 4, [0.15, 0.15, h_, h_])], col)
        win = cam.project([xw - w_ * 0.4, xw + w_ * 0.4, xw + w_ * 0.4, xw - w_ * 0.4], [z] * 4, [h_ * 0.6, h_ * 0.6, h_ * 0.9, h_ * 0.9])
        _paint(img, [win], np.float32(0.7), multiply=True)
        for sx in (-1, 1):
            lx = xw + sx * w_ * 0.38
            light = cam.project([lx - 0.1, lx + 0.1, lx + 0.1, lx - 0.1], [z] * 4, [h_ * 0.45, h_ * 0.45, h_ * 0.55, h_ * 0.55])
            _paint(img, [light], np.array([30, 30, 200], np.float32))
    # haze towards the horizon
    haze = _uniform(rng, 0, 0.5)
    if haze > 0.05:
        vv = np.arange(RH, dtype=np.float32)
        a = haze * np.exp(-np.clip(vv - hv, 0, None) / _uniform(rng, 10, 40))[:, None, None]
        img = img * (1 - a) + hor * a
    # camera: exposure, gamma, colour cast, blur, noise, JPEG
    img *= _uniform(rng, 0.55, 1.35) * rng.uniform(0.92, 1.08, 3).astype(np.float32)
    lut = np.clip(255 * (np.arange(256) / 255) ** _uniform(rng, 0.75, 1.35), 0, 255).astype(np.uint8)
    out = cv2.LUT(np.clip(img + rng.uniform(0, 5) * fine0, 0, 255).astype(np.uint8), lut)
    if rng.random() < 0.5:
        out = cv2.GaussianBlur(out, (0, 0), _uniform(rng, 0.3, 1.0))
    if rng.random() < 0.15:
        k = int(rng.integers(2, 5)) * 2 + 1
        ker = np.zeros((k, k), np.float32)
        ker[k // 2, :] = 1 / k
        out = cv2.filter2D(out, -1, ker if rng.random() < 0.5 else ker.T)
    if rng.random() < 0.8:
        _, enc = cv2.imencode('.jpg', out, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(30, 96))])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return out


def preprocess(bgr):
    """LaneATT's preprocessing: BGR, bilinear resize to 640x360, /255, CHW float32."""
    x = cv2.resize(bgr, (640, 360), interpolation=cv2.INTER_LINEAR).astype(np.float32) / 255.0
    return x.transpose(2, 0, 1)


def make(seed, lane_free=False):
    """One sample: (BGR 1280x720 frame, TuSimple lanes, LaneATT targets). lane_free: every boundary
    unpainted, so the scene has no lanes to label (a network must not find lanes from the road alone)."""
    s = sample_scene(seed)
    if lane_free:
        for bd in s['bounds']:
            bd['kind'] = 'none'
    lanes, targets = ground_truth(s)
    return render(s), lanes, targets
