#!/usr/bin/env bash
# One-time set-up on a fresh Debian machine: system packages the tests and the demo need, then npm.
#   chromium  - real browser for the end-to-end tests (driven by playwright-core, never downloaded)
#   chromium-headless-shell - the same browser without its UI layer, which the tests drive when it is
#               there (7 % less CPU for the browser tests; test/helpers/chromium.ts)
#   ffmpeg    - encodes the demo road video
#   openssl   - used by nothing at run time, but handy for users making TLS certificates
# Installs only what is missing; without root it prints what to install and goes on.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
updated=0
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${need[*]}"
    apt-get update -qq
    updated=1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: please install these Debian packages (as root): ${need[*]}" >&2
  fi
fi
# Optional: where the headless shell cannot be installed, the tests drive the full browser.
if [ ! -x /usr/lib/chromium/chromium-headless-shell ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian package chromium-headless-shell"
    [ "$updated" = 1 ] || apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-headless-shell >/dev/null ||
      echo "setup: chromium-headless-shell did not install; the browser tests will use chromium (slower)" >&2
  else
    echo "setup: optional Debian package: chromium-headless-shell (faster browser tests)" >&2
  fi
fi

# Electron's binary and onnxruntime-node's CUDA libraries are downloaded from GitHub by their
# install scripts; both are skipped (see .npmrc and "allowScripts" in package.json).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

# The demo assets (road scenes, video, lane-model repository) that `npm start` and `npm test` both
# use: generated once here; later runs find them up to date (keyed by a hash of their inputs).
node --import tsx scripts/demo/build.ts

# The CLI's bundle (bin/cliBundle.mjs): `tritonscope` starts in half the CPU from it; without it (or
# after an edit to its sources) the binary runs the TypeScript sources through tsx instead.
node scripts/build-cli.mjs
