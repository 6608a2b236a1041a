// The nginx charm, hook by hook, against the simulator with its nginx container, two ways: in
// the test's own process (the charm module imported; its Pebble client answered by the model
// with no socket), and as `charmcraft pack` would ship it (dispatch, the bundle and the
// metadata in an empty folder; each hook a new process whose Pebble client finds the
// simulator's Pebble on a unix socket). Every step asserts what the charm means, and the two
// ways agree.
import { expect } from 'chai';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  type HookRun,
  HookToolsSimulator,
  type SimulatedContainer,
  type SimulatorOptions,
} from 'charms-contextual-status/testing';

import { charm as inProcess } from '../src/charm.js';

const project = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The charm as packed: a folder like the one `charmcraft pack` primes. */
async function packed(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'nginx-k8s-charm-'));
  for (const file of ['dispatch', 'dist/charm.cjs', 'charmcraft.yaml']) {
    await mkdir(dirname(join(folder, file)), { recursive: true });
    await copyFile(join(project, file), join(folder, file));
  }
  await chmod(join(folder, 'dispatch'), 0o755);
  await mkdir(join(folder, 'bin'));
  await symlink(process.execPath, join(folder, 'bin', 'node'));
  return folder;
}

/** The nginx container once Pebble is up: nginx -t passes. */
const UP: SimulatedContainer = {
  canConnect: true,
  execs: [
    {
      command: ['nginx', '-t'],
      stderr: 'nginx: configuration file /etc/nginx/nginx.conf test is successful\n',
    },
  ],
};

const WORLD: SimulatorOptions = { unitName: 'nginx-k8s/0', leader: true, charmDir: project };

const texts = (run: HookRun): string[] => run.statuses.map(String);

for (const way of ['in process', 'as packed'] as const) {
  describe(`the nginx-k8s charm, ${way}`, function () {
    this.timeout(60_000);
    let charm: typeof inProcess | string = inProcess;
    let simulator: HookToolsSimulator;

    before(async () => {
      if (way === 'as packed') charm = await packed();
    });

    after(async () => {
      if (typeof charm === 'string') await rm(charm, { recursive: true, force: true });
    });

    afterEach(async () => {
      await simulator.cleanup();
    });

    it('waits for Pebble until the nginx container is up, then configures and serves', async () => {
      simulator = await HookToolsSimulator.create({ ...WORLD, containers: { nginx: {} } });
      const install = await simulator.runHook(charm, 'install');
      expect(install.exitCode, install.stderr).to.equal(0);
      expect(texts(install)).to.deep.equal(['waiting: Waiting for Pebble in nginx']);
      await simulator.setContainer('nginx', UP);
      const ready = await simulator.runHook(charm, 'nginx-pebble-ready');
      expect(ready.exitCode, ready.stderr).to.equal(0);
      expect(texts(ready)).to.deep.equal([
        'maintenance: Configuring nginx on :8080',
        'active: Serving on :8080',
      ]);
      const nginx = ready.after.containers?.nginx;
      expect(nginx?.serviceStatuses).to.deep.equal({ nginx: 'active' });
      expect(nginx?.layers?.nginx?.checks?.ready).to.deep.include({ level: 'ready' });
      expect(nginx?.files?.['/etc/nginx/conf.d/default.conf']?.content).to.include('listen 8080;');
      expect(nginx?.files?.['/usr/share/nginx/html/index.html']?.content).to.equal(
        '<h1>Hello from a TypeScript charm</h1>\n',
      );
      expect(ready.after.ports).to.deep.equal([{ protocol: 'tcp', port: 8080 }]);
    });

    it('moves to another port on config-changed, and escapes the title', async () => {
      simulator = await HookToolsSimulator.create({ ...WORLD, containers: { nginx: UP } });
      await simulator.runHook(charm, 'nginx-pebble-ready');
      await simulator.setConfig({ port: 9090, title: 'Tom & <Jerry>' });
      const moved = await simulator.runHook(charm, 'config-changed');
      expect(texts(moved).at(-1)).to.equal('active: Serving on :9090');
      expect(moved.after.ports).to.deep.equal([{ protocol: 'tcp', port: 9090 }]);
      expect(moved.after.containers?.nginx?.files?.['/usr/share/nginx/html/index.html']?.content).to.equal(
        '<h1>Tom &#38; &#60;Jerry&#62;</h1>\n',
      );
    });

    it("is Blocked with nginx's words when nginx refuses its configuration", async () => {
      simulator = await HookToolsSimulator.create({
        ...WORLD,
        containers: {
          nginx: {
            canConnect: true,
            execs: [
              { command: ['nginx', '-t'], exitCode: 1, stderr: 'nginx: [emerg] invalid port in "0"\n' },
            ],
          },
        },
      });
      const run = await simulator.runHook(charm, 'nginx-pebble-ready');
      expect(texts(run).at(-1)).to.equal(
        'blocked: nginx refuses its configuration: nginx: [emerg] invalid port in "0"',
      );
      expect(run.after.containers?.nginx?.serviceStatuses).to.deep.equal({});
    });

    it('waits while its ready check is down, and serves again once it recovers', async () => {
      simulator = await HookToolsSimulator.create({ ...WORLD, containers: { nginx: UP } });
      const ready = await simulator.runHook(charm, 'nginx-pebble-ready');
      const carried = ready.after.containers?.nginx ?? {};
      await simulator.setContainer('nginx', {
        ...carried,
        checks: { ready: { status: 'down', failures: 3 } },
      });
      const failed = await simulator.runHook(charm, 'nginx-pebble-check-failed', { check: 'ready' });
      expect(texts(failed).at(-1)).to.equal('waiting: Check ready in nginx is down (3/3 failures)');
      await simulator.setContainer('nginx', {
        ...carried,
        checks: { ready: { status: 'up', successes: 1 } },
      });
      const recovered = await simulator.runHook(charm, 'nginx-pebble-check-recovered', { check: 'ready' });
      expect(texts(recovered).at(-1)).to.equal('active: Serving on :8080');
    });
  });
}

describe('the nginx-k8s charm, both ways', function () {
  this.timeout(60_000);

  it('publishes the same statuses and leaves the same container in process as through dispatch', async () => {
    const folder = await packed();
    const outcomes: unknown[][] = [];
    try {
      for (const charm of [inProcess, folder]) {
        const simulator = await HookToolsSimulator.create({ ...WORLD, containers: { nginx: {} } });
        const seen: unknown[] = [];
        try {
          for (const [hook, before] of [
            ['install', async () => undefined],
            ['nginx-pebble-ready', () => simulator.setContainer('nginx', UP)],
            ['config-changed', () => simulator.setConfig({ port: 9090 })],
          ] as const) {
            await before();
            const run = await simulator.runHook(charm, hook);
            const files = Object.fromEntries(
              Object.entries(run.after.containers?.nginx?.files ?? {}).map(([path, f]) => [path, f.content]),
            );
            seen.push({ hook, exitCode: run.exitCode, statuses: texts(run), files, ports: run.after.ports });
          }
        } finally {
          await simulator.cleanup();
        }
        outcomes.push(seen);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
    expect(outcomes[0]).to.have.length(3);
    expect(outcomes[1]).to.deep.equal(outcomes[0]);
  });
});
