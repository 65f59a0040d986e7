/** Seeded randomness for tests that explore: a failure names its seed, and the seed replays it. */

/** A small seeded generator (mulberry32): numbers in [0, 1), the same ones for the same seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** The seed in the environment variable `name` when set (to replay a run), else a new one. */
export function seedFrom(name: string): number {
  const given = process.env[name]
  if (given === undefined || given === '') return Date.now() % 1_000_000
  const seed = Number(given)
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`${name} must be a whole number of 0 or more, not "${given}"`)
  return seed
}
