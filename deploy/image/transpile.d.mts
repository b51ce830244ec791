import type ts from 'typescript';

export declare const compilerOptions: ts.CompilerOptions;
/** One TypeScript file as the image ships it: JavaScript and its source map. */
export declare function transpile(
  source: string,
  fileName: string,
  options?: ts.CompilerOptions,
): { code: string; map: string | undefined };
