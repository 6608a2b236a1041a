// Runs an ES module script in a new Node process, in the repository, with the package's
// sources importable as './lib/index.ts': for what only shows at a process's start or exit.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const root = new URL('../..', import.meta.url).pathname;

export function runScript(script: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    // Without coverage: V8 coverage of sources tsx transformed in another process merges wrong
    // with this process's own (c8 would count covered lines as missed).
    env: { ...process.env, NODE_V8_COVERAGE: undefined },
  });
}
