"""Export a trained checkpoint the way LaneATT users do: torch.onnx.export, then an FP16 twin.

  python3 scripts/train/export.py [--checkpoint .cache/train/run/best.pt] [--out assets/demo-repo]
                                  [--operating-conf C]

The committed model: --checkpoint .cache/train/run/ema.pt --operating-conf <val_sweep.py --choose>
(scripts/train/run.sh, `npm run train`).

Writes
  <out>/laneDetect_model/1/model.onnx  FP32: input `input` [batch,3,360,640] (BGR / 255),
                                       outputs `predict_lanes` [1,2784,77] (LANEATT.md layout) and
                                       `914` [1,2784] = per-anchor lane probability (softmax of cols 0-1)
  <out>/LaneDet_fp16/1/model.onnx      the same graph with FP16 weights and FP16 input; FP32 outputs

--operating-conf C: the decode threshold chosen on the validation scenes (`val_sweep.py --choose`) is
folded into the lane logit's bias (laneatt.set_operating_point), so that LaneATT's standard TuSimple
threshold 0.2, the app's default, keeps exactly the proposals whose probability was above C. The ranking of
proposals, and so the NMS, is unchanged; `914` then holds the shifted probability.

The FP16 twin is made by our own converter (convert_fp16 below): every FP32 initializer is stored as FP16
and widened by a Cast where it is used, and the input is FP16, widened once. The outputs stay FP32, as in the
deployment's FP16 engine (../shared/triton/sample-repo/laneDetect_model_fp16: FP16 `input`, FP32
`predict_lanes`; TensorRT keeps a network's outputs FP32 unless told otherwise): `predict_lanes` holds
x in pixels of the 640-wide input, which FP16 rounds to 0.25-0.5 px, and the class logits, whose FP16
rounding reordered two near-equal NMS proposals on a validation scene of an earlier model and so swapped a
lane for its neighbour 5.6 px away; with FP32 outputs that lane was within 1.2 px. ONNX Runtime's CPU provider has no FP16 kernels for most ops, so the arithmetic in
between stays FP32 on the demo server; a TensorRT FP16 engine built from the same weights computes in FP16.

--twin-only: rebuild only the FP16 twin from <out>/laneDetect_model/1/model.onnx (no checkpoint needed; the
twin is a function of the FP32 graph alone).
"""
import argparse
import os
import sys

import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import laneatt  # noqa: E402
import metrics  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, '..', '..'))
PROB_OUTPUT = '914'  # the deployment's client asks for this name (torch's auto-generated name there)


def load_net(checkpoint):
    state = torch.load(checkpoint, map_location='cpu')
    net = laneatt.from_state(state['model'] if 'model' in state else state)
    return net.eval(), state.get('state', {}) if isinstance(state, dict) else {}


def export_fp32(net, path):
    dummy = torch.zeros(1, 3, laneatt.IMG_H, laneatt.IMG_W)
    tmp = path + '.tmp'
    # torch refuses a purely numeric output name, so export as lane_prob and rename below
    torch.onnx.export(
        laneatt.Exported(net),
        dummy,
        tmp,
        opset_version=13,
        input_names=['input'],
        output_names=['predict_lanes', 'lane_prob'],
        # Triton (and its ONNX Runtime backend) require the batch dimension to be -1 in the model when
        # the config batches (max_batch_size > 0), even for max_batch_size: 1.
        dynamic_axes={'input': {0: 'batch'}, 'predict_lanes': {0: 'batch'}, 'lane_prob': {0: 'batch'}},
        do_constant_folding=True,
    )
    m = onnx.load(tmp)
    os.remove(tmp)
    for node in m.graph.node:
        node.output[:] = [PROB_OUTPUT if o == 'lane_prob' else o for o in node.output]
    for o in m.graph.output:
        if o.name == 'lane_prob':
            o.name = PROB_OUTPUT
    # torch's shape inference loses the fixed sizes behind the dynamic batch axis; Triton's ONNX Runtime
    # backend compares output dims exactly with the config ([2784, 77] and [2784]), so state them.
    fixed = {'predict_lanes': [2784, 77], PROB_OUTPUT: [2784]}
    for o in m.graph.output:
        dims = o.type.tensor_type.shape.dim
        for d, size in zip(dims[1:], fixed[o.name]):
            d.ClearField('dim_param')
            d.dim_value = size
    m.doc_string = (
        'Tritonscope demo LaneATT (scripts/train). input: [N,3,360,640] BGR/255. predict_lanes: [N,2784,77] '
        'raw proposals before NMS (2 logits, start_y, start_x, length, 72 xs). 914: [1,2784] lane probability.'
    )
    onnx.checker.check_model(m)
    onnx.save(m, path)
    return m


def convert_fp16(m):
    """FP32 model -> FP16 weights and FP16 input, FP32 outputs (Casts on the input and every weight use)."""
    m16 = onnx.ModelProto()
    m16.CopyFrom(m)
    g = m16.graph
    casts = []
    new_inits = []
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT:
            arr = numpy_helper.to_array(init).astype('float16')
            half = numpy_helper.from_array(arr, init.name + '_fp16')
            new_inits.append(half)
            casts.append(helper.make_node('Cast', [half.name], [init.name], to=TensorProto.FLOAT))
        else:
            new_inits.append(init)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    # input: FP16 on the wire, widened once
    inp = g.input[0]
    inner_in = inp.name + '_fp32'
    for node in g.node:
        node.input[:] = [inner_in if i == inp.name else i for i in node.input]
    inp.type.tensor_type.elem_type = TensorProto.FLOAT16
    casts.append(helper.make_node('Cast', [inp.name], [inner_in], to=TensorProto.FLOAT))
    nodes = casts + list(g.node)
    del g.node[:]
    g.node.extend(nodes)
    m16.doc_string = m.doc_string + ' FP16 twin: FP16 weights and input, FP32 outputs.'
    onnx.checker.check_model(m16)
    return m16


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--checkpoint', default=os.path.join(ROOT, '.cache', 'train', 'run', 'best.pt'))
    ap.add_argument('--out', default=os.path.join(ROOT, 'assets', 'demo-repo'))
    ap.add_argument('--operating-conf', type=float, default=None,
                    help='threshold chosen on validation, mapped onto LaneATT\'s 0.2 (see above)')
    ap.add_argument('--twin-only', action='store_true',
                    help='rebuild only the FP16 twin from the FP32 model already in --out')
    a = ap.parse_args()
    p32 = os.path.join(a.out, 'laneDetect_model', '1', 'model.onnx')
    p16 = os.path.join(a.out, 'LaneDet_fp16', '1', 'model.onnx')
    if a.twin_only:
        os.makedirs(os.path.dirname(p16), exist_ok=True)
        onnx.save(convert_fp16(onnx.load(p32)), p16)
        print(f'wrote {os.path.relpath(p16, ROOT)} ({os.path.getsize(p16) / 1e6:.2f} MB) from {os.path.relpath(p32, ROOT)}')
        return
    net, state = load_net(a.checkpoint)
    if a.operating_conf is not None:
        if not 0 < a.operating_conf < 1:
            sys.exit(f'--operating-conf must be between 0 and 1, got {a.operating_conf}')
        shift = laneatt.set_operating_point(net, a.operating_conf)
        print(f'operating point: conf {a.operating_conf} -> {metrics.TUSIMPLE_CONF} (lane logit bias {shift:+.4f})')
    os.makedirs(os.path.dirname(p32), exist_ok=True)
    os.makedirs(os.path.dirname(p16), exist_ok=True)
    m = export_fp32(net, p32)
    onnx.save(convert_fp16(m), p16)
    for p in (p32, p16):
        print(f'wrote {os.path.relpath(p, ROOT)} ({os.path.getsize(p) / 1e6:.2f} MB)')
    if state:
        print(f'checkpoint: epoch {state.get("epoch")}, best val accuracy {state.get("best")}')


if __name__ == '__main__':
    main()
