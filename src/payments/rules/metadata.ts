export const METADATA_LIMITS = { keys: 50, keyLength: 40, valueLength: 500 } as const;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const codePoints = (text: string): number => [...text].length;

/** Why a metadata value is refused, or undefined when it is acceptable. */
export function metadataProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'metadata must be an object of string keys and string values';
  }
  const entries = Object.entries(value);
  if (Object.keys(value).includes('__proto__') || entries.some(([key]) => FORBIDDEN_KEYS.has(key))) {
    return 'metadata keys __proto__, constructor and prototype are not allowed';
  }
  if (entries.length > METADATA_LIMITS.keys) return `metadata can have at most ${METADATA_LIMITS.keys} keys`;
  for (const [key, item] of entries) {
    if (key.length === 0 || codePoints(key) > METADATA_LIMITS.keyLength || /[[\]]/.test(key)) {
      return `metadata keys must be 1 to ${METADATA_LIMITS.keyLength} characters without "[" or "]" (got "${key}")`;
    }
    if (typeof item !== 'string') return `metadata.${key} must be a string`;
    if (codePoints(item) > METADATA_LIMITS.valueLength) {
      return `metadata.${key} must be at most ${METADATA_LIMITS.valueLength} characters`;
    }
  }
  return undefined;
}
