// state-set's and relation-set's --file as Juju reads it (relation-set.go readSettings, with
// gopkg.in/yaml.v2's reader), and what stateSet() and relationSet() send to it.
import { expect } from 'chai';

import { runHookTool } from '../../../lib/index.js';
import { relationGet, relationSet, stateGet, stateSet } from '../../../lib/hook-tools/index.js';
import { HookToolsSimulator } from '../../../lib/testing/index.js';
import { SHELL_CHARM, eachWay, inHook } from '../../support/both-ways.js';

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
