import { expect } from 'chai';
import sinon from 'sinon';

import {
  ActiveStatus,
  BlockedStatus,
  MaintenanceStatus,
  MemoryUnit,
  type StatusBase,
  StatusBus,
  StatusContext,
  UnknownStatus,
  WaitingStatus,
} from '../lib/index.js';
import { SlowUnit } from './support/units.js';
import { runScript } from './support/script.js';

const texts = (statuses: readonly StatusBase[]): string[] => statuses.map(String);

describe('status contexts', () => {
  let bus: StatusBus;
  let warnings: sinon.SinonSpy<[string], void>;
  let errors: sinon.SinonSpy<[Error, (StatusContext | undefined)?], void>;
  beforeEach(() => {
    bus = new StatusBus();
    warnings = sinon.spy((_message: string): void => undefined);
    errors = sinon.spy((_error: Error, _context?: StatusContext): void => undefined);
    bus.on('warning', warnings);
    bus.on('error', errors);
  });

  describe('while open (parity)', () => {
    it('writes maintenance and active to a synchronous unit before add() returns', async () => {
      const unit = new MemoryUnit();
      await bus.context(unit, () => {
        bus.add(new MaintenanceStatus('Installing'));
        expect(String(unit.status)).to.equal('maintenance: Installing');
        bus.add(new ActiveStatus('Almost'));
        expect(String(unit.status)).to.equal('active: Almost');
      });
    });

    it('keeps blocked and waiting for the close, writing nothing', async () => {
      const unit = new MemoryUnit();
      await bus.context(unit, () => {
        bus.add(new BlockedStatus('b'));
        bus.add(new WaitingStatus('w'));
        expect(unit.history).to.deep.equal([]);
      });
      expect(texts(unit.history)).to.deep.equal(['blocked: b']);
    });
  });

  describe('resolution (parity)', () => {
    const cases: [string, StatusBase[], string][] = [
      ['nothing added: ActiveStatus("Ready")', [], 'active: Ready'],
      ['only maintenance: ActiveStatus("Ready") after it', [new MaintenanceStatus('m')], 'active: Ready'],
      [
        'the first blocked, over waiting added before it',
        [new WaitingStatus('w1'), new BlockedStatus('b1'), new BlockedStatus('b2')],
        'blocked: b1',
      ],
      [
        'the first waiting when nothing blocked',
        [new WaitingStatus('w1'), new MaintenanceStatus('m'), new WaitingStatus('w2')],
        'waiting: w1',
      ],
    ];
    for (const [what, added, expected] of cases) {
      it(`publishes ${what}`, async () => {
        const unit = new MemoryUnit();
        const final = await bus.context(unit, () => {
          for (const status of added) bus.add(status);
          return 'done';
        });
        expect(final).to.equal('done');
        expect(String(unit.status)).to.equal(expected);
      });
    }

    it('publishes the exit status given when nothing blocked or waiting was added', async () => {
      const unit = new MemoryUnit();
      const exitStatus = new ActiveStatus('Serving on :8080');
      await bus.context(unit, () => undefined, { exitStatus });
      expect(unit.status).to.equal(exitStatus);
    });

    it('resolve() tells what close() would publish now', async () => {
      const ctx = bus.open(new MemoryUnit());
      expect(String(ctx.resolve())).to.equal('active: Ready');
      bus.add(new WaitingStatus('w'));
      expect(String(ctx.resolve())).to.equal('waiting: w');
      bus.add(new BlockedStatus('b'));
      expect(String(ctx.resolve())).to.equal('blocked: b');
      expect(String(await ctx.close())).to.equal('blocked: b');
    });
  });

  describe('context()', () => {
    it('returns what the body returned, sync or async', async () => {
      const unit = new MemoryUnit();
      expect(await bus.context(unit, () => 7)).to.equal(7);
      expect(await bus.context(unit, async () => 'x')).to.equal('x');
    });

    it('closes when the body throws, and rethrows the very error', async () => {
      const unit = new MemoryUnit();
      const failure = new RangeError('boom');
      const caught = await bus
        .context(unit, () => {
          bus.add(new WaitingStatus('w'));
          throw failure;
        })
        .catch((error: unknown) => error);
      expect(caught).to.equal(failure);
      expect(String(unit.status)).to.equal('waiting: w');
    });

    it('closes when an async body rejects, after its awaits', async () => {
      const unit = new MemoryUnit();
      const failure = new Error('later');
      const caught = await bus
        .context(unit, async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          throw failure;
        })
        .catch((error: unknown) => error);
      expect(caught).to.equal(failure);
      expect(String(unit.status)).to.equal('active: Ready');
    });

    it('emits open when it opens and resolved with the final status when it closes', async () => {
      const unit = new MemoryUnit();
      const opened = sinon.spy();
      const resolved = sinon.spy();
      bus.on('open', opened);
      bus.on('resolved', resolved);
      let inside: StatusContext | undefined;
      bus.on('blocked', (_status, contexts) => {
        inside = contexts[0];
      });
      await bus.context(unit, () => {
        bus.add(new BlockedStatus('b'));
        sinon.assert.notCalled(resolved);
      });
      sinon.assert.calledOnceWithExactly(opened, inside);
      sinon.assert.calledOnceWithExactly(resolved, unit.status, inside);
      expect(inside?.closed).to.equal(true);
    });
  });

  describe('errorStatus (beyond)', () => {
    const errorStatus = new BlockedStatus('The last hook failed: see juju debug-log');

    it('is published when the body throws and nothing blocked or waiting was added', async () => {
      const unit = new MemoryUnit();
      await bus
        .context(
          unit,
          () => {
            bus.add(new MaintenanceStatus('m'));
            throw new Error('x');
          },
          { errorStatus },
        )
        .catch(() => undefined);
      expect(unit.status).to.equal(errorStatus);
    });

    it('gives way to a blocked or waiting status that was added', async () => {
      const unit = new MemoryUnit();
      await bus
        .context(
          unit,
          () => {
            bus.add(new WaitingStatus('w'));
            throw new Error('x');
          },
          { errorStatus },
        )
        .catch(() => undefined);
      expect(String(unit.status)).to.equal('waiting: w');
    });

    it('is not published when the body returns', async () => {
      const unit = new MemoryUnit();
      await bus.context(unit, () => undefined, { errorStatus });
      expect(String(unit.status)).to.equal('active: Ready');
    });

    it('unset, a failed body publishes the exit status (parity)', async () => {
      const unit = new MemoryUnit();
      await bus.context(unit, () => Promise.reject(new Error('x'))).catch(() => undefined);
      expect(String(unit.status)).to.equal('active: Ready');
    });
  });

  describe('open() and close()', () => {
    it('close() is idempotent: the same promise, one final write', async () => {
      const unit = new MemoryUnit();
      const ctx = bus.open(unit);
      const first = ctx.close();
      expect(ctx.close()).to.equal(first);
      expect(ctx.closed).to.equal(true);
      await first;
      await ctx.close();
      expect(texts(unit.history)).to.deep.equal(['active: Ready']);
    });

    it('a closed context receives nothing more, and adding to it is a warning', async () => {
      const unit = new MemoryUnit();
      const ctx = bus.open(unit);
      await ctx.close();
      bus.add(new MaintenanceStatus('late'));
      ctx.add(new MaintenanceStatus('later'));
      expect(texts(unit.history)).to.deep.equal(['active: Ready']);
      expect(warnings.args.map(([m]) => m)).to.deep.equal([
        'could not add status outside of a status context: maintenance: late',
        'could not add status to a closed status context (StatusContext(closed, a MemoryUnit)): maintenance: later',
      ]);
    });

    it('StatusContext.add() reaches that context alone, and is announced on the bus', async () => {
      const a = new MemoryUnit();
      const b = new MemoryUnit();
      const blocked = sinon.spy();
      bus.on('blocked', blocked);
      const first = bus.open(a);
      const second = bus.open(b);
      const status = new BlockedStatus('only a');
      first.add(status);
      sinon.assert.calledOnceWithExactly(blocked, status, [first]);
      await Promise.all([first.close(), second.close()]);
      expect(String(a.status)).to.equal('blocked: only a');
      expect(String(b.status)).to.equal('active: Ready');
    });

    it('await using closes the context at the end of the block', async () => {
      const unit = new MemoryUnit();
      {
        await using ctx = bus.open(unit, { exitStatus: new ActiveStatus('Serving') });
        bus.add(new MaintenanceStatus('m'));
        expect(ctx.closed).to.equal(false);
      }
      expect(texts(unit.history)).to.deep.equal(['maintenance: m', 'active: Serving']);
    });

    it('has the unit and exit status it was opened with', async () => {
      const unit = new MemoryUnit();
      const exitStatus = new WaitingStatus('idle');
      const ctx = bus.open(unit, { exitStatus });
      expect(ctx.unit).to.equal(unit);
      expect(ctx.exitStatus).to.equal(exitStatus);
      expect(ctx).to.be.instanceOf(StatusContext);
      await ctx.close();
    });
  });

  describe('nested contexts (parity)', () => {
    it('warn, and each receives every add, writes to its own unit and publishes its own status', async () => {
      const outer = new MemoryUnit();
      const inner = new MemoryUnit();
      await bus.context(outer, async () => {
        bus.add(new MaintenanceStatus('outer work'));
        await bus.context(
          inner,
          () => {
            bus.add(new MaintenanceStatus('inner work'));
            bus.add(new WaitingStatus('inner waits'));
          },
          { exitStatus: new ActiveStatus('inner done') },
        );
        bus.add(new BlockedStatus('outer blocked'));
      });
      expect(warnings.callCount).to.equal(1);
      expect(warnings.firstCall.args[0]).to.match(/^already in a status context/);
      expect(texts(inner.history)).to.deep.equal(['maintenance: inner work', 'waiting: inner waits']);
      expect(texts(outer.history)).to.deep.equal([
        'maintenance: outer work',
        'maintenance: inner work',
        'blocked: outer blocked',
      ]);
    });

    it("an inner context on the same unit publishes after the outer one's earlier writes, in order", async () => {
      const unit = new SlowUnit(2);
      await bus.context(unit, async () => {
        bus.add(new MaintenanceStatus('outer 1'));
        await bus.context(unit, () => {
          bus.add(new WaitingStatus('inner'));
        });
        bus.add(new MaintenanceStatus('outer 2'));
      });
      expect(texts(unit.written)).to.deep.equal([
        'maintenance: outer 1',
        'waiting: inner',
        'maintenance: outer 2',
        'waiting: inner', // the outer context received the inner add too (parity)
      ]);
      expect(unit.maxInFlight).to.equal(1);
    });
  });

  describe('asynchronous units (beyond)', () => {
    it('serializes writes, keeps their order, and lands the final status last', async () => {
      const unit = new SlowUnit(3);
      unit.coalesce = false;
      await bus.context(unit, async () => {
        for (let i = 1; i <= 5; i += 1) bus.add(new MaintenanceStatus(`step ${String(i)}`));
        await new Promise((resolve) => setTimeout(resolve, 1));
        bus.add(new ActiveStatus('step 6'));
      });
      expect(unit.maxInFlight).to.equal(1);
      expect(texts(unit.written)).to.deep.equal([
        'maintenance: step 1',
        'maintenance: step 2',
        'maintenance: step 3',
        'maintenance: step 4',
        'maintenance: step 5',
        'active: step 6',
        'active: Ready',
      ]);
    });

    it('coalesces: statuses superseded while a write is in flight are never written', async () => {
      const unit = new SlowUnit(5);
      await bus.context(unit, () => {
        for (let i = 1; i <= 100; i += 1) bus.add(new MaintenanceStatus(`step ${String(i)}`));
        bus.add(new BlockedStatus('final'));
      });
      expect(texts(unit.started)).to.deep.equal(['maintenance: step 1', 'blocked: final']);
      expect(String(unit.last)).to.equal('blocked: final');
    });

    it("never drops one context's final status for another's later write", async () => {
      const unit = new SlowUnit(3);
      const first = bus.open(unit, { exitStatus: new ActiveStatus('first done') });
      bus.add(new MaintenanceStatus('busy'));
      const closing = first.close();
      const second = bus.open(unit);
      bus.add(new MaintenanceStatus('second busy'));
      await Promise.all([closing, second.close()]);
      expect(texts(unit.written)).to.deep.equal(['maintenance: busy', 'active: first done', 'active: Ready']);
    });
  });

  describe('failed writes', () => {
    it('a maintenance write that throws is an error event, and the work goes on', async () => {
      const failure = new Error('unit is gone');
      let calls = 0;
      const unit = {
        history: [] as StatusBase[],
        setStatus(status: StatusBase): void {
          calls += 1;
          if (calls === 1) throw failure;
          this.history.push(status);
        },
      };
      const value = await bus.context(unit, () => {
        bus.add(new MaintenanceStatus('first'));
        bus.add(new MaintenanceStatus('second'));
        return 'went on';
      });
      expect(value).to.equal('went on');
      expect(texts(unit.history)).to.deep.equal(['maintenance: second', 'active: Ready']);
      sinon.assert.calledOnce(errors);
      expect(errors.firstCall.args[0]).to.equal(failure);
      expect(errors.firstCall.args[1]).to.be.instanceOf(StatusContext);
    });

    it('a maintenance write that rejects is an error event, and the final status still lands', async () => {
      const unit = new SlowUnit(1);
      const failure = new Error('status-set failed');
      unit.failWith = (status) => (status.name === 'maintenance' ? failure : undefined);
      await bus.context(unit, () => {
        bus.add(new MaintenanceStatus('m'));
      });
      expect(texts(unit.written)).to.deep.equal(['active: Ready']);
      sinon.assert.calledOnce(errors);
      expect(errors.firstCall.args[0]).to.equal(failure);
    });

    it('with no error listener, a failed write goes to stderr', async () => {
      bus.off('error', errors);
      const stderr = sinon.stub(console, 'error');
      try {
        const unit = new SlowUnit(1);
        const failure = new Error('nope');
        unit.failWith = (status) => (status.name === 'maintenance' ? failure : undefined);
        await bus.context(unit, () => {
          bus.add(new MaintenanceStatus('m'));
        });
        sinon.assert.calledOnceWithExactly(
          stderr,
          'charms-contextual-status: a status write failed:',
          failure,
        );
      } finally {
        stderr.restore();
      }
    });

    it('a failed final write rejects close() and context() with that error', async () => {
      const failure = new Error('final write failed');
      const unit = new SlowUnit(1);
      unit.failWith = () => failure;
      const resolved = sinon.spy();
      bus.on('resolved', resolved);
      const caught = await bus.context(unit, () => 'value').catch((error: unknown) => error);
      expect(caught).to.equal(failure);
      const ctx = bus.open(unit);
      expect(await ctx.close().catch((error: unknown) => error)).to.equal(failure);
      sinon.assert.notCalled(resolved);
      sinon.assert.notCalled(errors);
    });

    it("when the body threw too, the body's error wins and the write failure is an error event", async () => {
      const writeFailure = new Error('final write failed');
      const bodyFailure = new Error('body failed');
      const unit = new MemoryUnit();
      const failing = {
        setStatus: (): void => {
          throw writeFailure;
        },
      };
      const caught = await bus
        .context(failing, () => {
          throw bodyFailure;
        })
        .catch((error: unknown) => error);
      expect(caught).to.equal(bodyFailure);
      sinon.assert.calledOnce(errors);
      expect(errors.firstCall.args[0]).to.equal(writeFailure);
      expect(unit.history).to.deep.equal([]);
    });
  });

  describe('bad input', () => {
    const badUnits: [string, unknown, string][] = [
      ['undefined', undefined, 'undefined'],
      ['a plain object without setStatus', { status: 'x' }, 'a plain object'],
      ['a string', 'unit/0', 'a string ("unit/0")'],
      ['an object whose setStatus is not a function', { setStatus: 1 }, 'a plain object'],
    ];
    for (const [label, unit, described] of badUnits) {
      it(`context() rejects and open() throws for ${label} as the unit`, async () => {
        const message = `the unit of a status context must be a unit: an object with a setStatus(status) method (a MemoryUnit, a HookToolUnit, or your framework's unit), got ${described}`;
        const caught = await bus
          .context(unit as MemoryUnit, () => undefined)
          .catch((error: unknown) => error);
        expect(caught).to.be.instanceOf(TypeError).with.property('message', message);
        expect(() => bus.open(unit as MemoryUnit)).to.throw(TypeError, message);
      });
    }

    it('context() rejects a body that is not a function', async () => {
      const caught = await bus
        .context(new MemoryUnit(), 'work' as unknown as () => void)
        .catch((error: unknown) => error);
      expect(caught)
        .to.be.instanceOf(TypeError)
        .with.property('message', 'the body of a status context must be a function, got a string ("work")');
    });

    it('StatusContext.add() refuses what cannot be set', async () => {
      const ctx = bus.open(new MemoryUnit());
      expect(() => {
        ctx.add(new UnknownStatus());
      }).to.throw(TypeError, /StatusContext.add\(\) status cannot be unknown/);
      await ctx.close();
    });
  });
});

describe('status contexts, beyond the original', () => {
  let bus: StatusBus;
  let errors: sinon.SinonSpy<[Error, (StatusContext | undefined)?], void>;
  beforeEach(() => {
    bus = new StatusBus();
    bus.on('warning', () => undefined);
    errors = sinon.spy((_error: Error, _context?: StatusContext): void => undefined);
    bus.on('error', errors);
  });

  describe('exitStatus as a function', () => {
    it('is called once, at close, so the exit status can say what the work found', async () => {
      const unit = new MemoryUnit();
      let port = 0;
      const exit = sinon.spy(() => new ActiveStatus(`Serving on :${String(port)}`));
      await bus.context(
        unit,
        () => {
          sinon.assert.notCalled(exit);
          port = 8080;
        },
        { exitStatus: exit },
      );
      sinon.assert.calledOnce(exit);
      expect(String(unit.status)).to.equal('active: Serving on :8080');
    });

    it('is not called when something blocked or waiting was added', async () => {
      const exit = sinon.spy(() => new ActiveStatus('x'));
      const unit = new MemoryUnit();
      await bus.context(
        unit,
        () => {
          bus.add(new WaitingStatus('w'));
        },
        { exitStatus: exit },
      );
      sinon.assert.notCalled(exit);
    });

    it('that throws, or returns what cannot be set, is an error event and the unit still gets a final status', async () => {
      const unit = new MemoryUnit();
      await bus.context(unit, () => undefined, {
        exitStatus: () => {
          throw new Error('no port');
        },
      });
      expect(String(unit.status)).to.equal('active: Ready');
      expect(errors.firstCall.args[0].message).to.equal('no port');
      await bus.context(unit, () => undefined, {
        exitStatus: () => new UnknownStatus(),
        errorStatus: new BlockedStatus('Broken exit'),
      });
      expect(String(unit.status)).to.equal('blocked: Broken exit');
      expect(errors.secondCall.args[0].message).to.match(/exitStatus function cannot be unknown/);
    });
  });

  describe("exitStatus: 'unchanged'", () => {
    it('leaves a Blocked unit Blocked when the work wrote nothing, writing nothing', async () => {
      const unit = new MemoryUnit(new BlockedStatus('Add a database'));
      const resolved = sinon.spy();
      bus.on('resolved', resolved);
      const final = await bus.context(unit, () => 'done', { exitStatus: 'unchanged' }).then(() => unit);
      expect(final.history).to.deep.equal([]);
      expect(String(unit.getStatus())).to.equal('blocked: Add a database');
      expect(String(resolved.firstCall.args[0])).to.equal('blocked: Add a database');
    });

    it('restores what the unit showed before its first write', async () => {
      const unit = new MemoryUnit(new BlockedStatus('Add a database'));
      await bus.context(
        unit,
        () => {
          bus.add(new MaintenanceStatus('Restarting'));
        },
        {
          exitStatus: 'unchanged',
        },
      );
      expect(texts(unit.history)).to.deep.equal(['maintenance: Restarting', 'blocked: Add a database']);
    });

    it('reads the prior status only when about to write, and after earlier writes to the unit', async () => {
      const unit = new SlowUnit(5);
      const shown: StatusBase[] = [new WaitingStatus('Waiting for peers')];
      const reads = sinon.spy(() => Promise.resolve(shown[shown.length - 1]!));
      const reading = Object.assign(unit, { getStatus: reads });
      await bus.context(reading, () => undefined, { exitStatus: 'unchanged' });
      sinon.assert.calledOnce(reads); // to report what the unit shows
      reads.resetHistory();
      await bus.context(
        reading,
        () => {
          bus.add(new MaintenanceStatus('Restarting'));
        },
        {
          exitStatus: 'unchanged',
        },
      );
      sinon.assert.calledOnce(reads);
      expect(texts(unit.written)).to.deep.equal(['maintenance: Restarting', 'waiting: Waiting for peers']);
    });

    it("holds the first write behind an asynchronous read, so the read never sees the context's own write", async () => {
      let shown: StatusBase = new BlockedStatus('Add a database');
      const written: string[] = [];
      const unit = {
        async setStatus(status: StatusBase): Promise<void> {
          written.push(String(status));
          shown = status;
          await Promise.resolve();
        },
        async getStatus(): Promise<StatusBase> {
          await new Promise((done) => setTimeout(done, 5)); // status-get answers while work goes on
          return shown;
        },
      };
      await bus.context(
        unit,
        () => {
          bus.add(new MaintenanceStatus('Restarting'));
          bus.add(new MaintenanceStatus('Restarted'));
        },
        { exitStatus: 'unchanged' },
      );
      expect(written[0]).to.equal('maintenance: Restarting');
      expect(written.at(-1)).to.equal('blocked: Add a database');
      expect(String(shown)).to.equal('blocked: Add a database');
    });

    it('reports what the unit shows when it wrote nothing: resolved and close() read it, writing nothing', async () => {
      const setStatus = sinon.spy();
      const unit = { setStatus, getStatus: () => Promise.resolve(new BlockedStatus('Add a database')) };
      const heard = sinon.spy();
      bus.on('resolved', heard);
      const ctx = bus.open(unit, { exitStatus: 'unchanged' });
      expect(String(await ctx.close())).to.equal('blocked: Add a database');
      sinon.assert.notCalled(setStatus);
      expect(String(heard.lastCall.args[0])).to.equal('blocked: Add a database');
      const blind = bus.open({ setStatus }, { exitStatus: 'unchanged' });
      expect(String(await blind.close())).to.equal('unknown');
    });

    it('publishes ActiveStatus("Ready") where the unit cannot tell, or showed unknown or error', async () => {
      const plain = {
        history: [] as StatusBase[],
        setStatus(s: StatusBase) {
          this.history.push(s);
        },
      };
      await bus.context(
        plain,
        () => {
          bus.add(new MaintenanceStatus('m'));
        },
        { exitStatus: 'unchanged' },
      );
      expect(texts(plain.history)).to.deep.equal(['maintenance: m', 'active: Ready']);
      const fresh = new MemoryUnit();
      await bus.context(
        fresh,
        () => {
          bus.add(new MaintenanceStatus('m'));
        },
        { exitStatus: 'unchanged' },
      );
      expect(String(fresh.status)).to.equal('active: Ready');
      const failing = Object.assign(new MemoryUnit(), {
        getStatus: () => Promise.reject(new Error('status-get failed')),
      });
      await bus.context(
        failing,
        () => {
          bus.add(new MaintenanceStatus('m'));
        },
        { exitStatus: 'unchanged' },
      );
      expect(String(failing.status)).to.equal('active: Ready');
      expect(errors.firstCall.args[0].message).to.equal('status-get failed');
    });

    it('still publishes the first blocked or waiting added', async () => {
      const unit = new MemoryUnit(new ActiveStatus('Serving'));
      await bus.context(
        unit,
        () => {
          bus.add(new BlockedStatus('Restart failed'));
        },
        {
          exitStatus: 'unchanged',
        },
      );
      expect(String(unit.status)).to.equal('blocked: Restart failed');
    });
  });

  describe('conditions', () => {
    it('lists every distinct blocked and waiting status added, in order, equal ones once', async () => {
      const ctx = bus.open(new MemoryUnit());
      bus.add(new WaitingStatus('Waiting for peers'));
      bus.add(new BlockedStatus('Add a database'));
      bus.add(new MaintenanceStatus('m'));
      bus.add(new WaitingStatus('Waiting for peers'));
      bus.add(new BlockedStatus('Set "port"'));
      expect(texts(ctx.conditions)).to.deep.equal([
        'waiting: Waiting for peers',
        'blocked: Add a database',
        'blocked: Set "port"',
      ]);
      expect(Object.isFrozen(ctx.conditions)).to.equal(true);
      await ctx.close();
    });

    it('keeps at most 100', async () => {
      const ctx = bus.open(new MemoryUnit());
      for (let i = 0; i < 1000; i += 1) bus.add(new BlockedStatus(`b${String(i)}`));
      expect(ctx.conditions).to.have.length(100);
      expect(String(await ctx.close())).to.equal('blocked: b0');
    });
  });

  describe('summary', () => {
    it('says how many other conditions are open, naming them', async () => {
      const unit = new MemoryUnit();
      await bus.context(
        unit,
        () => {
          bus.add(new WaitingStatus('Waiting for peers'));
          bus.add(new BlockedStatus('Add a database'));
          bus.add(new BlockedStatus('Set "port"'));
        },
        { summary: true },
      );
      expect(String(unit.status)).to.equal(
        'blocked: Add a database (+2 more: Waiting for peers; Set "port")',
      );
    });

    it('stays within the 120 characters juju status shows, naming as many as fit', async () => {
      const unit = new MemoryUnit();
      await bus.context(
        unit,
        () => {
          bus.add(new BlockedStatus('Add a database'));
          for (let i = 0; i < 10; i += 1)
            bus.add(new WaitingStatus(`Waiting for the ${String(i)}th peer to join`));
        },
        { summary: true },
      );
      const message = unit.status?.message ?? '';
      expect(message.length).to.be.at.most(120);
      expect(message).to.match(/^Add a database \(\+10 more: Waiting for the 0th peer to join; .*; …\)$/);
      const long = new MemoryUnit();
      await bus.context(
        long,
        () => {
          bus.add(new BlockedStatus('x'.repeat(200)));
          bus.add(new BlockedStatus('y'));
        },
        { summary: true },
      );
      expect(long.status?.message).to.have.length(120);
      expect(long.status?.message.endsWith('… (+1 more)')).to.equal(true);
    });

    it('counts every open condition past the 100 kept: +149 more when 150 are open', async () => {
      const unit = new MemoryUnit();
      await bus.context(
        unit,
        () => {
          for (let i = 0; i < 150; i += 1) bus.add(new BlockedStatus(`b${String(i)}`));
          bus.add(new BlockedStatus('b120')); // again: counted once
        },
        { summary: true },
      );
      expect(unit.status?.message).to.match(/^b0 \(\+149 more: b1; b2; .*; …\)$/);
      const flood = new MemoryUnit();
      await bus.context(
        flood,
        () => {
          for (let i = 0; i < 5000; i += 1) bus.add(new BlockedStatus(`b${String(i)}`));
        },
        { summary: true },
      );
      expect(flood.status?.message).to.match(/^b0 \(\+1099 or more: b1; .*; …\)$/);
    });

    it('cuts a long first message between graphemes, never inside a flag, an accent or an emoji', async () => {
      // U+1F1EB U+1F1F7 is one flag, e + U+0301 one accented letter, a family emoji one grapheme.
      for (const grapheme of ['\u{1F1EB}\u{1F1F7}', 'e\u0301', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}']) {
        for (let pad = 100; pad < 112; pad += 1) {
          const unit = new MemoryUnit();
          await bus.context(
            unit,
            () => {
              bus.add(new BlockedStatus('x'.repeat(pad) + grapheme.repeat(20)));
              bus.add(new BlockedStatus('y'));
            },
            { summary: true },
          );
          const message = unit.status?.message ?? '';
          expect(Array.from(message).length).to.be.at.most(120);
          const head = message.slice(0, message.indexOf('… (+1 more)'));
          const rest = head.slice(pad);
          expect(rest.length % grapheme.length, `${String(pad)} ${JSON.stringify(rest)}`).to.equal(0);
          expect(rest).to.equal(grapheme.repeat(rest.length / grapheme.length));
        }
      }
    });

    it('leaves a lone condition as it is', async () => {
      const unit = new MemoryUnit();
      await bus.context(
        unit,
        () => {
          bus.add(new BlockedStatus('Add a database'));
        },
        { summary: true },
      );
      expect(String(unit.status)).to.equal('blocked: Add a database');
    });
  });

  describe('errorStatus with open()', () => {
    it('takes effect through close({ failed: true })', async () => {
      const unit = new MemoryUnit();
      const ctx = bus.open(unit, { errorStatus: new BlockedStatus('Install failed') });
      expect(String(await ctx.close({ failed: true }))).to.equal('blocked: Install failed');
      const ok = bus.open(unit, { errorStatus: new BlockedStatus('Install failed') });
      expect(String(await ok.close())).to.equal('active: Ready');
    });
  });

  describe('faults from what a context is given', () => {
    it('a body result whose then getter throws: context() rejects with that error and closes', async () => {
      const unit = new MemoryUnit();
      const failure = new Error('then getter');
      const result = Object.defineProperty({}, 'then', {
        get() {
          throw failure;
        },
      });
      const caught = await bus.context(unit, () => result).catch((error: unknown) => error);
      expect(caught).to.equal(failure);
      expect(String(unit.status)).to.equal('active: Ready');
    });

    it('a unit whose coalesce getter throws still gets every write, and add() does not throw', async () => {
      const unit = new MemoryUnit();
      Object.defineProperty(unit, 'coalesce', {
        get() {
          throw new Error('coalesce getter');
        },
      });
      await bus.context(unit, () => {
        bus.add(new MaintenanceStatus('m'));
      });
      expect(texts(unit.history)).to.deep.equal(['maintenance: m', 'active: Ready']);
    });

    it('a unit whose thenable settles twice: each write is counted once, in order', async () => {
      const history: string[] = [];
      const unit = {
        setStatus(status: StatusBase) {
          history.push(String(status));
          return {
            then(resolve: () => void) {
              resolve();
              resolve();
            },
          } as unknown as Promise<void>;
        },
      };
      const resolved = sinon.spy();
      bus.on('resolved', resolved);
      await bus.context(unit, () => {
        bus.add(new MaintenanceStatus('1'));
        bus.add(new MaintenanceStatus('2'));
      });
      await bus.context(unit, () => undefined);
      // 'maintenance: 2', queued behind the first write, is superseded by the final status.
      expect(history).to.deep.equal(['maintenance: 1', 'active: Ready', 'active: Ready']);
      sinon.assert.calledTwice(resolved);
    });
  });

  describe('a context left open at exit', () => {
    it('counts one whose close() began but whose final write never landed', async () => {
      const script = `
        import * as status from './lib/index.ts';
        class StuckUnit { setStatus() { return new Promise(() => {}); } }
        void status.open(new StuckUnit()).close();
        status.open(new status.MemoryUnit());
      `;
      const { stderr } = await runScript(script);
      expect(stderr).to.include(
        'charms-contextual-status: 2 status contexts had not published a final status at exit (1 open, 1 closing with the final write not landed); the unit keeps showing a stale status (units: a StuckUnit, a MemoryUnit)',
      );
    });

    it('is reported on stderr, naming how many and their units', async () => {
      const script = `
        import * as status from './lib/index.ts';
        status.open(new status.MemoryUnit());
        status.open(new status.HookToolUnit());
        await status.context(new status.MemoryUnit(), () => undefined);
      `;
      const { stderr } = await runScript(script);
      expect(stderr).to.include(
        'charms-contextual-status: 2 status contexts were still open at exit and never published a final status; the unit keeps showing a stale status (units: a MemoryUnit, HookToolUnit(unit))',
      );
    });

    it('forgets each context as it publishes, in any order, and reports every copy of the package on one line', async () => {
      const script = `
        import { cpSync, rmSync, writeFileSync } from 'node:fs';
        const dir = 'node_modules/.cache/charms-contextual-status-exit-copy';
        rmSync(dir, { recursive: true, force: true });
        cpSync('lib', dir, { recursive: true });
        writeFileSync(dir + '/package.json', '{ "type": "module" }');
        process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
        const first = await import('./lib/index.ts');
        const second = await import('./' + dir + '/index.ts');
        const unit = (name) => ({ [name]: class { setStatus() {} } })[name];
        const early = first.open(new (unit('Early'))());
        first.open(new (unit('Middle'))());
        second.open(new second.HookToolUnit());
        const late = first.open(new (unit('Late'))());
        await early.close(); // the first opened goes first: the last takes its place
        await first.context(new first.MemoryUnit(), () => undefined);
        await late.close(); // and goes from there
      `;
      const { stderr } = await runScript(script);
      const reports = stderr.split('\n').filter((line) => line.includes('at exit'));
      expect(reports, stderr).to.have.length(1);
      expect(reports[0]).to.include('2 status contexts were still open at exit');
      expect(reports[0]).to.match(
        /\(units: (a Middle, HookToolUnit\(unit\)|HookToolUnit\(unit\), a Middle)\)/,
      );
    });
  });
});

describe('status contexts, closing', () => {
  it('receive nothing once close() has begun, even from the unit taking the final status', async () => {
    const bus = new StatusBus();
    bus.on('warning', () => undefined);
    const history: string[] = [];
    const unit = {
      setStatus(status: StatusBase): void {
        history.push(String(status));
        if (status.name === 'active') bus.add(new MaintenanceStatus('echo of the final write'));
      },
    };
    await bus.context(unit, () => undefined);
    expect(history).to.deep.equal(['active: Ready']);
  });
});
