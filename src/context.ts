import type { Config, Role } from './config.js';
import type { Database } from './db/database.js';
import type { EventStore } from './ingest/eventStore.js';
import type { AdminTokenVerifier } from './lib/instanceSecrets.js';
import type { Logger } from './lib/logger.js';
import type { SecretBox } from './lib/secretBox.js';
import type { Metrics } from './metrics.js';

/** What every part of a running instance shares; built once by app.ts (the composition root). */
export interface AppContext {
  config: Config;
  role: Role;
  db: Database;
  log: Logger;
  secrets: SecretBox;
  adminTokens: AdminTokenVerifier;
  metrics: Metrics;
  eventStore: EventStore;
}
