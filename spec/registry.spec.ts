// The process-wide registry, where globalThis cannot hold it: importing the package must never
// fail for that (a sandbox may freeze globalThis), and the loss must be said, not silent.
import { expect } from 'chai';

import { runScript } from './support/script.js';

/** Runs `prepare`, then imports the package and runs one context, in a new process. */
async function importAfter(prepare: string): Promise<{ stdout: string; stderr: string }> {
  const script = `
    ${prepare}
    const status = await import('./lib/index.ts');
    const unit = new status.MemoryUnit();
    await status.context(unit, () => status.add(new status.BlockedStatus('Add a database')));
    console.log(String(unit.status));
  `;
  return runScript(script);
}

describe('the registry copies of the package share', () => {
  const cases: [string, string, string][] = [
    ['globalThis is frozen', 'Object.freeze(globalThis);', 'globalThis is frozen or not extensible'],
    [
      'globalThis is not extensible',
      'Object.preventExtensions(globalThis);',
      'globalThis is frozen or not extensible',
    ],
    [
      'its key holds something else',
      "globalThis[Symbol.for('charms-contextual-status/registry@1')] = 42;",
      'it holds a number (42)',
    ],
    [
      'its key is a getter that throws',
      "Object.defineProperty(globalThis, Symbol.for('charms-contextual-status/registry@1'), { get() { throw new Error('no'); } });",
      'reading it threw (no)',
    ],
  ];
  for (const [label, prepare, why] of cases) {
    it(`still works where ${label}, and says on stderr that this copy keeps its own`, async () => {
      const { stdout, stderr } = await importAfter(prepare);
      expect(stdout).to.equal('blocked: Add a database\n');
      expect(stderr).to.include(
        `charms-contextual-status: globalThis[Symbol.for("charms-contextual-status/registry@1")] cannot hold the registry that copies of this package in one process share (${why}); this copy keeps its own default bus and async scope`,
      );
      expect(stderr.match(/cannot hold the registry/g)).to.have.length(1);
    });
  }
});
