/**
 * What must never reach a log line, whatever a developer passes to the logger: card
 * numbers (12–19 digits, spaced or not), bearer tokens, webhook secrets, CVV fields.
 */
const PATTERNS: [RegExp, string][] = [
  // 12–19 digits in a row, or as printed on cards: groups of 4–6 digits split by spaces or
  // dashes (4-4-4-4, 4-6-5). Not any run of numbers: "…/4111111111111111 404" keeps its status.
  [/\b\d{12,19}\b|\b\d{4}(?:[ -]\d{4,6}){2}(?:[ -]\d{1,5})?\b/g, '[REDACTED_PAN]'],
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
