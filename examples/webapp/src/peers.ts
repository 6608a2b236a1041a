// The session key every unit signs its cookies with, so that a user's session survives the load
// balancer sending the next request to another unit. The leader makes it once and shares it in
// the peer relation's application data (only the leader may write there); the other units wait
// until they see it. Like database.ts, it reports on the status bus and knows nothing of units.
import * as status from 'charms-contextual-status';
import {
  applicationName,
  isLeader,
  relationGet,
  relationIds,
  relationSet,
} from 'charms-contextual-status/hook-tools';

const PEERS = 'replicas';

/** The application's session key, made by the leader when there is none yet. */
export async function sessionKey(): Promise<string | undefined> {
  // Juju makes the peer relation when it deploys the application: every hook finds it.
  const [id] = await relationIds(PEERS);
  if (id === undefined) {
    status.add(new status.WaitingStatus('Waiting for the peer relation'));
    return undefined;
  }
  const shared = await relationGet(id, applicationName(), { app: true });
  const key = shared['session-key'];
  if (key !== undefined) return key;
  if (!(await isLeader())) {
    status.add(new status.WaitingStatus('Waiting for the leader to share the session key'));
    return undefined;
  }
  // node:crypto is loaded here, not imported at the top: loading it costs about 5 ms, which
  // every hook would pay (update-status included) where only the leader's first one needs it.
  const { randomBytes } = process.getBuiltinModule('node:crypto');
  const made = randomBytes(32).toString('hex');
  await relationSet(id, { 'session-key': made }, { app: true });
  return made;
}
