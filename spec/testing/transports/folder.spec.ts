// What a simulator makes on the test machine, and when: a test whose runs are all in the test's
// process makes the unit's charm folder and nothing else (no tool executable, no socket, no
// port file); the tools' folder is made when a process first needs it; cleanup() removes all
// of it, whatever the charm left there.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { hookEnvironment, storageGet } from '../../../lib/hook-tools/index.js';
import { type Charm, HookToolsSimulator } from '../../../lib/testing/index.js';

const run = promisify(execFile);

/** The simulators' folders in the temporary folder now. */
async function folders(): Promise<Set<string>> {
  return new Set((await readdir(tmpdir())).filter((name) => name.startsWith('juju-hook-tools-')));
}

/** What appeared in the temporary folder since `before`. */
async function made(before: Set<string>): Promise<string[]> {
  return [...(await folders())].filter((name) => !before.has(name)).sort();
}

/** What a charm saw of its folders. */
interface Seen {
  charmDir?: string | undefined;
  during?: string[];
}

/** A charm that notes its charm folder, and what is in the temporary folder during its hook. */
function noting(seen: Seen, before: Set<string>): Charm {
  return {
    reconcile: async () => {
      seen.charmDir = hookEnvironment().JUJU_CHARM_DIR;
      seen.during = await made(before);
    },
  };
}

describe('HookToolsSimulator, its folders', function () {
  this.timeout(30_000);

  it('make only the unit charm folder for runs in the test process, and remove it at cleanup()', async () => {
    const before = await folders();
    const simulator = await HookToolsSimulator.create({ unitName: 'webapp/0' });
    try {
      expect(await made(before)).to.deep.equal([]);
      const seen: Seen = {};
      const ran = await simulator.runHook(noting(seen, before), 'config-changed');
      expect(ran.exitCode, ran.stderr).to.equal(0);
      expect(seen.during).to.have.length(1);
      expect(seen.charmDir).to.equal(join(tmpdir(), seen.during?.[0] ?? ''));
      // The charm's own files there are its to keep across hooks, and go at cleanup().
      await writeFile(join(seen.charmDir ?? '', 'mine'), 'x');
      await simulator.runHook(noting(seen, before), 'update-status');
      expect(seen.during).to.have.length(1);
    } finally {
      await simulator.cleanup();
    }
    expect(await made(before)).to.deep.equal([]);
  });

  it('make the tools when a process needs them, beside the charm folder, and remove both', async () => {
    const before = await folders();
    const simulator = await HookToolsSimulator.create({ unitName: 'webapp/0' });
    try {
      const env = simulator.env;
      expect(await made(before)).to.have.length(2);
      expect((await run('is-leader', [], { env })).stdout).to.equal('False\n');
      expect(existsSync(join(simulator.dir, 'status-set'))).to.equal(true);
    } finally {
      await simulator.cleanup();
    }
    expect(await made(before)).to.deep.equal([]);
  });

  it('make storage in the tools folder when a run in the test process attaches it, and remove it', async () => {
    const before = await folders();
    const simulator = await HookToolsSimulator.create({
      unitName: 'webapp/0',
      storage: [{ name: 'data' }],
    });
    let location: string | undefined;
    try {
      const ran = await simulator.runHook(
        {
          reconcile: async () => {
            location = (await storageGet('data/0')).location;
          },
        },
        'config-changed',
      );
      expect(ran.exitCode, ran.stderr).to.equal(0);
      expect(existsSync(location ?? '')).to.equal(true);
      expect(await made(before)).to.have.length(2);
    } finally {
      await simulator.cleanup();
    }
    expect(existsSync(location ?? '')).to.equal(false);
    expect(await made(before)).to.deep.equal([]);
  });
});
