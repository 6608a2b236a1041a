// A Kubernetes charm for the Pebble specs: on every hook it configures its `web` container
// (a config file pushed, a layer, replan, a config check run with exec) and reports the
// container's health with checkWorkload(). It exports itself as `charm` for runs in the spec's
// process; main.ts is its entry point for runs through dispatch.
import * as status from '../../../lib/index.js';
import { configGet } from '../../../lib/hook-tools/index.js';
import { Container, ExecError, checkWorkload } from '../../../lib/pebble/index.js';

export const charm = {
  reconcile: async (): Promise<void> => {
    const web = new Container('web');
    const health = await checkWorkload(web);
    if (!health.reachable) return;
    const port = Number(await configGet('port'));
    status.add(new status.MaintenanceStatus('Configuring web'));
    await web.push('/etc/web/web.conf', `listen ${String(port)}\n`, {
      makeDirs: true,
      permissions: 0o640,
      user: 'web',
      group: 'web',
    });
    try {
      await web.exec(['web', '--check-config', '/etc/web/web.conf']);
    } catch (error) {
      if (!(error instanceof ExecError)) throw error;
      status.add(new status.BlockedStatus(`Bad configuration: ${error.stderr.trim()}`));
      return;
    }
    await web.addLayer(
      'web',
      {
        summary: 'web server',
        services: { web: { override: 'replace', command: `web --port ${String(port)}`, startup: 'enabled' } },
        checks: {
          ready: {
            override: 'replace',
            level: 'ready',
            http: { url: `http://localhost:${String(port)}/ready` },
          },
        },
      },
      { combine: true },
    );
    await web.replan();
  },
  options: {
    exitStatus: () => new status.ActiveStatus('Serving'),
    log: false,
  },
};
