/** The longest domain a list key may be: 253 characters, the most a DNS name has. */
export const longestDomain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
