"""Train our LaneATT on generated scenes (CPU, wall-time budget, resumable).

  python3 scripts/train/train.py --minutes 84 --epoch-images 2000 --attention --lane-free 0.03 \
      --lane-free-uniform --ema 0.9995                   # the committed model's run (npm run train)
  python3 scripts/train/train.py --smoke                 # a few iterations on a tiny set; loss must fall

Progress lines: epoch, iteration, each loss term, validation TuSimple accuracy/FP/FN.
Checkpoints (gitignored): <run>/last.pt after every epoch (resume with the same command), <run>/best.pt
for the best validation accuracy; with --ema also <run>/ema.pt, the exponential moving average of the
weights (same format: val_sweep.py and export.py take it as a checkpoint). Training data comes from .cache/lanes/train (scripts/train/cache.py);
missing scenes are rendered on the fly. The real TuSimple frames are never read here.
"""
import argparse
import copy
import glob
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cache  # noqa: E402
import laneatt  # noqa: E402
import metrics  # noqa: E402
import scenegen  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))


def log(msg, fh=None):
    line = f'[{time.strftime("%H:%M:%S")}] {msg}'
    print(line, flush=True)


def flip(img, targets):
    """Mirror a sample left-right: image columns and every x (continuous pixels: x -> 640 - x)."""
    img = img[:, ::-1].copy()
    t = targets.copy()
    if len(t):
        xs = t[:, 5:]
        t[:, 5:] = np.where(xs > -1e4, 640.0 - xs, xs)
        t[:, 3] = 1.0 - t[:, 3]
    return img, t


def load_train(path, rng):
    img, _, targets = cache.load_scene(path)
    if rng.random() < 0.5:
        img, targets = flip(img, targets)
    return img, targets


def lane_free_sample(rng, free_files):
    """A frame with no lanes and no labels: a cached unpainted road (scenegen.make(lane_free=True)) or,
    as often, a uniform frame with noise (a lens cap, a dead or overexposed camera); only the latter when
    free_files is empty (--lane-free-uniform, or no roads cached)."""
    if free_files and rng.random() < 0.5:
        img, _, targets = cache.load_scene(rng.choice(free_files))
        return img, targets
    nrng = np.random.default_rng(rng.randrange(2**31))
    img = np.empty((360, 640, 3), np.float32)
    img[:] = nrng.uniform(0, 255, 3)
    img += nrng.normal(0, nrng.uniform(0, 20), img.shape)
    return np.clip(img, 0, 255).astype(np.uint8), np.zeros((0, 5 + laneatt.N_OFFSETS), np.float32)


def to_input(imgs):
    x = np.stack([scenegen.preprocess(im) for im in imgs])
    return torch.from_numpy(x).contiguous(memory_format=torch.channels_last)


@torch.no_grad()
def predict_split(net, split='val', limit=None):
    """(raw output, GT lanes) of every scene of a cached generated split (missing scenes are rendered)."""
    was_training = net.training
    net.eval()
    out = []
    for seed in cache.seeds_for(split, 10**6)[: limit or None]:
        path = cache.path_for(split, seed)
        if not os.path.exists(path):
            cache.write_scene(split, seed)
        img, lanes, _ = cache.load_scene(path)
        out.append((net(to_input([img]))[0].numpy(), lanes))
    net.train(was_training)
    return out


def score(predictions, **decode):
    """TuSimple accuracy/FP/FN of predict_split's output under metrics.decode settings (default: conf 0.2,
    nms 45, top 5)."""
    frames = [
        ([metrics.to_tusimple(p, scenegen.H_SAMPLES) for p in metrics.decode(raw, **decode)], lanes, scenegen.H_SAMPLES)
        for raw, lanes in predictions
    ]
    return metrics.tusimple_mean(frames)


def evaluate(net, split='val', limit=None):
    """TuSimple accuracy/FP/FN of the model on a cached generated split (decode: conf 0.2, nms 45, top 5)."""
    return score(predict_split(net, split, limit))


class WeightAverage:
    """An exponential moving average of a network's weights and batch-norm statistics (updated after each
    step). Why: the last checkpoint's validation accuracy moves by +-0.01-0.02 from one epoch to the next
    (train.log); an average over the last ~1/(1 - decay) steps is a less noisy network to export."""

    def __init__(self, net, decay, state=None, updates=0):
        self.decay = decay
        self.state = {k: v.detach().clone() for k, v in (state or net.state_dict()).items()}
        self.updates = updates  # steps averaged so far (a resumed run continues its ramp)

    @torch.no_grad()
    def update(self, net):
        self.updates += 1
        # Early on the average would be dominated by the random initialisation: ramp the decay up.
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        for k, v in net.state_dict().items():
            if v.dtype.is_floating_point:
                self.state[k].mul_(d).add_(v.detach(), alpha=1 - d)
            else:
                self.state[k].copy_(v)

    def model(self, like):
        """A copy of the network with the averaged weights (for evaluation)."""
        net = copy.deepcopy(like)
        net.load_state_dict(self.state)
        return net


def save(path, state):
    tmp = path + '.tmp'
    torch.save(state, tmp)
    os.replace(tmp, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--minutes', type=float, default=84.0, help='wall-time budget; training stops by itself')
    ap.add_argument('--batch', type=int, default=8)
    ap.add_argument('--lr', type=float, default=3e-3)
    ap.add_argument('--epoch-images', type=int, default=800)
    ap.add_argument('--run', default=os.path.join(ROOT, '.cache', 'train', 'run'))
    ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--val-scenes', type=int, default=50, help='validation scenes scored after each epoch')
    ap.add_argument(
        '--attention', action='store_true', help='add the anchor attention (laneatt.AnchorAttention; in the committed model)'
    )
    ap.add_argument(
        '--no-position',
        action='store_true',
        help='with --attention: no image-independent per-anchor term in the attention logits',
    )
    ap.add_argument(
        '--centered-keys',
        action='store_true',
        help='with --attention: keys relative to the frame\'s mean key (a uniform frame gives no context)',
    )
    ap.add_argument(
        '--lane-free',
        type=float,
        default=0.0,
        help='fraction of training samples replaced by lane-free frames (cache.py --split free; default none)',
    )
    ap.add_argument(
        '--lane-free-from',
        type=float,
        default=0.0,
        help='start the lane-free samples at this fraction of the wall-time budget (default 0: from the start); '
        'a late start lets the network learn the roads first and then unlearn lanes where nothing is painted',
    )
    ap.add_argument(
        '--lane-free-uniform',
        action='store_true',
        help='lane-free samples are uniform noisy frames only (no unpainted roads): teaches that a frame with '
        'nothing in it has no lanes without asking the network to tell painted from unpainted edges',
    )
    ap.add_argument(
        '--ema',
        type=float,
        default=0.0,
        help='keep an exponential moving average of the weights with this decay per iteration (e.g. 0.999) and '
        'write it to <run>/ema.pt (scored on validation every 5 epochs)',
    )
    ap.add_argument('--smoke', action='store_true', help='few iterations on 4 scenes; prints first/last loss')
    ap.add_argument('--smoke-iters', type=int, default=30)
    ap.add_argument('--smoke-scenes', type=int, default=4)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    random.seed(a.seed)
    rng = random.Random(a.seed)
    net = laneatt.LaneATT(attention=a.attention, att_position=not a.no_position, att_centered=a.centered_keys).to(memory_format=torch.channels_last)
    opt = torch.optim.AdamW(net.parameters(), lr=a.lr, weight_decay=1e-4)

    if a.smoke:
        with torch.no_grad():
            f = net.features(torch.rand(1, 3, laneatt.IMG_H, laneatt.IMG_W))
            net.head_w.normal_()
            naive = laneatt.naive_heads(net, f)
            heads_diff = max(
                (net.heads(f) - naive).abs().max().item(),  # the sparse product (torch)
                (net.heads(f, gather=True) - naive).abs().max().item(),  # the gather (the ONNX export)
            )
            net.head_w.normal_(std=0.001)
            # the 1x1-convolution products training uses (laneatt.mkldnn_products) against plain matmuls
            weights, keys = torch.rand(2, 2784, 68), torch.rand(2, 68, laneatt.ATT_DIM)
            layer = torch.nn.Linear(laneatt.ATT_DIM, laneatt.N_HEAD)
            products_diff = max(
                (laneatt.batched_product(weights, keys) - torch.matmul(weights, keys)).abs().max().item(),
                (laneatt.linear_last(keys, layer) - layer(keys)).abs().max().item(),
            )
        samples = [scenegen.make(s) for s in range(a.smoke_scenes)]
        x = to_input([s[0] for s in samples])
        targets = [torch.from_numpy(s[2]) for s in samples]
        losses = []
        parts_gap = 0.0  # the logged length + xs terms against the regression loss they split
        for it in range(a.smoke_iters):
            parts = {}
            cls_l, reg_l = laneatt.laneatt_loss(net(x), targets, parts=parts)
            loss = cls_l + reg_l
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
            parts_gap = max(parts_gap, abs(parts.get('length', 0.0) + parts.get('xs', 0.0) - reg_l.item()))
            log(
                f'smoke it {it} loss {loss.item():.4f} (cls {cls_l.item():.4f} reg {reg_l.item():.4f}: length '
                f'{parts.get("length", 0.0):.4f} xs {parts.get("xs", 0.0):.4f})'
            )
        # The export's operating point (laneatt.set_operating_point): at a threshold between two middle
        # probabilities, the shifted network at LaneATT's 0.2 keeps the same anchors, in the same order.
        with torch.no_grad():
            net.eval()
            p = torch.softmax(net(x)[:, :, :2], dim=2)[:, :, 1]
            s = p.flatten().sort().values
            conf = float((s[len(s) // 2] + s[len(s) // 2 + 1]) / 2)
            laneatt.set_operating_point(net, conf)
            p2 = torch.softmax(net(x)[:, :, :2], dim=2)[:, :, 1]
            clear = (p - conf).abs() > 1e-6  # not within float rounding of the threshold
            op_mismatch = int(((p > conf) != (p2 > metrics.TUSIMPLE_CONF))[clear].sum())
            op_kept = int((p2 > metrics.TUSIMPLE_CONF).sum())
            op_order = bool((p2.gather(1, p.argsort(1)).diff(dim=1) >= -1e-6).all())  # rounding aside
        print(json.dumps({'first': losses[0], 'last': losses[-1], 'min': min(losses), 'heads_max_diff': heads_diff,
                          'products_max_diff': products_diff, 'parts_gap': parts_gap,
                          'operating_point': {'conf': conf, 'mismatch': op_mismatch, 'kept': op_kept,
                                              'anchors': p.numel(), 'order_kept': op_order}}))
        return 0

    os.makedirs(a.run, exist_ok=True)
    last_path, best_path = os.path.join(a.run, 'last.pt'), os.path.join(a.run, 'best.pt')
    state = {'epoch': 0, 'iter': 0, 'elapsed': 0.0, 'best': -1.0, 'history': []}
    if os.path.exists(last_path):
        ck = torch.load(last_path)
        net.load_state_dict(ck['model'])
        opt.load_state_dict(ck['opt'])
        state = ck['state']
        log(f'resumed from {last_path}: epoch {state["epoch"]}, {state["elapsed"] / 60:.1f} min used')
    resumed_ema = ck.get('ema') if os.path.exists(last_path) else None
    ema = WeightAverage(net, a.ema, resumed_ema, state['iter'] if resumed_ema else 0) if a.ema > 0 else None
    ema_path = os.path.join(a.run, 'ema.pt')
    budget = a.minutes * 60
    t_start = time.time() - state['elapsed']
    warmup = 25
    wants_roads = a.lane_free > 0 and not a.lane_free_uniform
    free_files = sorted(glob.glob(os.path.join(cache.CACHE, 'free', '*.npz'))) if wants_roads else []
    if wants_roads and not free_files:
        log('no lane-free scenes in .cache/lanes/free (cache.py --split free): uniform frames only')
    log(f'training: budget {a.minutes} min, batch {a.batch}, lr {a.lr}, {a.epoch_images} images/epoch')
    if a.lane_free > 0:
        log(f'lane-free samples: {a.lane_free:.0%} of each batch from {a.lane_free_from:.0%} of the budget on')
    done = False
    while not done:
        files = sorted(glob.glob(os.path.join(cache.CACHE, 'train', '*.npz')))
        if not files:
            raise SystemExit('no training scenes in .cache/lanes/train: run scripts/train/cache.py --split train first')
        erng = random.Random(a.seed * 1000 + state['epoch'])
        order = [erng.choice(files) for _ in range(a.epoch_images)]
        sums = {'cls': 0.0, 'reg': 0.0, 'length': 0.0, 'xs': 0.0, 'n': 0}
        t_epoch = time.time()
        for bi in range(0, len(order), a.batch):
            elapsed = time.time() - t_start
            if elapsed > budget:
                done = True
                break
            frac = min(elapsed / budget, 1.0)
            lr = a.lr * min(1.0, (state['iter'] + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * frac))
            for g in opt.param_groups:
                g['lr'] = lr
            batch = [load_train(p, erng) for p in order[bi : bi + a.batch]]
            if a.lane_free > 0 and frac >= a.lane_free_from:  # no extra random draws otherwise (reproducibility)
                batch = [lane_free_sample(erng, free_files) if erng.random() < a.lane_free else b for b in batch]
            x = to_input([b[0] for b in batch])
            targets = [torch.from_numpy(b[1]) for b in batch]
            parts = {}
            cls_l, reg_l = laneatt.laneatt_loss(net(x), targets, parts=parts)
            loss = cls_l + reg_l
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 10.0)
            opt.step()
            if ema:
                ema.update(net)
            state['iter'] += 1
            sums['cls'] += cls_l.item()
            sums['reg'] += reg_l.item()
            sums['length'] += parts.get('length', 0.0)
            sums['xs'] += parts.get('xs', 0.0)
            sums['n'] += 1
            if state['iter'] % 10 == 0:
                n = sums['n']
                log(
                    f'epoch {state["epoch"] + 1} it {state["iter"]} cls {sums["cls"] / n:.4f} reg {sums["reg"] / n:.4f} '
                    f'(length {sums["length"] / n:.4f} xs {sums["xs"] / n:.4f}) '
                    f'lr {lr:.2e} {(time.time() - t_epoch) / n / a.batch:.2f} s/img, {elapsed / 60:.1f}/{a.minutes:.0f} min, '
                    f'{len(files)} scenes cached'
                )
        state['epoch'] += 1
        state['elapsed'] = time.time() - t_start
        val = evaluate(net, 'val', limit=a.val_scenes)
        n = max(sums['n'], 1)
        entry = {
            'epoch': state['epoch'],
            **{k: sums[k] / n for k in ('cls', 'reg', 'length', 'xs')},
            **val,
            'minutes': state['elapsed'] / 60,
        }
        state['history'].append(entry)
        log(
            f'epoch {state["epoch"]} done: cls {entry["cls"]:.4f} reg {entry["reg"]:.4f} (length {entry["length"]:.4f} '
            f'xs {entry["xs"]:.4f}) | val accuracy {val["accuracy"]:.4f} '
            f'FP {val["fp"]:.4f} FN {val["fn"]:.4f}'
        )
        ck = {'model': net.state_dict(), 'opt': opt.state_dict(), 'state': state, 'args': vars(a)}
        if ema:
            ck['ema'] = ema.state
            if state['epoch'] % 5 == 0:  # ~1 s each; every fifth epoch keeps the log readable
                ema_val = evaluate(ema.model(net), 'val', limit=a.val_scenes)
                log(f'epoch {state["epoch"]} EMA weights: val accuracy {ema_val["accuracy"]:.4f} FP {ema_val["fp"]:.4f} '
                    f'FN {ema_val["fn"]:.4f}')
            save(ema_path, {'model': ema.state, 'state': state, 'args': vars(a)})
        if val['accuracy'] > state['best']:
            state['best'] = val['accuracy']
            save(best_path, ck)
            log(f'new best ({val["accuracy"]:.4f}) -> {best_path}')
        save(last_path, ck)
        if time.time() - t_start > budget:
            done = True
    log(f'finished: {state["epoch"]} epochs, {(time.time() - t_start) / 60:.1f} min, best val accuracy {state["best"]:.4f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
