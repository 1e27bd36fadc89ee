#!/usr/bin/env bash
# `npm run train`: reproduce the committed demo lane model from scratch (needs `npm run train:setup`).
#   1. render the validation and training scenes into .cache/lanes (gitignored; skips what exists)
#   2. train for a fixed wall-time budget (default 84 min; TRAIN_MINUTES=N to change), resumable:
#      re-running continues from .cache/train/run/last.pt (delete .cache/train/run to start over)
#   3. choose the operating threshold on the validation scenes (val_sweep.py --choose) and export the
#      moving average of the weights (ema.pt) to assets/demo-repo (FP32 + FP16 twin)
# Extra arguments go to train.py (e.g. --batch 8). Progress: .cache/train/run/train.log.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
"$PY" -c 'import torch, cv2, onnx' 2>/dev/null || { echo 'torch/opencv/onnx missing: run `npm run train:setup` (as root)'; exit 1; }
mkdir -p .cache/train/run
nice -n 5 "$PY" scripts/train/cache.py --split val --count 100
nice -n 5 "$PY" scripts/train/cache.py --split train --count "${TRAIN_SCENES:-12000}"
# The committed model's recipe (MODEL_CARD.md, Training): anchor attention, 3 % blank frames, weight average.
nice -n 5 "$PY" scripts/train/train.py --minutes "${TRAIN_MINUTES:-84}" --epoch-images 2000 \
  --attention --lane-free 0.03 --lane-free-uniform --ema 0.9995 "$@" 2>&1 | tee -a .cache/train/run/train.log
# The weight average, not best.pt: best.pt wins on the 50 scenes scored per epoch (a noisy pick); the threshold
# is the one that meets the card's three targets by the widest margin on all 100 validation scenes.
conf=$("$PY" scripts/train/val_sweep.py .cache/train/run/ema.pt --choose | tail -n 1)
echo "operating threshold chosen on validation: $conf"
"$PY" scripts/train/export.py --checkpoint .cache/train/run/ema.pt --operating-conf "$conf"
