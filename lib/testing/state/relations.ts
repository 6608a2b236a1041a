// Relations held to what the charm declares, as Juju holds them: an endpoint the charm does not
// declare is refused, a peer relation's remote side is this application's other units, and
// every peer endpoint has the relation Juju makes at deploy.

import type { Metadata } from '../metadata.js';

/**
 * Checks an endpoint a relation or relation hook names.
 *
 * @throws TypeError naming the declared endpoints.
 * @internal
 */
export function checkEndpoint(metadata: Metadata, endpoint: string, what: string): void {
  if (Object.hasOwn(metadata.endpoints, endpoint)) return;
  const declared = Object.entries(metadata.endpoints).map(([name, role]) => `${name} (${role})`);
  throw new TypeError(
    `${what}: endpoint ${endpoint} is not declared in ${metadata.source}: it declares ${declared.length === 0 ? 'no endpoints' : declared.join(', ')}`,
  );
}

/**
 * Holds a relation on a peer endpoint to what Juju makes of one: its remote application is this
 * application, and its remote units are this application's other units (relation-list never
 * lists this unit).
 *
 * @throws TypeError for another application, or this unit among the remote units.
 * @internal
 */
export function checkPeer(
  metadata: Metadata,
  relation: { endpoint: string; remoteApp: string; remoteUnits: Record<string, unknown> },
  given: { remoteApp?: string | undefined },
  unitName: string,
  what: string,
): void {
  if (!Object.hasOwn(metadata.endpoints, relation.endpoint)) return;
  if (metadata.endpoints[relation.endpoint] !== 'peers') return;
  const app = unitName.split('/')[0] ?? unitName;
  if (given.remoteApp !== undefined && given.remoteApp !== app) {
    throw new TypeError(
      `${what}: ${relation.endpoint} is a peer relation, whose remote application is this one (${app}), got remoteApp ${JSON.stringify(given.remoteApp)}`,
    );
  }
  for (const unit of Object.keys(relation.remoteUnits)) {
    if (unit === unitName || unit.split('/')[0] !== app) {
      throw new TypeError(
        `${what}: ${relation.endpoint} is a peer relation, whose remote units are the other units of ${app} (such as "${app}/1"), got ${JSON.stringify(unit)}`,
      );
    }
  }
  relation.remoteApp = app;
}

/**
 * A relation on each of the charm's peer endpoints that `relations` has none on: Juju makes
 * one for each when it deploys the application, so that every hook finds it. Each takes the
 * lowest id no relation has, from 0, as the first relations of a new model do (Juju numbers a
 * model's relations from 0), so that `database:1` stays free for the relation a test adds.
 *
 * @internal
 */
export function missingPeers(
  metadata: Metadata,
  relations: readonly { endpoint: string; id?: number | undefined }[],
  app: string,
): { endpoint: string; id: number; remoteApp: string }[] {
  const used = new Set(relations.map((r) => r.id));
  let id = 0;
  return Object.entries(metadata.endpoints)
    .filter(([name, role]) => role === 'peers' && !relations.some((r) => r.endpoint === name))
    .map(([endpoint]) => {
      while (used.has(id)) id += 1;
      used.add(id);
      return { endpoint, id, remoteApp: app };
    });
}
