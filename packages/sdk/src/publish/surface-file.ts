import { fileURLToPath } from 'node:url';

/** The committed public surface of the routers: what the published SDK's clients are typed by. */
export const surfaceFile = fileURLToPath(new URL('../../api/routers.d.ts', import.meta.url));
