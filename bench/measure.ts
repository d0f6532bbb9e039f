/** Timing and memory helpers: wall time, the process's peak RSS while something runs, medians. */

export async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

/** Runs `work` while sampling RSS every 25 ms; returns the peak in MiB. */
export async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 25);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssMiB: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(sampler);
  }
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
export const round = (value: number, digits = 2) => Number(value.toFixed(digits));
