// Turns the one extension source (this folder) and the built Wasm package into
// the unpacked Chrome and Firefox extensions. Run by build.sh; not shipped.
//   node extension/assemble.mjs <wasm-pkg-dir> <dist-dir>
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { build, buildSync } from 'esbuild';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = dirname(fileURLToPath(import.meta.url));
const [pkgDir, distDir] = process.argv.slice(2);
if (!pkgDir || !distDir) {
  console.error('usage: node extension/assemble.mjs <wasm-pkg-dir> <dist-dir>');
  process.exit(2);
}

const shipped = ['background', 'pages', 'shared', '_locales', 'icons'];
const wasmFiles = ['sealmark.js', 'sealmark_bg.wasm', 'sealmark_transport.js', 'sealmark_transport_bg.wasm'];
const manifest = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8'));

/** Per-browser manifest differences, kept to what each browser rejects or warns about. */
const flavours = {
  // Chrome warns about the Gecko-only key; everything else is shared.
  chrome: ({ browser_specific_settings, ...rest }) => rest,
  firefox: (m) => m,
};

/**
 * `../components/…` from the extension's source: the Inspector's shared components, which the
 * packages carry in `components/` (the content script is bundled from the source tree).
 * @type {import('esbuild').Plugin}
 */
const sharedComponents = {
  name: 'shared-components',
  setup(build) {
    build.onResolve({ filter: /^(\.\.\/)+components\/[\w-]+\.js$/ }, (args) => ({ path: join(source, '../www/components', basename(args.path)) }));
  },
};

for (const [browser, flavour] of Object.entries(flavours)) {
  const out = join(distDir, browser);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(out, 'wasm'), { recursive: true });
  for (const dir of shipped) cpSync(join(source, dir), join(out, dir), { recursive: true });
  // The route view is the Inspector page's component, shared rather than copied in the source tree.
  cpSync(join(source, '../www/components'), join(out, 'components'), { recursive: true });
  for (const file of wasmFiles) cpSync(join(pkgDir, file), join(out, 'wasm', file));
  // Content scripts cannot be modules; one bundled classic script also keeps
  // our code out of web_accessible_resources, where any page could load it.
  // Plugins need esbuild's asynchronous API.
  await build({
    entryPoints: [join(source, 'content/main.js')],
    plugins: [sharedComponents],
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox140'],
    outfile: join(out, 'content/content.js'),
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const page of readdirSync(join(out, 'pages'))) bundlePage(join(out, 'pages', page), page);
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(flavour(structuredClone(manifest)), null, 2) + '\n');
  console.log(`  ${out}`);
}

/**
 * One script and one stylesheet per page instead of a module graph and a
 * stylesheet per shared part: an extension frame in Chromium starts in its own
 * process, and every extra file it waits for shows as a later badge strip
 * (issue #7: drawn within 50 ms of the raw source).
 */
function bundlePage(dir, name) {
  const htmlPath = join(dir, `${name}.html`);
  let html = readFileSync(htmlPath, 'utf8');
  const sheets = [...html.matchAll(/^ *<link rel="stylesheet" href="([^"]+)">\n/gm)];
  if (sheets.length) {
    buildSync({
      stdin: { contents: sheets.map(([, href]) => `@import ${JSON.stringify(href)};`).join('\n'), loader: 'css', resolveDir: dir },
      bundle: true,
      outfile: join(dir, `${name}.bundle.css`),
      logLevel: 'warning',
    });
    html = html.replace(sheets[0][0], `  <link rel="stylesheet" href="${name}.bundle.css">\n`);
    for (const [line] of sheets.slice(1)) html = html.replace(line, '');
    // The page's own stylesheets now live only in the bundle.
    for (const [, href] of sheets) if (!href.startsWith('../')) rmSync(join(dir, href));
  }
  const script = html.match(/<script type="module" src="([^"]+)"><\/script>/);
  if (script) {
    const { metafile } = buildSync({
      metafile: true,
      entryPoints: [join(dir, script[1])],
      bundle: true,
      format: 'esm',
      target: ['chrome120', 'firefox140'],
      outfile: join(dir, script[1]),
      allowOverwrite: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
    // The page's own modules now live only in the bundle (shared ones stay: the background imports them).
    const entry = resolve(dir, script[1]);
    for (const input of Object.keys(metafile.inputs).map((path) => resolve(path))) {
      if (input !== entry && dirname(input) === resolve(dir)) rmSync(input);
    }
  }
  writeFileSync(htmlPath, html);
}
