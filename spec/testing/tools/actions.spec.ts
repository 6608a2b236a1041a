// tools/actions.ts: action-get, action-set, action-log and action-fail (jujuc action-*.go).
import { expect } from 'chai';

import { TOOL_WORLD, tool, simulatorPerTest } from '../../support/tools.js';

describe('simulated tools: actions, faithful to Juju', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest(TOOL_WORLD);

  it('action tools answer only inside an action', async () => {
    expect(await tool(simulator(), 'action-get')).to.deep.include({
      code: 1,
      stderr: 'ERROR not running an action\n',
    });
  });
});
