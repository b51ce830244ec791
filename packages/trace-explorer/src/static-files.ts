import { readFile } from 'node:fs/promises';

const files = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/explorer.js': { file: 'explorer.js', type: 'text/javascript; charset=utf-8' },
  '/common.js': { file: 'common.js', type: 'text/javascript; charset=utf-8' },
  '/trace-view.js': { file: 'trace-view.js', type: 'text/javascript; charset=utf-8' },
  '/views.js': { file: 'views.js', type: 'text/javascript; charset=utf-8' },
  '/explorer.css': { file: 'explorer.css', type: 'text/css; charset=utf-8' },
} as const;

export interface StaticFile {
  path: string;
  type: string;
  body: Buffer;
}

/** The page, read once at start-up: plain files, no build step. */
export async function loadStaticFiles(): Promise<StaticFile[]> {
  return Promise.all(
    Object.entries(files).map(async ([path, { file, type }]) => ({
      path,
      type,
      body: await readFile(new URL(`../public/${file}`, import.meta.url)),
    })),
  );
}
