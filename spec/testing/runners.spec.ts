// The simulator is the test runner's guest: the same test, written for node:test, passes
// there too, in process and through dispatch.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const root = new URL('../..', import.meta.url).pathname;

const TEST = `import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HookToolsSimulator } from '${root}lib/testing/index.ts';
import { charm } from '${root}spec/support/reconcile-charm/charm.ts';

describe('a charm under node:test', () => {
  let simulator;
  before(async () => {
    simulator = await HookToolsSimulator.create({ config: { mode: 'blocked' } });
  });
  after(() => simulator.cleanup());

  it('runs in process', async () => {
    const run = await simulator.runHook(charm, 'config-changed');
    assert.equal(String(run.statuses.at(-1)), 'blocked: Set "port"');
  });

  it('runs through dispatch', async () => {
    const run = await simulator.runHook('${root}spec/support/reconcile-charm', 'config-changed');
    assert.equal(run.exitCode, 0, run.stderr);
    assert.equal(String(run.statuses.at(-1)), 'blocked: Set "port"');
  });
});
`;

describe('HookToolsSimulator, under other test runners', () => {
  it('works under node:test, in process and through dispatch', async () => {
    const folder = await mkdtemp(join(root, '.node-test-'));
    try {
      const file = join(folder, 'charm.test.ts');
      await writeFile(file, TEST);
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', '--test', '--test-reporter=tap', file],
        {
          cwd: root,
          env: { ...process.env, NODE_V8_COVERAGE: undefined },
        },
      );
      expect(stdout).to.match(/# pass 2/);
      expect(stdout).to.match(/# fail 0/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
