"""Our LaneATT (Tabelini et al., CVPR 2021) sized for a CPU: anchors, network, matching and loss.

Output layout (../shared/lanes/LANEATT.md): per anchor a row of 77 values
[logit_bg, logit_lane, start_y, start_x, length, 72 absolute xs in pixels of the 640-wide input],
taken before NMS over the full set of 2784 anchors (left 432, bottom 1920, right 432).
"""
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import metrics

IMG_W, IMG_H = 640, 360
N_OFFSETS = 72
N_STRIPS = N_OFFSETS - 1
LEFT_ANGLES = [72.0, 60.0, 49.0, 39.0, 30.0, 22.0]
RIGHT_ANGLES = [108.0, 120.0, 131.0, 141.0, 150.0, 158.0]
BOTTOM_ANGLES = [165.0, 150.0, 141.0, 131.0, 120.0, 108.0, 100.0, 90.0, 80.0, 72.0, 60.0, 49.0, 39.0, 30.0, 15.0]
STRIDE = 16  # feature map the anchors pool from: 23 x 40
N_HEAD = 2 + 1 + N_OFFSETS  # cls logits, length, x offsets
ATT_DIM = 16  # per-anchor embedding the anchor attention works on
# The attention's keys are places where lanes can start: the anchors of KEY_ORIGINS neighbouring origins
# (all their angles) make one key, 20 px of the image edge. (origins, angles per origin) of left, bottom, right:
ORIGIN_GROUPS = [(72, len(LEFT_ANGLES)), (128, len(BOTTOM_ANGLES)), (72, len(RIGHT_ANGLES))]
KEY_ORIGINS = 4
N_KEYS = sum(n // KEY_ORIGINS for n, _ in ORIGIN_GROUPS)


def anchor_origins():
    """(start_x, start_y, angle_deg) of every anchor in LaneATT's order: left, bottom, right."""
    out = []
    for y in np.linspace(1, 0, 72):
        out += [(0.0, y, a) for a in LEFT_ANGLES]
    for x in np.linspace(1, 0, 128):
        out += [(x, 1.0, a) for a in BOTTOM_ANGLES]
    for y in np.linspace(1, 0, 72):
        out += [(1.0, y, a) for a in RIGHT_ANGLES]
    return out


def anchor_x(start_x, start_y, angle_deg, ys):
    """x (pixels) of an anchor line at normalised rows ys (0 = top, 1 = bottom)."""
    return (start_x + (start_y - ys) / math.tan(math.radians(angle_deg))) * IMG_W


def make_anchors():
    """[2784, 77] anchor rows: zeros, start_y = 1 - origin_y, start_x, length 0, 72 xs."""
    ys = np.linspace(1, 0, N_OFFSETS)
    rows = []
    for sx, sy, ang in anchor_origins():
        r = np.zeros(5 + N_OFFSETS, np.float32)
        r[2] = 1 - sy
        r[3] = sx
        r[5:] = anchor_x(sx, sy, ang, ys)
        rows.append(r)
    return np.stack(rows)


def make_cut_indices(fh, fw, rows):
    """Where each anchor crosses the pooled feature rows: flat indices into [len(rows) * fw + 1], where the
    extra last slot is a zero, used wherever the anchor is outside the map (LaneATT zeroes those)."""
    ys = (np.asarray(rows) * STRIDE + STRIDE / 2) / IMG_H
    zero = len(rows) * fw
    idx = np.zeros((len(anchor_origins()), len(rows)), np.int64)
    for a, (sx, sy, ang) in enumerate(anchor_origins()):
        cols = np.floor(anchor_x(sx, sy, ang, ys) / STRIDE).astype(np.int64)
        ok = (cols >= 0) & (cols < fw)
        idx[a] = np.where(ok, np.arange(len(rows)) * fw + np.clip(cols, 0, fw - 1), zero)
    return idx


def mkldnn_products():
    """Whether small matrix products should run as 1x1 convolutions. Debian's torch 1.13 is built with a generic
    (reference) BLAS: a [22272 x 16] x [16 x 75] product takes ~16 ms on this machine, the same product as a
    1x1 convolution (MKL-DNN) ~2 ms. Training uses the convolutions; the ONNX export keeps the plain products
    (the graph users see), which compute the same sums."""
    return not torch.onnx.is_in_onnx_export()


def linear_last(x, layer):
    """layer (nn.Linear) applied over the last dim of x [B, N, in] -> [B, N, out], as a 1x1 convolution
    when mkldnn_products()."""
    if not mkldnn_products():
        return layer(x)
    return F.conv1d(x.transpose(1, 2), layer.weight[:, :, None], layer.bias).transpose(1, 2)


def batched_product(a, b):
    """[B, N, K] x [B, K, M] -> [B, N, M], as one grouped 1x1 convolution (a group per sample) when
    mkldnn_products()."""
    if not mkldnn_products():
        return torch.matmul(a, b)
    n_batch, n, k = a.shape
    m = b.shape[2]
    x = a.transpose(1, 2).reshape(1, n_batch * k, n)
    w = b.transpose(1, 2).reshape(n_batch * m, k, 1)
    return F.conv1d(x, w, groups=n_batch).reshape(n_batch, m, n).transpose(1, 2)


def conv_bn(cin, cout, k=3, s=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, s, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Block(nn.Module):
    """ResNet basic block."""

    def __init__(self, c):
        super().__init__()
        self.c1 = conv_bn(c, c)
        self.c2 = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(x + self.c2(self.c1(x)))


class AnchorAttention(nn.Module):
    """LaneATT's anchor attention, sized for a CPU. LaneATT lets every anchor attend over all 2783 others
    with a linear layer from its pooled features to 2783 logits: a [2784 x 2783] matrix per frame, too
    slow here. This keeps its form (the logits are a linear function of the anchor's own features, the
    keys are places in the anchor set) but attends over 68 stretches of the image edge instead of the
    anchors: a stretch's key is the element-wise max of the embeddings of the anchors starting there (the
    strongest evidence of a lane starting there), and a low-rank per-anchor term says where an anchor at
    this place should look. The result is added to the cls and reg heads through a zero-initialised
    layer, so training starts from the plain model.
    In the committed model (MODEL_CARD.md). Trained only on scenes that all have lanes it drew lanes on
    blank frames (the heads learn where lanes usually are; centered=True, keys relative to the frame's mean
    key, did not stop it); 3 % uniform blank frames among the samples (train.py --lane-free 0.03
    --lane-free-uniform) do."""

    def __init__(self, n_anchors, dim=ATT_DIM, pos_rank=8, centered=False):
        super().__init__()
        self.dim = dim
        # centered: each key is taken relative to the mean of the frame's keys, so a frame whose edges all
        # look alike (a blank or uniform frame) gives every anchor a zero context, whatever the per-anchor
        # term makes it look at: the attention can then only add what differs between places in the image.
        # A buffer, so that a checkpoint says which form its weights belong to (from_state).
        if centered:
            self.register_buffer('centered_keys', torch.ones(()))
        self.centered = centered
        self.query = nn.Linear(dim, N_KEYS)
        # pos_rank 0: no per-anchor term, so where an anchor looks depends on the image alone
        # (the term is what let the attention learn lanes on blank frames)
        self.pos_q = nn.Parameter(torch.randn(n_anchors, pos_rank) * 0.1) if pos_rank else None
        self.pos_k = nn.Parameter(torch.randn(N_KEYS, pos_rank) * 0.1) if pos_rank else None
        self.out = nn.Linear(dim, N_HEAD)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, emb):
        """emb [B, A, dim] -> [B, A, N_HEAD], added to the heads."""
        b = emb.shape[0]
        evidence = F.relu(emb)
        keys, start = [], 0
        for origins, angles in ORIGIN_GROUPS:
            n = origins * angles
            per_key = evidence[:, start : start + n].reshape(b, origins // KEY_ORIGINS, KEY_ORIGINS * angles, self.dim)
            keys.append(torch.amax(per_key, dim=2))
            start += n
        keys = torch.cat(keys, dim=1)  # [B, N_KEYS, dim]
        if self.centered:
            keys = keys - keys.mean(dim=1, keepdim=True)
        logits = linear_last(emb, self.query)  # [B, A, N_KEYS]
        if self.pos_q is not None:
            logits = logits + torch.matmul(self.pos_q, self.pos_k.t())
        context = batched_product(torch.softmax(logits, dim=2), keys)  # [B, A, dim]
        return linear_last(context, self.out)


class LaneATT(nn.Module):
    def __init__(self, feat_c=64, attention=False, att_position=True, att_centered=False):
        super().__init__()
        # a strided 5x5 stem goes straight to 1/4 resolution: thin markings survive, compute stays small
        self.stem = nn.Sequential(nn.Conv2d(3, 24, 5, 4, 2, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True))
        self.s8 = nn.Sequential(conv_bn(24, 32, s=2), Block(32))  # 45 x 80
        self.s16 = nn.Sequential(conv_bn(32, 64, s=2), Block(64))  # 23 x 40
        self.s32 = nn.Sequential(conv_bn(64, 128, s=2), Block(128))  # 12 x 20: wider context
        self.lateral = nn.Conv2d(128, 64, 1)
        self.reduce = nn.Conv2d(64, feat_c, 1)  # LaneATT's conv1
        self.fh, self.fw = math.ceil(IMG_H / STRIDE), IMG_W // STRIDE
        # anchors pool from every other row of the 23-row map (12 rows, LaneATT's stride-32 count)
        self.rows = list(range(0, self.fh, 2))
        cut = make_cut_indices(self.fh, self.fw, self.rows)
        self.register_buffer('cut_idx', torch.from_numpy(cut.reshape(-1)))
        # the same crossings as a sparse [anchors, rows*fw] matrix (the zero slot dropped): `heads` in torch
        a_idx = np.repeat(np.arange(cut.shape[0]), cut.shape[1])
        inside = cut.reshape(-1) < len(self.rows) * self.fw
        self.crossings = torch.sparse_coo_tensor(
            np.stack([a_idx[inside], cut.reshape(-1)[inside]]), np.ones(int(inside.sum()), np.float32),
            (cut.shape[0], len(self.rows) * self.fw),
        ).coalesce()
        self.register_buffer('anchors', torch.from_numpy(make_anchors()))
        self.n_anchors = self.anchors.shape[0]
        # LaneATT's cls (2) and reg (1 + 72) linear layers over the anchor's pooled features [C x fh],
        # stored per feature row: W[r] acts on the features the anchor crosses at row r.
        # With attention, the same layer also gives each anchor its ATT_DIM embedding.
        self.attention = (
            AnchorAttention(self.n_anchors, pos_rank=8 if att_position else 0, centered=att_centered) if attention else None
        )
        n_out = N_HEAD + (ATT_DIM if attention else 0)
        w = torch.randn(len(self.rows), n_out, feat_c) * 0.001
        self.head_w = nn.Parameter(w)
        self.head_b = nn.Parameter(torch.zeros(n_out))

    def features(self, x):
        f16 = self.s16(self.s8(self.stem(x)))
        f32 = self.lateral(self.s32(f16))
        f = f16 + F.interpolate(f32, size=(self.fh, self.fw), mode='nearest')
        return self.reduce(f)

    def heads(self, f, gather=False):
        """Anchor feature pooling + linear heads, computed as 'project first, then gather': applying the
        row-r slice of the linear layer to every position of row r and summing the values each anchor
        crosses is the same sum as LaneATT's linear layer on the pooled vector, at ~1/50 of the cost.
        gather=True sums by gathering (what the ONNX export uses); else by the sparse `crossings` product."""
        b, nr = f.shape[0], len(self.rows)
        f = f[:, :, 0 : self.fh : 2, :]
        if gather:  # the export's form (forward gathers while exporting): plain products
            g = torch.matmul(self.head_w, f.permute(0, 2, 1, 3))  # [B, rows, 75 (+16), fw]
        else:  # the same per-row products as one grouped 1x1 convolution (a group per row): see mkldnn_products
            c, n_out = f.shape[1], self.head_w.shape[1]
            x = f.permute(0, 2, 1, 3).reshape(b, nr * c, 1, self.fw)
            g = F.conv2d(x, self.head_w.reshape(nr * n_out, c, 1, 1), groups=nr).reshape(b, nr, n_out, self.fw)
        g = g.permute(0, 1, 3, 2).reshape(b, nr * self.fw, -1)  # [B, rows*fw, 75 (+16)]: one vector per position
        if not gather:
            # The same sum as one sparse [anchors x positions] matrix (a 1 wherever an anchor crosses a
            # position) times the projections. torch 1.13's index_select along dim 1 and its backward
            # were most of a training step's CPU; this is a small fraction of it.
            c = g.shape[2]
            flat = g.permute(1, 0, 2).reshape(nr * self.fw, b * c)
            out = torch.sparse.mm(self.crossings, flat).reshape(self.n_anchors, b, c).permute(1, 0, 2)
            return out + self.head_b
        g = torch.cat([g, g.new_zeros(b, 1, g.shape[2])], dim=1)  # the zero slot for outside-the-map
        # Export: ONNX has no sparse product; gathering whole vectors (not single values) keeps the
        # ONNX Gather a row copy, fast in ORT.
        g = torch.index_select(g, 1, self.cut_idx).reshape(b, self.n_anchors, nr, -1)
        return g.sum(2) + self.head_b  # [B, A, 75 (+16: the attention's embedding)]

    def forward(self, x):
        """x: [B, 3, 360, 640] BGR / 255 -> [B, 2784, 77] raw proposals (LaneATT layout)."""
        # ONNX has no sparse product: the export gathers (the smoke test checks both give the same sums)
        out = self.heads(self.features(x), gather=torch.onnx.is_in_onnx_export())
        if self.attention is not None:
            out = out[:, :, :N_HEAD] + self.attention(out[:, :, N_HEAD:])
        a = self.anchors[None].expand(x.shape[0], -1, -1)
        return torch.cat([out[:, :, :2], a[:, :, 2:4], out[:, :, 2:3], a[:, :, 5:] + out[:, :, 3:]], dim=2)


def from_state(state_dict):
    """The network a checkpoint's weights belong to (with or without the anchor attention), loaded."""
    net = LaneATT(
        attention=any(k.startswith('attention.') for k in state_dict),
        att_position='attention.pos_q' in state_dict,
        att_centered='attention.centered_keys' in state_dict,
    )
    net.load_state_dict(state_dict)
    return net


def naive_heads(net, f):
    """LaneATT's formulation, for checking `heads`: pool each anchor's features (zero outside the map),
    flatten to [C x rows] and apply one linear layer."""
    b, c = f.shape[0], f.shape[1]
    f = f[:, :, 0 : net.fh : 2, :]
    flat = torch.cat([f.reshape(b, c, -1), f.new_zeros(b, c, 1)], dim=2)
    pooled = flat[:, :, net.cut_idx].reshape(b, c, net.n_anchors, len(net.rows))  # [B, C, A, rows]
    pooled = pooled.permute(0, 2, 3, 1).reshape(b, net.n_anchors, -1)  # [B, A, rows*C]
    weight = net.head_w.permute(1, 0, 2).reshape(net.head_w.shape[1], -1)  # [75 (+16), rows*C]
    return F.linear(pooled, weight, net.head_b)


def set_operating_point(net, conf, standard=metrics.TUSIMPLE_CONF):
    """Folds a decode threshold chosen on validation into the lane logit's bias, so that decoding the
    network at LaneATT's standard threshold keeps exactly the proposals whose lane probability was above
    `conf` before (a monotonic shift of one logit: the ranking, hence NMS, is unchanged). softmax(l0, l1)[1]
    > t  <=>  l1 - l0 > log(t / (1 - t)), so adding log-odds(standard) - log-odds(conf) to l1 maps `conf`
    onto `standard`. Returns the shift."""
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    shift = logit(standard) - logit(conf)
    with torch.no_grad():
        net.head_b[1] += shift
    return shift


class Exported(nn.Module):
    """What torch.onnx.export sees: outputs predict_lanes [1,2784,77] and 914 = per-anchor lane probability."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        p = self.net(x)
        return p, torch.softmax(p[:, :, :2], dim=2)[:, :, 1]


# ----------------------------------------------------------------------------------- matching + loss


def match(anchors, target, pos_thr=15.0, neg_thr=20.0):
    """LaneATT's anchor-to-GT matching: mean |dx| over the GT's rows; < pos_thr positive, > neg_thr negative.

    Returns (positive mask, negative mask, index of the matched GT per anchor)."""
    n = target.shape[0]
    if n == 0:
        a = anchors.shape[0]
        return torch.zeros(a, dtype=torch.bool), torch.ones(a, dtype=torch.bool), torch.zeros(a, dtype=torch.long)
    rows = torch.arange(N_OFFSETS)
    starts = torch.round(target[:, 2] * N_STRIPS)
    ends = starts + target[:, 4] - 1
    valid = (rows[None] >= starts[:, None]) & (rows[None] <= ends[:, None])  # [n, 72]
    d = (anchors[None, :, 5:] - target[:, None, 5:]).abs() * valid[:, None]  # [n, A, 72]
    dist = d.sum(2) / valid.sum(1, keepdim=True).clamp(min=1)
    best, idx = dist.min(0)
    return best < pos_thr, best > neg_thr, idx


def focal_loss(logits, labels, alpha=0.25, gamma=2.0):
    logp = F.log_softmax(logits, dim=-1).gather(1, labels[:, None])[:, 0]
    return -(alpha * (1 - logp.exp()) ** gamma * logp)


def laneatt_loss(out, targets, cls_weight=10.0, parts=None):
    """LaneATT's loss per image, averaged over the batch: focal (lane class) + smooth L1 (length, xs).

    parts: a dict to add the regression's two terms to, for the progress log ('length', 'xs': their shares
    of the returned regression loss, plain floats; the loss itself is LaneATT's one smooth L1 over both)."""
    cls_total, reg_total = out.new_zeros(()), out.new_zeros(())
    for p, t in zip(out, targets):
        with torch.no_grad():
            pos, neg, idx = match(_anchor_rows(p), t)
        npos = int(pos.sum())
        keep = pos | neg
        labels = pos[keep].long()
        cls_total = cls_total + focal_loss(p[keep, :2], labels).sum() / max(npos, 1)
        if npos == 0:
            continue
        pp = p[pos]
        tt = t[idx[pos]].clone()
        with torch.no_grad():
            a_start = torch.round(pp[:, 2] * N_STRIPS)
            t_start = torch.round(tt[:, 2] * N_STRIPS)
            tt[:, 4] -= a_start - t_start  # the length counts from the anchor's own start row
            ends = a_start + tt[:, 4] - 1
            rows = torch.arange(N_OFFSETS)
            invalid = (rows[None] < a_start[:, None]) | (rows[None] > ends[:, None])
        reg_pred = pp[:, 4:]
        reg_tgt = tt[:, 4:].clone()
        xs_t = reg_tgt[:, 1:]
        xs_t[invalid] = reg_pred[:, 1:][invalid].detach()
        per_value = F.smooth_l1_loss(reg_pred, reg_tgt, reduction='none')  # [npos, 1 + 72]
        reg_total = reg_total + per_value.mean()
        if parts is not None:
            share = per_value.detach() / (per_value.numel() * len(targets))
            parts['length'] = parts.get('length', 0.0) + share[:, 0].sum().item()
            parts['xs'] = parts.get('xs', 0.0) + share[:, 1:].sum().item()
    b = len(targets)
    return cls_weight * cls_total / b, reg_total / b


_ANCHOR_CACHE = {}


def _anchor_rows(p):
    """Matching uses the anchors themselves (not the predictions), as LaneATT does."""
    key = p.shape[0]
    if key not in _ANCHOR_CACHE:
        _ANCHOR_CACHE[key] = torch.from_numpy(make_anchors())
    return _ANCHOR_CACHE[key]
