/** Why an action did not run, with the target's own message where it gave one. */
export type ActionErrorCode =
  /** The shop's grant lacks a scope the action needs (the message names it). */
  | 'missing_scope'
  /** The store or database refused or failed: its message. */
  | 'target_error'
  /** The suggestion's part cannot run as stored (a statement that is not a plain COMMENT ON). */
  | 'invalid_part'
  /** No integration, no credentials, or the user has not switched this action on. */
  | 'not_available';

export class ActionError extends Error {
  override readonly name = 'ActionError';
  constructor(
    readonly code: ActionErrorCode,
    message: string,
  ) {
    super(message);
  }
}
