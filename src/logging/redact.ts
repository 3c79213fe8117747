/**
 * What must never reach a log line, whatever a developer passes to the logger: card
 * numbers (12–19 digits, spaced or not), bearer tokens, webhook secrets, CVV fields.
 */
const PATTERNS: [RegExp, string][] = [
  [/\b(?:\d[ -]?){11,18}\d\b/g, '[REDACTED_PAN]'],
  [/(authorization["']?\s*[:=]\s*["']?)(?:bearer\s+)?[^\s"',}]+/gi, '$1[REDACTED]'],
  [/\bbearer\s+[^\s"',}]+/gi, 'Bearer [REDACTED]'],
  [/\bwhsec_[A-Za-z0-9+/=_-]+/g, 'whsec_[REDACTED]'],
  [/("?(?:cvv|cvc|secret)"?\s*[:=]\s*)("[^"]*"|[^\s,}]+)/gi, '$1"[REDACTED]"'],
];

export function redact(text: string): string {
  let result = text;
  for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
  return result;
}
