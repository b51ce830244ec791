// `node --import ./deploy/image/run-as-shipped.mjs <entry.ts>`: runs TypeScript as the image
// does, compiled file by file by TypeScript's transpile (transpile.mjs) with nothing added,
// instead of through tsx, whose esbuild output wraps every function made at run time in a
// naming helper (`keepNames`). The benches' server processes run this way, so what they
// measure is the code that ships. Imports written `./x.js` find `./x.ts` as under tsx.
import { existsSync, readFileSync } from 'node:fs';
import { registerHooks } from 'node:module';
import { fileURLToPath } from 'node:url';
import { compilerOptions, transpile } from './transpile.mjs';

const inline = { ...compilerOptions, sourceMap: false, inlineSourceMap: true };

registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context);
    } catch (error) {
      // `./x.js` written for the compiled output: the source is `./x.ts`.
      if (!specifier.endsWith('.js') || !context.parentURL?.startsWith('file:')) throw error;
      const url = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
      if (!existsSync(fileURLToPath(url))) throw error;
      return { url: url.href, format: 'module', shortCircuit: true };
    }
  },
  load(url, context, nextLoad) {
    if (!url.startsWith('file:') || !url.endsWith('.ts') || url.endsWith('.d.ts')) {
      return nextLoad(url, context);
    }
    const path = fileURLToPath(url);
    return {
      format: 'module',
      source: transpile(readFileSync(path, 'utf8'), path, inline).code,
      shortCircuit: true,
    };
  },
});
