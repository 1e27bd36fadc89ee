"""Decode settings on the validation scenes only (never the held-out test scenes or the real frames).

  python3 scripts/train/val_sweep.py [.cache/train/run/last.pt]

Prints TuSimple accuracy / FP / FN of a checkpoint on the 100 validation scenes for each conf threshold
and top-k, with this repository's Python decode (the same NMS and metric as train.py's evaluation). This is
how the exported checkpoint and the threshold in MODEL_CARD.md were chosen.
"""
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cache  # noqa: E402
import laneatt  # noqa: E402
import metrics  # noqa: E402
import scenegen  # noqa: E402
from train import to_input  # noqa: E402


def main():
    checkpoint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', '.cache', 'train', 'run', 'last.pt')
    torch.set_num_threads(2)
    net = laneatt.LaneATT()
    net.load_state_dict(torch.load(checkpoint, map_location='cpu')['model'])
    net.eval()
    net.gather_heads = False  # the same sums as the exported gather, faster in torch
    raws, gts = [], []
    with torch.no_grad():
        for seed in cache.seeds_for('val', 10**6)[:100]:
            path = cache.path_for('val', seed)
            if not os.path.exists(path):
                cache.write_scene('val', seed)
            img, lanes, _ = cache.load_scene(path)
            raws.append(net(to_input([img]))[0].numpy())
            gts.append(lanes)
    for conf in (0.2, 0.3, 0.4, 0.5, 0.6):
        for topk in (4, 5):
            frames = [
                ([metrics.to_tusimple(p, scenegen.H_SAMPLES) for p in metrics.decode(r, conf=conf, topk=topk)], g, scenegen.H_SAMPLES)
                for r, g in zip(raws, gts)
            ]
            m = metrics.tusimple_mean(frames)
            print(f"conf {conf} top {topk}: accuracy {m['accuracy']:.4f} FP {m['fp']:.3f} FN {m['fn']:.3f}")


if __name__ == '__main__':
    main()
