/**
 * `npm run render-report`: the pull request comment and the job summary of
 * a whole pull request's life (`pull-request-life.ts`: the README's
 * recommended set-up, opened, updated, closed), rendered the way GitHub
 * renders them, so that a person can look at what a reviewer sees rather
 * than at Markdown. Writes `reports/render-report/pr-comment.html` (the
 * comment after each run), `pr-comment-details.html` (the first, its
 * "Ids and variables" opened) and `job-summary.html`; with
 * `--screenshots`, also a picture of each, taken in headless Chromium, into
 * `docs/images/` (committed; docs/github-side.md shows them).
 *
 * Needs Debian's `cmark-gfm` (and `chromium` for the pictures):
 * `apt-get install -y cmark-gfm chromium`. Neither `npm test` nor CI runs
 * this: the tests assert the Markdown itself.
 *
 * How GitHub renders: cmark-gfm with the table, autolink, strikethrough and
 * tagfilter extensions, then its HTML sanitizer. cmark-gfm without
 * `--unsafe` drops all raw HTML, `<details>` and `<code>` included, which
 * GitHub keeps; so this renders with `--unsafe` and then applies
 * `sanitize` below, a small allowlist after GitHub's (html-pipeline's
 * SanitizationFilter): its elements, `href` on links only with http(s),
 * mailto or a relative address, `src` on images with http(s), a few layout
 * attributes, and no comment, script or style.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startEmulator } from '../emulator/index.ts'
import { startGitHubEmulator } from '../emulator/github/index.ts'
import {
  pullRequestLife,
  seedRepository,
  type Stage
} from './pull-request-life.ts'

const OUT = resolve('reports/render-report')
const IMAGES = resolve('docs/images')
const WIDTH = 840

/** Markdown to HTML as GitHub renders it: cmark-gfm, then the sanitizer. */
function render(markdown: string): string {
  const html = execFileSync(
    'cmark-gfm',
    [
      '--unsafe',
      '--extension',
      'table',
      '--extension',
      'autolink',
      '--extension',
      'strikethrough',
      '--extension',
      'tagfilter'
    ],
    { input: markdown, encoding: 'utf8' }
  )
  return sanitize(html)
}

// GitHub's allowlist of elements (html-pipeline's SanitizationFilter).
const ELEMENTS = new Set(
  (
    'h1 h2 h3 h4 h5 h6 h7 h8 br b i strong em a pre code img tt div ins del ' +
    'sup sub p ol ul table thead tbody tfoot blockquote dl dt dd kbd q samp ' +
    'var hr ruby rt rp li tr td th s strike summary details caption figure ' +
    'figcaption abbr bdo cite dfn mark small span time wbr input'
  ).split(' ')
)
// Attributes kept on any allowed element (the layout ones cmark-gfm and
// this action use); `href` and `src` are checked on their own.
const ATTRIBUTES = new Set([
  'align',
  'open',
  'colspan',
  'rowspan',
  'lang',
  'title',
  'alt'
])
const LINK = /^(https?:|mailto:|#|\/(?!\/))/i
const IMAGE = /^https?:/i
const REMOVED_WITH_CONTENT = /<(script|style)\b[\s\S]*?<\/\1\s*>/gi

/**
 * GitHub's sanitizing, for what cmark-gfm writes: comments go, elements
 * outside the allowlist lose their tags (their text stays), and an allowed
 * element keeps only allowed attributes. cmark-gfm has already escaped
 * every text; raw HTML passes as it was written, which the action writes
 * with double-quoted attributes only.
 */
function sanitize(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(REMOVED_WITH_CONTENT, '')
    .replace(
      /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=>]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*(\/?)>/g,
      (
        _,
        close: string,
        tag: string,
        attributes: string,
        selfClose: string
      ) => {
        const name = tag.toLowerCase()
        if (!ELEMENTS.has(name)) return ''
        if (close) return `</${name}>`
        const kept = [
          ...attributes.matchAll(
            /([^\s=>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g
          )
        ].flatMap(([, attribute, ...values]) => {
          const key = attribute.toLowerCase()
          const value = values.find((v) => v !== undefined) ?? ''
          const allowed =
            (key === 'href' && name === 'a' && LINK.test(value)) ||
            (key === 'src' && name === 'img' && IMAGE.test(value)) ||
            ATTRIBUTES.has(key)
          return allowed ? [` ${key}="${value.replace(/"/g, '&quot;')}"`] : []
        })
        return `<${name}${kept.join('')}${selfClose ? ' /' : ''}>`
      }
    )
}

function panel(title: string, body: string): string {
  return `<section class="panel"><header>${title}</header><article class="markdown-body">${body}</article></section>`
}

/** A page with GitHub's Markdown stylesheet (github-markdown-css). */
function page(title: string, panels: string[]): string {
  const require = createRequire(import.meta.url)
  const css = readFileSync(
    require.resolve('github-markdown-css/github-markdown-light.css'),
    'utf8'
  )
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<style>${css}
body { box-sizing: border-box; width: ${WIDTH}px; margin: 0; padding: 16px; background: #f6f8fa; font-family: -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
h1.page { font-size: 16px; font-weight: 600; color: #59636e; margin: 0 0 12px; }
.panel { border: 1px solid #d1d9e0; border-radius: 6px; background: #fff; margin: 0 0 16px; }
.panel > header { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; border-radius: 6px 6px 0 0; padding: 8px 16px; font-size: 14px; color: #59636e; }
.panel .bot { border: 1px solid #d1d9e0; border-radius: 2em; padding: 0 6px; font-size: 12px; }
.markdown-body { padding: 16px; font-size: 14px; }
</style></head>
<body><h1 class="page">${title}</h1>
${panels.join('\n')}
<script>document.body.dataset.height = String(document.documentElement.scrollHeight)</script>
</body></html>
`
}

/** The page's full height first, then a picture of exactly that. */
function screenshot(html: string, png: string): void {
  const flags = (profile: string) => [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--hide-scrollbars',
    `--user-data-dir=${profile}`
  ]
  const dom = execFileSync(
    'chromium',
    [
      ...flags(mkdtempSync(join(tmpdir(), 'render-'))),
      `--window-size=${WIDTH},800`,
      '--dump-dom',
      html
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }
  )
  const height = Number(/data-height="(\d+)"/.exec(dom)?.[1] ?? 2000)
  execFileSync(
    'chromium',
    [
      ...flags(mkdtempSync(join(tmpdir(), 'render-'))),
      `--window-size=${WIDTH},${height}`,
      `--screenshot=${png}`,
      html
    ],
    { stdio: 'ignore' }
  )
}

/** Runs the life, renders each comment and summary, pictures the pages. */
async function main(): Promise<void> {
  const stages: Stage[] = []
  const emulator = await startEmulator()
  const github = await startGitHubEmulator()
  try {
    const pull = seedRepository(emulator, github)
    for await (const stage of pullRequestLife(emulator, github, pull)) {
      if (stage.result.exitCode !== 0) {
        throw new Error(`${stage.label}: exit code ${stage.result.exitCode}`)
      }
      stages.push(stage)
    }
  } finally {
    await Promise.all([emulator.close(), github.close()])
  }

  const commentPanels = stages.map(({ label, comment }) =>
    panel(
      `github-actions <span class="bot">bot</span> commented · after “${label}”`,
      render(comment)
    )
  )
  // What the collapsed part holds, as a reviewer who opens it sees it.
  const detailsPanel = panel(
    `github-actions <span class="bot">bot</span> commented · after “${stages[0].label}”, “Ids and variables” opened`,
    render(stages[0].comment).replace('<details>', '<details open>')
  )
  const summaryPanels = stages.map(({ label, result }) =>
    panel(`Job summary · ${label}`, render(result.summary))
  )

  mkdirSync(OUT, { recursive: true })
  const pages: Record<string, string> = {
    'pr-comment': page('The pull request comment, run by run', commentPanels),
    'pr-comment-details': page('The pull request comment, opened', [
      detailsPanel
    ]),
    'job-summary': page('The job summary, run by run', summaryPanels)
  }
  for (const [name, html] of Object.entries(pages)) {
    writeFileSync(join(OUT, `${name}.html`), html)
    console.log(`Wrote ${join(OUT, `${name}.html`)}`)
  }
  if (process.argv.includes('--screenshots')) {
    mkdirSync(IMAGES, { recursive: true })
    for (const name of Object.keys(pages)) {
      const png = join(IMAGES, `${name}.png`)
      screenshot(join(OUT, `${name}.html`), png)
      console.log(`Wrote ${png}`)
    }
  }
}

await main()
