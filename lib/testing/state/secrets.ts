// The secrets this unit owns or was granted: the declared shape, Juju's rules for their ids,
// keys and policies (core/secrets), and the model's record of them. A failed hook keeps none of
// its changes to them.

import { isPlainObject } from '../../options.js';
import type { SecretRotate } from '../../hook-tools/index.js';
import { SECRET_KEY, SECRET_ROTATE_POLICIES } from '../../juju/names.js';
import { secretIdOf } from '../tools/secrets.js';
import type { SecretRecord, World } from '../world.js';
import { arrayOf, keysIn, optional, stringMap, whole } from './checks.js';

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

/** @internal */
export const SECRETS = arrayOf<SimulatedSecret>(
  'an array of secrets such as { owner: "application", label: "db", content: { password: "…" } } (keys of 3 or more of a-z, 0-9 and "-")',
  secretOk,
);

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

/**
 * The declared secrets as the model holds them, each id once (a new one, in order, where none is
 * given).
 *
 * @internal
 */
export function secretsOf(declared: readonly SimulatedSecret[]): SecretRecord[] {
  const ids = new Set<string>();
  return declared.map((s, i) => {
    const id =
      s.id === undefined ? `${'0'.repeat(16)}${String(i).padStart(4, '0')}`.slice(-20) : secretIdOf(s.id);
    if (ids.has(id)) throw new TypeError(`create() secrets declares secret ${id} twice`);
    ids.add(id);
    return recordOfSecret(s, id);
  });
}

/**
 * The unit's secrets as `create()` takes them.
 *
 * @internal
 */
export function declaredSecrets(world: World): SimulatedSecret[] {
  return world.secrets.map((s) => {
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
  });
}
