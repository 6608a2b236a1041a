// tools/flags.ts: how every tool reads its flags and --help, as juju/gnuflag and juju/cmd do.
import { expect } from 'chai';

import { TOOL_WORLD, tool, simulatorPerTest } from '../../support/tools.js';

describe('simulated tools: flag parsing (gnuflag, juju/cmd), faithful to Juju', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest(TOOL_WORLD);

  it('reads boolean flags as Go does: --application=False is false, a bad value is exit 2', async () => {
    await simulator().setLeader(true);
    expect(await tool(simulator(), 'status-set', '--application=False', 'active', 'unit')).to.include({
      code: 0,
    });
    expect(String(await simulator().status())).to.equal('active: unit');
    expect(await tool(simulator(), 'status-set', '--application=true', 'blocked', 'app')).to.include({
      code: 0,
    });
    expect(String(await simulator().status({ application: true }))).to.equal('blocked: app');
    expect(await tool(simulator(), 'status-set', '--application=maybe', 'active')).to.deep.equal({
      code: 2,
      stdout: '',
      stderr: 'ERROR invalid value "maybe" for flag --application: parse error\n',
    });
    expect((await tool(simulator(), 'config-get', '--all=1', '--format=json')).stdout).to.equal(
      '{"debug":true,"name":null,"port":8080}\n',
    );
  });

  it('names an undefined flag without its value, and checks the status name before extra arguments', async () => {
    expect((await tool(simulator(), 'status-set', '--colour=red', 'active')).stderr).to.equal(
      'ERROR flag provided but not defined: --colour\n',
    );
    expect((await tool(simulator(), 'status-set', 'sleepy', 'a', 'b')).stderr).to.equal(
      'ERROR invalid status "sleepy", expected one of [maintenance blocked waiting active]\n',
    );
  });

  it('answers --help on stdout with exit 0', async () => {
    const help = await tool(simulator(), 'status-get', '--help');
    expect(help.code).to.equal(0);
    expect(help.stdout).to.match(/^Usage: status-get \[options\]/);
    expect(help.stdout).to.include('--include-data');
  });
});
