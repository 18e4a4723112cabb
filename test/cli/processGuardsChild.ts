// A process with Lookout's process guards installed that then meets one fault, chosen by argv[2];
// it prints "still running" if it survived. Run by processGuards.test.ts.
import { EventEmitter } from 'node:events';
import { createLogger } from '../../src/lib/logger.js';
import { installProcessGuards } from '../../src/lib/processGuards.js';

const survived: string[] = [];
installProcessGuards(createLogger('info', 'guards-test'), (kind) => survived.push(kind));

const fault = process.argv[2];
setTimeout(() => {
  if (fault === 'connection-error-event') {
    // What node-postgres does when a client's connection dies and nobody listens for 'error'.
    new EventEmitter().emit('error', new Error('Connection terminated unexpectedly'));
  } else if (fault === 'unhandled-rejection') {
    void Promise.reject(new Error('a background task failed without a catch'));
  } else if (fault === 'bug') {
    throw new TypeError('a programming error');
  }
}, 10);
setTimeout(() => {
  process.stdout.write(`still running; survived: ${survived.join(',')}\n`);
  process.exit(0);
}, 300);
