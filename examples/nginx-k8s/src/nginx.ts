// nginx in its workload container, driven through Pebble: its configuration and page pushed,
// the configuration checked with `nginx -t`, a layer with the service and a ready check, and
// replan. Like a library, it reports what it finds on the status bus and knows nothing of units.
import * as status from 'charms-contextual-status';
import { type Container, ExecError, type Layer } from 'charms-contextual-status/pebble';

/** What nginx is set up with: the charm's configuration. */
export interface Site {
  readonly port: number;
  readonly title: string;
}

/** The layer of the nginx service and its ready check, for a site. */
export function layerOf(site: Site): Layer {
  return {
    summary: 'nginx, configured by the charm',
    services: {
      nginx: {
        override: 'replace',
        summary: 'nginx',
        command: "nginx -g 'daemon off;'",
        startup: 'enabled',
      },
    },
    checks: {
      ready: {
        override: 'replace',
        level: 'ready',
        http: { url: `http://localhost:${String(site.port)}/` },
      },
    },
  };
}

function configOf(site: Site): string {
  return `server {\n    listen ${String(site.port)};\n    root /usr/share/nginx/html;\n}\n`;
}

function escaped(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);
}

/**
 * Configures nginx for `site` and (re)starts it when its plan changed; whether it did. A
 * configuration nginx refuses is Blocked, with nginx's own words.
 */
export async function configure(nginx: Container, site: Site): Promise<boolean> {
  status.add(new status.MaintenanceStatus(`Configuring nginx on :${String(site.port)}`));
  await nginx.push('/usr/share/nginx/html/index.html', `<h1>${escaped(site.title)}</h1>\n`, {
    makeDirs: true,
  });
  await nginx.push('/etc/nginx/conf.d/default.conf', configOf(site), { makeDirs: true });
  try {
    await nginx.exec(['nginx', '-t']);
  } catch (error) {
    if (!(error instanceof ExecError)) throw error;
    const why = error.stderr.trim().split('\n').at(-1) ?? `exit ${String(error.exitCode)}`;
    status.add(new status.BlockedStatus(`nginx refuses its configuration: ${why}`));
    return false;
  }
  await nginx.addLayer('nginx', layerOf(site), { combine: true });
  await nginx.replan();
  return true;
}
