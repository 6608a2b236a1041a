// state-set's and relation-set's --file as Juju reads it (relation-set.go readSettings, with
// gopkg.in/yaml.v2's reader), and what stateSet() and relationSet() send to it.
import { expect } from 'chai';

import { runHookTool } from '../../../lib/index.js';
import { relationGet, relationSet, stateGet, stateSet } from '../../../lib/hook-tools/index.js';
import { HookToolsSimulator } from '../../../lib/testing/index.js';
import { SHELL_CHARM, eachWay, inHook } from '../../support/both-ways.js';
import { TOOL_WORLD, tool, simulatorPerTest } from '../../support/tools.js';

/** Text pasted from elsewhere: a mis-decoded apostrophe (U+0092), DEL, NEL, U+FFFE, U+2028. */
const PASTED = 'it\u0092s\u007f a\u0085b\ufffe\u2028end';

describe('simulated tools: unit state and relation settings files', function () {
  this.timeout(30_000);

  it('sends every character whole: stateSet() and relationSet() escape what YAML cannot carry raw', async () => {
    const world = { relations: [{ endpoint: 'database', id: 3, remoteUnits: { 'postgresql/0': {} } }] };
    const { value } = await eachWay(world, async (env) => {
      const o = env === undefined ? {} : { env };
      await stateSet({ pasted: PASTED }, o);
      await relationSet(3, { pasted: PASTED }, o);
      return { state: (await stateGet(o)).pasted, relation: (await relationGet(3, 'app/0', o)).pasted };
    });
    expect(value).to.deep.equal({ state: PASTED, relation: PASTED });
  });

  it('refuses a raw control character in --file as yaml.v2 does, both ways, never dropping it', async () => {
    const simulator = await HookToolsSimulator.create({ state: { kept: 'yes' } });
    try {
      const { value } = await inHook(simulator, () =>
        runHookTool('state-set', ['--file', '-'], { input: 'kept: "a\u0092b"\n' }).catch((e: unknown) => e),
      );
      expect(String(value)).to.match(
        /state-set failed \(exit 1\): ERROR yaml: control characters are not allowed/,
      );
      const through = await simulator.runHook(SHELL_CHARM, 'config-changed', {
        env: { SCRIPT: `printf 'kept: "a\\302\\222b"\\n' | state-set --file - || echo "exit $?"` },
      });
      expect(through.stdout).to.equal('exit 1\n');
      expect(through.stderr).to.include('ERROR yaml: control characters are not allowed');
      expect((await simulator.state()).kept).to.equal('yes');
      // A NUL is a control character too, and reaches the simulator through the door whole
      // (bash would drop it from a variable without a word).
      const nul = await simulator.runHook(SHELL_CHARM, 'config-changed', {
        env: { SCRIPT: `printf 'kept: "a\\000b"\\n' | state-set --file - || echo "exit $?"` },
      });
      expect(nul.stdout).to.equal('exit 1\n');
      expect(nul.stderr).to.include('ERROR yaml: control characters are not allowed');
      expect((await simulator.state()).kept).to.equal('yes');
      // NEL is a line break to YAML 1.1: a raw one in a quoted value is read as a space.
      const { run } = await inHook(simulator, () =>
        runHookTool('state-set', ['--file', '-'], { input: 'kept: "a\u0085b"\n' }),
      );
      expect(run.after.state?.kept).to.equal('a b');
    } finally {
      await simulator.cleanup();
    }
  });
});

describe('simulated tools: unit state, faithful to Juju', function () {
  this.timeout(60_000);
  const simulator = simulatorPerTest(TOOL_WORLD);

  it('state-get and state-set keep the unit state across hooks; --strict refuses a missing key', async () => {
    await tool(simulator(), 'state-set', 'reconciled=true', 'port=8080');
    expect(JSON.parse((await tool(simulator(), 'state-get', '--format=json')).stdout)).to.deep.equal({
      reconciled: 'true',
      port: '8080',
    });
    expect((await tool(simulator(), 'state-get', 'port')).stdout).to.equal('8080\n');
    expect(await tool(simulator(), 'state-get', 'nothing')).to.deep.include({ code: 0, stdout: '' });
    expect(await tool(simulator(), 'state-get', '--strict', 'nothing')).to.deep.include({
      code: 1,
      stderr: 'ERROR "nothing" not found\n',
    });
    expect(await simulator().state()).to.deep.equal({ reconciled: 'true', port: '8080' });
  });

  // juju/utils keyvalues.Parse(args, true), as jujuc/state-set.go Init calls it; Run stores
  // each value with SetCharmStateValue, an empty one included.

  it('state-delete removes one key, a missing one is no error, extra arguments exit 2 (state-delete.go)', async () => {
    await tool(simulator(), 'state-set', 'a=1', 'b=2');
    expect((await tool(simulator(), 'state-delete', 'a')).code).to.equal(0);
    expect((await tool(simulator(), 'state-delete', 'missing')).code).to.equal(0);
    expect((await tool(simulator(), 'state-delete')).code).to.equal(0);
    expect(await tool(simulator(), 'state-delete', 'b', 'c')).to.deep.include({
      code: 2,
      stderr: 'ERROR unrecognized args: ["c"]\n',
    });
    expect(await simulator().state()).to.deep.equal({ b: '2' });
  });

  it("state-set refuses a key past 256 bytes or a value past 64 KiB with exit 1, as core/quota's CheckTupleSize does", async () => {
    expect(await tool(simulator(), 'state-set', `${'k'.repeat(257)}=v`)).to.deep.include({
      code: 1,
      stderr: 'ERROR max allowed key length (256) exceeded\n',
    });
    expect(await tool(simulator(), 'state-set', 'first=kept', `big=${'ü'.repeat(32_769)}`)).to.deep.include({
      code: 1,
      stderr: 'ERROR max allowed value length (65536) exceeded\n',
    });
    expect((await tool(simulator(), 'state-set', `${'k'.repeat(256)}=${'v'.repeat(65_536)}`)).code).to.equal(
      0,
    );
    expect(await simulator().state()).to.have.property('first', 'kept');
  });

  it('state-set reads key=value as Juju does: trimmed, an empty value stored, a key twice or no key refused', async () => {
    expect(await tool(simulator(), 'state-set', ' port = 8080 ', 'flag=')).to.deep.include({ code: 0 });
    expect(await simulator().state()).to.deep.equal({ port: '8080', flag: '' });
    expect(await tool(simulator(), 'state-set', 'k=1', 'k =2')).to.deep.include({
      code: 2,
      stderr: 'ERROR key "k" specified more than once\n',
    });
    expect(await tool(simulator(), 'state-set', ' =1')).to.deep.include({
      code: 2,
      stderr: 'ERROR expected "key=value", got "=1"\n',
    });
    expect(await tool(simulator(), 'state-set', 'port')).to.deep.include({
      code: 2,
      stderr: 'ERROR expected "key=value", got "port"\n',
    });
    expect(await simulator().state()).to.deep.equal({ port: '8080', flag: '' });
  });
});
