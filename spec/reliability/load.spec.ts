// Load: many contexts at once, on asynchronous units, across awaits. Each unit must end with
// exactly its own resolved status, and once all are closed nothing may be retained.
import { expect } from 'chai';

import {
  BlockedStatus,
  MaintenanceStatus,
  type StatusBase,
  StatusBus,
  type StatusContext,
  type Unit,
  WaitingStatus,
} from '../../lib/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** An asynchronous unit whose writes land a macrotask later. */
class AsyncUnit implements Unit {
  readonly written: string[] = [];
  setStatus(status: StatusBase): Promise<void> {
    return new Promise((resolve) => {
      setImmediate(() => {
        this.written.push(String(status));
        resolve();
      });
    });
  }
}

async function settleGarbage(): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    await flush();
    gc?.();
  }
}

describe('load', function () {
  this.timeout(120_000);

  it('10,000 concurrent contexts each end with exactly their own status, and leave nothing behind', async () => {
    expect(gc, 'mocha must run node with --expose-gc (see .mocharc.json)').to.be.a('function');
    const count = 10_000;
    const bus = new StatusBus();
    await settleGarbage();
    const before = process.memoryUsage().heapUsed;
    const retained: WeakRef<object>[] = [];

    await (async () => {
      let opened = 0;
      const sample = (context: StatusContext): void => {
        opened += 1;
        if (opened % 997 === 0) {
          retained.push(new WeakRef(context), new WeakRef(context.unit));
        }
      };
      bus.on('open', sample);
      const units = Array.from({ length: count }, () => new AsyncUnit());
      await Promise.all(
        units.map((unit, i) =>
          bus.context(unit, async () => {
            bus.add(new MaintenanceStatus(`${String(i)}: step 1`));
            await new Promise((resolve) => setTimeout(resolve, i % 5));
            bus.add(new WaitingStatus(`${String(i)}: waits`));
            await flush();
            if (i % 3 === 0) bus.add(new BlockedStatus(`${String(i)}: blocked`));
            bus.add(new MaintenanceStatus(`${String(i)}: step 2`));
            await Promise.resolve();
          }),
        ),
      );
      bus.off('open', sample);
      units.forEach((unit, i) => {
        const expected = i % 3 === 0 ? `blocked: ${String(i)}: blocked` : `waiting: ${String(i)}: waits`;
        expect(unit.written.at(-1), `unit ${String(i)}`).to.equal(expected);
        expect(
          unit.written.every((line) => line.includes(` ${String(i)}: `)),
          `unit ${String(i)} heard another's status`,
        ).to.equal(true);
      });
    })();

    await settleGarbage();
    const grown = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
    expect(retained.length).to.be.greaterThan(10);
    expect(
      retained.filter((ref) => ref.deref() !== undefined),
      'contexts or units still reachable',
    ).to.deep.equal([]);
    expect(grown, `heap grew by ${grown.toFixed(1)} MiB`).to.be.lessThan(8);
    expect(bus.listenerCount('open')).to.equal(0);
  });
});
