// `npm run pack -w @mesh/sdk`: builds packages/sdk/dist and packs it into packages/sdk.
import { fileURLToPath } from 'node:url';
import { packSdk } from './pack-sdk.js';

const sdkRoot = fileURLToPath(new URL('../../', import.meta.url));
console.log(await packSdk({ outDir: `${sdkRoot}dist`, packDir: sdkRoot }));
