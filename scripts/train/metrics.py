"""LaneATT decode (lane NMS + proposals to points) and the TuSimple metric, in numpy.

Written from the descriptions in ../shared/lanes/LANEATT.md (sections 4-6) and METRICS.md (section 2);
the app's TypeScript decoder implements the same algorithm.
"""
import numpy as np

N_ROWS = 72


def _row_span(r):
    s = int(np.trunc(r[2] * 71 + 0.5))
    e = int(np.trunc(s + r[4] - 0.5 - (1 if r[4] < 1 else 0)))
    return s, e


def _suppresses(a, b, thr):
    sa, ea = _row_span(a)
    sb, eb = _row_span(b)
    s, e = max(sa, sb), min(ea, eb, 71)
    if e < s:
        return False
    d = np.abs(a[5 + s : 5 + e + 1] - b[5 + s : 5 + e + 1]).sum()
    return d < thr * (e - s + 1)


def to_points(r):
    """One raw row -> [(x_px, y_px)] top to bottom in 640x360 input pixels (LANEATT.md section 5)."""
    xs = r[5:] / 640.0
    start = int(round(float(r[2]) * 71))
    length = int(np.round(r[4]))
    end = min(start + length - 1, 71)
    keep = np.zeros(N_ROWS, bool)
    keep[start:] = xs[start:] >= 0
    i = start - 1
    while i >= 0 and 0 <= xs[i] <= 1:
        keep[i] = True
        i -= 1
    keep[end + 1 :] = False  # a negative end + 1 counts from the top, as upstream's Python slice does
    rows = np.nonzero(keep)[0][::-1]
    return [(float(r[5 + i]), 360.0 * (1 - i / 71)) for i in rows]


TUSIMPLE_CONF = 0.2  # LaneATT's TuSimple test threshold, the app's default for LaneATT outputs


def decode(raw, conf=TUSIMPLE_CONF, nms_thres=45.0, topk=5):
    """raw [N, 77] -> list of lanes (each a list of (x, y) points in 640x360 pixels)."""
    raw = raw.astype(np.float32)
    p = 1.0 / (1.0 + np.exp(raw[:, 0] - raw[:, 1]))
    cand = np.nonzero(p > conf)[0]
    cand = cand[np.argsort(-p[cand], kind='stable')]
    kept = []
    for b in cand:
        if any(_suppresses(raw[a], raw[b], nms_thres) for a in kept):
            continue
        kept.append(b)
        if len(kept) == topk:
            break
    lanes = []
    for k in kept:
        pts = to_points(raw[k])
        if len(pts) >= 2:
            lanes.append(pts)
    return lanes


def to_tusimple(points, h_samples, sx=2.0, sy=2.0):
    """Lane points (640x360) -> TuSimple x list at h_samples (1280x720), -2 where absent (linear interpolation)."""
    pts = sorted(points, key=lambda p: p[1])
    ys = np.array([p[1] * sy for p in pts])
    xs = np.array([p[0] * sx for p in pts])
    out = []
    for h in h_samples:
        if h < ys[0] or h > ys[-1]:
            out.append(-2)
        else:
            x = float(np.interp(h, ys, xs))
            out.append(int(x) if x >= 0 else -2)
    return out


def _line_accuracy(pred, gt, thresh):
    pred = np.where(np.array(pred) >= 0, pred, -100)
    gt = np.where(np.array(gt) >= 0, gt, -100)
    return float(np.sum(np.abs(pred - gt) < thresh) / len(gt))


def tusimple_frame(pred, gt, h_samples):
    """(accuracy, fp, fn) of one frame (METRICS.md section 2)."""
    if len(gt) + 2 < len(pred):
        return 0.0, 0.0, 1.0
    ys = np.array(h_samples, np.float64)
    angles = []
    for lane in gt:
        x = np.array(lane, np.float64)
        ok = x >= 0
        if ok.sum() > 1:
            k = np.polyfit(ys[ok], x[ok], 1)[0]
            angles.append(np.arctan(k))
        else:
            angles.append(0.0)
    threshs = [20.0 / np.cos(a) for a in angles]
    matched, fp, fn, accs = 0.0, 0.0, 0.0, []
    for lane, th in zip(gt, threshs):
        best = max([_line_accuracy(p, lane, th) for p in pred], default=0.0)
        if best < 0.85:
            fn += 1
        else:
            matched += 1
        accs.append(best)
    fp = len(pred) - matched
    if len(gt) > 4 and fn > 0:
        fn -= 1
    s = sum(accs)
    if len(gt) > 4:
        s -= min(accs)
    return s / max(min(4, len(gt)), 1), fp / len(pred) if pred else 0.0, fn / max(min(len(gt), 4), 1)


def tusimple_mean(frames):
    """frames: iterable of (pred lanes, gt lanes, h_samples) -> dict of mean accuracy, fp, fn."""
    r = np.array([tusimple_frame(p, g, h) for p, g, h in frames])
    return {'accuracy': float(r[:, 0].mean()), 'fp': float(r[:, 1].mean()), 'fn': float(r[:, 2].mean())}
