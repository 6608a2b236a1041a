// The Juju side, against the simulator's tools: what one simulated tool call costs beside a
// bare Node start, whether concurrent calls are recorded without waiting on each other, and
// how many hook-tool calls a burst of updates and a quiet update-status cost.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import {
  ActiveStatus,
  HookToolUnit,
  MaintenanceStatus,
  StatusBus,
  jujuLog,
  reconcile,
} from 'charms-contextual-status';
import { HookToolsSimulator } from 'charms-contextual-status/testing';

import { median, record } from './figures.js';

const SECTION = 'hook tools (against the simulator)';
const run = promisify(execFile);

/**
 * An environment without NODE_EXTRA_CA_CERTS: on these machines it alone makes every Node
 * start 2.5× slower, which would hide what the tools themselves cost.
 */
export function cleanEnv(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string | undefined> {
  const { NODE_EXTRA_CA_CERTS: _ignored, ...rest } = env;
  return rest;
}

/** The median milliseconds `call` takes over `times` runs, one after another. */
export async function ms(times: number, call: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const start = process.hrtime.bigint();
    await call();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(samples);
}

export async function tools(): Promise<void> {
  const simulator = await HookToolsSimulator.create();
  try {
    const env = cleanEnv(simulator.env);
    // One call beside node -e 0: bench/harness.ts.
    const sequential = await ms(1, async () => {
      for (let i = 0; i < 10; i += 1) await run('juju-log', ['sequential'], { env });
    });
    const before = (await simulator.calls()).length;
    const concurrent = await ms(1, () =>
      Promise.all(Array.from({ length: 100 }, () => run('juju-log', ['concurrent'], { env }))),
    );
    const recorded = (await simulator.calls()).length - before;
    if (recorded !== 100) throw new Error(`${String(recorded)} of 100 concurrent calls were recorded`);
    // The floor of that figure: the same hundred and ten process starts, with no tool at all.
    // On a machine with few cores, starting processes is most of the time either way.
    const bareSequential = await ms(1, async () => {
      for (let i = 0; i < 10; i += 1) await run(process.execPath, ['-e', '0'], { env });
    });
    const bareConcurrent = await ms(1, () =>
      Promise.all(Array.from({ length: 100 }, () => run(process.execPath, ['-e', '0'], { env }))),
    );
    record(SECTION, '100 concurrent calls, all recorded', '× 10 sequential', concurrent / sequential, {
      target: '< 1×',
      limit: 1,
      strict: true,
      compare: `100 concurrent node -e 0: ${(bareConcurrent / bareSequential).toFixed(1)}× 10 sequential`,
    });
  } finally {
    await simulator.cleanup();
  }
}

/** A hundred quick updates and a final status, jujuLog attached, every tool taking 100 ms. */
export async function burst(): Promise<void> {
  const simulator = await HookToolsSimulator.create();
  try {
    await simulator.setDelay(100);
    const bus = new StatusBus();
    const env = cleanEnv(simulator.env);
    const detach = jujuLog(bus, { env });
    const start = process.hrtime.bigint();
    await bus.context(
      new HookToolUnit({ env }),
      () => {
        for (let i = 1; i <= 100; i += 1) bus.add(new MaintenanceStatus(`Step ${String(i)} of 100`));
      },
      { exitStatus: new ActiveStatus('Done') },
    );
    await detach();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    record(
      SECTION,
      'status-set calls, 100 updates + final, 100 ms tools',
      'calls',
      (await simulator.calls('status-set')).length,
      {
        target: '≤ 3',
        limit: 3,
        compare: 'Python: 101',
      },
    );
    record(
      SECTION,
      'juju-log calls for the same, jujuLog attached',
      'calls',
      (await simulator.calls('juju-log')).length,
      {
        target: '≤ 5',
        limit: 5,
      },
    );
    record(SECTION, 'wall time for the same', 's', seconds, { target: '< 1 s', limit: 1, strict: true });
  } finally {
    await simulator.cleanup();
  }
}

/** A steady-state update-status: the unit reconciled, so nothing but the flag and one line. */
export async function quietUpdateStatus(): Promise<void> {
  const simulator = await HookToolsSimulator.create({
    state: { 'charms-contextual-status.reconciled': 'true' },
  });
  try {
    const env = { ...cleanEnv(simulator.env), JUJU_DISPATCH_PATH: 'hooks/update-status' };
    await reconcile(() => undefined, { env, bus: new StatusBus() });
    const calls = await simulator.calls();
    if (calls.some((c) => c.tool === 'status-set'))
      throw new Error('a reconciled update-status wrote a status');
    record(SECTION, 'hook-tool calls, reconciled update-status', 'calls', calls.length, {
      target: '≤ 2, no status-set',
      limit: 2,
      compare: 'Python reconciler: no status-set',
    });
  } finally {
    await simulator.cleanup();
  }
}
