import { parseAllDocuments, stringify } from 'yaml';
import type { DeployTree } from './deploy-tree.js';

import type { Yaml } from './k8s-object.js';

/** A YAML document being broken on purpose. */
export type Document = Yaml;

/** Rewrites the YAML documents of one file of a deploy tree (comments are not kept). */
export function editYaml(tree: DeployTree, path: string, edit: (documents: Document[]) => Document[]): void {
  const documents = parseAllDocuments(tree.read(path)).map((document) => document.toJS());
  tree.write(
    path,
    edit(documents)
      .map((document) => stringify(document))
      .join('---\n'),
  );
}

/** Edits the one document of `kind` named `name` in a file. */
export function editObject(
  tree: DeployTree,
  path: string,
  kind: string,
  name: string,
  edit: (document: Document) => void,
): void {
  editYaml(tree, path, (documents) => {
    const target = documents.find((document) => document?.kind === kind && document.metadata?.name === name);
    if (!target) throw new Error(`${kind}/${name} is not in ${path}`);
    edit(target);
    return documents;
  });
}

/** Drops the lines of an env file that set `name`. */
export function removeEnvLine(tree: DeployTree, path: string, name: string): void {
  const lines = tree.read(path).split('\n');
  const kept = lines.filter((line) => !line.startsWith(`${name}=`));
  if (kept.length === lines.length) throw new Error(`${name} is not set in ${path}`);
  tree.write(path, kept.join('\n'));
}
