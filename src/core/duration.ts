/** Durations in configuration: plain seconds or a number with a unit (s, m, h, d). */
const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** Returns whole seconds, or null when the text is not a positive duration. */
export function parseDuration(text: string): number | null {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(text);
  if (!match) return null;
  const seconds = Number(match[1]) * (units[match[2] || 's'] ?? 1);
  return seconds > 0 && Number.isSafeInteger(seconds) ? seconds : null;
}
