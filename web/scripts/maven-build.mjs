// Run by the Maven build (exec-maven-plugin) with the machine's Node: installs the locked
// dependencies when the lock file changed since the last install, and builds the client into
// target/classes/static when a source is newer than the last build. Both steps are skipped when
// nothing changed, so repeated `./mvnw` runs stay fast.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(web, '../target/classes/static');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(args) {
  console.log(`[confab-web] npm ${args.join(' ')}`);
  const result = spawnSync(npm, args, { cwd: web, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) {
    console.error(`[confab-web] npm ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

function installDependencies() {
  const lock = join(web, 'package-lock.json');
  const stamp = join(web, 'node_modules', '.confab-installed');
  if (!existsSync(lock)) {
    run(['install', '--no-audit', '--no-fund']);
    return;
  }
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === hash) {
    console.log('[confab-web] dependencies up to date');
    return;
  }
  run(['ci', '--no-audit', '--no-fund']);
  writeFileSync(stamp, hash);
}

function newestSource(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'e2e') continue;
    newest = Math.max(newest, newestSource(join(path, entry)));
  }
  return newest;
}

function build() {
  const marker = join(outDir, 'index.html');
  const inputs = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package-lock.json']
    .map((name) => join(web, name)).filter(existsSync);
  if (existsSync(marker) && statSync(marker).mtimeMs > Math.max(...inputs.map(newestSource))) {
    console.log('[confab-web] client build up to date');
    return;
  }
  run(['run', 'build']);
}

const step = process.argv[2];
if (step === 'install') installDependencies();
else if (step === 'build') { installDependencies(); build(); }
else if (step === 'test') { installDependencies(); run(['test']); }
else { console.error('usage: maven-build.mjs install|build|test'); process.exit(2); }
