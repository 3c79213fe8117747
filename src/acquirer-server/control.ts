/**
 * The outage switches. Each mode says what every protocol call meets:
 * - normal: the test-card table, answered at once;
 * - slow: processed, then answered after latency_ms (so a gateway that gave up can find it by lookup);
 * - down: `503` before anything is done (certainly not processed: the gateway may fail over);
 * - failing: `500` before anything is done (an unknown outcome for the gateway; a lookup then says 404);
 * - reset: processed, then the connection is reset before any answer (unknown; a lookup finds it);
 * - soft_decline: every new authorisation declined `issuer_unavailable`.
 */
export const MODES = ['normal', 'slow', 'down', 'failing', 'reset', 'soft_decline'] as const;
export type Mode = (typeof MODES)[number];

export interface ControlChange {
  mode: Mode;
  latencyMs?: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; param: string; message: string };

/** `{"mode", "latency_ms"?}` from POST /_control. */
export function parseControlChange(body: unknown): Parsed<ControlChange> {
  if (!isObject(body)) return { ok: false, param: 'body', message: 'the body must be a JSON object' };
  const { mode, latency_ms: latencyMs } = body;
  if (typeof mode !== 'string' || !(MODES as readonly string[]).includes(mode)) {
    return { ok: false, param: 'mode', message: `mode must be one of ${MODES.join(', ')}` };
  }
  if (latencyMs === undefined) return { ok: true, value: { mode: mode as Mode } };
  if (!Number.isSafeInteger(latencyMs) || (latencyMs as number) < 0 || (latencyMs as number) > 600_000) {
    return { ok: false, param: 'latency_ms', message: 'latency_ms must be an integer from 0 to 600000' };
  }
  return { ok: true, value: { mode: mode as Mode, latencyMs: latencyMs as number } };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
