// The programs outside npm that `npm test` drives, how to tell each is there, and the Debian
// packages that bring it. scripts/prepare.mjs installs what is missing; add a tool here, not
// an apt line in CI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const succeeds = (command, args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;

/** @type {{ name: string, debianPackages: string[], present: () => boolean }[]} */
export const systemTools = [
  {
    name: 'Chromium (/usr/bin/chromium, the trace explorer and SDK browser tests)',
    debianPackages: ['chromium'],
    present: () => existsSync('/usr/bin/chromium'),
  },
  {
    name: 'kubectl (the deploy tests render deploy/k8s with kubectl kustomize)',
    debianPackages: ['kubernetes-client'],
    present: () => succeeds('kubectl', ['version', '--client']),
  },
];
