// The figures a benchmark run collects, and the table they print as: median, min, max, the
// target beside each, and whether it was met. Targets are shown, never asserted: the run
// never fails on time.

export interface Figure {
  readonly section: string;
  readonly name: string;
  readonly unit: string;
  readonly samples: number[];
  readonly target?: string;
  /** The target as a number: met when the median is at most this (below it, with `strict`). */
  readonly limit?: number;
  readonly strict?: boolean;
  /** A figure to read beside it, such as the Python original's. */
  readonly compare?: string;
}

const figures = new Map<string, Figure>();

export function record(
  section: string,
  name: string,
  unit: string,
  value: number,
  extra: Partial<Figure> = {},
): void {
  const figure = figures.get(name) ?? { section, name, unit, samples: [], ...extra };
  figure.samples.push(value);
  figures.set(name, figure);
}

/** A figure this machine cannot measure, and why, so that the table says so. */
export function unmeasured(section: string, name: string, why: string, extra: Partial<Figure> = {}): void {
  figures.set(name, { section, name, unit: '', samples: [], ...extra, compare: why });
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

const fmt = (value: number): string =>
  Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);

/** Prints every figure, by section, and a JSON line with the samples. */
export function report(title: string, quick: boolean): void {
  const header = ['figure', 'median', 'min', 'max', 'target', 'met', 'for comparison'];
  const rows = [...figures.values()].map((f) => {
    const med = median(f.samples);
    // A figure this machine could not measure says so, and is neither met nor missed.
    if (f.samples.length === 0)
      return {
        section: f.section,
        cells: [f.name, 'not measured', '', '', f.target ?? '', '', f.compare ?? ''],
      };
    const met =
      f.limit === undefined || quick
        ? ''
        : (f.strict === true ? med < f.limit : med <= f.limit)
          ? 'yes'
          : 'NO';
    return {
      section: f.section,
      cells: [
        f.name,
        `${fmt(med)} ${f.unit}`,
        fmt(Math.min(...f.samples)),
        fmt(Math.max(...f.samples)),
        f.target ?? '',
        met,
        f.compare ?? '',
      ],
    };
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r.cells[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  console.log(`${title}\n`);
  console.log(line(header));
  let section = '';
  for (const row of rows) {
    if (row.section !== section) {
      section = row.section;
      console.log(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n${section}`);
    }
    console.log(line(row.cells));
  }
  console.log(
    JSON.stringify({
      benchmark: 'charms-contextual-status',
      quick,
      node: process.version,
      figures: Object.fromEntries(
        [...figures.values()].map((f) => [
          f.name,
          {
            section: f.section,
            unit: f.unit,
            median: median(f.samples),
            samples: f.samples,
            target: f.target ?? null,
          },
        ]),
      ),
    }),
  );
}
