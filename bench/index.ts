// `npm run bench`: what charms-contextual-status costs, from a single add() to a whole hook,
// each figure beside what it is compared with, measured in one run of the built package
// (dist/, as users run it). Targets are shown beside the figures, never asserted: these
// machines are shared and noisy, and no run fails on time. `--quick` runs every case once at
// small sizes, so CI can keep the benchmark from rotting.
import { limitAlone, retained, round, scaling } from './core.js';
import { report } from './figures.js';
import { harness } from './harness.js';
import { hooks } from './hooks.js';
import { imports } from './imports.js';
import { burst, quietUpdateStatus, tools } from './juju.js';
import { pebble } from './pebble.js';

const quick = process.argv.includes('--quick');

const rounds = quick ? 1 : 9;
limitAlone(quick ? 10_000 : 2_000_000);
for (let r = 0; r < rounds; r += 1) await round(quick ? 10_000 : 2_000_000, quick ? 1_000 : 100_000);
await scaling(quick ? 1_000 : 10_000, quick ? 10_000 : 100_000, quick ? 1 : 5);
await retained(quick ? 10_000 : 1_000_000);
await tools();
await burst();
await quietUpdateStatus();
await hooks(quick ? 2 : 15);
await imports(quick ? 2 : 15);
await harness(quick ? 2 : 20);
await pebble(quick ? 2 : 20);

report(
  `charms-contextual-status benchmark (${
    quick
      ? 'quick: one cold round at small sizes, so the figures mean nothing; it only proves the benchmark runs'
      : `${String(rounds)} interleaved rounds of the hot path`
  }; Node ${process.version})`,
  quick,
);
