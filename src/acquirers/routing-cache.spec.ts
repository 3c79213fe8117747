import { SIMULATOR_ACQUIRER_ID } from './acquirer.entity.js';
import type { AcquirerRow } from './attempts.repository.js';
import { routeFrom } from './routes.js';
import { EVERY_ROUTE, RoutingCache, type RouteData } from './routing-cache.js';

const acquirer = (id: string, enabled = true): AcquirerRow => ({
  id,
  name: id,
  kind: id === SIMULATOR_ACQUIRER_ID ? 'simulator' : 'http',
  baseUrl: id === SIMULATOR_ACQUIRER_ID ? null : `http://127.0.0.1:9/${id}`,
  apiKey: null,
  timeoutMs: 1000,
  enabled,
  version: '1',
});

const simulator = acquirer(SIMULATOR_ACQUIRER_ID);
const first = acquirer('acq_first');
const second = acquirer('acq_second');

const alice: RouteData = { routing: { rules: [], default: ['acq_first', 'acq_second'] }, acquirers: [simulator, first, second] };
const bob: RouteData = { routing: null, acquirers: [simulator, first, second] };

describe(RoutingCache.name, () => {
  let sut: RoutingCache;

  beforeEach(() => {
    sut = new RoutingCache(3);
    sut.open();
  });

  it('remembers what was read for a merchant, routing or none', () => {
    sut.set('mer_A', alice, sut.generation);
    sut.set('mer_B', bob, sut.generation);
    expect(sut.get('mer_A')).toEqual(alice);
    expect(sut.get('mer_B')).toEqual(bob);
    expect(sut.get('mer_C')).toBeUndefined();
  });

  it('forgets the routing of the merchant a change names, and only that one', () => {
    sut.set('mer_A', alice, sut.generation);
    sut.set('mer_B', bob, sut.generation);
    sut.changed('mer_A');
    expect(sut.get('mer_A')).toBeUndefined();
    expect(sut.get('mer_B')).toEqual(bob);
  });

  it.each([EVERY_ROUTE, ''])('forgets everything on a change of every route (%j: an acquirer changed)', (payload) => {
    sut.set('mer_A', alice, sut.generation);
    sut.set('mer_B', bob, sut.generation);
    sut.changed(payload);
    expect(sut.get('mer_A')).toBeUndefined();
    expect(sut.get('mer_B')).toBeUndefined();
  });

  it('does not keep a read that was under way when a change was announced', () => {
    const generation = sut.generation;
    sut.changed('mer_B');
    sut.set('mer_A', alice, generation);
    expect(sut.get('mer_A')).toBeUndefined();
    // Read again after the change: kept.
    sut.set('mer_A', alice, sut.generation);
    expect(sut.get('mer_A')).toEqual(alice);
  });

  it('does not keep a read of acquirers that was under way when they changed, even for another merchant', () => {
    sut.set('mer_A', alice, sut.generation);
    const generation = sut.generation;
    sut.changed(EVERY_ROUTE);
    sut.set('mer_B', { ...bob, acquirers: [simulator, { ...first, enabled: true }] }, generation);
    expect(sut.get('mer_B')).toBeUndefined();
    expect(sut.get('mer_A')).toBeUndefined();
  });

  it('keeps nothing while changes cannot be heard, and starts empty when they can again', () => {
    sut.set('mer_A', alice, sut.generation);
    sut.close();
    expect(sut.get('mer_A')).toBeUndefined();
    sut.set('mer_A', alice, sut.generation);
    expect(sut.get('mer_A')).toBeUndefined();
    const generation = sut.generation;
    sut.open();
    // Read while closed, handed back once open: from before the reconnection, not kept.
    sut.set('mer_A', alice, generation);
    expect(sut.get('mer_A')).toBeUndefined();
    sut.set('mer_A', alice, sut.generation);
    expect(sut.get('mer_A')).toEqual(alice);
  });

  it('keeps nothing before it is first opened', () => {
    const closed = new RoutingCache(3);
    closed.set('mer_A', alice, closed.generation);
    expect(closed.get('mer_A')).toBeUndefined();
  });

  it('keeps the routings of at most so many merchants, forgetting the one read longest ago', () => {
    for (const id of ['mer_1', 'mer_2', 'mer_3']) sut.set(id, bob, sut.generation);
    sut.set('mer_1', alice, sut.generation); // read again: stays where it was
    sut.set('mer_4', bob, sut.generation);
    expect(sut.get('mer_1')).toBeUndefined();
    expect(sut.get('mer_2')).toEqual(bob);
    expect(sut.get('mer_3')).toEqual(bob);
    expect(sut.get('mer_4')).toEqual(bob);
  });

  it('uses the acquirers of the latest read for every merchant', () => {
    sut.set('mer_A', alice, sut.generation);
    const disabled = { ...alice, acquirers: [simulator, acquirer('acq_first', false), second] };
    sut.set('mer_B', { ...disabled, routing: null }, sut.generation);
    expect(sut.get('mer_A')).toEqual(disabled);
  });
});

describe(routeFrom.name, () => {
  const payment = { livemode: true, currency: 'EUR', brand: 'visa', amount: 1000 };

  it("is the merchant's routing, in order, without disabled acquirers", () => {
    expect(routeFrom(alice, payment)).toEqual([first, second]);
    expect(routeFrom({ ...alice, acquirers: [simulator, acquirer('acq_first', false), second] }, payment)).toEqual([second]);
  });

  it('is the simulator for a merchant without routing, and for a test-mode payment', () => {
    expect(routeFrom(bob, payment)).toEqual([simulator]);
    expect(routeFrom(alice, { ...payment, livemode: false })).toEqual([simulator]);
  });

  it('leaves out an acquirer the routing names but the table does not have', () => {
    expect(routeFrom({ ...alice, acquirers: [simulator, second] }, payment)).toEqual([second]);
  });
});
