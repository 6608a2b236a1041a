// Running one hook tool: the one place where a tool's failure becomes a HookToolError.
import { expect } from 'chai';

import { HookToolError } from '../../lib/index.js';
import { runHookTool } from '../../lib/juju/hook-tool.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';

describe('running a hook tool', function () {
  this.timeout(30_000);
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ leader: true });
  });
  afterEach(async () => {
    await simulator.cleanup();
  });

  it('resolves to its stdout, each argument passed verbatim, whatever it holds', async () => {
    const message = '$(rm -rf /) `x` "quoted" \'single\' ; | & -- --flag\nsecond line';
    await runHookTool('status-set', ['--', 'maintenance', message], { env: simulator.env });
    expect((await simulator.status()).message).to.equal(message);
    expect(await runHookTool('is-leader', [], { env: simulator.env })).to.equal('True\n');
  });

  it('names a missing tool, a refusal, a failure and a signal plainly', async () => {
    const failure = (tool: string, args: string[]) =>
      runHookTool(tool, args, { env: simulator.env }).then(
        () => undefined,
        (error: unknown) => error as HookToolError,
      );
    expect(await failure('no-such-tool', [])).to.include({
      failure: 'missing',
      message: 'no-such-tool was not found on PATH: is this running inside a Juju hook?',
    });
    expect(await failure('status-set', ['sleepy'])).to.include({
      failure: 'exit',
      exitCode: 2,
      message:
        'status-set refused its arguments (exit 2): ERROR invalid status "sleepy", expected one of [maintenance blocked waiting active]',
    });
    await simulator.failNext('status-get', { stderr: 'ERROR connection reset' });
    expect(await failure('status-get', [])).to.include({
      exitCode: 1,
      message: 'status-get failed (exit 1): ERROR connection reset',
    });
    await simulator.failNext('juju-log', { signal: 'SIGTERM' });
    expect(await failure('juju-log', ['x'])).to.include({ failure: 'signal', signal: 'SIGTERM' });
  });

  it('refuses an argument longer than Linux allows before any process starts', async () => {
    const caught = await runHookTool('juju-log', ['x'.repeat(200_000)], { env: simulator.env }).catch(
      (e: unknown) => e,
    );
    expect(caught).to.be.instanceOf(HookToolError).with.property('failure', 'too-long');
    expect(await simulator.calls()).to.deep.equal([]);
  });

  it('stops a tool after its time-out', async () => {
    await simulator.failNext('status-get', { hang: true });
    const caught = await runHookTool('status-get', [], { env: simulator.env, timeoutMs: 300 }).catch(
      (e: unknown) => e,
    );
    expect(caught).to.include({
      failure: 'timeout',
      message: 'status-get timed out after 300 ms and was stopped',
    });
  });
});
