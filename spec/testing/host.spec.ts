// The test process is the host, and a charm run in it a guest that cannot take it down, hang
// it or mislead it: process.exit() and process.exitCode end or fail that run only, a tool
// called synchronously fails and says why, runs on one unit take turns as Juju's hooks do, and
// a run is a process of its own as far as status contexts go.
import { expect } from 'chai';
import { execFile, execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import * as status from '../../lib/index.js';
import { configGet, hookEnvironment, stateGet, stateSet } from '../../lib/hook-tools/index.js';
import { type Charm, HookToolsSimulator } from '../../lib/testing/index.js';

const root = new URL('../..', import.meta.url).pathname;
const run = promisify(execFile);
const texts = (values: readonly unknown[]): string[] => values.map(String);

/**
 * `env` with coverage off, for a child whose coverage is not the library's: set empty, since
 * Node copies the parent's NODE_V8_COVERAGE into a child's env that does not name it.
 */
function withoutCoverage(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, NODE_V8_COVERAGE: '' };
}

/** A charm whose reconcile function is `fn`. */
const charmOf = (fn: (hook: string) => unknown): Charm => ({ reconcile: fn });

describe('HookToolsSimulator, the test process as host', function () {
  this.timeout(30_000);
  let simulator: HookToolsSimulator;

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ unitName: 'webapp/0', state: { kept: 'yes' } });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it('ends an in-process run at process.exit(code) with that code, its changes discarded, and the test goes on', async () => {
    const code = process.exitCode;
    const exited = await simulator.runHook(
      charmOf(async () => {
        await stateSet({ kept: 'no' });
        process.exit(3);
      }),
      'config-changed',
    );
    expect(exited.exitCode).to.equal(3);
    expect(exited.after.state).to.deep.equal({ kept: 'yes' });
    expect(process.exitCode).to.equal(code);
    // process.exit() with no code ends the run with the code the hook had set.
    const failed = await simulator.runHook(
      charmOf(() => {
        process.exitCode = 4;
        process.exit();
      }),
      'config-changed',
    );
    expect(failed.exitCode).to.equal(4);
    expect(process.exitCode).to.equal(code);
  });

  it('takes process.exitCode set in an in-process run as the run exit code: a failed hook, rolled back', async () => {
    const code = process.exitCode;
    const ran = await simulator.runHook(
      charmOf(async () => {
        await stateSet({ kept: 'no' });
        process.exitCode = 1;
      }),
      'config-changed',
    );
    expect(ran.exitCode).to.equal(1);
    expect(ran.after.state).to.deep.equal({ kept: 'yes' });
    expect(await simulator.state()).to.deep.equal({ kept: 'yes' });
    expect(process.exitCode).to.equal(code);
  });

  it('leaves a node:test file to report every test when a charm run in it calls process.exit(0)', async () => {
    const work = await mkdtemp(join(tmpdir(), 'host-node-test-'));
    try {
      const file = join(work, 'exit.test.ts');
      await writeFile(
        file,
        `import { test } from 'node:test';
import assert from 'node:assert';
import { HookToolsSimulator } from ${JSON.stringify(join(root, 'lib/testing/index.ts'))};
test('a charm that exits', async () => {
  const simulator = await HookToolsSimulator.create();
  try {
    const run = await simulator.runHook({ reconcile: () => process.exit(0) }, 'install');
    assert.strictEqual(run.exitCode, 0);
  } finally {
    await simulator.cleanup();
  }
});
test('a test after it that must fail', () => {
  assert.fail('this test ran, and failed as it must');
});
`,
      );
      const ended = await run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', file], {
        cwd: root,
        // Its coverage is not the library's: loaded through another loader, the lines c8
        // merges from it are mapped wrongly and counted as missed.
        env: withoutCoverage(process.env),
      }).then(
        () => ({ code: 0, stdout: '' }),
        (error: unknown) => error as { code: number; stdout: string },
      );
      expect(ended.code).to.equal(1);
      expect(ended.stdout).to.match(/# pass 1/);
      expect(ended.stdout).to.match(/# fail 1/);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('fails a tool called synchronously from the test at once with why, instead of hanging', async () => {
    // The tools listen once the test yields; a synchronous call then blocks the process that
    // answers them.
    await simulator.runHook(
      charmOf(() => undefined),
      'install',
    );
    const env = simulator.env;
    await run('is-leader', [], { env });
    const started = Date.now();
    let caught: unknown;
    try {
      execFileSync('config-get', [], { env, stdio: 'pipe' });
    } catch (error) {
      caught = error;
    }
    expect(Date.now() - started).to.be.below(10_000);
    expect(String((caught as { stderr?: Buffer }).stderr)).to.match(
      /did not answer within 3 s: that process is blocked, most likely in a synchronous call \(execFileSync, spawnSync\).*call hook tools asynchronously/,
    );
  });

  it('fails a tool an in-process charm calls synchronously with its hook environment, and says why', async () => {
    let caught: unknown;
    const started = Date.now();
    const ran = await simulator.runHook(
      charmOf(() => {
        try {
          execFileSync('is-leader', [], { env: { ...hookEnvironment() }, stdio: 'pipe' });
        } catch (error) {
          caught = error;
          throw error;
        }
      }),
      'config-changed',
    );
    expect(Date.now() - started).to.be.below(10_000);
    expect(String((caught as { stderr?: Buffer }).stderr)).to.match(
      /that process is blocked, most likely in a synchronous call \(execFileSync, spawnSync\).*call hook tools asynchronously/,
    );
    // The charm let the error out: its hook failed, as it would in Juju, and the test goes on.
    expect(ran.exitCode).to.equal(1);
    expect(await simulator.state()).to.deep.equal({ kept: 'yes' });
  });

  it('fails a tool called synchronously before the simulator ever listened, and says why', async () => {
    const env = simulator.env;
    let caught: unknown;
    try {
      execFileSync('config-get', [], { env, stdio: 'pipe' });
    } catch (error) {
      caught = error;
    }
    expect(String((caught as { stderr?: Buffer }).stderr)).to.match(
      /has not begun to listen within 3 s: that process is blocked, most likely in a synchronous call/,
    );
    // And the simulator answers once the test yields again.
    expect((await run('is-leader', [], { env })).stdout).to.equal('False\n');
  });

  it('runs two hooks on one unit one after the other, as Juju does: the failing one rolls back only its own', async () => {
    let first = true;
    const order: string[] = [];
    const charm = charmOf(async () => {
      const mine = first ? 'failing' : 'passing';
      first = false;
      order.push(`${mine} began`);
      await stateSet({ [mine]: 'set' });
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push(`${mine} ended`);
      if (mine === 'failing') throw new Error('this one fails');
    });
    const [failing, passing] = await Promise.all([
      simulator.runHook(charm, 'config-changed'),
      simulator.runHook(charm, 'config-changed'),
    ]);
    expect([failing.exitCode, passing.exitCode]).to.deep.equal([1, 0]);
    expect(order).to.deep.equal(['failing began', 'failing ended', 'passing began', 'passing ended']);
    expect(await simulator.state()).to.deep.equal({
      kept: 'yes',
      passing: 'set',
      'charms-contextual-status.reconciled': 'true',
    });
  });

  it('gives an added executable the call stdin in process, as through dispatch', async () => {
    const work = await mkdtemp(join(tmpdir(), 'host-added-'));
    try {
      const echo = join(work, 'echo-stdin');
      await writeFile(echo, '#!/bin/sh\nprintf "%s:" "$1"; cat\n');
      await chmod(echo, 0o755);
      await simulator.addTool('secret-set', echo);
      let answered = '';
      await simulator.runHook(
        charmOf(async () => {
          answered = await status.runHookTool('secret-set', ['--file', '-'], { input: 'from stdin' });
        }),
        'config-changed',
      );
      expect(answered).to.equal('--file:from stdin');
      const across = await new Promise<string>((resolve, reject) => {
        const child = execFile('secret-set', ['--file', '-'], { env: simulator.env }, (error, stdout) => {
          if (error === null) resolve(stdout);
          else reject(new Error(`secret-set failed: ${error.message}`));
        });
        child.stdin?.end('from stdin');
      });
      expect(across).to.equal(answered);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('keeps a charm run in process out of the test own context(), both ways', async () => {
    const unit = new status.MemoryUnit();
    let midway: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (midway = resolve));
    let goOn: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (goOn = resolve));
    await status.context(unit, async () => {
      const running = simulator.runHook(
        charmOf(async () => {
          status.add(new status.BlockedStatus('from the charm'));
          midway();
          await released;
        }),
        'config-changed',
      );
      // While the charm's context is open, the test's add() reaches the test's context only.
      await reached;
      status.add(new status.WaitingStatus('from the test'));
      goOn();
      const ran = await running;
      expect(texts(ran.statuses)).to.deep.equal(['blocked: from the charm']);
    });
    expect(texts(unit.history)).to.deep.equal(['waiting: from the test']);
  });

  it('answers a call made after its run ended with what happened, not "cleaned up"', async () => {
    let late: Promise<unknown> | undefined;
    const ran = await simulator.runHook(
      charmOf(() => {
        late = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
          configGet().catch((error: unknown) => error),
        );
      }),
      'config-changed',
    );
    expect(ran.exitCode).to.equal(0);
    const error = await late;
    expect(String(error)).to.match(/config-get was called after its hook had ended/);
    expect(String(error)).not.to.match(/cleaned up/);
    expect((await simulator.calls('config-get')).length).to.equal(0);
  });

  it('refuses a relation hook on an endpoint with no relation, naming the relations there are', async () => {
    const refused = await simulator
      .runHook(
        charmOf(() => undefined),
        'database-relation-broken',
      )
      .catch((error: unknown) => error);
    expect(refused).to.be.instanceOf(TypeError);
    expect(String(refused)).to.match(/no relation on database is declared \(there are none\)/);
    const state = await simulator.runHook(
      charmOf(async () => stateGet()),
      'config-changed',
    );
    expect(state.exitCode).to.equal(0);
  });
});
