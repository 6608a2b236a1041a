// The parts of the world a test declares beyond statuses, configuration and relations, one
// file each (ports, networks, secrets, storage, the credential; the workload version and
// resources are a string and a map): their public shapes, the rules that check them, and their
// conversion to and from the model's world. Whether a failed hook keeps each part is
// `FAILED_HOOK` in `world.ts`.

import { isPlainObject, rule } from '../../options.js';
import type { Metadata } from '../metadata.js';
import type { NetworkRecord, World } from '../world.js';
import { stringMap } from './checks.js';
import { CREDENTIAL, type SimulatedCredential, cloudSpec } from './credential.js';
import { type SimulatedNetwork, networkOk, recordOfNetwork } from './networks.js';
import { PORTS, type SimulatedPort, declaredPorts, recordOfPort } from './ports.js';
import { SECRETS, type SimulatedSecret, declaredSecrets, secretsOf } from './secrets.js';
import { STORAGE, type SimulatedStorage, declaredStorage, storageOf } from './storage.js';
import { CONTAINERS, type SimulatedContainer, containersOf, declaredContainer } from './containers.js';

export type { SimulatedCredential } from './credential.js';
export type { SimulatedInterface, SimulatedNetwork } from './networks.js';
export type { SimulatedPort } from './ports.js';
export type { SecretGrant, SimulatedSecret } from './secrets.js';
export type { SimulatedStorage } from './storage.js';
export type {
  SimulatedCheck,
  SimulatedContainer,
  SimulatedExec,
  SimulatedFile,
  SimulatedNotice,
} from './containers.js';

/** The world's declared parts, as `create()` takes them. */
export interface Declared {
  /** The ports the unit has open (`opened-ports`). */
  ports?: SimulatedPort[];
  /** The workload version it reports (`application-version-set`). */
  workloadVersion?: string;
  /** What `network-get` answers, by binding; any other declared binding gets 10.0.0.10. */
  networks?: Record<string, SimulatedNetwork>;
  /** The secrets it owns or was granted. */
  secrets?: SimulatedSecret[];
  /** The storage attached to it. */
  storage?: SimulatedStorage[];
  /** The path `resource-get` answers, by resource name. */
  resources?: Record<string, string>;
  /** The cloud `credential-get` answers; left out, the application is not trusted. */
  credential?: SimulatedCredential;
  /**
   * The workload containers of a Kubernetes charm, by name, each with its Pebble as the hook
   * finds it (held to the charm's `containers:`).
   */
  containers?: Record<string, SimulatedContainer>;
}

/**
 * The rules of the declared parts, for `create()`'s options table.
 *
 * @internal
 */
export const DECLARED_OPTIONS = {
  ports: PORTS,
  workloadVersion: rule<string>('a string', (v) => typeof v === 'string'),
  networks: rule<Record<string, SimulatedNetwork>>(
    'an object of binding names to { bindAddresses?, ingressAddresses?, egressSubnets? }',
    (v) => isPlainObject(v) && Object.values(v).every(networkOk),
  ),
  secrets: SECRETS,
  storage: STORAGE,
  resources: rule<Record<string, string>>('an object of resource names to file paths', stringMap),
  credential: CREDENTIAL,
  containers: CONTAINERS,
};

/**
 * The world's declared parts from options {@link DECLARED_OPTIONS} checked, held to the charm's metadata where it is
 * known (storage and resources it declares).
 *
 * @throws TypeError for what the tools would refuse or the charm does not declare.
 * @internal
 */
export function declaredWorld(
  declared: Declared,
  metadata: Metadata | undefined,
  storageRoot: string,
): Pick<
  World,
  | 'ports'
  | 'workloadVersion'
  | 'networks'
  | 'secrets'
  | 'storage'
  | 'resources'
  | 'credential'
  | 'containers'
  | 'storageTypes'
  | 'bindings'
> {
  const checked = declared;
  const storageTypes = metadata === undefined ? null : { ...metadata.storage };
  const storage = storageOf(checked.storage ?? [], storageTypes, metadata, storageRoot);
  const resources = { ...(checked.resources ?? {}) };
  for (const name of Object.keys(resources)) {
    if (metadata !== undefined && !metadata.resources.includes(name)) {
      throw new TypeError(
        `create() resources ${name} is not declared by the charm (${metadata.source} declares ${metadata.resources.join(', ') || 'no resources'})`,
      );
    }
  }
  const networks: Record<string, NetworkRecord> = {};
  for (const [binding, network] of Object.entries(checked.networks ?? {})) {
    networks[binding] = recordOfNetwork(network);
  }
  return {
    ports: (checked.ports ?? []).flatMap(recordOfPort),
    workloadVersion: checked.workloadVersion ?? '',
    networks,
    secrets: secretsOf(checked.secrets ?? []),
    storage,
    resources,
    credential: checked.credential === undefined ? null : cloudSpec(checked.credential),
    containers: containersOf(checked.containers ?? {}, metadata),
    storageTypes,
    bindings: metadata === undefined ? null : [...Object.keys(metadata.endpoints), ...metadata.extraBindings],
  };
}

/**
 * The declared parts of `world`, in the shape `create()` takes.
 *
 * @internal
 */
export function declaredOf(world: World, credential: SimulatedCredential | undefined): Declared {
  const networks: Record<string, SimulatedNetwork> = structuredClone(world.networks);
  return {
    ports: declaredPorts(world),
    workloadVersion: world.workloadVersion,
    networks,
    secrets: declaredSecrets(world),
    storage: declaredStorage(world),
    resources: { ...world.resources },
    ...(credential === undefined ? {} : { credential: structuredClone(credential) }),
    ...(Object.keys(world.containers).length === 0
      ? {}
      : {
          containers: Object.fromEntries(
            Object.entries(world.containers).map(([name, c]) => [name, declaredContainer(c)]),
          ),
        }),
  };
}
