// Model-based property test: random programs of nested contexts, adds of every kind, onError
// blocks that throw matching or other errors, and try/catch, run against the library and
// against a small reference model of the rules (written from SPEC.md, in the Python
// original's synchronous terms). Every unit write, every warning and the program's outcome
// must be the same. fast-check prints the seed and path of any failure; FC_SEED=<seed>
// replays one.
import { expect } from 'chai';
import fc from 'fast-check';

import { StatusBase, StatusBus, type SettableStatusName, type Unit } from '../../lib/index.js';

type Name = SettableStatusName;
interface Status {
  readonly name: Name;
  readonly message: string;
}
type Op =
  | { readonly op: 'add'; readonly status: Status }
  | {
      readonly op: 'context';
      readonly exit: Status | null;
      readonly error: Status | null;
      readonly body: readonly Op[];
    }
  | {
      readonly op: 'onError';
      readonly status: Status;
      readonly catches: 'all' | 'match' | 'other';
      readonly body: readonly Op[];
    }
  | { readonly op: 'throw'; readonly kind: 'match' | 'other' }
  | { readonly op: 'try'; readonly body: readonly Op[] }
  | { readonly op: 'await' };

class Match extends Error {}
class Other extends Error {}

/** What a program ends with: normally, or the kind and message of what it threw. */
type Outcome = { kind: 'returned' } | { kind: 'match' | 'other' | 'reconciler'; message: string };

interface Trace {
  writes: string[];
  warnings: string[];
  outcome: Outcome;
}

const text = (s: Status): string => (s.message === '' ? s.name : `${s.name}: ${s.message}`);

// ---------------------------------------------------------------------------------------
// The reference model: one stack of contexts, everything synchronous, as in the original.

class ModelReconciler extends Error {}

function model(program: readonly Op[]): Trace {
  const writes: string[] = [];
  const warnings: string[] = [];
  const stack: { id: number; blocked?: Status; waiting?: Status }[] = [];
  let units = 0;
  let thrown = 0;

  const add = (status: Status): void => {
    if (stack.length === 0) {
      warnings.push(`outside: ${text(status)}`);
      return;
    }
    for (const context of stack) {
      if (status.name === 'blocked') context.blocked ??= status;
      else if (status.name === 'waiting') context.waiting ??= status;
      else writes.push(`${String(context.id)} ${text(status)}`);
    }
  };

  const run = (ops: readonly Op[]): void => {
    for (const op of ops) {
      switch (op.op) {
        case 'add':
          add(op.status);
          break;
        case 'await':
          break;
        case 'throw':
          thrown += 1;
          throw op.kind === 'match'
            ? new Match(`match ${String(thrown)}`)
            : new Other(`other ${String(thrown)}`);
        case 'try':
          try {
            run(op.body);
          } catch {
            // swallowed, as the program asked
          }
          break;
        case 'context': {
          const context = { id: (units += 1) };
          if (stack.length > 0) warnings.push('nested');
          stack.push(context);
          let failure: { error: unknown } | undefined;
          try {
            run(op.body);
          } catch (error) {
            failure = { error };
          }
          stack.splice(stack.indexOf(context), 1);
          const ctx = context as { id: number; blocked?: Status; waiting?: Status };
          const final =
            ctx.blocked ??
            ctx.waiting ??
            (failure !== undefined && op.error !== null
              ? op.error
              : (op.exit ?? { name: 'active', message: 'Ready' }));
          writes.push(`${String(context.id)} ${text(final)}`);
          if (failure !== undefined) throw failure.error;
          break;
        }
        case 'onError':
          try {
            run(op.body);
          } catch (error) {
            const matches =
              op.catches === 'all' ||
              (op.catches === 'match' ? error instanceof Match : error instanceof Other);
            if (!matches) throw error;
            add(op.status);
            throw new ModelReconciler(`Found expected exception: ${(error as Error).message}`);
          }
          break;
      }
    }
  };

  let outcome: Outcome = { kind: 'returned' };
  try {
    run(program);
  } catch (error) {
    outcome = {
      kind: error instanceof ModelReconciler ? 'reconciler' : error instanceof Match ? 'match' : 'other',
      message: (error as Error).message,
    };
  }
  return { writes, warnings, outcome };
}

// ---------------------------------------------------------------------------------------
// The library, running the same program: async bodies, awaits, a fresh bus.

async function library(program: readonly Op[]): Promise<Trace> {
  const bus = new StatusBus();
  const writes: string[] = [];
  const warnings: string[] = [];
  bus.on('warning', (message) => {
    const outside = 'could not add status outside of a status context: ';
    if (message.startsWith(outside)) warnings.push(`outside: ${message.slice(outside.length)}`);
    else if (message.startsWith('already in a status context')) warnings.push('nested');
    else warnings.push(`unexpected: ${message}`);
  });
  let units = 0;
  let thrown = 0;
  const status = (s: Status): StatusBase => StatusBase.fromName(s.name, s.message);

  const run = async (ops: readonly Op[]): Promise<void> => {
    for (const op of ops) {
      switch (op.op) {
        case 'add':
          bus.add(status(op.status));
          break;
        case 'await':
          await new Promise((resolve) => setImmediate(resolve));
          break;
        case 'throw':
          thrown += 1;
          throw op.kind === 'match'
            ? new Match(`match ${String(thrown)}`)
            : new Other(`other ${String(thrown)}`);
        case 'try':
          try {
            await run(op.body);
          } catch {
            // swallowed, as the program asked
          }
          break;
        case 'context': {
          const id = (units += 1);
          const unit: Unit = {
            setStatus: (s) => {
              writes.push(`${String(id)} ${String(s)}`);
            },
          };
          await bus.context(unit, () => run(op.body), {
            ...(op.exit === null ? {} : { exitStatus: status(op.exit) }),
            ...(op.error === null ? {} : { errorStatus: status(op.error) }),
          });
          break;
        }
        case 'onError': {
          const types = op.catches === 'all' ? [] : [op.catches === 'match' ? Match : Other];
          await bus.onError(status(op.status), ...types)(() => run(op.body))();
          break;
        }
      }
    }
  };

  let outcome: Outcome = { kind: 'returned' };
  try {
    await run(program);
  } catch (error) {
    const kind =
      (error as Error).name === 'ReconcilerError' ? 'reconciler' : error instanceof Match ? 'match' : 'other';
    outcome = { kind, message: (error as Error).message };
  }
  return { writes, warnings, outcome };
}

// ---------------------------------------------------------------------------------------
// Programs.

const statusArb: fc.Arbitrary<Status> = fc.record({
  name: fc.constantFrom<Name>('active', 'blocked', 'maintenance', 'waiting'),
  message: fc.constantFrom('', 'a', 'b', 'c'),
});

const { program } = fc.letrec<{ program: readonly Op[]; op: Op }>((tie) => ({
  program: fc.array(tie('op'), { maxLength: 6 }),
  op: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ op: fc.constant('add' as const), status: statusArb }),
    fc.record({ op: fc.constant('add' as const), status: statusArb }),
    fc.record({ op: fc.constant('await' as const) }),
    fc.record({
      op: fc.constant('throw' as const),
      kind: fc.constantFrom('match' as const, 'other' as const),
    }),
    fc.record({ op: fc.constant('try' as const), body: tie('program') }),
    fc.record({
      op: fc.constant('context' as const),
      exit: fc.option(statusArb, { nil: null }),
      error: fc.option(statusArb, { nil: null }),
      body: tie('program'),
    }),
    fc.record({
      op: fc.constant('onError' as const),
      status: statusArb,
      catches: fc.constantFrom('all' as const, 'match' as const, 'other' as const),
      body: tie('program'),
    }),
  ),
}));

describe('the library against a reference model of the rules (property-based)', function () {
  this.timeout(120_000);

  it('makes the same unit writes and warnings, and ends the same way, for 1,000 random programs', async () => {
    const seed = process.env.FC_SEED === undefined ? {} : { seed: Number(process.env.FC_SEED) };
    await fc.assert(
      fc.asyncProperty(program, async (ops) => {
        const expected = model(ops);
        const actual = await library(ops);
        expect(actual).to.deep.equal(expected);
      }),
      { numRuns: 1000, ...seed },
    );
  });

  it('the model is not vacuous: the programs reach nesting, every outcome, and failures', () => {
    const samples = fc.sample(program, { numRuns: 500, seed: 42 });
    const traces = samples.map(model);
    expect(traces.some((t) => t.warnings.includes('nested'))).to.equal(true);
    expect(traces.some((t) => t.warnings.some((w) => w.startsWith('outside')))).to.equal(true);
    for (const kind of ['returned', 'match', 'other', 'reconciler']) {
      expect(
        traces.some((t) => t.outcome.kind === kind),
        kind,
      ).to.equal(true);
    }
    expect(traces.some((t) => t.writes.some((w) => w.includes(' blocked')))).to.equal(true);
  });
});
