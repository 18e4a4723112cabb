import { PGlite } from '@electric-sql/pglite';
import { readFileSync } from 'node:fs';
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status','utf8'))[1])/1024;
const dir = process.argv[2];
const opts = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const t = Date.now();
console.log('rss at start', rss().toFixed(0));
const pg = await PGlite.create(dir, opts);
console.log('rss after create', rss().toFixed(0), 'ms', Date.now()-t);
const { rows } = await pg.query(`select name, setting, unit from pg_settings where name in ('shared_buffers','wal_buffers','work_mem','maintenance_work_mem','temp_buffers','fsync','synchronous_commit','full_page_writes','max_connections','effective_cache_size','server_version','wal_level','max_wal_size')`);
for (const r of rows) console.log(' ', r.name, r.setting, r.unit ?? '');
const mu = process.memoryUsage();
console.log('rss', rss().toFixed(0), 'heapUsed', (mu.heapUsed/2**20).toFixed(0), 'external', (mu.external/2**20).toFixed(0), 'arrayBuffers', (mu.arrayBuffers/2**20).toFixed(0));
if (global.gc) { global.gc(); await new Promise(r=>setTimeout(r,500)); global.gc(); console.log('after gc rss', rss().toFixed(0), 'external', (process.memoryUsage().external/2**20).toFixed(0)); }
await pg.close();
