import { expect } from 'chai';
import sinon from 'sinon';

import {
  BlockedStatus,
  MaintenanceStatus,
  MemoryUnit,
  type StatusBase,
  StatusBus,
  type StatusContext,
  WaitingStatus,
} from '../lib/index.js';
import { delay } from './support/units.js';

const texts = (statuses: readonly StatusBase[]): string[] => statuses.map(String);

describe('async scoping (beyond)', () => {
  let bus: StatusBus;
  let warnings: sinon.SinonSpy<[string], void>;
  beforeEach(() => {
    bus = new StatusBus();
    warnings = sinon.spy((_message: string): void => undefined);
    bus.on('warning', warnings);
  });

  it("two concurrent context() calls never see each other's statuses", async () => {
    const a = new MemoryUnit();
    const b = new MemoryUnit();
    const work = (name: string, ms: number) => async () => {
      bus.add(new MaintenanceStatus(`${name} 1`));
      await delay(ms);
      bus.add(new MaintenanceStatus(`${name} 2`));
      await delay(ms);
      bus.add(new WaitingStatus(`${name} waits`));
    };
    await Promise.all([bus.context(a, work('a', 3)), bus.context(b, work('b', 2))]);
    expect(texts(a.history)).to.deep.equal(['maintenance: a 1', 'maintenance: a 2', 'waiting: a waits']);
    expect(texts(b.history)).to.deep.equal(['maintenance: b 1', 'maintenance: b 2', 'waiting: b waits']);
    sinon.assert.notCalled(warnings);
  });

  it('follows the body across timers, immediates, microtasks and promise chains', async () => {
    const unit = new MemoryUnit();
    await bus.context(unit, async () => {
      await new Promise<void>((resolve) => {
        setTimeout(() => {
          bus.add(new MaintenanceStatus('from a timer'));
          resolve();
        }, 1);
      });
      await new Promise<void>((resolve) => {
        setImmediate(() => {
          bus.add(new MaintenanceStatus('from an immediate'));
          resolve();
        });
      });
      queueMicrotask(() => {
        bus.add(new MaintenanceStatus('from a microtask'));
      });
      await Promise.resolve()
        .then(() => delay(1))
        .then(() => {
          bus.add(new BlockedStatus('from a promise chain'));
        });
    });
    expect(texts(unit.history)).to.deep.equal([
      'maintenance: from a timer',
      'maintenance: from an immediate',
      'maintenance: from a microtask',
      'blocked: from a promise chain',
    ]);
  });

  it('reaches code in a library called from the body without passing anything', async () => {
    const library = {
      async connect(): Promise<void> {
        await delay(1);
        bus.add(new WaitingStatus('Waiting for the database'));
      },
    };
    const units = [new MemoryUnit(), new MemoryUnit()];
    await Promise.all([
      bus.context(units[0]!, () => library.connect()),
      bus.context(units[1]!, () => undefined),
    ]);
    expect(texts(units[0]?.history ?? [])).to.deep.equal(['waiting: Waiting for the database']);
    expect(texts(units[1]?.history ?? [])).to.deep.equal(['active: Ready']);
  });

  it('open() contexts are bus-wide: they hear every add, from any scope (parity)', async () => {
    const global = new MemoryUnit();
    const scoped = new MemoryUnit();
    const ctx = bus.open(global);
    bus.add(new MaintenanceStatus('outside'));
    await bus.context(scoped, () => {
      bus.add(new MaintenanceStatus('inside'));
    });
    await ctx.close();
    expect(texts(global.history)).to.deep.equal([
      'maintenance: outside',
      'maintenance: inside',
      'active: Ready',
    ]);
    expect(texts(scoped.history)).to.deep.equal(['maintenance: inside', 'active: Ready']);
    expect(warnings.args.map(([m]) => m)).to.satisfy(
      (messages: string[]) => messages.length === 1 && messages[0]?.startsWith('already in a status context'),
    );
  });

  it('lists the contexts an add reached outermost first', async () => {
    const seen: StatusContext[][] = [];
    bus.on('blocked', (_status, contexts) => {
      seen.push([...contexts]);
    });
    const opened: StatusContext[] = [];
    bus.on('open', (context) => {
      opened.push(context);
    });
    const outer = bus.open(new MemoryUnit());
    await bus.context(new MemoryUnit(), async () => {
      await bus.context(new MemoryUnit(), () => {
        bus.add(new BlockedStatus('deep'));
      });
    });
    await outer.close();
    expect(seen).to.deep.equal([opened]);
    expect(opened).to.have.length(3);
  });

  it('an add from work the body left running, after the context closed, reaches nothing', async () => {
    const unit = new MemoryUnit();
    let late: Promise<void> | undefined;
    await bus.context(unit, () => {
      late = delay(5).then(() => {
        bus.add(new BlockedStatus('too late'));
      });
    });
    await late;
    expect(texts(unit.history)).to.deep.equal(['active: Ready']);
    expect(warnings.args.map(([m]) => m)).to.deep.equal([
      'could not add status: its status context has closed (StatusContext(closed, a MemoryUnit)), so nothing receives blocked: too late',
    ]);
  });

  it('a context on one bus does not hear adds on another', async () => {
    const other = new StatusBus();
    other.on('warning', () => undefined);
    const unit = new MemoryUnit();
    await bus.context(unit, () => {
      other.add(new BlockedStatus('elsewhere'));
    });
    expect(texts(unit.history)).to.deep.equal(['active: Ready']);
  });
});
