// `npm run surface -w @mesh/sdk`: rewrites api/routers.d.ts from the routers, acknowledging a
// change of the public surface (record it in CHANGELOG.md and bump the version to match).
import { writeFileSync } from 'node:fs';
import { emitRouterSurface } from './emit-router-surface.js';
import { surfaceFile } from './surface-file.js';

writeFileSync(surfaceFile, emitRouterSurface());
console.log(`wrote ${surfaceFile}`);
