import { Lifecycle } from './lifecycle.js';

describe(Lifecycle.name, () => {
  it('is done at once when nothing runs', async () => {
    await expect(new Lifecycle().requestsDone(1000)).resolves.toBe(true);
  });

  it('is done when the last running request ends', async () => {
    const sut = new Lifecycle();
    sut.requestStarted();
    sut.requestStarted();
    let done: boolean | undefined;
    void sut.requestsDone(10_000).then((value) => (done = value));
    sut.requestEnded();
    await Promise.resolve();
    expect(done).toBeUndefined();
    sut.requestEnded();
    await Promise.resolve();
    expect(done).toBe(true);
    expect(sut.requestsInFlight).toBe(0);
  });

  it('gives up after the timeout while a request still runs', async () => {
    const sut = new Lifecycle();
    sut.requestStarted();
    await expect(sut.requestsDone(20)).resolves.toBe(false);
    expect(sut.requestsInFlight).toBe(1);
  });
});
