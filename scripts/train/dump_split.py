"""Write generated scenes as image files + a TuSimple label file, for evaluation outside Python.

  python3 scripts/train/dump_split.py --split test --count 200 --out .cache/lanes/test-export
  python3 scripts/train/dump_split.py --split test --count 24 --out test/fixtures/lanes-heldout --quality 90

Images are the 640x360 frames the network sees (JPEG); labels are TuSimple JSON lines at 1280x720
(raw_file relative to --out). Test seeds never overlap the training or validation seeds (scenegen.py).
"""
import argparse
import json
import os
import sys

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cache  # noqa: E402
import scenegen  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--split', choices=['val', 'test'], default='test')
    ap.add_argument('--count', type=int, default=200)
    ap.add_argument('--out', required=True)
    ap.add_argument('--quality', type=int, default=95)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    lines = []
    for seed in cache.seeds_for(a.split, a.count):
        img, lanes, _ = scenegen.make(seed)
        name = f'{a.split}_{seed}.jpg'
        cv2.imwrite(os.path.join(a.out, name), img, [cv2.IMWRITE_JPEG_QUALITY, a.quality])
        lines.append(json.dumps({'raw_file': name, 'lanes': lanes, 'h_samples': scenegen.H_SAMPLES}))
    with open(os.path.join(a.out, 'labels.json'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    print(f'wrote {len(lines)} scenes to {a.out}')


if __name__ == '__main__':
    main()
