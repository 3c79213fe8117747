import { MODES, parseControlChange } from './control.js';

describe(parseControlChange.name, () => {
  it.each(MODES)('accepts the mode %s', (mode) => {
    expect(parseControlChange({ mode })).toEqual({ ok: true, value: { mode } });
  });

  it('takes latency_ms with the mode', () => {
    expect(parseControlChange({ mode: 'slow', latency_ms: 250 })).toEqual({ ok: true, value: { mode: 'slow', latencyMs: 250 } });
  });

  it.each<[unknown, string]>([
    [null, 'body'],
    [{}, 'mode'],
    [{ mode: 'broken' }, 'mode'],
    [{ mode: 'slow', latency_ms: -1 }, 'latency_ms'],
    [{ mode: 'slow', latency_ms: 1.5 }, 'latency_ms'],
    [{ mode: 'slow', latency_ms: '100' }, 'latency_ms'],
  ])('refuses %j naming %s', (body, param) => {
    expect(parseControlChange(body)).toMatchObject({ ok: false, param });
  });
});
