// tools/actions.ts: action-get, action-set, action-log and action-fail (jujuc action-*.go).
import { expect } from 'chai';

import { HookToolsSimulator } from '../../../lib/testing/index.js';
import { TOOL_WORLD, tool } from '../../support/tools.js';

describe('simulated tools: actions, faithful to Juju', function () {
  this.timeout(60_000);
  let simulator: HookToolsSimulator;
  beforeEach(async () => {
    simulator = await HookToolsSimulator.create(TOOL_WORLD);
  });
  afterEach(async () => {
    await simulator.cleanup();
  });

  it('action tools answer only inside an action', async () => {
    expect(await tool(simulator, 'action-get')).to.deep.include({
      code: 1,
      stderr: 'ERROR not running an action\n',
    });
  });
});
