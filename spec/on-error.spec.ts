import { expect } from 'chai';
import sinon from 'sinon';

import {
  BlockedStatus,
  MemoryUnit,
  ReconcilerError,
  StatusBus,
  UnknownStatus,
  WaitingStatus,
} from '../lib/index.js';
import * as status from '../lib/index.js';

class ConnectionRefused extends Error {}
class NotFound extends Error {}

describe('onError', () => {
  let bus: StatusBus;
  let unit: MemoryUnit;
  const waiting = new WaitingStatus('Waiting for the database');
  beforeEach(() => {
    bus = new StatusBus();
    unit = new MemoryUnit();
    bus.on('warning', () => undefined);
  });

  it('turns any error from a sync function into a ReconcilerError thrown synchronously, and adds the status', async () => {
    const original = new Error('connection refused');
    const connect = bus.onError(waiting)((host: string): number => {
      throw Object.assign(original, { host });
    });
    let thrown: unknown;
    await bus.context(unit, () => {
      try {
        connect('db');
      } catch (error) {
        thrown = error;
      }
    });
    expect(thrown).to.be.instanceOf(ReconcilerError);
    const error = thrown as ReconcilerError;
    expect(error.name).to.equal('ReconcilerError');
    expect(error.message).to.equal('Found expected exception: connection refused');
    expect(error.cause).to.equal(original);
    expect(error.status).to.equal(waiting);
    expect(unit.status).to.equal(waiting);
  });

  it('keeps an async function async: its rejection becomes a ReconcilerError', async () => {
    const original = new ConnectionRefused('refused');
    const connect = bus.onError(
      waiting,
      ConnectionRefused,
    )(async () => {
      await Promise.resolve();
      throw original;
    });
    const caught = await bus.context(unit, () => connect()).catch((error: unknown) => error);
    expect(caught).to.be.instanceOf(ReconcilerError).with.property('cause', original);
    expect(unit.status).to.equal(waiting);
  });

  it('with error types, matches them with instanceof, subclasses included', async () => {
    class Refused extends ConnectionRefused {}
    const wrapped = bus.onError(
      waiting,
      NotFound,
      ConnectionRefused,
    )(() => {
      throw new Refused('sub');
    });
    await bus.context(unit, () => {
      expect(wrapped).to.throw(ReconcilerError, 'Found expected exception: sub');
    });
    expect(unit.status).to.equal(waiting);
  });

  it('lets any other error through untouched, adding nothing', async () => {
    const other = new TypeError('a bug');
    const wrapped = bus.onError(
      waiting,
      ConnectionRefused,
    )(() => {
      throw other;
    });
    const wrappedAsync = bus.onError(waiting, ConnectionRefused)(() => Promise.reject(other));
    await bus.context(unit, async () => {
      expect(wrapped).to.throw(TypeError).that.equals(other);
      expect(await wrappedAsync().catch((error: unknown) => error)).to.equal(other);
    });
    expect(String(unit.status)).to.equal('active: Ready');
  });

  it('returns what a successful call returns: sync stays sync, async stays async', async () => {
    const double = bus.onError(waiting)((n: number) => n * 2);
    expect(double(21)).to.equal(42);
    const later = bus.onError(waiting)(async (n: number) => n + 1);
    const result = later(1);
    expect(result).to.be.instanceOf(Promise);
    expect(await result).to.equal(2);
  });

  it('keeps this, the arguments and the name', () => {
    const target = {
      factor: 3,
      scale: bus.onError(waiting)(function scale(this: { factor: number }, n: number) {
        return n * this.factor;
      }),
    };
    expect(target.scale(2)).to.equal(6);
    expect(target.scale.name).to.equal('scale');
  });

  it('decorates a method (standard decorators), sync and async', async () => {
    const blocked = new BlockedStatus('Set the "port" option');
    class Charm {
      port = 0;
      @status.onError(blocked, RangeError)
      configure(port: number): number {
        if (port <= 0) throw new RangeError(`bad port ${String(port)}`);
        this.port = port;
        return port;
      }

      @status.onError(waiting)
      async connect(): Promise<void> {
        await Promise.resolve();
        throw new Error('refused');
      }
    }
    const charm = new Charm();
    expect(charm.configure(8080)).to.equal(8080);
    expect(charm.port).to.equal(8080);
    await status.context(unit, () => {
      expect(() => charm.configure(-1)).to.throw(ReconcilerError, 'Found expected exception: bad port -1');
    });
    expect(unit.status).to.equal(blocked);
    const caught = await status.context(unit, () => charm.connect()).catch((error: unknown) => error);
    expect(caught)
      .to.be.instanceOf(ReconcilerError)
      .with.property('message', 'Found expected exception: refused');
    expect(unit.status).to.equal(waiting);
  });

  it('adds on its own bus: the module-level onError on the default bus, bus.onError on that bus', async () => {
    const defaultUnit = new MemoryUnit();
    const failing = (): never => {
      throw new Error('x');
    };
    await bus.context(unit, async () => {
      await status.context(defaultUnit, () => {
        expect(bus.onError(waiting)(failing)).to.throw(ReconcilerError);
      });
    });
    expect(String(defaultUnit.status)).to.equal('active: Ready');
    expect(unit.status).to.equal(waiting);
  });

  it('words a non-Error throw as its text', async () => {
    const wrapped = bus.onError(waiting)(() => {
      throw 'plain';
    });
    await bus.context(unit, () => {
      expect(wrapped).to.throw(ReconcilerError, 'Found expected exception: plain');
    });
  });

  describe('bad input', () => {
    it('refuses a status that cannot be set, or is not a status', () => {
      expect(() => bus.onError(new UnknownStatus())).to.throw(
        TypeError,
        /onError\(\) status cannot be unknown/,
      );
      expect(() => bus.onError('waiting' as unknown as WaitingStatus)).to.throw(
        TypeError,
        /onError\(\) status must be a status/,
      );
    });

    it('refuses error types that are not classes', () => {
      const arrow = (() => undefined) as unknown as typeof Error;
      expect(() => bus.onError(waiting, Error, arrow)).to.throw(
        TypeError,
        'onError() error type 2 must be a class such as Error or TypeError (matched with instanceof), got a function',
      );
      expect(() => bus.onError(waiting, 'Error' as unknown as typeof Error)).to.throw(
        TypeError,
        /error type 1 must be a class.*got a string \("Error"\)/,
      );
    });

    it('refuses to wrap what is not a function, and decorating anything but a method', () => {
      const wrapper = bus.onError(waiting);
      expect(() => wrapper(42 as unknown as () => void)).to.throw(
        TypeError,
        'onError() wraps a function or decorates a method, got a number (42)',
      );
      const fieldContext = { kind: 'field' } as unknown as ClassMethodDecoratorContext;
      expect(() => wrapper(() => undefined, fieldContext)).to.throw(
        TypeError,
        'onError() decorates methods only, got a field',
      );
    });
  });
});

// Silence the default bus's warnings for adds made outside a context by the specs above.
before(() => {
  status.bus.on('warning', sinon.spy());
});

describe('onError, beyond the original', () => {
  let bus: StatusBus;
  const waiting = new WaitingStatus('Waiting for the database');
  beforeEach(() => {
    bus = new StatusBus();
    bus.on('warning', () => undefined);
  });

  it('emits the ReconcilerError as expected before throwing it, with the cause and status', async () => {
    const expected = sinon.spy();
    bus.on('expected', expected);
    const cause = new ConnectionRefused('refused');
    const connect = bus.onError(
      waiting,
      ConnectionRefused,
    )(async () => {
      throw cause;
    });
    const caught = await connect().catch((error: unknown) => error);
    sinon.assert.calledOnceWithExactly(expected, caught);
    expect((caught as ReconcilerError).cause).to.equal(cause);
    expect((caught as ReconcilerError).status).to.equal(waiting);
  });

  it('adopts a minimal thenable (then(resolve) only, returning nothing) as a native promise', async () => {
    const lazy = bus.onError(waiting)(() => ({
      then(resolve: (value: number) => void): void {
        resolve(7);
      },
    }));
    const result = lazy() as unknown;
    expect(result).to.be.instanceOf(Promise);
    expect(await (result as Promise<number>)).to.equal(7);
    const rejecting = bus.onError(waiting)(() => ({
      then(_resolve: unknown, reject: (error: Error) => void): void {
        reject(new Error('lazy failure'));
      },
    }));
    const unit = new MemoryUnit();
    const caught = await bus
      .context(unit, () => rejecting() as unknown as Promise<void>)
      .catch((e: unknown) => e);
    expect(caught).to.be.instanceOf(ReconcilerError);
    expect(String(unit.status)).to.equal('waiting: Waiting for the database');
  });

  it('keeps the name and length of what it wraps', () => {
    function connect(_url: string, _retries: number): void {
      /* nothing */
    }
    const wrapped = bus.onError(waiting)(connect);
    expect(wrapped.name).to.equal('connect');
    expect(wrapped.length).to.equal(2);
  });

  it('decorates a method in the legacy form (experimentalDecorators: target, key, descriptor)', async () => {
    class Client {
      async connect(): Promise<void> {
        await Promise.resolve();
        throw new ConnectionRefused('refused');
      }
    }
    const descriptor = Object.getOwnPropertyDescriptor(Client.prototype, 'connect')!;
    const decorate = bus.onError(waiting, ConnectionRefused) as unknown as (
      target: object,
      key: string,
      descriptor: PropertyDescriptor,
    ) => PropertyDescriptor;
    Object.defineProperty(Client.prototype, 'connect', decorate(Client.prototype, 'connect', descriptor));
    const unit = new MemoryUnit();
    const caught = await bus.context(unit, () => new Client().connect()).catch((e: unknown) => e);
    expect(caught).to.be.instanceOf(ReconcilerError);
    expect(String(unit.status)).to.equal('waiting: Waiting for the database');
  });

  it('refuses, in either form, an accessor, a field or a getter, naming what it decorates', () => {
    const legacy = bus.onError(waiting) as unknown as (
      t: object,
      k: string,
      d?: PropertyDescriptor,
    ) => unknown;
    expect(() => legacy({}, 'port')).to.throw(
      TypeError,
      'onError() decorates methods only, got a field (port)',
    );
    expect(() => legacy({}, 'port', { get: () => 1 })).to.throw(
      TypeError,
      'onError() decorates methods only, got an accessor (port)',
    );
    const standard = bus.onError(waiting) as unknown as (v: unknown, c: { kind: string }) => unknown;
    expect(() => standard(() => 1, { kind: 'getter' })).to.throw(
      TypeError,
      'onError() decorates methods only, got a getter',
    );
    expect(() => standard({ get: () => 1 }, { kind: 'accessor' })).to.throw(
      TypeError,
      'onError() decorates methods only, got an accessor',
    );
  });
});
