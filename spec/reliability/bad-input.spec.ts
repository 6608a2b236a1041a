// Every public entry point answers bad input with a TypeError that names what was wrong and
// what is accepted: synchronously where the call is synchronous, as a rejection where it
// returns a promise. Never a crash message from deep inside.
import { expect } from 'chai';

import * as status from '../../lib/index.js';
import {
  ActiveStatus,
  BlockedStatus,
  ErrorStatus,
  HookToolUnit,
  MemoryUnit,
  StatusBase,
  StatusBus,
  UnknownStatus,
} from '../../lib/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';

/** Messages that mean the library crashed instead of explaining. */
const NATIVE =
  /Cannot read properties|is not a function|Cannot convert a Symbol|is not iterable|Cannot destructure|undefined is not|null is not|Cannot perform/;

class ProxyTrap extends Error {}
const throwingProxy = (): object =>
  new Proxy(
    {},
    {
      get() {
        throw new ProxyTrap('get trap');
      },
      getPrototypeOf() {
        throw new ProxyTrap('getPrototypeOf trap');
      },
      has() {
        throw new ProxyTrap('has trap');
      },
      ownKeys() {
        throw new ProxyTrap('ownKeys trap');
      },
    },
  );
const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};

/** The bad values every entry point is tried with, named for the test titles. */
const BAD: [string, () => unknown][] = [
  ['null', () => null],
  ['undefined', () => undefined],
  ['a number', () => 42],
  ['NaN', () => NaN],
  ['a bigint', () => 10n],
  ['a symbol', () => Symbol('s')],
  ['a look-alike status', () => ({ name: 'blocked', message: 'x', equals: () => true })],
  ['an array', () => [new BlockedStatus('x')]],
  ['a function', () => () => new BlockedStatus('x')],
  ['a Date', () => new Date(0)],
  ['a proxy whose traps throw', throwingProxy],
  ['a revoked proxy', revoked],
];

/** Asserts that `attempt` fails the way bad input must: a TypeError, or the proxy's own error. */
function expectRefusal(attempt: () => unknown, accepts: RegExp): void {
  let thrown: unknown;
  try {
    attempt();
  } catch (error) {
    thrown = error;
  }
  expectRefused(thrown, accepts);
}

async function expectRejection(attempt: () => Promise<unknown>, accepts: RegExp): Promise<void> {
  let thrown: unknown;
  let returned: Promise<unknown> | undefined;
  try {
    returned = attempt();
  } catch (error) {
    expect.fail(`threw synchronously instead of rejecting: ${String(error)}`);
  }
  try {
    await returned;
  } catch (error) {
    thrown = error;
  }
  expectRefused(thrown, accepts);
}

function expectRefused(thrown: unknown, accepts: RegExp): void {
  if (thrown instanceof ProxyTrap) return; // a proxy's own error may pass through unchanged
  expect(thrown, 'it must refuse').to.be.instanceOf(TypeError);
  const message = (thrown as TypeError).message;
  expect(message).not.to.match(NATIVE);
  expect(message).to.match(accepts);
}

describe('bad input, at every entry point', () => {
  const bus = new StatusBus();
  bus.on('warning', () => undefined);
  bus.on('error', () => undefined);
  const unit = new MemoryUnit();
  const wrap = (status: unknown, ...types: unknown[]): unknown =>
    bus.onError(status as StatusBase, ...(types as (typeof Error)[]));

  for (const [label, make] of BAD) {
    describe(`given ${label}`, () => {
      it('add() and StatusContext.add() refuse it as a status', async () => {
        expectRefusal(() => {
          bus.add(make() as StatusBase);
        }, /add\(\) status must be a status \(ActiveStatus, BlockedStatus, MaintenanceStatus or WaitingStatus\), got /);
        const ctx = bus.open(unit);
        expectRefusal(() => {
          ctx.add(make() as StatusBase);
        }, /StatusContext.add\(\) status must be a status/);
        await ctx.close();
      });

      it('the status constructors and fromName() refuse it as a message or a name', () => {
        expectRefusal(
          () => StatusBase.fromName(make() as 'active'),
          /unknown status name: got .*, expected one of active, blocked/,
        );
        if (make() === undefined) return; // an absent message is the empty message
        expectRefusal(
          () => new BlockedStatus(make() as string),
          /BlockedStatus message must be a string, got /,
        );
        expectRefusal(
          () => StatusBase.fromName('active', make() as string),
          /ActiveStatus message must be a string/,
        );
      });

      it('context() rejects it as a unit, a body or options; open() throws', async () => {
        await expectRejection(
          () => bus.context(make() as MemoryUnit, () => 1),
          /must be a unit: an object with a setStatus\(status\) method/,
        );
        if (typeof make() !== 'function') {
          await expectRejection(
            () => bus.context(unit, make() as () => void),
            /the body of a status context must be a function, got /,
          );
        }
        expectRefusal(() => bus.open(make() as MemoryUnit), /must be a unit/);
        if (make() !== undefined) {
          await expectRejection(
            () => bus.context(unit, () => 1, make() as object),
            /status context options must be a plain object such as \{ exitStatus, errorStatus, summary \}|has an unknown option/,
          );
          if (typeof make() !== 'function') {
            expectRefusal(
              () => bus.open(unit, { exitStatus: make() as StatusBase }),
              /status context options option exitStatus must be an active, blocked, maintenance or waiting status .*, a function returning one, or "unchanged"/,
            );
          }
          expectRefusal(
            () => bus.open(unit, { errorStatus: make() as StatusBase }),
            /status context options option errorStatus must be an active, blocked, maintenance or waiting status/,
          );
        }
      });

      it('onError() refuses it as a status, an error type, or what it wraps', () => {
        expectRefusal(() => wrap(make()), /onError\(\) status must be a status/);
        expectRefusal(
          () => wrap(new BlockedStatus('x'), make()),
          /onError\(\) error type 1 must be a class such as Error or TypeError/,
        );
        if (typeof make() !== 'function') {
          expectRefusal(
            () => (bus.onError(new BlockedStatus('x')) as (fn: unknown) => unknown)(make()),
            /onError\(\) wraps a function or decorates a method, got /,
          );
        }
      });

      it('HookToolUnit, jujuLog and the bus listeners refuse it as options or a listener', () => {
        if (make() !== undefined) {
          expectRefusal(
            () => new HookToolUnit(make() as object),
            /HookToolUnit options must be a plain object such as \{ application, coalesce, env, timeoutMs \}|has an unknown option/,
          );
          expectRefusal(
            () => status.jujuLog(bus, make() as object),
            /jujuLog\(\) options must be a plain object such as \{ levels, env, timeoutMs \}|has an unknown option/,
          );
        }
        if (make() !== undefined && make() !== 42) {
          expectRefusal(
            () => new HookToolUnit({ timeoutMs: make() as number }),
            /HookToolUnit options option timeoutMs must be a whole number of milliseconds from 1 to 2147483647/,
          );
        }
        expectRefusal(() => status.jujuLog(make() as status.StatusBus), /jujuLog\(\) needs a StatusBus/);
        if (typeof make() !== 'function') {
          expectRefusal(
            () => bus.on('blocked', make() as () => void),
            /a listener for the blocked event must be a function, got /,
          );
        }
        expectRefusal(
          () => bus.on(make() as 'blocked', () => undefined),
          /a status bus has no .* event: listen to one of maintenance, blocked/,
        );
      });

      it('HookToolUnit.setStatus() and MemoryUnit.setStatus() refuse it as a status', async () => {
        await expectRejection(
          () => new HookToolUnit({ env: { PATH: '/nonexistent' } }).setStatus(make() as StatusBase),
          /HookToolUnit.setStatus\(\) status must be a status/,
        );
        expectRefusal(() => {
          new MemoryUnit().setStatus(make() as StatusBase);
        }, /MemoryUnit.setStatus\(\) status must be a status/);
      });
    });
  }

  describe('statuses that exist to be read, where a settable one is needed', () => {
    for (const make of [() => new UnknownStatus(), () => new ErrorStatus('hook failed')]) {
      const name = make().name;
      it(`${name}: refused by add(), the context options, onError(), and the units`, async () => {
        const accepts = new RegExp(
          `cannot be ${name}: a charm can set only active, blocked, maintenance or waiting; ${name} is read from Juju`,
        );
        expectRefusal(() => {
          bus.add(make());
        }, accepts);
        const option = new RegExp(
          `must be an active, blocked, maintenance or waiting status \\(unknown and error are read from Juju, never set\\).*got an? ${make().constructor.name} instance`,
        );
        expectRefusal(() => bus.open(unit, { exitStatus: make() }), option);
        await expectRejection(() => bus.context(unit, () => 1, { errorStatus: make() }), option);
        expectRefusal(() => bus.onError(make()), accepts);
        expectRefusal(() => {
          unit.setStatus(make());
        }, accepts);
        await expectRejection(() => new HookToolUnit().setStatus(make()), accepts);
      });
    }
  });

  describe('the simulator', () => {
    let simulator: HookToolsSimulator;
    before(async () => {
      simulator = await HookToolsSimulator.create();
    });
    after(() => simulator.cleanup());

    for (const [label, make] of BAD) {
      it(`refuses ${label} in its options and switches, as rejections`, async () => {
        const value = make();
        if (value !== undefined) {
          await expectRejection(
            () => HookToolsSimulator.create(make() as object),
            /simulator options must be a plain object such as \{ leader, unitName, config, relations, unitStatus, applicationStatus, state, actionParams, charmDir, ports, workloadVersion, networks, secrets, storage, resources, credential, containers \}|has an unknown option/,
          );
          await expectRejection(
            () => HookToolsSimulator.create({ unitName: make() as string }),
            /simulator options option unitName must be a unit name such as "app\/0"/,
          );
          await expectRejection(
            () => simulator.failNext('status-set', make() as object),
            /failNext\(\) failure must be a plain object|has an unknown option/,
          );
        }
        await expectRejection(
          () => simulator.setLeader(make() as boolean),
          /setLeader\(\) takes true or false/,
        );
        if (value !== 42)
          await expectRejection(
            () => simulator.setDelay(make() as number),
            /setDelay\(\) takes a number of milliseconds/,
          );
        await expectRejection(
          () => simulator.failNext(make() as 'status-set'),
          /failNext\(\) takes one of status-set, status-get/,
        );
        await expectRejection(
          () => simulator.setRelation(make() as string),
          /setRelation\(\) takes a relation id such as "database:1"/,
        );
        if (value !== undefined && label !== 'a look-alike status')
          await expectRejection(
            () => simulator.setConfig(make() as Record<string, unknown>),
            /simulator options option config must be an object of option values/,
          );
      });
    }
  });

  it('a valid status still works after all of that', async () => {
    const fresh = new MemoryUnit();
    await bus.context(fresh, () => {
      bus.add(new ActiveStatus('fine'));
    });
    expect(fresh.history.map(String)).to.deep.equal(['active: fine', 'active: Ready']);
  });
});
