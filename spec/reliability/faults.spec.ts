// Injected faults: listeners and units that fail at random. Nothing may be lost, nothing
// reported twice, and no failure may reach the code that called add().
import { expect } from 'chai';
import fc from 'fast-check';

import {
  HookToolError,
  HookToolUnit,
  MaintenanceStatus,
  StatusBase,
  StatusBus,
  type StatusContext,
  type Unit,
} from '../../lib/index.js';
import { HookToolsSimulator, type InjectedFailure } from '../../lib/testing/index.js';

const names = ['active', 'blocked', 'maintenance', 'waiting'] as const;
const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('injected faults (property-based)', function () {
  this.timeout(120_000);

  it('listeners that throw or reject at random: every healthy listener sees every event, each failure is one error event, once fires once', async () => {
    const listenerArb = fc.record({
      event: fc.constantFrom(...names),
      fails: fc.constantFrom('no', 'throws', 'rejects'),
      once: fc.boolean(),
    });
    const addsArb = fc.array(fc.constantFrom(...names), { maxLength: 25 });
    await fc.assert(
      fc.asyncProperty(
        fc.array(listenerArb, { minLength: 1, maxLength: 8 }),
        addsArb,
        fc.boolean(),
        async (listeners, adds, inContext) => {
          const bus = new StatusBus();
          bus.on('warning', () => undefined);
          const errors: Error[] = [];
          bus.on('error', (error) => {
            errors.push(error);
          });
          const seen = listeners.map(() => [] as StatusBase[]);
          const failures = listeners.map((_, i) => new Error(`listener ${String(i)}`));
          listeners.forEach((listener, i) => {
            const fn = (status: StatusBase, _contexts: readonly StatusContext[]): unknown => {
              seen[i]?.push(status);
              if (listener.fails === 'throws') throw failures[i];
              if (listener.fails === 'rejects') return Promise.reject(failures[i]!);
              return undefined;
            };
            if (listener.once) bus.once(listener.event, fn);
            else bus.on(listener.event, fn);
          });
          const added: StatusBase[] = [];
          const work = (): void => {
            for (const name of adds) {
              const status = StatusBase.fromName(name, 'x');
              added.push(status);
              bus.add(status); // must never throw
            }
          };
          if (inContext) await bus.context({ setStatus: () => undefined }, work);
          else work();
          await flush();

          let expectedErrors: Error[] = [];
          listeners.forEach((listener, i) => {
            const all = added.filter((s) => s.name === listener.event);
            const expected = listener.once ? all.slice(0, 1) : all;
            expect(seen[i]).to.deep.equal(expected);
            if (listener.fails !== 'no')
              expectedErrors = expectedErrors.concat(expected.map(() => failures[i]!));
          });
          const sort = (list: Error[]): string[] => list.map((e) => e.message).sort();
          expect(sort(errors)).to.deep.equal(sort(expectedErrors));
        },
      ),
      { numRuns: 300, ...seed },
    );
  });

  it('unit writes that throw, reject or take long at random: each failed update is one error event, the final status lands last, and failures follow the precedence rule', async () => {
    const outcomeArb = fc.constantFrom('ok', 'throws', 'rejects', 'slow', 'slow-rejects');
    const stepArb = fc.oneof(fc.constantFrom(...names), fc.constant('await' as const));
    await fc.assert(
      fc.asyncProperty(
        fc.array(outcomeArb, { maxLength: 30 }),
        fc.array(stepArb, { maxLength: 20 }),
        fc.boolean(),
        fc.boolean(),
        async (outcomes, steps, bodyThrows, coalesce) => {
          const bus = new StatusBus();
          const errors: [Error, StatusContext | undefined][] = [];
          bus.on('error', (error, context) => {
            errors.push([error, context]);
          });
          const calls: { status: StatusBase; failed: boolean }[] = [];
          let inFlight = 0;
          let overlapped = false;
          const unit: Unit = {
            coalesce,
            setStatus(status) {
              const outcome = outcomes[calls.length] ?? 'ok';
              const call = { status, failed: outcome !== 'ok' && outcome !== 'slow' };
              calls.push(call);
              if (outcome === 'throws') throw new Error(`write ${String(calls.length)} threw`);
              if (outcome === 'ok') return undefined;
              inFlight += 1;
              if (inFlight > 1) overlapped = true;
              return new Promise<void>((resolve, reject) => {
                setTimeout(
                  () => {
                    inFlight -= 1;
                    if (call.failed) reject(new Error(`write ${String(calls.length)} rejected`));
                    else resolve();
                  },
                  outcome.startsWith('slow') ? 3 : 0,
                );
              });
            },
          };
          const bodyError = new Error('the body failed');
          const added: StatusBase[] = [];
          const result = await bus
            .context(
              unit,
              async () => {
                for (const step of steps) {
                  if (step === 'await') {
                    await new Promise((resolve) => setTimeout(resolve, 1));
                  } else {
                    const status = StatusBase.fromName(step, `#${String(added.length)}`);
                    added.push(status);
                    bus.add(status);
                  }
                }
                if (bodyThrows) throw bodyError;
                return 'value';
              },
              { errorStatus: StatusBase.fromName('blocked', 'failed') },
            )
            .then(
              (value) => ({ ok: true as const, value }),
              (error: unknown) => ({ ok: false as const, error }),
            );
          await flush();

          // The final status is the resolution of what was added, and it is the last write.
          const expectedFinal =
            added.find((s) => s.name === 'blocked') ??
            added.find((s) => s.name === 'waiting') ??
            (bodyThrows ? StatusBase.fromName('blocked', 'failed') : StatusBase.fromName('active', 'Ready'));
          const final = calls.at(-1);
          expect(final?.status.equals(expectedFinal), `final ${String(final?.status)}`).to.equal(true);
          expect(overlapped, 'writes overlapped').to.equal(false);

          // Writes keep the order of the adds: the updates written are a subsequence of them.
          const updates = added.filter((s) => s.name === 'maintenance' || s.name === 'active');
          let at = 0;
          for (const call of calls.slice(0, -1)) {
            while (at < updates.length && updates[at] !== call.status) at += 1;
            expect(at < updates.length, `write of ${String(call.status)} out of order`).to.equal(true);
            at += 1;
          }
          if (!coalesce) expect(calls.length).to.equal(updates.length + 1);

          // Each failed update is one error event; the final write's failure follows the rule.
          const failedUpdates = calls.slice(0, -1).filter((c) => c.failed).length;
          const finalFailed = final?.failed === true;
          if (bodyThrows) {
            expect(result).to.deep.equal({ ok: false, error: bodyError });
            expect(errors.length).to.equal(failedUpdates + (finalFailed ? 1 : 0));
          } else if (finalFailed) {
            expect(result.ok).to.equal(false);
            expect((result as { error: Error }).error.message).to.match(/^write \d+ (threw|rejected)$/);
            expect(errors.length).to.equal(failedUpdates);
          } else {
            expect(result).to.deep.equal({ ok: true, value: 'value' });
            expect(errors.length).to.equal(failedUpdates);
          }
          expect(errors.every(([, context]) => context !== undefined)).to.equal(true);
        },
      ),
      { numRuns: 200, ...seed },
    );
  });
});

describe('hook tools failing inside a context (across the process boundary)', function () {
  this.timeout(60_000);
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create();
  });
  afterEach(() => simulator.cleanup());

  const faults: [string, InjectedFailure, RegExp][] = [
    [
      'exits 1',
      { exitCode: 1, stderr: 'ERROR cannot reach the controller' },
      /^status-set failed \(exit 1\): ERROR cannot reach the controller$/,
    ],
    [
      'exits 2',
      { exitCode: 2, stderr: 'ERROR invalid status' },
      /^status-set refused its arguments \(exit 2\): ERROR invalid status$/,
    ],
    ['is killed by a signal', { signal: 'SIGTERM' }, /^status-set was killed by SIGTERM$/],
    ['hangs', { hang: true }, /^status-set timed out after 400 ms and was stopped$/],
  ];
  for (const [what, failure, message] of faults) {
    it(`a maintenance write whose tool ${what} is one error event; the final status lands`, async () => {
      const bus = new StatusBus();
      const errors: Error[] = [];
      bus.on('error', (error) => {
        errors.push(error);
      });
      await simulator.failNext('status-set', failure);
      const unit = new HookToolUnit({ env: simulator.env, timeoutMs: 400 });
      await bus.context(unit, () => {
        bus.add(new MaintenanceStatus('Installing'));
      });
      expect(errors).to.have.length(1);
      expect(errors[0]).to.be.instanceOf(HookToolError);
      expect(errors[0]?.message).to.match(message);
      expect(String(await simulator.status())).to.equal('active: Ready');
    });

    it(`a final write whose tool ${what} rejects context() with the HookToolError`, async () => {
      const bus = new StatusBus();
      await simulator.failNext('status-set', failure);
      const unit = new HookToolUnit({ env: simulator.env, timeoutMs: 400 });
      const error = await bus.context(unit, () => 'done').catch((e: unknown) => e);
      expect(error).to.be.instanceOf(HookToolError);
      expect((error as Error).message).to.match(message);
    });
  }

  it('with the tools missing, every write fails clearly and nothing escapes', async () => {
    const bus = new StatusBus();
    const errors: Error[] = [];
    bus.on('error', (error) => {
      errors.push(error);
    });
    const unit = new HookToolUnit({ env: { PATH: '/nonexistent' } });
    const error = await bus
      .context(unit, () => {
        bus.add(new MaintenanceStatus('Installing'));
      })
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HookToolError).with.property('failure', 'missing');
    expect(errors.map((e) => e.message)).to.deep.equal([
      'status-set was not found on PATH: is this running inside a Juju hook?',
    ]);
  });
});
