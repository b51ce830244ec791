import { recordStat } from '@mesh/telemetry';
import pg from 'pg';

/** pg hands a Submittable the connection when the server asks for COPY data. */
interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** `COPY ... FROM STDIN` of `data` (text format) as a pg Submittable: what pg-copy-streams does, for one buffer. */
class CopyIn extends pg.Query {
  readonly #data: Buffer;
  constructor(text: string, data: Buffer) {
    super(text);
    this.#data = data;
  }
  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFromChunk(this.#data);
    connection.endCopyFrom();
  }
}

/** Runs one COPY FROM STDIN on `client` and resolves to the rows it loaded. Counted as one round trip. */
export function copyIn(client: pg.ClientBase, sql: string, data: Buffer): Promise<number> {
  const query = new CopyIn(sql, data);
  const done = new Promise<number>((resolve, reject) => {
    query.on('end', (result: pg.QueryResult) => resolve(result.rowCount ?? 0));
    query.on('error', reject);
  });
  client.query(query);
  recordStat('dbQueries', 1);
  return done;
}

/** A value in COPY's text format: `\N` for null, backslash escapes for the separators. */
export function copyField(value: string | null): string {
  if (value === null) return '\\N';
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
