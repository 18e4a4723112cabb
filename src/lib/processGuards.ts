import { isUnavailable } from '../db/database.js';
import type { Logger } from './logger.js';

export type SurvivedError = 'unhandled_rejection' | 'connection_error';

/**
 * Last-resort handlers of a long-running `lookout start` process.
 *
 * - A promise rejection nobody handled (a fire-and-forget call without a catch) is logged with its
 *   stack and counted, and the process goes on. The function that rejected has already unwound
 *   through its own finally blocks, so no state is left half-changed, and ending a process that
 *   serves every webhook, dashboard and worker for one missed catch would turn a bug in a side
 *   task into an outage. Counting it (lookout_process_errors_total) keeps the bug visible.
 * - An exception nobody caught is different: it can leave any state half-changed. One kind is
 *   known and safe, a lost database connection reported through an 'error' event that had no
 *   listener (node-postgres has already failed that connection's queries and will not reuse
 *   it): it is logged and survived. Anything else is logged as fatal and the process exits 1, to
 *   be restarted by its supervisor; nothing acknowledged is lost, the inbox is durable.
 *
 * Returns a function that removes the handlers.
 */
export function installProcessGuards(log: Logger, onSurvived: (kind: SurvivedError) => void = () => {}): () => void {
  const onRejection = (reason: unknown) => {
    onSurvived('unhandled_rejection');
    log.error({ err: reason }, 'unhandled promise rejection (a missing catch): logged, not fatal');
  };
  const onException = (err: Error) => {
    if (isUnavailable(err)) {
      onSurvived('connection_error');
      log.error(
        { error: err.message, code: (err as { code?: unknown }).code, stack: err.stack },
        'a lost database connection reached the process level (an error event without a listener): survived',
      );
      return;
    }
    log.fatal({ err }, 'uncaught exception: exiting');
    process.exit(1);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
