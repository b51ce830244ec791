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
    name: "a Python gRPC client (Debian's python3 with grpcio and protobuf, protoc with protobuf's own .proto files, and grpc_python_plugin)",
    // libprotobuf-dev holds google/protobuf/*.proto (descriptor.proto, which our options import):
    // protobuf-compiler only recommends it, so a machine can have protoc without it.
    debianPackages: [
      'python3-grpcio',
      'python3-protobuf',
      'protobuf-compiler',
      'libprotobuf-dev',
      'protobuf-compiler-grpc',
    ],
    present: () =>
      succeeds('/usr/bin/python3', ['-c', 'import grpc, google.protobuf']) &&
      succeeds('protoc', ['--version']) &&
      existsSync('/usr/include/google/protobuf/descriptor.proto') &&
      existsSync('/usr/bin/grpc_python_plugin'),
  },
  {
    name: 'kubectl (the deploy tests render deploy/k8s with kubectl kustomize)',
    debianPackages: ['kubernetes-client'],
    present: () => succeeds('kubectl', ['version', '--client']),
  },
];

/** The tools not on this machine, and the Debian packages that bring them. */
export function missingTools(tools = systemTools) {
  const missing = tools.filter((tool) => !tool.present());
  return { missing, packages: [...new Set(missing.flatMap((tool) => tool.debianPackages))] };
}

/** The one line `npm test` stops with where it cannot install what is missing itself. */
export function missingToolsLine({ missing, packages }) {
  const names = missing.map((tool) => tool.name).join(', ');
  return `the tests need ${names}; install with: sudo apt-get install -y ${packages.join(' ')}`;
}
