import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchReport } from './bench-report.js';

/** Writes `<dir>/<suite>.json` (creating `dir`) and resolves to its path. */
export async function writeReport(report: BenchReport, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${report.suite}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
