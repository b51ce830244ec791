import type { BenchReport } from './bench-report.js';

const figure = (value: number | null): string =>
  value === null || Number.isNaN(value) ? '-' : value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** The report as a text table (one row per case, ratio = times better than baseline), then the notes. */
export function formatTable(report: BenchReport): string {
  const header = ['case', 'metric', 'baseline', 'value', 'ratio'];
  const rows = report.cases.map((c) => [
    c.errors ? `${c.name} (ERRORS)` : c.name,
    c.metric,
    figure(c.baseline),
    figure(c.value),
    c.ratio === null ? '-' : `${c.ratio}x`,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  const notes = [...new Set(report.cases.map((c) => c.notes))].map((note) => `  - ${note}`);
  return [
    `${report.suite}  (Node ${report.node}, ${report.cpus} CPUs, ${report.date})`,
    line(header),
    ...rows.map(line),
    'notes:',
    ...notes,
    '',
  ].join('\n');
}
