// Run by the Maven build before the tests (exec-maven-plugin, machine's Node): installs the
// locked validators (redocly, Kubernetes and compose schemas) when package-lock.json changed
// since the last install, so repeated builds stay fast and offline.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const lock = join(here, 'package-lock.json');
const stamp = join(here, 'node_modules', '.confab-installed');
const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
  console.log('[ops-check] validators up to date');
  process.exit(0);
}
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: here, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.status !== 0) {
  console.error(`[ops-check] npm ci failed (exit ${result.status})`);
  process.exit(result.status ?? 1);
}
writeFileSync(stamp, hash);
