/**
 * A procedure's answer that does not fit its response message: the field (its proto path,
 * `channels[0].messages_saved`), its proto type and why. Never the value, which may be a secret.
 */
export class OutputFieldError extends Error {
  override readonly name = 'OutputFieldError';

  constructor(
    public field: string,
    readonly protoType: string,
    readonly reason: string,
  ) {
    super(`${field || '(answer)'} (${protoType}): ${reason}`);
  }

  /** The same error seen one level up: `duration_ms` under `totals`, or under `[2]`. */
  under(segment: string): this {
    if (this.field === '') this.field = segment;
    else this.field = this.field.startsWith('[') ? `${segment}${this.field}` : `${segment}.${this.field}`;
    this.message = `${this.field} (${this.protoType}): ${this.reason}`;
    return this;
  }
}
