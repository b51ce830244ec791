import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeployTree, type DeployTree } from './support/deploy-tree.js';
import { childEnv, deployTestEnv } from './support/env.js';

// deploy/k8s/apply.sh against a stand-in kubectl that records every call, renders with the
// real one, and reports the migration Job's conditions from a script (one per poll).
const fakeKubectl = `#!/usr/bin/env bash
echo "$*" >> "$CALLS"
case "$1 $2" in
  "kustomize "*) exec "$REAL_KUBECTL" "$@" ;;
  "get job")
    polls=$(( $(cat "$POLLS" 2>/dev/null || echo 0) + 1 )); echo "$polls" > "$POLLS"
    read -ra states <<< "$JOB_STATES"; state=\${states[$((polls - 1))]:-\${states[-1]}}
    [[ "$state" == - ]] || printf '%s' "$state" ;;
  "get deployment") printf 'deployment.apps/user-cache\\ndeployment.apps/analytics\\n' ;;
  "logs "*) echo "migration log line" ;;
esac
`;

let tree: DeployTree | undefined;
let bin: string | undefined;

afterEach(() => {
  tree?.[Symbol.dispose]();
  if (bin) rmSync(bin, { recursive: true, force: true });
});

function runApply(jobStates: string, extra: Record<string, string> = {}) {
  tree = createDeployTree();
  bin = mkdtempSync(join(tmpdir(), 'mesh-kubectl-'));
  const kubectl = join(bin, 'kubectl');
  writeFileSync(kubectl, fakeKubectl);
  chmodSync(kubectl, 0o755);
  const calls = join(bin, 'calls');
  const result = spawnSync('bash', [join(tree.dir, 'apply.sh'), 'dev'], {
    encoding: 'utf8',
    env: childEnv({
      KUBECTL: kubectl,
      REAL_KUBECTL: deployTestEnv.KUBECTL,
      CALLS: calls,
      POLLS: join(bin, 'polls'),
      JOB_STATES: jobStates,
      POLL_S: '0',
      ...extra,
    }),
  });
  const commands = readFileSync(calls, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.replace(/\/tmp\/\S+/g, '<file>'));
  return { status: result.status, stderr: result.stderr, commands };
}

describe('deploy/k8s/apply.sh', () => {
  it('applies everything but the services, waits for the migration Job, then rolls the services out', () => {
    const { status, commands } = runApply('- - Complete');

    expect(status).toBe(0);
    expect(commands).toEqual([
      'kustomize <file>',
      'delete job mesh-migrate --namespace mesh-dev --ignore-not-found --wait=true',
      'apply --filename <file> --selector app.kubernetes.io/component!=service',
      ...Array(3).fill(
        'get job mesh-migrate --namespace mesh-dev --output jsonpath={.status.conditions[?(@.status=="True")].type}',
      ),
      'apply --filename <file>',
      'get deployment --namespace mesh-dev --selector app.kubernetes.io/component=service --output name',
      'rollout status deployment.apps/user-cache --namespace mesh-dev --timeout=600s',
      'rollout status deployment.apps/analytics --namespace mesh-dev --timeout=600s',
    ]);
  });

  it('stops before the services when the migration Job fails, and prints its log', () => {
    const { status, stderr, commands } = runApply('- Failed');

    expect(status).toBe(1);
    expect(stderr).toContain('the migration Job failed; the services were not rolled out');
    expect(stderr).toContain('migration log line');
    expect(commands).not.toContain('apply --filename <file>');
    expect(commands.at(-1)).toBe('logs job/mesh-migrate --namespace mesh-dev --tail=50');
  });

  it('gives up when the migrations outlast MIGRATE_TIMEOUT_S', () => {
    const { status, stderr, commands } = runApply('-', { MIGRATE_TIMEOUT_S: '0' });

    expect(status).toBe(1);
    expect(stderr).toContain('did not complete in time');
    expect(commands).not.toContain('apply --filename <file>');
  });

  it('refuses an overlay that does not exist', () => {
    const result = spawnSync('bash', [join('deploy', 'k8s', 'apply.sh'), 'staging'], { encoding: 'utf8' });

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no overlay at');
  });
});
