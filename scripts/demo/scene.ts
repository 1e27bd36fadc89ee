/**
 * Procedural road scenes from a driver's view, with exact TuSimple ground truth.
 *
 * One flat-ground pinhole camera model is used both to draw and to label, so the labels are exact
 * by construction: a ground point at lateral X (m, right positive) and forward distance Z (m)
 * appears at column u = cx + f·X/Z and row v = vy + f·h/Z (vy = horizon row). The road bends as
 * X = xr + k·Z + c·Z² for a point at road-lateral coordinate xr, so every lane marking is the image
 * curve u(v) = cx + f·(xr + k·Z + c·Z²)/Z with Z = f·h/(v - vy).
 *
 * Pixel convention: column c covers [c, c+1) (centre c + 0.5); a ground-truth x is the column that
 * contains the marking's centre line, floor(u). Rows likewise.
 */
import { hash2, makeRng, valueNoise, type Rng } from './prng';

export const SCENE_WIDTH = 1280;
export const SCENE_HEIGHT = 720;
/** TuSimple's h_samples for the 0531/0601/test sets: 160, 170, ..., 710. */
export const H_SAMPLES: readonly number[] = Array.from({ length: 56 }, (_, i) => 160 + 10 * i);

export type Rgb = [number, number, number];

export interface Camera {
  /** focal length in pixels */
  f: number;
  /** camera height above the road, m */
  h: number;
  /** principal point column */
  cx: number;
  /** horizon row */
  vy: number;
}

export interface Marking {
  /** road-lateral position of the marking's centre line, m (relative to the camera) */
  xr: number;
  /** painted width, m */
  width: number;
  color: Rgb;
  dashed: boolean;
  /** painted length and dash period along the road, m (dashed only) */
  dashLen: number;
  period: number;
  phase: number;
  /** paint opacity 0..1 (worn paint is more transparent) */
  wear: number;
}

export interface Shadow {
  xr: number;
  /** position along the road in world metres (fixed to the ground; the camera is at `travel`) */
  zw: number;
  rx: number;
  rz: number;
  /** fraction of light removed */
  strength: number;
  seed: number;
}

export interface Vehicle {
  xr: number;
  zw: number;
  width: number;
  height: number;
  color: Rgb;
}

export interface Scene {
  seed: number;
  width: number;
  height: number;
  cam: Camera;
  /** road bend: X = xr + k·Z + c·Z² */
  k: number;
  c: number;
  /** distance travelled along the road, m (moves texture, dashes, shadows) */
  travel: number;
  /** markings are painted up to this distance (a crest hides the rest) */
  zEnd: number;
  /** asphalt extends over road-lateral [roadLeft, roadRight] */
  roadLeft: number;
  roadRight: number;
  markings: Marking[];
  shadows: Shadow[];
  vehicles: Vehicle[];
  asphalt: Rgb;
  shoulder: Rgb;
  skyTop: Rgb;
  skyHorizon: Rgb;
  treeline: Rgb;
  treelineHeight: number;
  hazeDistance: number;
  textureSeed: number;
}

/** One TuSimple label record (a line of a label JSON-lines file). */
export interface TuSimpleRecord {
  lanes: number[][];
  h_samples: number[];
  raw_file: string;
}

// ---------------------------------------------------------------------------------- geometry

/** Forward distance of the ground seen at (continuous) image row v, or Infinity at/above the horizon. */
export function groundDistance(cam: Camera, v: number): number {
  const d = v - cam.vy;
  return d > 0 ? (cam.f * cam.h) / d : Infinity;
}

/** Image column (continuous) of a road-lateral position xr at forward distance z. */
export function columnAt(scene: Scene, xr: number, z: number): number {
  return scene.cam.cx + (scene.cam.f * (xr + scene.k * z + scene.c * z * z)) / z;
}

/**
 * Continuous column of a marking's centre line at image row `row` (evaluated at the row's centre),
 * or undefined where the marking is not in view: above the horizon, beyond zEnd, or outside the image.
 */
export function markingColumn(scene: Scene, m: Marking, row: number): number | undefined {
  const z = groundDistance(scene.cam, row + 0.5);
  if (!(z <= scene.zEnd)) return undefined;
  const u = columnAt(scene, m.xr, z);
  return u >= 0 && u < scene.width ? u : undefined;
}

/** Fraction of the road interval [z0, z1] (world metres) covered by paint for a dashed pattern. */
export function paintedFraction(m: Marking, z0: number, z1: number): number {
  if (!m.dashed) return 1;
  const span = z1 - z0;
  if (span <= 0) return 0;
  // painted(z) = ((z + phase) mod period) < dashLen; integrate its indicator over [z0, z1].
  const cum = (z: number): number => {
    const t = z + m.phase;
    const n = Math.floor(t / m.period);
    return n * m.dashLen + Math.min(t - n * m.period, m.dashLen);
  };
  return (cum(z1) - cum(z0)) / span;
}

/** Paint fraction of a marking on image row `row` (the row spans a range of distances). */
export function rowPaintFraction(scene: Scene, m: Marking, row: number): number {
  const zNear = groundDistance(scene.cam, row + 1);
  if (!Number.isFinite(zNear) || zNear >= scene.zEnd) return 0;
  const zFarRaw = groundDistance(scene.cam, row);
  const zFar = Number.isFinite(zFarRaw) ? zFarRaw : 2 * scene.zEnd;
  const top = Math.min(zFar, scene.zEnd);
  return paintedFraction(m, zNear + scene.travel, top + scene.travel) * ((top - zNear) / (zFar - zNear));
}

/** Image rectangle of a vehicle, or undefined when it is behind or too close to the camera. */
export function vehicleRect(
  scene: Scene,
  veh: Vehicle,
): { left: number; right: number; top: number; bottom: number; z: number } | undefined {
  const z = veh.zw - scene.travel;
  if (z < 4) return undefined;
  const u = columnAt(scene, veh.xr, z);
  const bottom = scene.cam.vy + (scene.cam.f * scene.cam.h) / z;
  const w = (veh.width * scene.cam.f) / z;
  const hgt = (veh.height * scene.cam.f) / z;
  return { left: u - w / 2, right: u + w / 2, top: bottom - hgt, bottom, z };
}

/** TuSimple ground truth: one lane per marking (left to right), x at each h_sample, -2 where absent. */
export function groundTruth(scene: Scene, rawFile: string): TuSimpleRecord {
  const lanes = [...scene.markings]
    .sort((a, b) => a.xr - b.xr)
    .map((m) =>
      H_SAMPLES.map((v) => {
        const u = markingColumn(scene, m, v);
        return u === undefined ? -2 : Math.floor(u);
      }),
    )
    .filter((xs) => xs.filter((x) => x >= 0).length >= 2);
  return { lanes, h_samples: [...H_SAMPLES], raw_file: rawFile };
}

/**
 * Where paint is actually visible for each GT lane (same order as groundTruth's lanes): true at
 * an h_sample when the row is fully painted, unoccluded by a vehicle, and at least 2 px wide.
 * Ground truth still runs through dash gaps and vehicles, as TuSimple's annotations do.
 */
export function paintVisibility(scene: Scene): boolean[][] {
  const rects = scene.vehicles.map((v) => vehicleRect(scene, v)).filter((r) => r !== undefined);
  return [...scene.markings]
    .sort((a, b) => a.xr - b.xr)
    .filter((m) => H_SAMPLES.filter((v) => markingColumn(scene, m, v) !== undefined).length >= 2)
    .map((m) =>
      H_SAMPLES.map((v) => {
        const u = markingColumn(scene, m, v);
        if (u === undefined) return false;
        const z = groundDistance(scene.cam, v + 0.5);
        if ((m.width * scene.cam.f) / z < 2) return false;
        if (rowPaintFraction(scene, m, v) < 0.999) return false;
        return !rects.some(
          (r) => v + 1 > r.top && v < r.bottom + 0.02 * (r.bottom - r.top) + 2 && u > r.left - 2 && u < r.right + 2,
        );
      }),
    );
}

// ---------------------------------------------------------------------------------- sampling

const WHITE: Rgb = [236, 236, 230];
const YELLOW: Rgb = [232, 188, 48];
const CAR_COLORS: Rgb[] = [
  [40, 42, 48],
  [180, 30, 30],
  [200, 200, 205],
  [30, 60, 120],
  [90, 90, 95],
  [20, 20, 22],
];

function jitter(rng: Rng, c: Rgb, amount: number): Rgb {
  return c.map((x) => Math.max(0, Math.min(255, x + rng.range(-amount, amount)))) as Rgb;
}

export interface SceneOptions {
  /** number of lane markings (2..5); random when omitted */
  markings?: number;
  /** distance travelled; random when omitted */
  travel?: number;
}

/** A random but fully seed-determined scene. */
export function sampleScene(seed: number, opts: SceneOptions = {}): Scene {
  const rng = makeRng(seed);
  const cam: Camera = {
    f: rng.range(950, 1100),
    h: rng.range(1.8, 2.3),
    cx: 640 + rng.range(-30, 30),
    vy: rng.range(250, 290),
  };
  const laneWidth = rng.range(3.4, 3.8);
  const offset = rng.range(-0.5, 0.5);
  // mostly the ego lane's boundaries and one neighbour each side, as in TuSimple; 5 now and then
  const n = opts.markings ?? (rng.chance(0.1) ? 5 : rng.int(2, 4));
  if (!Number.isInteger(n) || n < 2 || n > 5) throw new RangeError(`markings must be an integer 2..5, got ${n}`);
  const leftExtra = n === 2 ? 0 : rng.int(Math.max(0, n - 4), Math.min(2, n - 2));
  const rightExtra = n - 2 - leftExtra;
  const markings: Marking[] = [];
  for (let j = -1 - leftExtra; j <= rightExtra; j++) {
    const leftmost = j === -1 - leftExtra;
    const rightmost = j === rightExtra;
    const yellow = leftmost && rng.chance(0.45);
    const dashed = leftmost || rightmost ? n === 2 && rightmost && rng.chance(0.4) : rng.chance(0.85);
    const dashLen = rng.range(3, 4);
    markings.push({
      xr: (j + 0.5) * laneWidth - offset,
      width: rng.range(0.12, 0.2),
      color: jitter(rng, yellow ? YELLOW : WHITE, 10),
      dashed,
      dashLen,
      period: dashLen + rng.range(4, 6.5),
      phase: rng.range(0, 12),
      wear: rng.range(0.75, 1),
    });
  }
  const roadLeft = markings[0].xr - rng.range(0.4, 1.5);
  const roadRight = markings[markings.length - 1].xr + rng.range(0.4, 1.5);
  const travel = opts.travel ?? rng.range(0, 1000);
  const shadows: Shadow[] = [];
  for (let i = rng.int(0, 4); i > 0; i--) {
    shadows.push({
      xr: rng.range(roadLeft - 3, roadRight + 3),
      zw: travel + rng.range(4, 50),
      rx: rng.range(1.2, 5),
      rz: rng.range(1.5, 7),
      strength: rng.range(0.3, 0.45),
      seed: rng.int(1, 1e9),
    });
  }
  const vehicles: Vehicle[] = [];
  for (let i = rng.int(0, 2); i > 0; i--) {
    const lane = rng.int(0, markings.length - 2);
    vehicles.push({
      xr: (markings[lane].xr + markings[lane + 1].xr) / 2 + rng.range(-0.3, 0.3),
      zw: travel + rng.range(14, 45),
      width: rng.range(1.7, 2.0),
      height: rng.range(1.3, 1.7),
      color: jitter(rng, rng.pick(CAR_COLORS), 8),
    });
  }
  const gray = rng.range(72, 108);
  const grass = rng.chance(0.6);
  return {
    seed,
    width: SCENE_WIDTH,
    height: SCENE_HEIGHT,
    cam,
    k: rng.range(-0.025, 0.025),
    c: rng.range(-0.0007, 0.0007),
    travel,
    zEnd: rng.range(40, 75),
    roadLeft,
    roadRight,
    markings,
    shadows,
    vehicles,
    asphalt: [gray, gray + rng.range(-3, 3), gray + rng.range(-2, 6)],
    shoulder: grass ? jitter(rng, [78, 110, 52], 14) : jitter(rng, [128, 116, 96], 12),
    skyTop: jitter(rng, [92, 140, 205], 15),
    skyHorizon: jitter(rng, [200, 214, 228], 10),
    treeline: jitter(rng, [52, 74, 48], 10),
    treelineHeight: rng.range(8, 30),
    hazeDistance: rng.range(250, 500),
    textureSeed: rng.int(1, 1e9),
  };
}

// ---------------------------------------------------------------------------------- rendering

function mixInto(px: Float32Array, i: number, c: Rgb, a: number): void {
  px[i] += (c[0] - px[i]) * a;
  px[i + 1] += (c[1] - px[i + 1]) * a;
  px[i + 2] += (c[2] - px[i + 2]) * a;
}

export interface RenderResult {
  /** RGB, 8 bits per channel, row-major, width*height*3 */
  rgb: Uint8Array;
  /** per pixel: 1 + index (left-to-right order) of the marking painting more than half of it, else 0 */
  paintMask: Uint8Array;
}

/** Draw a scene. Deterministic: same scene -> same bytes. */
export function renderScene(scene: Scene): RenderResult {
  const { width: W, height: H, cam } = scene;
  const px = new Float32Array(W * H * 3);
  const paintMask = new Uint8Array(W * H);
  const ts = scene.textureSeed;
  const sorted = [...scene.markings].sort((a, b) => a.xr - b.xr);

  for (let v = 0; v < H; v++) {
    const rowBase = v * W * 3;
    const d = v + 0.5 - cam.vy;
    if (d <= 0) {
      // Sky with soft clouds, then a treeline silhouette just above the horizon.
      const t = Math.min(1, Math.max(0, (v / cam.vy) ** 1.5));
      for (let u = 0; u < W; u++) {
        const i = rowBase + u * 3;
        const cloud =
          Math.max(0, valueNoise(u / 180, v / 60, ts + 1) * 0.7 + valueNoise(u / 60, v / 25, ts + 2) * 0.3 - 0.55) *
          2.2;
        for (let ch = 0; ch < 3; ch++) {
          const sky = scene.skyTop[ch] + (scene.skyHorizon[ch] - scene.skyTop[ch]) * t;
          px[i + ch] = sky + (248 - sky) * Math.min(1, cloud);
        }
        const treeH =
          scene.treelineHeight * (0.35 + 0.65 * valueNoise(u / 35, 0.5, ts + 3)) + 4 * valueNoise(u / 6, 1.5, ts + 4);
        if (cam.vy - v < treeH)
          mixInto(px, i, scene.treeline.map((x) => x * (0.8 + 0.4 * valueNoise(u / 5, v / 5, ts + 5))) as Rgb, 1);
      }
      continue;
    }
    const z = (cam.f * cam.h) / d;
    const zw = z + scene.travel;
    const bend = scene.k * z + scene.c * z * z;
    const fineAmp = Math.min(1, 6 / z);
    const haze = 1 - Math.exp(-z / scene.hazeDistance);
    for (let u = 0; u < W; u++) {
      const i = rowBase + u * 3;
      const xr = ((u + 0.5 - cam.cx) * z) / cam.f - bend;
      const inRoad = xr >= scene.roadLeft && xr <= scene.roadRight;
      const base = inRoad ? scene.asphalt : scene.shoulder;
      const coarse = valueNoise(xr * 0.35, zw * 0.12, ts + 10);
      const medium = valueNoise(xr * 2.2, zw * 1.1, ts + 11);
      const fine = valueNoise(xr * 9, zw * 9, ts + 12);
      let shade = 0.86 + 0.22 * coarse + 0.1 * (medium - 0.5) + 0.16 * (fine - 0.5) * fineAmp;
      if (!inRoad) shade *= 0.9 + 0.25 * valueNoise(xr * 4, zw * 3, ts + 13);
      px[i] = base[0] * shade;
      px[i + 1] = base[1] * shade;
      px[i + 2] = base[2] * shade;
    }
    // Lane markings, anti-aliased horizontally; dashes integrated over the row's depth range.
    for (let mi = 0; mi < sorted.length; mi++) {
      const m = sorted[mi];
      const paint = rowPaintFraction(scene, m, v);
      if (paint <= 0) continue;
      const uc = cam.cx + (cam.f * (m.xr + bend)) / z;
      const hw = (m.width * cam.f) / z / 2;
      const lo = Math.max(0, Math.floor(uc - hw));
      const hi = Math.min(W - 1, Math.floor(uc + hw));
      for (let u = lo; u <= hi; u++) {
        const cover = Math.max(0, Math.min(u + 1, uc + hw) - Math.max(u, uc - hw));
        if (cover <= 0) continue;
        const wearNoise = 0.85 + 0.15 * valueNoise((((u + 0.5 - cam.cx) * z) / cam.f) * 6, zw * 2, ts + 20 + mi);
        mixInto(px, rowBase + u * 3, m.color, cover * paint * m.wear * wearNoise);
        if (cover * paint > 0.5) paintMask[v * W + u] = mi + 1;
      }
    }
    // Tree shadows on the ground: soft ellipses with a noisy outline, fixed in world coordinates.
    for (const s of scene.shadows) {
      const dz = (zw - s.zw) / s.rz;
      if (Math.abs(dz) >= 1.3) continue;
      for (let u = 0; u < W; u++) {
        const xr = ((u + 0.5 - cam.cx) * z) / cam.f - bend;
        const dx = (xr - s.xr) / s.rx;
        if (Math.abs(dx) >= 1.3) continue;
        const r = Math.sqrt(dx * dx + dz * dz) - 0.35 * (valueNoise(xr * 1.5, zw * 1.5, s.seed) - 0.5);
        if (r >= 1) continue;
        const k = 1 - s.strength * Math.min(1, (1 - r) * 6);
        const i = rowBase + u * 3;
        px[i] *= k;
        px[i + 1] *= k;
        px[i + 2] *= k * 1.04;
      }
    }
    for (let u = 0; u < W; u++) mixInto(px, rowBase + u * 3, scene.skyHorizon, haze);
  }

  // Vehicles ahead, far to near: a box with a rear window, tail lights and a shadow underneath.
  const rects = scene.vehicles
    .map((veh) => ({ veh, r: vehicleRect(scene, veh) }))
    .filter((x): x is { veh: Vehicle; r: NonNullable<ReturnType<typeof vehicleRect>> } => x.r !== undefined)
    .sort((a, b) => b.r.z - a.r.z);
  for (const { veh, r } of rects) {
    const hgt = r.bottom - r.top;
    const top = Math.max(0, Math.floor(r.top));
    const bottom = Math.min(H - 1, Math.floor(r.bottom + 0.02 * hgt + 2));
    const left = Math.max(0, Math.floor(r.left));
    const right = Math.min(W - 1, Math.floor(r.right));
    for (let v = top; v <= bottom; v++) {
      const fy = (v + 0.5 - r.top) / hgt;
      for (let u = left; u <= right; u++) {
        const fx = (u + 0.5 - r.left) / (r.right - r.left);
        let c: Rgb = veh.color;
        if (fy > 1) c = [18, 18, 20];
        else if (fy < 0.12) c = veh.color.map((x) => x * 0.9) as Rgb;
        else if (fy < 0.42 && fx > 0.1 && fx < 0.9) c = [34, 40, 48];
        else if (fy > 0.5 && fy < 0.62 && (fx < 0.2 || fx > 0.8)) c = [210, 24, 20];
        else if (fy > 0.82) c = [28, 28, 30];
        const shade = 0.92 + 0.08 * hash2(u, v, scene.textureSeed + 30);
        mixInto(px, (v * W + u) * 3, c.map((x) => x * shade) as Rgb, 1);
      }
    }
  }

  // Sensor grain, then quantise.
  const rgb = new Uint8Array(W * H * 3);
  for (let p = 0, i = 0; p < W * H; p++, i += 3) {
    const g = (hash2(p, 7, ts + 40) - 0.5) * 8;
    rgb[i] = Math.max(0, Math.min(255, Math.round(px[i] + g)));
    rgb[i + 1] = Math.max(0, Math.min(255, Math.round(px[i + 1] + g)));
    rgb[i + 2] = Math.max(0, Math.min(255, Math.round(px[i + 2] + g)));
  }
  return { rgb, paintMask };
}
