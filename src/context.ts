import type { Config, Role } from './config.js';
import type { Database } from './db/database.js';
import type { EventStore } from './ingest/eventStore.js';
import type { ShopRouting } from './ingest/shopRouting.js';
import type { AdminTokenVerifier } from './lib/instanceSecrets.js';
import type { Logger } from './lib/logger.js';
import type { SecretBox } from './lib/secretBox.js';
import type { GuardOptions } from './lib/urlGuard.js';
import type { BackgroundEventLoop } from './loop/backgroundEventLoop.js';
import type { Metrics } from './metrics.js';
import type { ActionLinkKey } from './notify/actionLinks.js';
import type { StreamBus } from './notify/bus.js';
import type { SourceContext } from './sources/source.js';

/** What every part of a running instance shares; built once by app.ts (the composition root). */
export interface AppContext extends SourceContext {
  config: Config;
  role: Role;
  db: Database;
  log: Logger;
  secrets: SecretBox;
  adminTokens: AdminTokenVerifier;
  metrics: Metrics;
  eventStore: EventStore;
  /** Live updates (SSE) across processes. */
  bus: StreamBus;
  /** The durable poll schedule: start/stop per user from the API, polling in worker roles. */
  loop: BackgroundEventLoop;
  /** Shop domain -> connected integrations, for webhook routing (briefly cached). */
  shopRouting: ShopRouting;
  /** How user-supplied URLs (database URLs, ICS feeds) are checked: LOOKOUT_ALLOW_PRIVATE_URLS and the resolver. */
  urlGuard: GuardOptions;
  /** Signs the accept/dismiss links in Slack messages and emails. */
  actionLinks: ActionLinkKey;
}
