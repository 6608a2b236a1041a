import { expect } from 'chai';
import sinon from 'sinon';

import {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  MaintenanceStatus,
  MemoryUnit,
  StatusBus,
  UnknownStatus,
  WaitingStatus,
} from '../lib/index.js';

describe('StatusBus', () => {
  let bus: StatusBus;
  beforeEach(() => {
    bus = new StatusBus();
  });
  afterEach(() => {
    sinon.restore();
  });

  describe('add()', () => {
    it('emits each status as the event of its name, with the contexts it reached', async () => {
      const unit = new MemoryUnit();
      const spies = {
        maintenance: sinon.spy(),
        blocked: sinon.spy(),
        waiting: sinon.spy(),
        active: sinon.spy(),
      };
      bus.on('maintenance', spies.maintenance);
      bus.on('blocked', spies.blocked);
      bus.on('waiting', spies.waiting);
      bus.on('active', spies.active);
      const statuses = {
        maintenance: new MaintenanceStatus('m'),
        blocked: new BlockedStatus('b'),
        waiting: new WaitingStatus('w'),
        active: new ActiveStatus('a'),
      };
      const ctx = bus.open(unit);
      for (const status of Object.values(statuses)) bus.add(status);
      await ctx.close();
      for (const name of ['maintenance', 'blocked', 'waiting', 'active'] as const) {
        sinon.assert.calledOnceWithExactly(spies[name], statuses[name], [ctx]);
      }
    });

    it('outside any context: emits a warning and the event with no contexts, and nothing else', () => {
      const warning = sinon.spy();
      const blocked = sinon.spy();
      bus.on('warning', warning);
      bus.on('blocked', blocked);
      const status = new BlockedStatus('Add a database');
      expect(() => {
        bus.add(status);
      }).not.to.throw();
      sinon.assert.calledOnceWithExactly(
        warning,
        'could not add status outside of a status context: blocked: Add a database',
      );
      sinon.assert.calledOnceWithExactly(blocked, status, []);
    });

    it('with no warning listener, writes the warning to stderr', () => {
      const warn = sinon.stub(console, 'warn');
      bus.add(new MaintenanceStatus('lost'));
      sinon.assert.calledOnceWithExactly(
        warn,
        'charms-contextual-status: could not add status outside of a status context: maintenance: lost',
      );
    });

    const notSettable: [string, unknown, RegExp][] = [
      [
        'an unknown status',
        new UnknownStatus(),
        /add\(\) status cannot be unknown: a charm can set only active, blocked, maintenance or waiting/,
      ],
      ['an error status', new ErrorStatus('x'), /add\(\) status cannot be error/],
      [
        'a look-alike object',
        { name: 'blocked', message: 'x' },
        /add\(\) status must be a status \(ActiveStatus, BlockedStatus, MaintenanceStatus or WaitingStatus\), got a plain object/,
      ],
      ['a status name', 'blocked', /got a string \("blocked"\)/],
      ['undefined', undefined, /got undefined/],
      ['null', null, /got null/],
      ['NaN', NaN, /got a number \(NaN\)/],
      ['a symbol', Symbol('x'), /got a symbol \(x\)/],
    ];
    for (const [label, value, message] of notSettable) {
      it(`refuses ${label} with a TypeError saying what is accepted, and emits nothing`, () => {
        const blocked = sinon.spy();
        const warning = sinon.spy();
        bus.on('blocked', blocked);
        bus.on('warning', warning);
        expect(() => {
          bus.add(value as BlockedStatus);
        }).to.throw(TypeError, message);
        sinon.assert.notCalled(blocked);
        sinon.assert.notCalled(warning);
      });
    }
  });

  describe('listener isolation', () => {
    it('a throwing listener reaches neither the caller nor the other listeners, and is one error event', () => {
      const failure = new Error('listener broke');
      const before = sinon.spy();
      const after = sinon.spy();
      const error = sinon.spy();
      bus.on('warning', () => undefined);
      bus.on('waiting', before);
      bus.on('waiting', () => {
        throw failure;
      });
      bus.on('waiting', after);
      bus.on('error', error);
      const status = new WaitingStatus('w');
      expect(() => {
        bus.add(status);
      }).not.to.throw();
      sinon.assert.calledOnce(before);
      sinon.assert.calledOnce(after);
      sinon.assert.calledOnceWithExactly(error, failure);
    });

    it('a listener whose promise rejects is one error event', async () => {
      const failure = new Error('async listener broke');
      const error = sinon.spy();
      bus.on('warning', () => Promise.reject(failure));
      bus.on('error', error);
      bus.add(new BlockedStatus('b'));
      await new Promise((resolve) => setImmediate(resolve));
      sinon.assert.calledOnceWithExactly(error, failure);
    });

    it('a non-Error thrown by a listener arrives as an Error whose cause is the value', () => {
      const error = sinon.spy();
      bus.on('error', error);
      bus.on('warning', () => {
        throw 'plain text';
      });
      bus.add(new BlockedStatus('b'));
      sinon.assert.calledOnce(error);
      const [reported] = error.firstCall.args as [Error];
      expect(reported).to.be.instanceOf(Error);
      expect(reported.message).to.equal('non-Error value thrown: a string ("plain text")');
      expect(reported.cause).to.equal('plain text');
    });

    it('with no error listener, a listener failure goes to stderr', () => {
      const stderr = sinon.stub(console, 'error');
      const failure = new Error('nobody listens');
      bus.on('warning', () => {
        throw failure;
      });
      bus.add(new BlockedStatus('b'));
      sinon.assert.calledOnceWithExactly(
        stderr,
        'charms-contextual-status: a warning listener failed:',
        failure,
      );
    });

    it('an error listener that throws goes to stderr with the error it was handling', () => {
      const stderr = sinon.stub(console, 'error');
      const failure = new Error('first');
      bus.on('warning', () => {
        throw failure;
      });
      bus.on('error', () => {
        throw new Error('second');
      });
      expect(() => {
        bus.add(new BlockedStatus('b'));
      }).not.to.throw();
      sinon.assert.calledOnceWithExactly(
        stderr,
        'charms-contextual-status: an error listener failed (second) while handling:',
        failure,
      );
    });

    it('a once listener fires once, even when it throws', () => {
      const error = sinon.spy();
      const once = sinon.spy(() => {
        throw new Error('once');
      });
      bus.on('error', error);
      bus.on('warning', () => undefined);
      bus.once('blocked', once);
      bus.add(new BlockedStatus('1'));
      bus.add(new BlockedStatus('2'));
      sinon.assert.calledOnce(once);
      sinon.assert.calledOnce(error);
      expect(bus.listenerCount('blocked')).to.equal(0);
    });

    it('once listeners among others fire once each', () => {
      const a = sinon.spy();
      const b = sinon.spy();
      const c = sinon.spy();
      bus.on('warning', () => undefined);
      bus.once('blocked', a);
      bus.on('blocked', b);
      bus.once('blocked', c);
      bus.add(new BlockedStatus('1'));
      bus.add(new BlockedStatus('2'));
      expect([a.callCount, b.callCount, c.callCount]).to.deep.equal([1, 2, 1]);
    });

    it('off() and listeners() work with the functions the caller registered', () => {
      const spy = sinon.spy();
      const other = sinon.spy();
      bus.on('blocked', spy);
      bus.addListener('blocked', other);
      expect(bus.listeners('blocked')).to.deep.equal([spy, other]);
      bus.off('blocked', spy);
      expect(bus.listeners('blocked')).to.deep.equal([other]);
      bus.removeListener('blocked', other);
      expect(bus.listenerCount('blocked')).to.equal(0);
      bus.on('warning', () => undefined);
      bus.add(new BlockedStatus('b'));
      sinon.assert.notCalled(spy);
      sinon.assert.notCalled(other);
    });

    it('calls a listener with the context it was registered with', () => {
      const self = { seen: '' };
      bus.on(
        'warning',
        function (this: typeof self, message: string) {
          this.seen = message;
        },
        self,
      );
      bus.add(new BlockedStatus('b'));
      expect(self.seen).to.match(/outside of a status context/);
    });

    it('refuses a listener that is not a function', () => {
      expect(() => bus.on('blocked', 'nope' as unknown as () => void)).to.throw(
        TypeError,
        'a listener for the blocked event must be a function, got a string ("nope")',
      );
    });
  });
});

describe('StatusBus listeners, refused and removed', () => {
  it('names an unknown event plainly', () => {
    const bus = new StatusBus();
    expect(() => bus.on('bogus' as 'blocked', () => undefined)).to.throw(
      TypeError,
      'a status bus has no "bogus" event: listen to one of maintenance, blocked, waiting, active, open, resolved, expected, warning, error',
    );
  });

  it('off() with a listener that is not a function is a TypeError naming it', () => {
    const bus = new StatusBus();
    expect(() => bus.off('blocked', 42 as unknown as () => void)).to.throw(
      TypeError,
      'off() takes the listener to remove, a function, got a number (42)',
    );
  });

  it('off() removes a once listener by the function given', () => {
    const bus = new StatusBus();
    const listener = sinon.spy();
    bus.once('warning', listener);
    bus.off('warning', listener);
    bus.on('warning', () => undefined);
    bus.add(new BlockedStatus('nobody'));
    sinon.assert.notCalled(listener);
    expect(bus.listenerCount('warning')).to.equal(1);
  });

  it('a listener returning a thenable whose then getter throws is an error event', () => {
    const bus = new StatusBus();
    const errors = sinon.spy();
    bus.on('error', errors);
    bus.on('warning', () => undefined);
    bus.on('blocked', () =>
      Object.defineProperty({}, 'then', {
        get() {
          throw new Error('then getter');
        },
      }),
    );
    bus.add(new BlockedStatus('b'));
    expect((errors.firstCall.args[0] as Error).message).to.equal('then getter');
  });

  it('add() refuses a proxied status whose trap throws with a TypeError, not the trap error', () => {
    const bus = new StatusBus();
    const proxy = new Proxy(new BlockedStatus('b'), {
      get() {
        throw new Error('trap');
      },
    });
    expect(() => {
      bus.add(proxy);
    }).to.throw(TypeError, /add\(\) status must be a status/);
  });
});

describe('StatusBus, which status events are heard', () => {
  it('calls every listener however listeners were added and removed before', async () => {
    const bus = new StatusBus();
    bus.on('warning', () => undefined);
    const ctx = bus.open(new MemoryUnit());
    const first = sinon.spy();
    bus.once('blocked', first);
    bus.add(new BlockedStatus('1'));
    bus.add(new BlockedStatus('2'));
    sinon.assert.calledOnce(first);
    const second = sinon.spy();
    bus.on('blocked', second);
    bus.add(new BlockedStatus('3'));
    sinon.assert.calledOnce(second);
    bus.removeAllListeners();
    const third = sinon.spy();
    bus.on('blocked', third);
    bus.add(new BlockedStatus('4'));
    sinon.assert.calledOnce(third);
    bus.off('blocked', third);
    bus.add(new BlockedStatus('5'));
    sinon.assert.calledOnce(third);
    bus.removeAllListeners('blocked');
    const fourth = sinon.spy();
    bus.addListener('blocked', fourth);
    bus.add(new BlockedStatus('6'));
    sinon.assert.calledOnce(fourth);
    await ctx.close();
  });

  it('shows listeners the contexts an add() reached frozen, so none can change whom later adds reach', async () => {
    const bus = new StatusBus();
    const errors = sinon.spy();
    bus.on('error', errors);
    const seen: (readonly unknown[])[] = [];
    bus.on('maintenance', (_status, contexts) => {
      seen.push(contexts);
      (contexts as unknown[]).length = 0; // throws: the array is frozen
    });
    const unit = new MemoryUnit();
    await bus.context(unit, () => {
      bus.add(new MaintenanceStatus('first'));
      bus.add(new MaintenanceStatus('second'));
    });
    expect(unit.history.map(String)).to.deep.equal([
      'maintenance: first',
      'maintenance: second',
      'active: Ready',
    ]);
    expect(seen).to.have.length(2);
    expect(seen.every((contexts) => Object.isFrozen(contexts) && contexts.length === 1)).to.equal(true);
    sinon.assert.calledTwice(errors);
    expect(errors.firstCall.args[0]).to.be.instanceOf(TypeError);
    // The next context's adds show the next context, never the last one's copy.
    const next = await new Promise<unknown>((resolve) => {
      bus.once('open', resolve);
      void bus.context(new MemoryUnit(), () => {
        bus.add(new MaintenanceStatus('third'));
      });
    });
    expect(seen[2]).to.have.length(1);
    expect(seen[2]?.[0]).to.equal(next);
  });

  it('emits open and resolved to whoever listens at that moment, however listeners came and went', async () => {
    const bus = new StatusBus();
    bus.on('warning', () => undefined);
    const unit = new MemoryUnit();
    await bus.context(unit, () => undefined); // nobody listens yet
    const opened = sinon.spy();
    const resolved = sinon.spy();
    bus.once('open', opened);
    bus.on('resolved', resolved);
    await bus.context(unit, () => undefined);
    await bus.context(unit, () => undefined);
    sinon.assert.calledOnce(opened);
    sinon.assert.calledTwice(resolved);
    bus.off('resolved', resolved);
    await bus.context(unit, () => undefined);
    sinon.assert.calledTwice(resolved);
    bus.removeAllListeners();
    const again = sinon.spy();
    bus.addListener('resolved', again);
    const ctx = bus.open(unit);
    expect(await ctx.close()).to.equal(again.firstCall.args[0]);
    sinon.assert.calledOnceWithExactly(again, sinon.match.instanceOf(ActiveStatus), ctx);
  });
});
