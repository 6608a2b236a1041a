// Kubernetes charms: the example nginx-k8s charm's `nginx-pebble-ready` (a layer, replan, two
// files pushed, `nginx -t` run with exec) in the test's own process and through its packed
// dispatch, whose Pebble client reaches the simulator's Pebble on a unix socket (exec over the
// client's own websockets); and a whole test. Each beside a bare `node -e 0` measured in the
// same run.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { HookToolsSimulator, type SimulatorOptions } from 'charms-contextual-status/testing';

import { bundleOptions } from '../examples/nginx-k8s/build.mjs';
import { exampleCharm } from './charms.js';
import { record } from './figures.js';
import { cleanEnv, ms } from './juju.js';

const SECTION = 'Kubernetes charms (the nginx-k8s example)';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'nginx-k8s');
const run = promisify(execFile);

const WORLD: SimulatorOptions = {
  unitName: 'nginx-k8s/0',
  leader: true,
  charmDir: example,
  containers: { nginx: { canConnect: true, execs: [{ command: ['nginx', '-t'] }] } },
};

export async function pebble(times: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ccs-bench-pebble-'));
  try {
    const { charm, packed } = await exampleCharm(example, bundleOptions, work);

    const simulator = await HookToolsSimulator.create(WORLD);
    try {
      const env = cleanEnv(simulator.env);
      const bare = await ms(times, () => run(process.execPath, ['-e', '0'], { env }));
      record(SECTION, 'node -e 0, beside the Kubernetes charm', 'ms', bare);
      for (const target of [charm, packed]) {
        const check = await simulator.runHook(target, 'nginx-pebble-ready');
        if (String(check.statuses.at(-1)) !== 'active: Serving on :8080') {
          throw new Error(`nginx-pebble-ready did not serve: ${check.stderr}`);
        }
      }
      const inProcess = await ms(Math.max(times, 50), () => simulator.runHook(charm, 'nginx-pebble-ready'));
      record(SECTION, 'nginx-pebble-ready, in the test process', '× node -e 0', inProcess / bare, {
        target: '≤ 0.1×',
        limit: 0.1,
        compare: `${inProcess.toFixed(2)} ms for 12 Pebble requests answered by the model`,
      });
      const dispatched = await ms(times, () => simulator.runHook(packed, 'nginx-pebble-ready'));
      record(SECTION, 'nginx-pebble-ready, through its packed dispatch', '× node -e 0', dispatched / bare, {
        compare: `${dispatched.toFixed(0)} ms: a Node start, the bundle, 12 requests to Pebble on a unix socket, exec's websockets`,
      });
      const whole = await ms(Math.max(times, 50), async () => {
        const fresh = await HookToolsSimulator.create(WORLD);
        try {
          const ran = await fresh.runHook(charm, 'nginx-pebble-ready');
          if (ran.exitCode !== 0) throw new Error(ran.stderr);
        } finally {
          await fresh.cleanup();
        }
      });
      record(
        SECTION,
        'a whole test: create(), nginx-pebble-ready in process, cleanup()',
        '× node -e 0',
        whole / bare,
        {
          target: '≤ 0.1×',
          limit: 0.1,
          compare: `${whole.toFixed(2)} ms`,
        },
      );
    } finally {
      await simulator.cleanup();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
