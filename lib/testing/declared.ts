// The parts of the world a test declares beyond statuses, configuration and relations: ports,
// the workload version, networks, secrets, storage, resources and the cloud credential. Each
// has its public shape here (what `create()` takes and `run.after` gives back), the rule that
// checks it, and its conversion to and from the model's world.

import { type Rule, isPlainObject, rule } from '../options.js';
import type { Address, CloudSpec, SecretRotate } from '../hook-tools/index.js';
import { SECRET_KEY, SECRET_ROTATE_POLICIES, STORAGE_NAME } from '../juju/names.js';
import type { Metadata } from './metadata.js';
import { parsePortRange } from './tools/ports.js';
import { secretIdOf } from './tools/secrets.js';
import { ToolExit } from './tools/tool.js';
import type { NetworkRecord, PortRecord, SecretRecord, StorageRecord, World } from './world.js';

/** A port range the unit has open, as `openedPorts()` answers it. */
export interface SimulatedPort {
  /** `'tcp'`, `'udp'` or `'icmp'`. */
  protocol: 'tcp' | 'udp' | 'icmp';
  /** The port, or the first of a range (none for icmp). */
  port?: number;
  /** The last port of a range. */
  toPort?: number;
  /** The endpoints it is open for (default: all of them). */
  endpoints?: string[];
}

/**
 * What `network-get` answers for a binding (an endpoint or an extra binding), in the shape
 * `networkGet()` answers it; what is left out is empty.
 */
export interface SimulatedNetwork {
  /** The interfaces and their addresses. */
  bindAddresses?: SimulatedInterface[];
  /** The addresses to advertise. */
  ingressAddresses?: string[];
  /** The subnets traffic comes from. */
  egressSubnets?: string[];
}

/** An interface, in {@link SimulatedNetwork}. */
export interface SimulatedInterface {
  /** Its MAC address. */
  macAddress?: string;
  /** Its name, such as `'eth0'`. */
  interfaceName?: string;
  /** Its addresses: `value`, and the `hostname` and `cidr` where there are. */
  addresses?: Partial<Address>[];
}

/** A secret this unit owns, or one another application granted it. */
export interface SimulatedSecret {
  /** `secret:<id>` or the bare 20-character id (default: a new one). */
  id?: string;
  /** Who owns it: this `'application'` or this `'unit'`; left out, another application's. */
  owner?: 'application' | 'unit';
  /** The owner's label, or this unit's label for a granted secret. */
  label?: string;
  /** Its description. */
  description?: string;
  /** When it expires (RFC 3339). */
  expire?: string;
  /** Its rotation policy. */
  rotate?: SecretRotate;
  /** The content of its latest revision. */
  content: Record<string, string>;
  /** The number of its latest revision (default 1). */
  revision?: number;
  /** The content of its earlier revisions, by number. */
  revisions?: Record<string, Record<string, string>>;
  /** The revision this unit reads (default: none yet, so its first read takes the latest). */
  tracked?: number;
  /** Who it was granted to, on which relation: an application or a unit name. */
  grants?: SecretGrant[];
}

/** A grant of a secret, in {@link SimulatedSecret}. */
export interface SecretGrant {
  /** The relation's id (`database:3` has 3). */
  relation: number;
  /** The application or unit granted it, such as `'postgresql'` or `'postgresql/0'`. */
  target: string;
}

/** A storage instance attached to the unit, such as `data/0`. */
export interface SimulatedStorage {
  /** The charm's storage name, such as `'data'`. */
  name: string;
  /** The instance number (default: the next free one from 0). */
  index?: number;
  /** `'filesystem'` or `'block'` (default: as the charm declares it, else filesystem). */
  kind?: 'filesystem' | 'block';
  /** Where it is mounted (default: the charm's location, else one of Juju's). */
  location?: string;
}

/** The cloud `credential-get` describes, as `credentialGet()` answers it. */
export type SimulatedCredential = CloudSpec;

/** The declarations this file keeps, as `create()` takes them. */
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
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const stringMap = (v: unknown): v is Record<string, string> =>
  isPlainObject(v) && Object.values(v).every((x) => typeof x === 'string');
const optional = (v: unknown, test: (x: unknown) => boolean): boolean => v === undefined || test(v);
const keysIn = (v: Record<string, unknown>, keys: readonly string[]): boolean =>
  Object.keys(v).every((k) => keys.includes(k));
const whole = (v: unknown, min: number): boolean => typeof v === 'number' && Number.isInteger(v) && v >= min;

function portOk(v: unknown): boolean {
  if (!isPlainObject(v) || !keysIn(v, ['protocol', 'port', 'toPort', 'endpoints'])) return false;
  if (!optional(v.endpoints, strings) || typeof v.protocol !== 'string') return false;
  if (!optional(v.port, (x) => Number.isInteger(x)) || !optional(v.toPort, (x) => Number.isInteger(x)))
    return false;
  if (v.toPort !== undefined && v.port === undefined) return false;
  try {
    recordOfPort(v as unknown as SimulatedPort);
    return true;
  } catch {
    return false;
  }
}

function networkOk(v: unknown): boolean {
  if (!isPlainObject(v) || !keysIn(v, ['bindAddresses', 'ingressAddresses', 'egressSubnets'])) return false;
  const bind = v.bindAddresses;
  const addressOk = (a: unknown): boolean =>
    isPlainObject(a) &&
    keysIn(a, ['hostname', 'value', 'cidr']) &&
    typeof a.value === 'string' &&
    optional(a.hostname, (x) => typeof x === 'string') &&
    optional(a.cidr, (x) => typeof x === 'string');
  const bindOk = (b: unknown): boolean =>
    isPlainObject(b) &&
    keysIn(b, ['macAddress', 'interfaceName', 'addresses']) &&
    optional(b.macAddress, (x) => typeof x === 'string') &&
    optional(b.interfaceName, (x) => typeof x === 'string') &&
    optional(b.addresses, (x) => Array.isArray(x) && x.every(addressOk));
  return (
    optional(bind, (x) => Array.isArray(x) && x.every(bindOk)) &&
    optional(v.ingressAddresses, strings) &&
    optional(v.egressSubnets, strings)
  );
}

const ROTATE: readonly unknown[] = SECRET_ROTATE_POLICIES;
const contentOk = (v: unknown): boolean =>
  stringMap(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => SECRET_KEY.test(k));

function secretOk(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const keys = [
    'id',
    'owner',
    'label',
    'description',
    'expire',
    'rotate',
    'content',
    'revision',
    'revisions',
    'tracked',
    'grants',
  ];
  if (!keysIn(v, keys) || !contentOk(v.content)) return false;
  if (v.id !== undefined) {
    if (typeof v.id !== 'string') return false;
    try {
      secretIdOf(v.id);
    } catch {
      return false;
    }
  }
  const revision = v.revision ?? 1;
  return (
    optional(v.owner, (x) => x === 'application' || x === 'unit') &&
    optional(v.label, (x) => typeof x === 'string' && x !== '') &&
    optional(v.description, (x) => typeof x === 'string') &&
    optional(v.expire, (x) => typeof x === 'string' && !Number.isNaN(Date.parse(x))) &&
    optional(v.rotate, (x) => ROTATE.includes(x)) &&
    whole(revision, 1) &&
    optional(
      v.revisions,
      (x) =>
        isPlainObject(x) &&
        Object.entries(x).every(
          ([n, c]) => /^\d+$/.test(n) && Number(n) >= 1 && Number(n) < (revision as number) && contentOk(c),
        ),
    ) &&
    optional(v.tracked, (x) => whole(x, 1) && (x as number) <= (revision as number)) &&
    optional(
      v.grants,
      (x) =>
        Array.isArray(x) &&
        x.every((g: unknown) => isPlainObject(g) && whole(g.relation, 0) && typeof g.target === 'string'),
    )
  );
}

const storageOk = (v: unknown): boolean =>
  isPlainObject(v) &&
  keysIn(v, ['name', 'index', 'kind', 'location']) &&
  typeof v.name === 'string' &&
  STORAGE_NAME.test(v.name) &&
  optional(v.index, (x) => whole(x, 0)) &&
  optional(v.kind, (x) => x === 'filesystem' || x === 'block') &&
  optional(v.location, (x) => typeof x === 'string' && x !== '');

const credentialOk = (v: unknown): boolean =>
  isPlainObject(v) &&
  keysIn(v, [
    'type',
    'name',
    'region',
    'endpoint',
    'identityEndpoint',
    'storageEndpoint',
    'credential',
    'caCertificates',
    'skipTlsVerify',
    'isControllerCloud',
  ]) &&
  typeof v.type === 'string' &&
  typeof v.name === 'string' &&
  ['region', 'endpoint', 'identityEndpoint', 'storageEndpoint'].every((k) =>
    optional(v[k], (x) => typeof x === 'string'),
  ) &&
  optional(
    v.credential,
    (c) =>
      isPlainObject(c) &&
      keysIn(c, ['authType', 'attributes', 'redacted']) &&
      typeof c.authType === 'string' &&
      stringMap(c.attributes) &&
      optional(c.redacted, strings),
  ) &&
  optional(v.caCertificates, strings) &&
  optional(v.skipTlsVerify, (x) => typeof x === 'boolean') &&
  optional(v.isControllerCloud, (x) => typeof x === 'boolean');

const arrayOf = <T>(accepts: string, test: (v: unknown) => boolean): Rule<T[]> =>
  rule(accepts, (v) => Array.isArray(v) && v.every(test));

/**
 * The rules of the declarations this file keeps, for `create()`'s options table.
 *
 * @internal
 */
export const DECLARED_OPTIONS = {
  ports: arrayOf<SimulatedPort>(
    'an array of port ranges such as { protocol: "tcp", port: 8080 } (ports 0 to 65535; icmp has none)',
    portOk,
  ),
  workloadVersion: rule<string>('a string', (v) => typeof v === 'string'),
  networks: rule<Record<string, SimulatedNetwork>>(
    'an object of binding names to { bindAddresses?, ingressAddresses?, egressSubnets? }',
    (v) => isPlainObject(v) && Object.values(v).every(networkOk),
  ),
  secrets: arrayOf<SimulatedSecret>(
    'an array of secrets such as { owner: "application", label: "db", content: { password: "…" } } (keys of 3 or more of a-z, 0-9 and "-")',
    secretOk,
  ),
  storage: arrayOf<SimulatedStorage>('an array of storage instances such as { name: "data" }', storageOk),
  resources: rule<Record<string, string>>('an object of resource names to file paths', stringMap),
  credential: rule<SimulatedCredential>(
    'a cloud such as { type: "lxd", name: "localhost", credential: { authType: "certificate", attributes: {} } }',
    credentialOk,
  ),
};

/** A declared port as the model holds it, one record per endpoint. */
function recordOfPort(p: SimulatedPort): PortRecord[] {
  const text =
    p.protocol === 'icmp' && p.port === undefined
      ? 'icmp'
      : `${p.port === undefined ? '' : String(p.port)}${p.toPort === undefined ? '' : `-${String(p.toPort)}`}/${p.protocol}`;
  let range;
  try {
    range = parsePortRange(text);
  } catch (error) {
    throw new TypeError(`port ${text}: ${error instanceof ToolExit ? error.message : String(error)}`);
  }
  return (p.endpoints ?? ['']).map((endpoint) => ({ endpoint, ...range }));
}

function recordOfNetwork(n: SimulatedNetwork): NetworkRecord {
  return {
    bindAddresses: (n.bindAddresses ?? []).map((b) => ({
      macAddress: b.macAddress ?? '',
      interfaceName: b.interfaceName ?? '',
      addresses: (b.addresses ?? []).map((a) => ({
        hostname: a.hostname ?? '',
        value: a.value ?? '',
        cidr: a.cidr ?? '',
      })),
    })),
    ingressAddresses: [...(n.ingressAddresses ?? [])],
    egressSubnets: [...(n.egressSubnets ?? [])],
  };
}

function recordOfSecret(s: SimulatedSecret, id: string): SecretRecord {
  const latest = s.revision ?? 1;
  return {
    id,
    owner: s.owner ?? null,
    ...(s.label === undefined ? {} : { label: s.label }),
    ...(s.description === undefined ? {} : { description: s.description }),
    ...(s.expire === undefined ? {} : { expire: new Date(s.expire).toISOString().replace(/\.\d{3}Z$/, 'Z') }),
    ...(s.rotate === undefined ? {} : { rotate: s.rotate }),
    revisions: { ...structuredClone(s.revisions ?? {}), [String(latest)]: { ...s.content } },
    latest,
    ...(s.tracked === undefined ? {} : { tracked: s.tracked }),
    grants: (s.grants ?? []).map((g) => ({ ...g })),
  };
}

/** Juju's JSON of a cloud spec (params.CloudSpec), from its camelCase form. */
function cloudSpec(c: SimulatedCredential): Record<string, unknown> {
  return {
    type: c.type,
    name: c.name,
    ...(c.region === undefined ? {} : { region: c.region }),
    ...(c.endpoint === undefined ? {} : { endpoint: c.endpoint }),
    ...(c.identityEndpoint === undefined ? {} : { 'identity-endpoint': c.identityEndpoint }),
    ...(c.storageEndpoint === undefined ? {} : { 'storage-endpoint': c.storageEndpoint }),
    ...(c.credential === undefined
      ? {}
      : {
          credential: {
            'auth-type': c.credential.authType,
            attrs: { ...c.credential.attributes },
            ...(c.credential.redacted === undefined ? {} : { redacted: [...c.credential.redacted] }),
          },
        }),
    ...(c.caCertificates === undefined ? {} : { cacertificates: [...c.caCertificates] }),
    ...(c.skipTlsVerify === undefined ? {} : { 'skip-tls-verify': c.skipTlsVerify }),
    ...(c.isControllerCloud === undefined ? {} : { 'is-controller-cloud': c.isControllerCloud }),
  };
}

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
  | 'storageTypes'
  | 'bindings'
> {
  const checked = declared;
  const ids = new Set<string>();
  const secrets = (checked.secrets ?? []).map((s, i) => {
    const id =
      s.id === undefined ? `${'0'.repeat(16)}${String(i).padStart(4, '0')}`.slice(-20) : secretIdOf(s.id);
    if (ids.has(id)) throw new TypeError(`create() secrets declares secret ${id} twice`);
    ids.add(id);
    return recordOfSecret(s, id);
  });
  const storageTypes = metadata === undefined ? null : { ...metadata.storage };
  const next = new Map<string, number>();
  const storage: StorageRecord[] = [];
  for (const s of checked.storage ?? []) {
    if (storageTypes !== null && !Object.hasOwn(storageTypes, s.name)) {
      throw new TypeError(
        `create() storage ${s.name} is not declared by the charm (${metadata?.source ?? ''} declares ${Object.keys(storageTypes).join(', ') || 'no storage'})`,
      );
    }
    const index = s.index ?? next.get(s.name) ?? 0;
    if (storage.some((x) => x.name === s.name && x.index === index)) {
      throw new TypeError(`create() storage declares ${s.name}/${String(index)} twice`);
    }
    next.set(s.name, Math.max(next.get(s.name) ?? 0, index + 1));
    const type = storageTypes?.[s.name];
    storage.push({
      name: s.name,
      index,
      kind: s.kind ?? type?.type ?? 'filesystem',
      location: s.location ?? `${storageRoot}/${s.name}/${String(index)}`,
    });
  }
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
    secrets,
    storage,
    resources,
    credential: checked.credential === undefined ? null : cloudSpec(checked.credential),
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
  // One entry per range open for all endpoints, and one per range listing the endpoints it is
  // open for.
  const ports: SimulatedPort[] = [];
  const byRange = new Map<string, SimulatedPort>();
  for (const p of world.ports) {
    const range: SimulatedPort = {
      protocol: p.protocol as SimulatedPort['protocol'],
      ...(p.protocol === 'icmp' ? {} : { port: p.from }),
      ...(p.protocol === 'icmp' || p.from === p.to ? {} : { toPort: p.to }),
    };
    if (p.endpoint === '') {
      ports.push(range);
      continue;
    }
    const key = `${p.protocol}:${String(p.from)}:${String(p.to)}`;
    const entry = byRange.get(key);
    if (entry === undefined) {
      const added = { ...range, endpoints: [p.endpoint] };
      byRange.set(key, added);
      ports.push(added);
    } else {
      entry.endpoints?.push(p.endpoint);
    }
  }
  const networks: Record<string, SimulatedNetwork> = structuredClone(world.networks);
  return {
    ports,
    workloadVersion: world.workloadVersion,
    networks,
    secrets: world.secrets.map((s) => {
      const { [String(s.latest)]: content = {}, ...revisions } = s.revisions;
      return {
        id: `secret:${s.id}`,
        ...(s.owner === null ? {} : { owner: s.owner }),
        ...(s.label === undefined ? {} : { label: s.label }),
        ...(s.description === undefined ? {} : { description: s.description }),
        ...(s.expire === undefined ? {} : { expire: s.expire }),
        ...(s.rotate === undefined ? {} : { rotate: s.rotate as NonNullable<SimulatedSecret['rotate']> }),
        content: { ...content },
        revision: s.latest,
        ...(Object.keys(revisions).length === 0 ? {} : { revisions: structuredClone(revisions) }),
        ...(s.tracked === undefined ? {} : { tracked: s.tracked }),
        ...(s.grants.length === 0 ? {} : { grants: s.grants.map((g) => ({ ...g })) }),
      };
    }),
    // A location in this simulator's own storage folder is its default, not the test's: the
    // next simulator made from run.after puts the instance in a folder of its own.
    storage: world.storage.map((s) => ({
      name: s.name,
      index: s.index,
      kind: s.kind as 'filesystem' | 'block',
      ...(s.location.startsWith(`${world.storageRoot}/`) ? {} : { location: s.location }),
    })),
    resources: { ...world.resources },
    ...(credential === undefined ? {} : { credential: structuredClone(credential) }),
  };
}
