// tools/config.ts: config-get and is-leader (jujuc config-get.go, is-leader.go).
import { expect } from 'chai';

import { TOOL_WORLD, tool, simulatorPerTest } from '../../support/tools.js';

describe('simulated tools: configuration and leadership, faithful to Juju', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest(TOOL_WORLD);

  it('config-get leaves null options out unless --all, refuses a key with --all, prints True/False', async () => {
    expect(JSON.parse((await tool(simulator(), 'config-get', '--format=json')).stdout)).to.deep.equal({
      port: 8080,
      debug: true,
    });
    expect(
      JSON.parse((await tool(simulator(), 'config-get', '--all', '--format=json')).stdout),
    ).to.have.property('name', null);
    expect(await tool(simulator(), 'config-get', '--all', 'port')).to.deep.include({
      code: 2,
      stderr: 'ERROR cannot use argument --all together with key "port"\n',
    });
    expect((await tool(simulator(), 'config-get', 'debug')).stdout).to.equal('True\n');
  });

  it('is-leader prints true/false in yaml', async () => {
    expect((await tool(simulator(), 'is-leader', '--format=yaml')).stdout).to.equal('false\n');
  });
});
