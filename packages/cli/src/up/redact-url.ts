/** `url` without its password, fit to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(a URL that does not parse)';
  }
}
