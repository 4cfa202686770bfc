/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes .gz and .br siblings of every text asset at build time, so the server sends
 * pre-compressed files (Spring's EncodedResourceResolver) and spends no CPU compressing
 * per request. Also prints the compressed size, which the 300 KB budget is measured on.
 */
function precompress(): Plugin {
  return {
    name: 'confab-precompress',
    apply: 'build',
    // After the files are written: earlier hooks see code that later plugins still rewrite.
    writeBundle(options, bundle) {
      const dir = options.dir!;
      let totalGzip = 0;
      let jsGzip = 0;
      for (const fileName of Object.keys(bundle)) {
        if (!/\.(js|css|html|svg|json|webmanifest)$/.test(fileName)) continue;
        const bytes = readFileSync(join(dir, fileName));
        const gz = gzipSync(bytes, { level: 9 });
        const br = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
        totalGzip += gz.length;
        if (fileName.endsWith('.js')) jsGzip += gz.length;
        writeFileSync(join(dir, fileName + '.gz'), gz);
        writeFileSync(join(dir, fileName + '.br'), br);
      }
      console.log(`[confab] compressed (gzip) size: JS ${(jsGzip / 1024).toFixed(1)} KB, all text assets ${(totalGzip / 1024).toFixed(1)} KB`);
    },
  };
}

export default defineConfig({
  plugins: [react(), tailwindcss(), precompress()],
  build: {
    outDir: process.env.CONFAB_WEB_OUT ?? '../target/classes/static',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': 'http://localhost:8080',
      '/ws': { target: 'ws://localhost:8080', ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
  },
});
