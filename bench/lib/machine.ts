/** What every bench prints first: the machine and the database it measured on. */
import os from 'node:os';
import pg from 'pg';

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** PostgreSQL's server_version, or why it could not be read. */
export async function postgresVersion(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  try {
    await c.connect();
    const { rows } = await c.query<{ v: string }>(`select current_setting('server_version') as v`);
    return rows[0]?.v ?? 'unknown';
  } catch (err) {
    return `unreachable (${(err as Error).message})`;
  } finally {
    await c.end().catch(() => {});
  }
}

export function machineLine(pgVersion?: string): string {
  const cpus = os.cpus();
  const parts = [
    `${cpus[0]?.model.trim() ?? 'unknown cpu'}`,
    `${cpus.length} cores`,
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `${os.type()} ${os.release()}`,
    `Node ${process.version}`,
  ];
  if (pgVersion) parts.push(`PostgreSQL ${pgVersion}`);
  // Other work on the machine skews every figure: say how busy it was when the bench began.
  parts.push(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at start`,
  );
  return `machine: ${parts.join(', ')}`;
}

export async function printMachine(pgUrl?: string): Promise<void> {
  console.log(machineLine(pgUrl ? await postgresVersion(pgUrl) : undefined));
}

/** One line the runner and a reader can grep: GOAL MET / GOAL MISSED, never an exit code. */
export function goal(met: boolean, what: string): boolean {
  console.log(`${met ? 'GOAL MET   ' : 'GOAL MISSED'} ${what}`);
  return met;
}
