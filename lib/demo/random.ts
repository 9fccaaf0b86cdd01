// A seeded PRNG: the same seed gives the same sequence on every machine and Node version.
// sfc32 rather than mulberry32: mulberry32 has only 2^32 states, so a few million UUIDs drawn
// from it would collide (birthday bound); sfc32 carries 128 bits of state.

export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform 32-bit unsigned integer. */
  uint32(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  float(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `weights[i]` is the relative weight of `items[i]`. */
  pickWeighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** A version-4 UUID built from the generator. */
  uuid(): string;
  /** `length` lowercase hex digits. */
  hex(length: number): string;
  /** Characters from Kubernetes' name-suffix alphabet (no vowels, no 0/1/3): pod and ReplicaSet suffixes. */
  suffix(length: number): string;
  /** An independent generator derived from this one's seed and a label, unaffected by draws made here. */
  fork(label: string): Random;
};

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function mixSeed(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < label.length; index++) {
    hash = Math.imul(hash ^ label.charCodeAt(index), 0x01000193);
  }
  return hash >>> 0;
}

export function createRandom(seed: number): Random {
  const mix = mixSeed(seed);
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();

  function uint32(): number {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  }
  // Warm-up: the first outputs of sfc32 are correlated with the seed words.
  for (let round = 0; round < 12; round++) uint32();

  const next = () => uint32() / 4294967296;

  const random: Random = {
    next,
    uint32,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (probability) => next() < probability,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as T;
    },
    pickWeighted<T>(items: readonly T[], weights: readonly number[]): T {
      let total = 0;
      for (const weight of weights) total += weight;
      let target = next() * total;
      for (let index = 0; index < items.length; index++) {
        target -= weights[index] ?? 0;
        if (target < 0) return items[index] as T;
      }
      return items[items.length - 1] as T;
    },
    uuid() {
      const w0 = uint32();
      const w1 = uint32();
      const w2 = uint32();
      const w3 = uint32();
      return (
        HEX[w0 >>> 24]! +
        HEX[(w0 >>> 16) & 255]! +
        HEX[(w0 >>> 8) & 255]! +
        HEX[w0 & 255]! +
        '-' +
        HEX[w1 >>> 24]! +
        HEX[(w1 >>> 16) & 255]! +
        '-4' +
        HEX[(w1 >>> 8) & 15]!.slice(1) +
        HEX[w1 & 255]! +
        '-' +
        HEX[0x80 | ((w2 >>> 24) & 0x3f)]! +
        HEX[(w2 >>> 16) & 255]! +
        '-' +
        HEX[(w2 >>> 8) & 255]! +
        HEX[w2 & 255]! +
        HEX[w3 >>> 24]! +
        HEX[(w3 >>> 16) & 255]! +
        HEX[(w3 >>> 8) & 255]! +
        HEX[w3 & 255]!
      );
    },
    hex(length) {
      let text = '';
      while (text.length < length) {
        const word = uint32();
        text += HEX[word >>> 24]! + HEX[(word >>> 16) & 255]! + HEX[(word >>> 8) & 255]! + HEX[word & 255]!;
      }
      return text.slice(0, length);
    },
    suffix(length) {
      let text = '';
      for (let index = 0; index < length; index++) {
        text += SUFFIX_ALPHABET[Math.floor(next() * SUFFIX_ALPHABET.length)];
      }
      return text;
    },
    fork: (label) => createRandom((seed ^ hashLabel(label)) >>> 0),
  };
  return random;
}
