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

  describe('what an add() reaches, on every path', () => {
    it('adopts a thenable the body returns inside its scope: a lazy query builder reaches the context', async () => {
      const unit = new MemoryUnit();
      // Its work starts only when awaited, as with a query builder's `then`.
      const lazy = {
        then(resolve: (value: string) => void): void {
          setTimeout(() => {
            bus.add(new BlockedStatus('Found while awaited'));
            resolve('rows');
          }, 1);
        },
      };
      const value = await bus.context(unit, () => lazy as unknown as PromiseLike<string>);
      expect(value).to.equal('rows');
      expect(texts(unit.history)).to.deep.equal(['blocked: Found while awaited']);
      sinon.assert.notCalled(warnings);
    });

    it('closing a context from its own open listener leaves the bus exact for every later context', async () => {
      const closeOnOpen = (context: StatusContext): void => {
        void context.close();
      };
      bus.on('open', closeOnOpen);
      const early = new MemoryUnit();
      const closedEarly = bus.open(early);
      const scoped = new MemoryUnit();
      await bus.context(scoped, () => {
        bus.add(new MaintenanceStatus('after close'));
      });
      bus.off('open', closeOnOpen);
      await closedEarly.close();
      // Neither closed context received anything after its final status.
      expect(texts(early.history)).to.deep.equal(['active: Ready']);
      expect(texts(scoped.history)).to.deep.equal(['active: Ready']);
      // Later contexts, scoped and bus-wide, receive what they should.
      const later = new MemoryUnit();
      await bus.context(later, async () => {
        await delay(1);
        bus.add(new WaitingStatus('seen'));
      });
      expect(texts(later.history)).to.deep.equal(['waiting: seen']);
      const global = bus.open(new MemoryUnit());
      bus.add(new BlockedStatus('reaches it'));
      expect(String(await global.close())).to.equal('blocked: reaches it');
      expect(texts(early.history)).to.deep.equal(['active: Ready']);
    });

    it('a context closed while an add() is delivered does not receive it after its final status', async () => {
      const contexts: StatusContext[] = [];
      const closer = {
        setStatus(status: StatusBase): void {
          if (status.name === 'maintenance') void contexts[1]?.close();
        },
      };
      const victim = new MemoryUnit();
      contexts.push(bus.open(closer), bus.open(victim));
      bus.add(new MaintenanceStatus('closes the other'));
      await contexts[0]?.close();
      expect(texts(victim.history)).to.deep.equal(['active: Ready']);
    });

    it('an add() made from inside a synchronous setStatus reaches every unit after the status being delivered', async () => {
      const seen: Record<string, string[]> = { a: [], b: [] };
      let echoed = false;
      const unit = (name: 'a' | 'b') => ({
        setStatus(status: StatusBase): void {
          seen[name]?.push(String(status));
          if (name === 'a' && !echoed) {
            echoed = true;
            bus.add(new MaintenanceStatus('echo'));
          }
        },
      });
      const a = bus.open(unit('a'));
      const b = bus.open(unit('b'));
      bus.add(new MaintenanceStatus('first'));
      await Promise.all([a.close(), b.close()]);
      expect(seen.a?.slice(0, 2)).to.deep.equal(['maintenance: first', 'maintenance: echo']);
      expect(seen.b?.slice(0, 2)).to.deep.equal(['maintenance: first', 'maintenance: echo']);
    });

    it('opens and closes contexts in constant time each: 20,000 open at once cost no copies', async () => {
      const contexts = Array.from({ length: 20_000 }, () => bus.open(new MemoryUnit()));
      bus.add(new WaitingStatus('to all'));
      const finals = await Promise.all(contexts.map((c) => c.close()));
      expect(new Set(finals.map(String))).to.deep.equal(new Set(['waiting: to all']));
    });
  });
});
