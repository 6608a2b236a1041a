// The dispatch door: a charm's packed `dispatch` run in a process of its own, as Juju runs it,
// in the unit's own copy of the charm folder, its hook tools the folder's executables.

import { type ChildProcess, spawn } from 'node:child_process';
import { lstat, readdir, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';

import type { Ran } from './in-process.js';

/** `dispatch` processes running now, in every simulator: ended with the test process. */
const running = new Set<ChildProcess>();
let exitHook = false;

/**
 * Runs `<dir>/dispatch` with `env` until it exits or `stop` is called with why (a time-out,
 * `cleanup()`, `juju-reboot --now`), and says how it ended. Juju gives a hook no stdin.
 *
 * @internal
 */
export function runDispatch(
  dir: string,
  env: Record<string, string>,
  onStop: (stop: (why: string) => void) => void,
): Promise<Ran> {
  return new Promise((done) => {
    let why = '';
    let stdout = '';
    let stderr = '';
    let unrun = '';
    // Its own process group, so that ending it ends every process the hook started.
    const child = spawn(join(dir, 'dispatch'), [], {
      cwd: dir,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      unrun = `dispatch could not be run (${String(error.code)}): ${error.message}\n`;
    });
    onStop((reason) => {
      why ||= `${reason}\n`;
      killGroup(child);
    });
    child.on('close', (code) => {
      running.delete(child);
      done({
        exitCode: unrun !== '' ? 127 : why === '' ? code : null,
        stdout,
        stderr: unrun + stderr + why,
      });
    });
    running.add(child);
    endWithTheTestProcess();
  });
}

/**
 * The unit's own charm folder `dir`, as Juju deploys a copy of the charm for each unit: the
 * top-level entries of `source` linked into it, so that a file the charm writes at its top
 * level (ops' `.unit-state.db`, the mark `reconcile()` leaves after a failed hook) belongs to
 * this unit and is gone with the simulator. `source` itself when it is not a folder (running
 * its dispatch then fails, and says why).
 *
 * @internal
 */
export async function unitCharm(source: string, dir: string): Promise<string> {
  let entries: string[];
  try {
    entries = await readdir(source);
  } catch {
    return source;
  }
  for (const name of await readdir(dir)) {
    if ((await lstat(join(dir, name))).isSymbolicLink()) await rm(join(dir, name));
  }
  for (const name of entries) {
    await rm(join(dir, name), { recursive: true, force: true });
    await symlink(join(source, name), join(dir, name));
  }
  return dir;
}

/** Ends a `dispatch` process and everything it started (its process group). */
function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL'); // the group is gone; the process may not be
  }
}

/** A hook still running when the test process exits would outlive it: end it with it. */
function endWithTheTestProcess(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    for (const child of running) killGroup(child);
  });
}
