// A charm for the specs of applications of several units: the leader publishes a token in the
// peer relation's application data; the others wait for it, then say in their own data that
// they joined; the leader is ready once every other unit has. Its `mode` config option makes a
// hook fail on one unit, or units that re-trigger each other for ever.
import * as status from '../../../lib/index.js';
import {
  applicationName,
  configGet,
  hookEnvironment,
  isLeader,
  relationGet,
  relationIds,
  relationList,
  relationSet,
} from '../../../lib/hook-tools/index.js';

export const charm = {
  reconcile: async (): Promise<void> => {
    const [peer] = await relationIds('cluster');
    if (peer === undefined) throw new Error('no peer relation');
    const mode = await configGet('mode');
    const unit = hookEnvironment().JUJU_UNIT_NAME ?? '';
    if (mode === `fail:${unit}`) throw new Error(`${unit} refuses`);
    if (mode === 'ping-pong') {
      const mine = await relationGet(peer, unit);
      await relationSet(peer, { beat: String(Number(mine.beat ?? '0') + 1) });
    }
    const shared = await relationGet(peer, applicationName(), { app: true });
    if (await isLeader()) {
      if (shared.token === undefined) await relationSet(peer, { token: 'sesame' }, { app: true });
      const others = await relationList(peer);
      const waiting = [];
      for (const other of others) {
        if ((await relationGet(peer, other)).joined !== 'sesame') waiting.push(other);
      }
      if (waiting.length > 0) status.add(new status.WaitingStatus(`Waiting for ${waiting.join(', ')}`));
      return;
    }
    if (shared.token === undefined) {
      status.add(new status.WaitingStatus('Waiting for the leader'));
      return;
    }
    await relationSet(peer, { joined: shared.token });
  },
  options: {
    exitStatus: () => new status.ActiveStatus('Ready'),
    application: 'aggregate' as const,
    log: false,
  },
};
