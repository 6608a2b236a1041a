// Juju's rules for the names and words its hook tools take, written once for the hook-tools
// entry (refused before a tool runs) and the simulator (refused as Juju's tools refuse them).

/** An application name (juju/names `IsValidApplication`), such as `postgresql`. */
export const APPLICATION = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*$/;

/** A unit name (juju/names `IsValidUnit`), such as `postgresql/0`. */
export const UNIT = /^[a-z][a-z0-9]*(?:-[a-z0-9]*[a-z][a-z0-9]*)*\/\d+$/;

/** A charm storage name, such as `data`. */
export const STORAGE_NAME = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

/** A storage instance id (juju/names `IsValidStorage`), such as `data/0`. */
export const STORAGE_ID = /^[a-z](?:[a-z0-9-]*[a-z0-9])?\/\d+$/;

/**
 * One key of an action result (action-set.go's keyRule, charm's action name rule), after
 * action-set splits `a.b.c=value` at its periods: lowercase alphanumerics and hyphens, starting
 * and ending with an alphanumeric.
 */
export const ACTION_RESULT_KEY = /^[a-z0-9](?:[a-z0-9-.]*[a-z0-9])?$/;

/** The action result keys Juju keeps for itself (action-set.go's reservedKeys). */
export const RESERVED_ACTION_KEYS: readonly string[] = [
  'stdout',
  'stdout-encoding',
  'stderr',
  'stderr-encoding',
];

/** A secret content key (core/secrets `keyRegExp`): 3 or more of a-z, 0-9 and single `-`. */
export const SECRET_KEY = /^[a-z](?:-?[a-z0-9]){2,}$/;

/** A secret's id: a 20-character xid in Go's base32 "hex" alphabet (core/secrets). */
export const SECRET_XID = /^[0-9a-v]{20}$/;

/** A model UUID, as a secret URI may carry it (core/secrets `ParseURI`). */
/** A relation id as Juju prints it, `<endpoint>:<number>`: the endpoint and the number. */
export const RELATION_ID = /^([a-z][a-z0-9-]*):(\d+)$/;

export const MODEL_UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/;

/** The rotation policies Juju knows (core/secrets/rotate.go `IsValid`). */
export const SECRET_ROTATE_POLICIES = [
  'never',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
] as const;

/**
 * The bare id of a secret named as core/secrets `ParseURI` reads it: `secret:<id>`,
 * `secret://<model uuid>/<id>` or `<id>`; `undefined` for anything else.
 */
export function secretXidOf(given: string): string | undefined {
  let rest = given;
  if (rest.startsWith('secret://')) {
    const [uuid = '', id = '', ...more] = rest.slice('secret://'.length).split('/');
    if (!MODEL_UUID.test(uuid) || more.length > 0) return undefined;
    rest = id;
  } else if (rest.startsWith('secret:')) {
    rest = rest.slice('secret:'.length);
  }
  return SECRET_XID.test(rest) ? rest : undefined;
}
