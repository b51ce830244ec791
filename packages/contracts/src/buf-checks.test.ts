import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const buf = join(root, 'node_modules', '.bin', 'buf');

function run(command: string, args: string[], cwd = root) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** A copy of the proto module (buf.yaml and proto/) to edit without touching the checkout. */
function copyModule(into: string): string {
  cpSync(join(root, 'buf.yaml'), join(into, 'buf.yaml'));
  cpSync(join(root, 'proto'), join(into, 'proto'), { recursive: true });
  return into;
}

describe('buf checks of proto/', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'mesh-proto-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes buf lint (STANDARD)', () => {
    const lint = run(buf, ['lint']);
    expect(lint.output).toBe('');
    expect(lint.status).toBe(0);
  });

  it('has no breaking change against the last commit on main', () => {
    const breaking = run(process.execPath, [join(root, 'scripts', 'proto-breaking.mjs')]);
    expect(breaking.output).toMatch(/no breaking change|nothing to break/);
    expect(breaking.status).toBe(0);
  });

  it('reports a renumbered field and a removed one as breaking', () => {
    const base = copyModule(mkdtempSync(join(scratch, 'base-')));
    const same = copyModule(mkdtempSync(join(scratch, 'same-')));
    const changed = copyModule(mkdtempSync(join(scratch, 'changed-')));
    const file = join(changed, 'proto', 'mesh', 'user_cache', 'v1', 'user_cache.proto');
    const text = readFileSync(file, 'utf8');
    const edited = text
      .replace('message GetUserRequest {\n  int64 id = 1;', 'message GetUserRequest {\n  int64 id = 2;')
      .replace('message PairResponse {\n  bool paired = 1;\n}', 'message PairResponse {}');
    expect(edited).not.toBe(text);
    writeFileSync(file, edited);

    expect(run(buf, ['breaking', same, '--against', base]).status).toBe(0);
    const breaking = run(buf, ['breaking', changed, '--against', base]);
    expect(breaking.status).not.toBe(0);
    expect(breaking.output).toContain('GetUserRequest');
    expect(breaking.output).toContain('PairResponse');
  });
});
