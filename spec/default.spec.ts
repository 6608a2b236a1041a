// The default bus and what every copy of the package in a process shares. Two copies are
// common (a CommonJS require() under a loader beside the ESM import, a bundle beside
// node_modules): they must meet on one bus and one async scope, or a library's statuses reach
// no context, with only a warning to show for it.
import { expect } from 'chai';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import sinon from 'sinon';

import * as first from '../lib/index.js';
import { HookToolsSimulator } from '../lib/testing/index.js';

type Package = typeof first;
const root = resolve(import.meta.dirname, '..');
/** Inside the repository, so that the copies resolve eventemitter3 as the sources do. */
const copies = join(root, 'node_modules', '.cache', 'charms-contextual-status-copies');

/** Loads a second copy of the package's sources, optionally with its registry key changed. */
async function copy(name: string, registryVersion?: number): Promise<Package> {
  const dir = join(copies, name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await cp(join(root, 'lib'), dir, { recursive: true });
  if (registryVersion !== undefined) {
    const file = join(dir, 'registry.ts');
    const text = await readFile(file, 'utf8');
    await writeFile(file, text.replace(/registry@\d+/, `registry@${String(registryVersion)}`));
  }
  return (await import(join(dir, 'index.ts'))) as Package;
}

describe('the default bus', () => {
  after(() => rm(copies, { recursive: true, force: true }));

  it('is a StatusBus, and the module-level functions act on it', async () => {
    expect(first.bus).to.be.instanceOf(first.StatusBus);
    const spy = sinon.spy();
    first.bus.on('waiting', spy);
    const unit = new first.MemoryUnit();
    await first.context(unit, () => {
      first.add(new first.WaitingStatus('w'));
    });
    first.bus.off('waiting', spy);
    sinon.assert.calledOnce(spy);
    expect(String(unit.status)).to.equal('waiting: w');
  });

  describe('with two copies of the package loaded', () => {
    let second: Package;
    before(async () => {
      second = await copy('second');
    });

    it("is one bus: a sinon spy on one copy's bus hears adds through the other", () => {
      expect(second.bus).to.equal(first.bus);
      expect(second.StatusBus).not.to.equal(first.StatusBus); // two copies indeed
      const spy = sinon.spy();
      first.bus.on('blocked', spy);
      first.bus.on('warning', () => undefined);
      second.add(new second.BlockedStatus('from the second copy'));
      first.bus.off('blocked', spy);
      first.bus.removeAllListeners('warning');
      sinon.assert.calledOnce(spy);
    });

    it('shares one async scope: a status added through one reaches a context opened through the other', async () => {
      const unit = new first.MemoryUnit();
      await first.context(unit, async () => {
        await Promise.resolve();
        second.add(new second.WaitingStatus('Waiting, said a library loaded twice'));
      });
      expect(String(unit.status)).to.equal('waiting: Waiting, said a library loaded twice');
    });

    it('takes a status made by either copy as a status', () => {
      const made = new second.BlockedStatus('b');
      expect(first.isStatus(made)).to.equal(true);
      expect(new first.BlockedStatus('b').equals(made)).to.equal(true);
      expect(made instanceof first.StatusBase).to.equal(false);
    });

    it("is one library to reconcile(): another copy's ReconcilerError is expected, and instanceof either class", async () => {
      // A library's copy loaded first made the shared bus, so its onError throws its own class.
      const connect = first.onError(new first.WaitingStatus('Waiting for the database'))(() => {
        throw new Error('refused');
      });
      const simulator = await HookToolsSimulator.create();
      const exitCode = process.exitCode;
      try {
        const outcome = await second.reconcile(() => connect(), {
          env: { ...simulator.env, JUJU_DISPATCH_PATH: 'hooks/config-changed' },
          log: false,
        });
        expect(process.exitCode).to.equal(exitCode);
        expect(String(outcome.status)).to.equal('waiting: Waiting for the database');
        expect(outcome.error).to.be.instanceOf(second.ReconcilerError);
        expect(outcome.error).to.be.instanceOf(first.ReconcilerError);
        const logs = await simulator.logs();
        expect(logs.map((l) => l.level)).to.deep.equal(['WARNING']);
        expect(logs[0]?.message).to.match(
          /ended early on an expected error: Found expected exception: refused/,
        );
      } finally {
        process.exitCode = exitCode;
        await simulator.cleanup();
      }
      class Mine extends second.ReconcilerError {}
      const plain = new first.ReconcilerError('x', { cause: 1, status: new first.BlockedStatus('b') });
      expect(plain instanceof Mine).to.equal(false);
      expect(new Mine('x', { cause: 1, status: new first.BlockedStatus('b') })).to.be.instanceOf(
        first.ReconcilerError,
      );
      expect(Object.assign(new Error('x'), { name: 'ReconcilerError' })).not.to.be.instanceOf(
        first.ReconcilerError,
      );
    });

    it('keeps a copy of another major version apart, with its own bus', async () => {
      const other = await copy('next-major', 99);
      expect(other.bus).not.to.equal(first.bus);
    });
  });
});
