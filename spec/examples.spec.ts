// The README's first command: `npm run example` bundles the example charm against the built
// package and plays its hooks and an action through runHook/runAction against the simulator:
// the charm's state transitions, from deployed to serving, and an action that leaves a
// Blocked unit Blocked.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

describe('npm run example', function () {
  this.timeout(180_000);

  it('prints the status timeline of every hook and the action, and exits 0', async () => {
    const { stdout } = await run(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['run', '--silent', 'example'],
      {
        cwd: root,
      },
    );
    const rows = stdout
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .map((line) => line.trim().split(/\s{2,}/));
    /** The statuses each step set, in order. */
    const steps: { step: string; statuses: string[] }[] = [];
    for (const row of rows) {
      if (row.length >= 3 && row[0]?.startsWith('+')) steps.push({ step: row[1] ?? '', statuses: [] });
      const current = steps.at(-1);
      if (current === undefined) continue;
      if (row.length === 4) current.statuses.push(`${row[2] ?? ''}: ${row[3] ?? ''}`);
      else if (row.length === 2) current.statuses.push(`${row[0] ?? ''}: ${row[1] ?? ''}`);
      else if (row[2] === '(unchanged)') current.statuses.push('(unchanged)');
    }
    // Progress between the first and the last status may be coalesced away, depending on how
    // fast the tools answer: each step is read as its first and last status, and what came
    // between must be progress.
    for (const { statuses } of steps) {
      expect(
        statuses.slice(1, -1).every((s) => s.startsWith('maintenance: ')),
        stdout,
      ).to.equal(true);
    }
    const ends = steps.map(({ step, statuses }) => ({
      step,
      statuses: statuses.length > 2 ? [statuses[0], statuses.at(-1)] : statuses,
    }));
    expect(ends, stdout).to.deep.equal([
      {
        step: 'install',
        statuses: [
          'maintenance: Installing packages',
          'blocked: Set the "port" option: juju config webapp port=8080',
        ],
      },
      { step: 'config-changed', statuses: ['blocked: Add a database: juju integrate webapp postgresql'] },
      {
        step: 'database-relation-joined',
        statuses: ['waiting: Waiting for the database to share its endpoint'],
      },
      {
        step: 'database-relation-changed',
        statuses: [
          'maintenance: Connecting to 10.0.0.7:5432',
          'waiting: Waiting for the database to accept connections',
        ],
      },
      {
        step: 'database-relation-changed',
        statuses: ['maintenance: Connecting to 10.0.0.7:5432', 'active: Serving on :8080'],
      },
      { step: 'update-status', statuses: ['(unchanged)'] },
      { step: 'config-changed', statuses: ['blocked: Set the "port" option: juju config webapp port=8080'] },
      {
        step: 'action:restart',
        statuses: [
          'maintenance: Restarting the web server',
          'blocked: Set the "port" option: juju config webapp port=8080',
        ],
      },
    ]);
    expect(stdout).to.match(/Final status: blocked: Set the "port" option: juju config webapp port=8080$/m);
  });
});
