/**
 * A job summary as GitHub shows it, to look at outside GitHub (`npm run demo` writes one per release): the Markdown
 * rendered as GitHub-flavoured Markdown (tables, `<details>`, fenced code) by marked, styled with GitHub's own
 * Markdown stylesheet (github-markdown-css), and each ```mermaid block drawn in the page by mermaid's browser bundle.
 * Everything comes from node_modules: the page needs no network.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { Marked } from 'marked';

const require = createRequire(import.meta.url);

/** mermaid's browser bundle, which the page loads from node_modules by a relative path. */
export const MERMAID_BUNDLE = require.resolve('mermaid/dist/mermaid.min.js');
const STYLESHEET = require.resolve('github-markdown-css/github-markdown-light.css');

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GitHub-flavoured Markdown, with ```mermaid blocks left for mermaid to draw (as GitHub does). */
const markdown = new Marked({ gfm: true }).use({
  renderer: {
    code({ text, lang }) {
      return lang === 'mermaid' ? `<pre class="mermaid">${escapeHtml(text)}</pre>\n` : false;
    },
  },
});

/** The HTML page of a summary that will be written at `pagePath` (the mermaid bundle is linked relative to it). */
export function summaryPage(summary: string, { title, pagePath }: { title: string; pagePath: string }): string {
  const body = markdown.parse(summary, { async: false });
  const bundle = relative(dirname(pagePath), MERMAID_BUNDLE).split(sep).join('/');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${readFileSync(STYLESHEET, 'utf8')}
body { background: #f6f8fa; margin: 0; }
.page { box-sizing: border-box; max-width: 1280px; margin: 24px auto; padding: 24px 32px; background: #fff;
  border: 1px solid #d0d7de; border-radius: 6px; }
.page > .caption { color: #59636e; font: 12px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin-bottom: 16px; }
.markdown-body pre.mermaid { background: none; text-align: center; }
</style>
</head>
<body>
<div class="page">
<div class="caption">${escapeHtml(title)}</div>
<article class="markdown-body">
${body}
</article>
</div>
<script src="${escapeHtml(bundle)}"></script>
<script>
  mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict' });
  mermaid.run({ querySelector: 'pre.mermaid' }).finally(() => document.body.setAttribute('data-rendered', 'true'));
</script>
</body>
</html>
`;
}

/** Writes `<name>.md` and `<name>.html` into `directory`; returns their paths. */
export function writeSummaryPages(
  directory: string,
  name: string,
  summary: string,
  title: string,
): { markdown: string; html: string } {
  mkdirSync(directory, { recursive: true });
  const paths = { markdown: join(directory, `${name}.md`), html: join(directory, `${name}.html`) };
  writeFileSync(paths.markdown, summary);
  writeFileSync(paths.html, summaryPage(summary, { title, pagePath: paths.html }));
  return paths;
}
