// actionGet, actionSet, actionLog and actionFail in an action run in the test's process.
import { expect } from 'chai';

import * as tools from '../../lib/hook-tools/index.js';
import { MaintenanceStatus, add } from '../../lib/index.js';
import { HookToolsSimulator } from '../../lib/testing/index.js';

describe('hook-tools: actions', function () {
  this.timeout(30_000);
  let simulator: HookToolsSimulator;

  beforeEach(async () => {
    simulator = await HookToolsSimulator.create({ actionParams: { force: true, nested: { depth: 2 } } });
  });

  afterEach(async () => {
    await simulator.cleanup();
  });

  it('run the action tools in an action, with dotted results and a failure message after --', async () => {
    let params: unknown;
    const charm = {
      reconcile: () => undefined,
      options: {
        actions: {
          check: async () => {
            params = [await tools.actionGet(), await tools.actionGet('nested.depth')];
            add(new MaintenanceStatus('Checking'));
            await tools.actionLog('-halfway');
            await tools.actionSet({ result: 'ok', detail: { took: '3' } });
            await tools.actionFail('-1 is out of range');
          },
        },
      },
    };
    const run = await simulator.runAction(charm, 'check');
    expect(params).to.deep.equal([{ force: true, nested: { depth: 2 } }, 2]);
    expect(run).to.deep.include({ failed: true, message: '-1 is out of range' });
    expect(run.results).to.deep.equal({ result: 'ok', detail: { took: '3' } });
  });
});
