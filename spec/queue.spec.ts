// The write queue of one unit: it speaks the unit's language (a write is void, or a promise)
// and knows nothing of contexts.
import { expect } from 'chai';

import {
  BlockedStatus,
  MaintenanceStatus,
  MemoryUnit,
  type StatusBase,
  WaitingStatus,
} from '../lib/index.js';
import { WriteQueue, queueOf } from '../lib/queue.js';
import { SlowUnit } from './support/units.js';

const texts = (values: readonly StatusBase[]): string[] => values.map(String);

describe('the write queue of a unit', () => {
  it('writes to a synchronous unit at once, returning nothing', () => {
    const unit = new MemoryUnit();
    const queue = new WriteQueue(unit);
    expect(queue.write(new MaintenanceStatus('m'), false)).to.equal(undefined);
    expect(texts(unit.history)).to.deep.equal(['maintenance: m']);
    expect(String(queue.last)).to.equal('maintenance: m');
  });

  it('throws what a synchronous unit threw, and keeps working', () => {
    let fail = true;
    const unit = {
      written: [] as StatusBase[],
      setStatus(status: StatusBase): void {
        if (fail) throw new Error('disk full');
        this.written.push(status);
      },
    };
    const queue = new WriteQueue(unit);
    expect(() => queue.write(new MaintenanceStatus('1'), false)).to.throw('disk full');
    fail = false;
    expect(queue.write(new MaintenanceStatus('2'), false)).to.equal(undefined);
    expect(texts(unit.written)).to.deep.equal(['maintenance: 2']);
  });

  it('serializes an asynchronous unit: one write at a time, in order', async () => {
    const unit = new SlowUnit(5);
    unit.coalesce = false;
    const queue = new WriteQueue(unit);
    await Promise.all([1, 2, 3].map((i) => queue.write(new MaintenanceStatus(String(i)), false)));
    expect(texts(unit.written)).to.deep.equal(['maintenance: 1', 'maintenance: 2', 'maintenance: 3']);
    expect(unit.maxInFlight).to.equal(1);
  });

  it('skips progress superseded while a write is in flight; never a final write', async () => {
    const unit = new SlowUnit(5);
    const queue = new WriteQueue(unit);
    const writes = [
      queue.write(new MaintenanceStatus('in flight'), false),
      queue.write(new MaintenanceStatus('superseded'), false),
      queue.write(new WaitingStatus('final one'), true),
      queue.write(new MaintenanceStatus('after'), false),
      queue.write(new BlockedStatus('final two'), true),
    ];
    await Promise.all(writes);
    expect(texts(unit.written)).to.deep.equal([
      'maintenance: in flight',
      'waiting: final one',
      'blocked: final two',
    ]);
  });

  it('tells the unit which writes are final', () => {
    const seen: [string, boolean | undefined][] = [];
    const queue = new WriteQueue({
      setStatus(status, options) {
        seen.push([String(status), options?.final]);
      },
    });
    expect(queue.write(new MaintenanceStatus('m'), false)).to.equal(undefined);
    expect(queue.write(new BlockedStatus('b'), true)).to.equal(undefined);
    expect(seen).to.deep.equal([
      ['maintenance: m', false],
      ['blocked: b', true],
    ]);
  });

  it('rejects the write that failed, and goes on with the next', async () => {
    const unit = new SlowUnit(2);
    unit.failWith = (status) => (status.message === 'bad' ? new Error('refused') : undefined);
    unit.coalesce = false;
    const queue = new WriteQueue(unit);
    const bad = queue.write(new MaintenanceStatus('bad'), false);
    const good = queue.write(new MaintenanceStatus('good'), true);
    expect(await Promise.resolve(bad).catch((e: unknown) => String(e))).to.equal('Error: refused');
    await good;
    expect(texts(unit.written)).to.deep.equal(['maintenance: good']);
  });

  it('is one per unit in the process', () => {
    const unit = new MemoryUnit();
    expect(queueOf(unit)).to.equal(queueOf(unit));
    expect(queueOf(unit)).not.to.equal(queueOf(new MemoryUnit()));
  });
});
