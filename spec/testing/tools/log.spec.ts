// tools/log.ts: juju-log (jujuc juju-log.go).
import { expect } from 'chai';
import { execFile } from 'node:child_process';

import { TOOL_WORLD, tool, simulatorPerTest } from '../../support/tools.js';

describe('simulated tools: juju-log, faithful to Juju', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest(TOOL_WORLD);

  it('juju-log: levels in any case, WARN, an unknown level at INFO; --debug wins; a relation prefix', async () => {
    await tool(simulator(), 'juju-log', '-l', 'warn', 'a');
    await tool(simulator(), 'juju-log', '--log-level=Error', 'b');
    expect(await tool(simulator(), 'juju-log', '--log-level', 'LOUD', 'c')).to.include({ code: 0 });
    await tool(simulator(), 'juju-log', '--debug', '--log-level', 'ERROR', 'd');
    const inRelation = { ...simulator().env, JUJU_RELATION_ID: 'database:7' };
    await new Promise((done) => execFile('juju-log', ['e'], { env: inRelation }, done));
    expect(await simulator().logs()).to.deep.equal([
      { level: 'WARNING', message: 'a' },
      { level: 'ERROR', message: 'b' },
      { level: 'INFO', message: 'c' },
      { level: 'DEBUG', message: 'd' },
      { level: 'INFO', message: 'database:7: e' },
    ]);
  });
});
