// A library the charm uses to reach its database. It knows nothing about status contexts or
// units: it reports what it finds on the status bus and carries on, or throws an error that
// onError turns into a status.
import * as status from 'charms-contextual-status';

import { relationGet, relationIds, relationList } from 'charms-contextual-status/hook-tools';

/** The database refused the connection: worth waiting for, not worth failing the hook. */
export class ConnectionRefused extends Error {
  override readonly name = 'ConnectionRefused';
}

export interface Connection {
  readonly endpoint: string;
}

export class DatabaseRequirer {
  constructor(private readonly endpoint = 'database') {}

  /** Connects to the related database, or reports why it cannot. */
  @status.onError(
    new status.WaitingStatus('Waiting for the database to accept connections'),
    ConnectionRefused,
  )
  async connect(): Promise<Connection | undefined> {
    const [id] = await relationIds(this.endpoint);
    if (id === undefined) {
      status.add(new status.BlockedStatus('Add a database: juju integrate webapp postgresql'));
      return undefined;
    }
    const [unit] = await relationList(id);
    const data = unit === undefined ? {} : await relationGet(id, unit);
    if (data.endpoint === undefined) {
      status.add(new status.WaitingStatus('Waiting for the database to share its endpoint'));
      return undefined;
    }
    status.add(new status.MaintenanceStatus(`Connecting to ${data.endpoint}`));
    // … connect; here, the remote side says whether it accepts connections yet …
    if (data.ready !== 'true') throw new ConnectionRefused(`${data.endpoint} refused the connection`);
    return { endpoint: data.endpoint };
  }
}
