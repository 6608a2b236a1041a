// The test harness, as a charm author lives in it: the example charm's config-changed run in
// the test's own process and through its packed dispatch, and one simulated tool call across
// processes, each beside a bare `node -e 0` measured in the same run.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { type Charm, HookToolsSimulator, SimulatedApplication } from 'charms-contextual-status/testing';

import { bundleOptions } from '../examples/webapp/build.mjs';
import { exampleCharm } from './charms.js';
import { median, record, unmeasured } from './figures.js';
import { cleanEnv, ms } from './juju.js';

const SECTION = 'the test harness (the example charm)';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const example = join(root, 'examples', 'webapp');
const run = promisify(execFile);

/** The world in which config-changed does the most: a port and a ready database. */
async function serving(): Promise<HookToolsSimulator> {
  const simulator = await HookToolsSimulator.create({
    unitName: 'webapp/0',
    leader: true,
    config: { port: 8080 },
    // Its metadata: the peer relation Juju makes at deploy, which the charm shares its key in.
    charmDir: example,
  });
  await simulator.setRelation('database:1', { 'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' } });
  return simulator;
}

export async function harness(times: number): Promise<void> {
  const work = await mkdtemp(join(tmpdir(), 'ccs-bench-harness-'));
  try {
    const { charm, packed } = await exampleCharm(example, bundleOptions, work);

    const simulator = await serving();
    try {
      const env = cleanEnv(simulator.env);
      const bare = await ms(times, () => run(process.execPath, ['-e', '0'], { env }));
      record(SECTION, 'node -e 0, beside the harness', 'ms', bare);
      const tool = await ms(times, () => run('status-set', ['maintenance', 'x'], { env }));
      // Its floors: a bash script that does nothing (what the tool script starts as), and one
      // exec of a compiled program that does nothing (what a compiled client would cost).
      const empty = join(work, 'empty-bash');
      await writeFile(empty, '#!/bin/bash\nexit 0\n', { mode: 0o755 });
      const bash = await ms(times, () => run(empty, [], { env }));
      const exec = await ms(times, () => run('true', [], { env }));
      record(SECTION, 'a simulated tool call across processes', '× node -e 0', tool / bare, {
        target: '≤ 0.15×',
        limit: 0.15,
        compare: `${tool.toFixed(1)} ms; an empty bash script ${(bash / bare).toFixed(2)}×, /bin/true ${(exec / bare).toFixed(2)}×: the target needs a compiled client, not a script`,
      });
      let check = await simulator.runHook(charm, 'config-changed');
      if (String(check.statuses.at(-1)) !== 'active: Serving on :8080') {
        throw new Error(`config-changed in process did not serve: ${check.stderr}`);
      }
      const inProcess = await ms(Math.max(times, 50), () => simulator.runHook(charm, 'config-changed'));
      record(SECTION, 'config-changed, in the test process', '× node -e 0', inProcess / bare, {
        target: '≤ 0.1×',
        limit: 0.1,
        compare: `${inProcess.toFixed(2)} ms`,
      });
      check = await simulator.runHook(packed, 'config-changed');
      if (check.exitCode !== 0) throw new Error(`config-changed through dispatch failed: ${check.stderr}`);
      const calls = check.calls.length;
      const dispatched = await ms(times, () => simulator.runHook(packed, 'config-changed'));
      record(SECTION, 'config-changed, through its packed dispatch', '× node -e 0', dispatched / bare, {
        target: '≤ 3×',
        limit: 3,
        compare: `${dispatched.toFixed(0)} ms for ${String(calls)} tool calls (a Node process per call: about 12–20×)`,
      });
      // What a charm author pays per test: create(), one hook in process, cleanup().
      const wholeTest = async (): Promise<void> => {
        const fresh = await serving();
        try {
          const ran = await fresh.runHook(charm, 'config-changed');
          if (ran.exitCode !== 0)
            throw new Error(`config-changed in a fresh simulator failed: ${ran.stderr}`);
        } finally {
          await fresh.cleanup();
        }
      };
      const whole = await ms(Math.max(times, 50), wholeTest);
      record(
        SECTION,
        'a whole test: create(), config-changed in process, cleanup()',
        '× node -e 0',
        whole / bare,
        { target: '≤ 0.1×', limit: 0.1, compare: `${whole.toFixed(2)} ms` },
      );
      await againstOps(Math.max(times, 50), wholeTest, bare);
      const steps = async (target: Charm | string): Promise<number> =>
        ms(1, async () => {
          const fresh = await HookToolsSimulator.create({
            unitName: 'webapp/0',
            leader: true,
            charmDir: example,
          });
          try {
            await fresh.runHook(target, 'install');
            await fresh.setConfig({ port: 8080 });
            await fresh.runHook(target, 'config-changed');
            await fresh.setRelation('database:1', { 'postgresql/0': {} });
            await fresh.runHook(target, 'database-relation-joined');
            await fresh.setRelation('database:1', {
              'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' },
            });
            await fresh.runHook(target, 'database-relation-changed');
            await fresh.runHook(target, 'update-status');
            await fresh.runAction(target, 'restart');
          } finally {
            await fresh.cleanup();
          }
        });
      record(SECTION, "the example's six steps, in process", 'ms', await steps(charm));
      record(SECTION, "the example's six steps, through dispatch", 'ms', await steps(packed));
      // Three units forming a cluster, whole: create(), install and config-changed on each,
      // settle() (the others' relation-changed once the leader shared its key), cleanup().
      const cluster = async (target: Charm | string): Promise<void> => {
        const app = await SimulatedApplication.create({
          units: 3,
          charmDir: example,
          config: { port: 8080 },
          relations: [
            {
              endpoint: 'database',
              remoteUnits: { 'postgresql/0': { endpoint: '10.0.0.7:5432', ready: 'true' } },
            },
          ],
        });
        try {
          for (const unit of [...app.units].reverse()) {
            await app.unit(unit).runHook(target, 'install');
            await app.unit(unit).runHook(target, 'config-changed');
          }
          const runs = await app.settle(target);
          if (runs.length !== 3 || String(await app.status()) !== 'active: Serving on :8080')
            throw new Error(`the cluster did not form: ${runs.map((r) => `${r.unit} ${r.hook}`).join(', ')}`);
        } finally {
          await app.cleanup();
        }
      };
      const formed = await ms(Math.max(times, 20), () => cluster(charm));
      record(
        SECTION,
        'three units form a cluster (9 hooks, settle()), in process',
        '× node -e 0',
        formed / bare,
        {
          compare: `${formed.toFixed(1)} ms, create() to cleanup(): ${(formed / 9).toFixed(2)} ms a hook`,
        },
      );
      const formedPacked = await ms(Math.min(times, 3), () => cluster(packed));
      record(
        SECTION,
        'three units form a cluster (9 hooks, settle()), through dispatch',
        '× node -e 0',
        formedPacked / bare,
        {
          compare: `${formedPacked.toFixed(0)} ms: ${(formedPacked / 9).toFixed(0)} ms a hook`,
        },
      );
    } finally {
      await simulator.cleanup();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * A whole test of ours paired with a whole test of ops.testing (`Context` + `State` + `run` of
 * the same hook of the same charm written with ops, bench/ops/), each round running each side
 * once, the order rotating. ops.testing runs in one Python process that times each test itself
 * (the pipe between us is not counted). Measured where `python3` imports `ops.testing`
 * (`pip install ops[testing]`, or PYTHONPATH set to a checkout of canonical/operator and its
 * dependencies); elsewhere, as in CI, the figure says it was not measured.
 */
async function againstOps(rounds: number, wholeTest: () => Promise<void>, bare: number): Promise<void> {
  const name = "a whole test, over ops.testing's of the same hook, paired";
  const python = spawn('python3', [
    join(root, 'bench', 'ops', 'driver.py'),
    join(example, 'charmcraft.yaml'),
  ]);
  let stderr = '';
  python.on('error', (error) => (stderr += `${error.message}\n`)); // no python3 at all
  python.stdin.on('error', () => undefined); // it ended: the next answer says so
  python.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: python.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string | undefined> => (await lines.next()).value as string | undefined;
  try {
    const ready = await next();
    if (ready?.startsWith('ready ') !== true) {
      const why = stderr.trim().split('\n').at(-1) ?? '';
      unmeasured(SECTION, name, `python3 cannot import ops.testing here (${why || 'no python3'})`, {
        target: '≤ 0.5×',
      });
      return;
    }
    const opsTest = async (): Promise<number> => {
      python.stdin.write('test\n');
      const answer = await next();
      if (answer === undefined) throw new Error(`ops.testing's test failed: ${stderr}`);
      return Number(answer);
    };
    // Warm both sides: Python's first tests import and compile what later ones reuse.
    for (let i = 0; i < 20; i += 1) {
      await opsTest();
      await wholeTest();
    }
    const ratios: number[] = [];
    const theirs: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      const theirsFirst = round % 2 === 1 ? await opsTest() : undefined;
      const ours = await ms(1, wholeTest);
      const them = theirsFirst ?? (await opsTest());
      ratios.push(ours / them);
      theirs.push(them);
    }
    const opsMs = median(theirs);
    for (const ratio of ratios)
      record(SECTION, name, '× ops.testing', ratio, {
        target: '≤ 0.5×',
        limit: 0.5,
        compare: `${ready.slice('ready '.length)}: ${opsMs.toFixed(2)} ms a test, ${(opsMs / bare).toFixed(2)}× node -e 0`,
      });
  } finally {
    python.stdin.end();
    python.kill();
  }
}
