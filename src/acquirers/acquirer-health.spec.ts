import { AcquirerHealth } from './acquirer-health.js';

describe(AcquirerHealth.name, () => {
  let now: number;
  let health: AcquirerHealth;
  const failTimes = (n: number) => {
    for (let i = 0; i < n; i++) health.record('acq_a', 'failure');
  };

  beforeEach(() => {
    now = Date.parse('2026-12-03T10:00:00.000Z');
    health = new AcquirerHealth(3, 30_000, () => now);
  });

  it('is up, and tried, until the threshold of consecutive failures', () => {
    failTimes(2);
    expect(health.tryNow('acq_a')).toBe(true);
    expect(health.view('acq_a')).toEqual({ state: 'up', consecutive_failures: 2, down_since: null });
  });

  it('a success resets the count', () => {
    failTimes(2);
    health.record('acq_a', 'success');
    failTimes(2);
    expect(health.view('acq_a').state).toBe('up');
  });

  it('goes down at the threshold and is skipped for the cool-down', () => {
    failTimes(3);
    expect(health.view('acq_a')).toEqual({ state: 'down', consecutive_failures: 3, down_since: '2026-12-03T10:00:00.000Z' });
    now += 29_999;
    expect(health.tryNow('acq_a')).toBe(false);
  });

  it('lets exactly one caller probe after the cool-down; its success brings it up', () => {
    failTimes(3);
    now += 30_000;
    expect(health.tryNow('acq_a')).toBe(true);
    expect(health.view('acq_a').state).toBe('probing');
    expect(health.tryNow('acq_a')).toBe(false);
    health.record('acq_a', 'success');
    expect(health.view('acq_a')).toEqual({ state: 'up', consecutive_failures: 0, down_since: null });
    expect(health.tryNow('acq_a')).toBe(true);
  });

  it('a failed probe takes it down for another cool-down', () => {
    failTimes(3);
    now += 30_000;
    health.tryNow('acq_a');
    health.record('acq_a', 'failure');
    expect(health.view('acq_a')).toMatchObject({ state: 'down', consecutive_failures: 4, down_since: '2026-12-03T10:00:30.000Z' });
    now += 10_000;
    expect(health.tryNow('acq_a')).toBe(false);
  });

  it('says what tryNow would, without taking the probe\'s slot', () => {
    failTimes(2);
    expect(health.next('acq_a')).toBe('send');
    failTimes(1);
    expect(health.next('acq_a')).toBe('skip');
    now += 30_000;
    expect(health.next('acq_a')).toBe('probe');
    expect(health.next('acq_a')).toBe('probe');
    expect(health.view('acq_a').state).toBe('down');
    expect(health.tryNow('acq_a')).toBe(true);
    expect(health.next('acq_a')).toBe('skip');
    health.record('acq_a', 'success');
    expect(health.next('acq_a')).toBe('send');
  });

  it('keeps each acquirer apart', () => {
    failTimes(3);
    expect(health.tryNow('acq_b')).toBe(true);
  });
});
