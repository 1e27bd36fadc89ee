"""Render generated scenes into a gitignored cache (.cache/lanes/<split>/<seed>.npz) so training reads them fast.

Each file holds the 640x360 BGR frame as JPEG (quality 95), the LaneATT targets and the TuSimple lanes.
Splits use disjoint seed ranges (see scenegen.py): train 0.., val 2_000_000.., test 3_000_000.., and
lane-free scenes (no paint, no labels; train.py --lane-free) 4_000_000...
Usage: python3 scripts/train/cache.py --split train --count 6000 [--start 0] [--jobs 2]
"""
import argparse
import functools
import json
import multiprocessing
import os
import sys
import time

import cv2
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenegen  # noqa: E402

CACHE = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '.cache', 'lanes')


def seeds_for(split, count, start=0):
    if split in ('train', 'free'):
        base = scenegen.TRAIN_SEED_BASE if split == 'train' else scenegen.LANE_FREE_SEED_BASE
        return list(range(base + start, base + start + count))
    seeds = scenegen.VAL_SEEDS if split == 'val' else scenegen.TEST_SEEDS
    return seeds[start : start + count]


def path_for(split, seed):
    return os.path.join(CACHE, split, f'{seed}.npz')


# 2: fractional lengths where a lane ends at its label's end (scenegen.ground_truth). Files written
# before hold version 1 targets; they are brought up to date without rendering again (retarget).
TARGETS_VERSION = 2


def _save(out, jpg, targets, lanes):
    tmp = out + '.tmp.npz'
    np.savez(tmp, jpg=jpg, targets=targets, lanes=np.array(json.dumps(lanes)), targets_version=TARGETS_VERSION)
    os.replace(tmp, out)


def _targets_for(path):
    """The current targets of a cached scene, from its seed (the file's name) and split (its folder)."""
    split = os.path.basename(os.path.dirname(path))
    seed = int(os.path.splitext(os.path.basename(path))[0])
    s = scenegen.sample_scene(seed)
    if split == 'free':
        for bd in s['bounds']:
            bd['kind'] = 'none'
    return scenegen.ground_truth(s)[1]


def write_scene(split, seed):
    out = path_for(split, seed)
    if os.path.exists(out):
        return retarget(out)
    img, lanes, targets = scenegen.make(seed, lane_free=split == 'free')
    ok, jpg = cv2.imencode('.jpg', img, [cv2.IMWRITE_JPEG_QUALITY, 95])
    _save(out, jpg, targets, lanes)
    return True


def _targets_current(z):
    """Whether a loaded cache file's targets are of the current version (files without one are version 1)."""
    return 'targets_version' in z.files and int(z['targets_version']) >= TARGETS_VERSION


def retarget(path):
    """Rewrites a cached scene's targets if they are of an older version (the frame is kept)."""
    z = np.load(path)
    if _targets_current(z):
        return False
    _save(path, z['jpg'], _targets_for(path), json.loads(str(z['lanes'])))
    return True


def load_scene(path):
    z = np.load(path)
    img = cv2.imdecode(z['jpg'], cv2.IMREAD_COLOR)
    return img, json.loads(str(z['lanes'])), z['targets'] if _targets_current(z) else _targets_for(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--split', choices=['train', 'val', 'test', 'free'], required=True)
    ap.add_argument('--count', type=int, required=True)
    ap.add_argument('--start', type=int, default=0)
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 1, help='scenes rendered in parallel')
    a = ap.parse_args()
    os.makedirs(os.path.join(CACHE, a.split), exist_ok=True)
    t0 = time.time()
    seeds = seeds_for(a.split, a.count, a.start)
    # Each scene depends only on its seed, so rendering them in parallel gives the same files.
    with multiprocessing.Pool(max(1, a.jobs)) as pool:
        for i, _ in enumerate(pool.imap(functools.partial(write_scene, a.split), seeds, chunksize=16)):
            if (i + 1) % 500 == 0 or i + 1 == len(seeds):
                print(f'{a.split}: {i + 1}/{len(seeds)} scenes, {time.time() - t0:.0f} s', flush=True)


if __name__ == '__main__':
    main()
