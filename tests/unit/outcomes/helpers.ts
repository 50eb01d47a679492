/** Spreads a total over n items of 0..max (or min..max), filling from the first item: a valid answer vector. */
export function spread(total: number, n: number, max: number, min = 0): number[] {
  const out = Array<number>(n).fill(min);
  let left = total - min * n;
  if (left < 0 || left > (max - min) * n) throw new Error(`cannot spread ${total} over ${n} items of ${min}..${max}`);
  for (let i = 0; i < n && left > 0; i++) {
    const add = Math.min(max - min, left);
    out[i] = min + add;
    left -= add;
  }
  return out;
}
