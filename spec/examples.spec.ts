// The README's first command: `npm run example` builds the package and the example charm, plays
// its hooks as separate processes against the simulator, and prints the status timeline.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

describe('npm run example', function () {
  this.timeout(180_000);

  it('prints the status timeline of every hook and exits 0', async () => {
    const { stdout } = await run(
      process.platform === 'win32' ? 'npm.cmd' : 'npm',
      ['run', '--silent', 'example'],
      { cwd: root },
    );
    const lines = stdout.split('\n');
    const row = (hook: string, status: string, message: string): boolean =>
      lines.some(
        (line) =>
          line.includes(hook) &&
          new RegExp(`\\b${status}\\s+${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(line),
      );
    expect(row('install', 'maintenance', 'Installing packages'), stdout).to.equal(true);
    expect(
      lines.some((l) => /^\s+blocked\s+Set the "port" option/.test(l)),
      stdout,
    ).to.equal(true);
    expect(row('config-changed', 'blocked', 'Add a database'), stdout).to.equal(true);
    expect(
      row('database-relation-joined', 'waiting', 'Waiting for the database to share its endpoint'),
      stdout,
    ).to.equal(true);
    expect(
      lines.some((l) => /^\s+waiting\s+Waiting for the database to accept connections$/.test(l)),
      stdout,
    ).to.equal(true);
    expect(stdout).to.match(/Final status: active: Serving on :8080$/m);
  });
});
