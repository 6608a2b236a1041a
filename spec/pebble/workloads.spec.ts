// A Kubernetes charm's containers in the harness, both ways: in the test's process the model
// answers the charm's Pebble client with no socket; through dispatch the simulator serves a
// real HTTP Pebble on a unix socket per container, and the charm's unchanged code finds it.
// The two agree on what the charm did to its container and on its statuses.
import { expect } from 'chai';
import { fileURLToPath } from 'node:url';

import { hookEnvironment } from '../../lib/hook-tools/index.js';
import { Container, checkWorkload } from '../../lib/pebble/index.js';
import { type HookRun, HookToolsSimulator, type SimulatorOptions } from '../../lib/testing/index.js';
import { charm } from '../support/k8s-charm/charm.js';

const CHARM_DIR = fileURLToPath(new URL('../support/k8s-charm', import.meta.url));

const WORLD: SimulatorOptions = {
  charmDir: CHARM_DIR,
  containers: {
    web: {
      canConnect: true,
      execs: [
        { command: ['web', '--check-config'], stdout: 'configuration ok\n' },
        { command: ['web'], exitCode: 2, stderr: 'usage: web …\n' },
      ],
    },
  },
};

/** What a run did, as both ways must agree on it (times aside). */
function observed(run: HookRun): unknown {
  const containers = structuredClone(run.after.containers ?? {});
  return { exitCode: run.exitCode, statuses: run.statuses.map(String), containers };
}

async function both(world: SimulatorOptions, hook: string): Promise<[HookRun, HookRun]> {
  const here = await HookToolsSimulator.create(world);
  const there = await HookToolsSimulator.create(world);
  try {
    return [await here.runHook(charm, hook), await there.runHook(CHARM_DIR, hook)];
  } finally {
    await Promise.all([here.cleanup(), there.cleanup()]);
  }
}

describe('containers in the harness, both ways', function () {
  this.timeout(60_000);

  it('runs web-pebble-ready: a file pushed, a command run, a layer and replan; the same both ways', async () => {
    const [here, there] = await both(WORLD, 'web-pebble-ready');
    expect(here.exitCode, here.stderr).to.equal(0);
    expect(there.exitCode, there.stderr).to.equal(0);
    expect(here.statuses.map(String)).to.deep.equal(['maintenance: Configuring web', 'active: Serving']);
    expect(observed(there)).to.deep.equal(observed(here));
    const web = here.after.containers?.web;
    expect(web?.serviceStatuses).to.deep.equal({ web: 'active' });
    expect(web?.layers?.web?.services?.web?.command).to.equal('web --port 8080');
    expect(web?.files?.['/etc/web/web.conf']).to.deep.include({
      content: 'listen 8080\n',
      permissions: 0o640,
      user: 'web',
      group: 'web',
    });
    expect(web?.files?.['/etc/web']).to.deep.include({ directory: true, permissions: 0o755 });
  });

  it('waits for Pebble while the container cannot connect, both ways', async () => {
    const world = { ...WORLD, containers: { web: { canConnect: false } } };
    const [here, there] = await both(world, 'install');
    expect(here.statuses.map(String)).to.deep.equal(['waiting: Waiting for Pebble in web']);
    expect(observed(there)).to.deep.equal(observed(here));
  });

  it('reports a command that fails as the charm means it, both ways', async () => {
    const world: SimulatorOptions = {
      ...WORLD,
      containers: {
        web: { canConnect: true, execs: [{ command: ['web'], exitCode: 1, stderr: 'line 1: no listen\n' }] },
      },
    };
    const [here, there] = await both(world, 'config-changed');
    expect(here.statuses.map(String).at(-1)).to.equal('blocked: Bad configuration: line 1: no listen');
    expect(observed(there)).to.deep.equal(observed(here));
  });

  it("reports a service the plan starts that will not start, and a check down, with Pebble's words", async () => {
    const world: SimulatorOptions = {
      ...WORLD,
      containers: {
        web: {
          canConnect: true,
          layers: {
            base: {
              services: { web: { override: 'replace', command: 'web', startup: 'enabled' } },
              checks: {
                ready: {
                  override: 'replace',
                  level: 'ready',
                  threshold: 3,
                  http: { url: 'http://localhost/' },
                },
                fresh: { override: 'replace', level: 'ready', http: { url: 'http://localhost/fresh' } },
              },
            },
          },
          serviceStatuses: { web: 'backoff' },
          checks: { ready: { status: 'down', failures: 3 } },
        },
      },
    };
    const here = await HookToolsSimulator.create(world);
    try {
      const run = await here.runHook(
        { reconcile: () => checkWorkloadOf('web'), options: { log: false } },
        'update-status',
      );
      // The check that has not run yet (fresh) is up, not down (pebble#628).
      expect(run.statuses.map(String)).to.deep.equal([
        'waiting: Service web in web is not running (backoff)',
      ]);
    } finally {
      await here.cleanup();
    }
  });

  it('gives the container hooks their variables, and refuses what Juju would not run', async () => {
    const simulator = await HookToolsSimulator.create({
      ...WORLD,
      containers: { web: { canConnect: true, notices: [{ key: 'example.com/db', data: { ready: 'yes' } }] } },
    });
    try {
      const seen: Record<string, string | undefined>[] = [];
      const spy = {
        reconcile: () => {
          const env = hookEnvironment();
          seen.push({
            workload: env.JUJU_WORKLOAD_NAME,
            check: env.JUJU_PEBBLE_CHECK_NAME,
            notice: env.JUJU_NOTICE_KEY,
            type: env.JUJU_NOTICE_TYPE,
            id: env.JUJU_NOTICE_ID,
          });
        },
        options: { log: false },
      };
      await simulator.runHook(spy, 'web-pebble-ready');
      await simulator.runHook(spy, 'web-pebble-check-failed', { check: 'ready' });
      await simulator.runHook(spy, 'web-pebble-custom-notice', { notice: 'example.com/db' });
      expect(seen).to.deep.equal([
        { workload: 'web', check: undefined, notice: undefined, type: undefined, id: undefined },
        { workload: 'web', check: 'ready', notice: undefined, type: undefined, id: undefined },
        { workload: 'web', check: undefined, notice: 'example.com/db', type: 'custom', id: '1' },
      ]);
      for (const [hook, options, message] of [
        ['db-pebble-ready', {}, /container db, which the unit has not \(web\)/],
        ['web-pebble-check-failed', {}, /needs \{ check \}/],
        ['web-pebble-custom-notice', { notice: 'example.com/none' }, /no custom notice "example.com\/none"/],
        ['config-changed', { check: 'ready' }, /check is for <container>-pebble-check-failed/],
      ] as const) {
        const error = await simulator.runHook(spy, hook, options).catch((e: unknown) => e);
        expect(error, hook).to.be.instanceOf(TypeError);
        expect((error as Error).message).to.match(message);
      }
      const undeclared = await HookToolsSimulator.create({
        charmDir: CHARM_DIR,
        containers: { db: {} },
      }).catch((e: unknown) => e);
      expect(undeclared).to.be.instanceOf(TypeError);
      expect((undeclared as Error).message).to.include('db is not a container of the charm');
      expect((undeclared as Error).message).to.include('declares web, sidecar');
    } finally {
      await simulator.cleanup();
    }
  });

  it('loses the layers and files the charm added when setContainer() brings the container back', async () => {
    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const first = await simulator.runHook(charm, 'web-pebble-ready');
      expect(Object.keys(first.after.containers?.web?.layers ?? {})).to.deep.equal(['web']);
      await simulator.setContainer('web', { canConnect: true });
      const plan = await inHook(simulator, () => new Container('web').plan());
      expect(plan.services).to.deep.equal({});
      // Carried over on purpose, from run.after:
      await simulator.setContainer('web', first.after.containers?.web ?? {});
      const kept = await inHook(simulator, () => new Container('web').plan());
      expect(Object.keys(kept.services)).to.deep.equal(['web']);
      const refused = await simulator.setContainer('db', {}).catch((e: unknown) => e);
      expect(refused).to.be.instanceOf(TypeError);
    } finally {
      await simulator.cleanup();
    }
  });
});

async function checkWorkloadOf(name: string): Promise<void> {
  await checkWorkload(new Container(name));
}

async function inHook<T>(simulator: HookToolsSimulator, body: () => Promise<T>): Promise<T> {
  let value: T | undefined;
  const run = await simulator.runHook(
    {
      reconcile: async () => {
        value = await body();
      },
      options: { log: false },
    },
    'config-changed',
  );
  if (run.exitCode !== 0) throw new Error(run.stderr);
  return value as T;
}
