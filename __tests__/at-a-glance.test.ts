// Issue 21: the pull request comment and the job summary read at a glance:
// one short table (store, status, branch, preview, updated), the ids and
// each variable's name once behind a collapsed <details>, one line after
// the close; and nothing from an answer can add a link or an image. The
// Markdown itself is asserted here; `npm run render-report` renders it as
// GitHub does, for a person to look at.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import { commentBody } from '../src/comment.ts'
import type { StoreReport } from '../src/outcome.ts'
import { addRemovalToSummary, addStoreToSummary } from '../src/summary.ts'
import { linksAndImages } from './support/rendered.ts'

const DASHBOARD = 'https://vercel.com/acme/~/stores/integration/store_1'
const PREVIEW = 'https://web-3k2j9x-acme.vercel.app'
const NAMES = [
  'DATABASE_URL',
  'DATABASE_URL_UNPOOLED',
  'PGHOST',
  'PGUSER',
  'PGPASSWORD',
  'POSTGRES_PRISMA_URL'
]
/** The run's clock, fixed: 5 January 2026, 15:04 UTC. */
const AT = Date.UTC(2026, 0, 5, 15, 4)
const KEY = 'acme/web#42'

const connection = {
  projectId: 'prj_web',
  projectName: 'web',
  envVarNames: NAMES.map((name) => `PR42_${name}`),
  envVarPrefix: 'PR42_',
  environments: ['development'],
  connected: true
}

/** The recommended set-up's first run: created, written, cancelled, redeployed. */
const opened: StoreReport = {
  storeId: 'store_1',
  storeName: 'web-pr-42-86f279ce',
  externalId: KEY,
  created: true,
  status: 'available',
  integrationConfigurationId: 'icfg_1',
  productId: 'iap_neon',
  productName: 'Neon Postgres',
  billingPlanId: 'bp_free',
  billingPlanName: 'Free',
  dashboardUrl: DASHBOARD,
  secretNames: NAMES,
  duplicates: [],
  connection,
  env: Object.fromEntries(NAMES.map((name) => [name, 'masked'])),
  exported: NAMES,
  branch: { branch: 'feature/login', written: NAMES, names: NAMES },
  redeployed: { id: 'dpl_new', url: PREVIEW, of: 'dpl_old' },
  cancelled: { ids: ['dpl_old'], finishedFirst: [] }
}

/** A later push: found again, nothing written, cancelled or rebuilt. */
const rerun: StoreReport = {
  ...opened,
  created: false,
  connection: { ...connection, connected: false },
  branch: { branch: 'feature/login', written: [], names: NAMES },
  redeployed: undefined,
  cancelled: { ids: [], finishedFirst: [] }
}

const present = (report: StoreReport) =>
  commentBody(KEY, {
    state: 'present',
    report,
    redeploy: true,
    updatedAt: AT
  })

const summaryOf = (report: StoreReport) => {
  addStoreToSummary(report, { redeploy: true, updatedAt: AT })
  return core.summary.stringify()
}

const occurrences = (text: string, part: string) => text.split(part).length - 1

afterEach(() => {
  core.summary.emptyBuffer()
})

describe('the pull request comment', () => {
  it('opened: one line, one table with the dashboard and a clickable preview, the rest collapsed', () => {
    const body = present(opened)
    const lines = body.split('\n')
    expect(lines[0]).toBe('<!-- vercel-store-action:acme%2Fweb%2342 -->')
    expect(lines[1]).toBe(
      '**Vercel store of this pull request**: created by this run, cancelled 1 build that predated its variables, redeployed its preview.'
    )
    expect(lines[3]).toBe(
      `<table><tr><th>Store</th><th>Status</th><th>Branch</th><th>Preview</th><th>Updated (UTC)</th></tr><tr><td><a href="${DASHBOARD}">web-pr-42-86f279ce</a></td><td>available</td><td><code>feature/login</code></td><td><a href="${PREVIEW}">Visit preview</a></td><td>Jan 5, 2026 3:04pm</td></tr></table>`
    )
    expect(lines[5]).toBe(
      '<details><summary>Ids and variables (names only)</summary>'
    )
    expect(body).toContain('</details>')
    // As GitHub reads it: two links, the dashboard's and the preview's.
    expect(linksAndImages(body)).toMatchObject({
      links: [DASHBOARD, PREVIEW],
      images: 0
    })
    // The ids are in the collapsed part, not the table.
    const [glance, collapsed] = body.split('<details>')
    expect(glance).not.toContain('<code>store_1</code>')
    for (const id of ['store_1', 'icfg_1', 'prj_web', 'dpl_new', 'dpl_old']) {
      expect(collapsed).toContain(`<code>${id}</code>`)
    }
  })

  it('lists each variable once, with where it went, and never a prefixed copy', () => {
    const body = present(opened)
    for (const name of NAMES) {
      expect(occurrences(body, `<code>${name}</code>`)).toBe(1)
      expect(body).not.toContain(`PR42_${name}`)
    }
    expect(body).toContain(
      '<tr><th>Variable</th><th>Project <code>web</code>, as <code>PR42_</code>…</th><th><code>env</code> output</th><th>Branch <code>feature/login</code></th><th>Job&#39;s environment</th></tr>'.replace(
        '&#39;',
        "'"
      )
    )
    expect(body).toContain(
      '<tr><td><code>DATABASE_URL</code></td><td>✓</td><td>✓</td><td>written</td><td>✓</td></tr>'
    )
  })

  it('rerun: reused, nothing rebuilt, so no preview link and no time but the run’s', () => {
    const body = present(rerun)
    expect(body.split('\n')[1]).toBe(
      '**Vercel store of this pull request**: found by its key and reused.'
    )
    expect(body).toContain(
      '<td><code>feature/login</code></td><td>no rebuild needed</td><td>Jan 5, 2026 3:04pm</td>'
    )
    expect(body).toContain(
      '<tr><td><code>DATABASE_URL</code></td><td>✓</td><td>✓</td><td>✓</td><td>✓</td></tr>'
    )
    expect(linksAndImages(body).links).toEqual([DASHBOARD])
  })

  it('rerun: links the branch’s preview that was built with its variables, where Vercel gave its deployment host', () => {
    const body = present({
      ...rerun,
      currentPreview: {
        id: 'dpl_current',
        url: 'https://web-current-acme.vercel.app'
      }
    })
    expect(linksAndImages(body).links).toEqual([
      DASHBOARD,
      'https://web-current-acme.vercel.app'
    ])
    expect(body).toContain('Visit preview')
    expect(body).not.toContain('no rebuild needed')
  })

  it('without git-branch or redeploy: no branch, no preview', () => {
    const body = commentBody(KEY, {
      state: 'present',
      report: { ...rerun, branch: undefined, env: undefined, exported: [] },
      redeploy: false,
      updatedAt: AT
    })
    expect(body).toContain(
      '<td>available</td><td>—</td><td>—</td><td>Jan 5, 2026 3:04pm</td>'
    )
  })

  it('closed: one line saying what was deleted', () => {
    const body = commentBody(KEY, {
      state: 'absent',
      removed: [
        { id: 'store_1', name: 'web-pr-42-86f279ce', projects: ['web'] }
      ]
    })
    expect(body).toBe(
      '<!-- vercel-store-action:acme%2Fweb%2342 -->\n<p><b>Deleted</b> the Vercel store of this pull request: web-pr-42-86f279ce <code>store_1</code>, after disconnecting it from <code>web</code>.</p>\n'
    )
    expect(linksAndImages(body)).toMatchObject({ links: [], images: 0 })
  })

  it('closed with nothing left: one line too', () => {
    expect(commentBody(KEY, { state: 'absent', removed: [] })).toBe(
      `<!-- vercel-store-action:acme%2Fweb%2342 -->\n<p><b>Nothing left to delete</b>: no Vercel store had this pull request's key <code>acme/web&#35;42</code> any more.</p>\n`
    )
  })
})

describe('the job summary', () => {
  it.each([
    [
      'created, cancelled and redeployed',
      opened,
      'Created Vercel store web-pr-42-86f279ce, cancelled 1 build that predated its variables, redeployed its preview'
    ],
    ['reused', rerun, 'Reused Vercel store web-pr-42-86f279ce'],
    [
      'reused, two builds cancelled, none rebuilt',
      { ...rerun, cancelled: { ids: ['dpl_a', 'dpl_b'], finishedFirst: [] } },
      'Reused Vercel store web-pr-42-86f279ce, cancelled 2 builds that predated its variables'
    ]
  ])('says what the run did as its heading: %s', (_, report, heading) => {
    const html = summaryOf(report)
    expect(html.split('\n')[0]).toBe(`<h2>${heading}</h2>`)
  })

  it('says what the close deleted as its heading', () => {
    addRemovalToSummary(
      [{ id: 'store_1', name: 'web-pr-42-86f279ce', projects: ['web'] }],
      KEY
    )
    expect(core.summary.stringify().split('\n')[0]).toBe(
      '<h2>Deleted Vercel store web-pr-42-86f279ce</h2>'
    )
  })

  it('has the comment’s shape: the same table, the same collapsed part, each name once', () => {
    const html = summaryOf(opened)
    const body = present(opened)
    const glance = body.split('\n')[3]
    expect(html).toContain(`\n${glance}\n`)
    const details = body.slice(
      body.indexOf('<details>'),
      body.indexOf('</details>')
    )
    expect(html).toContain(details)
    for (const name of NAMES) {
      expect(occurrences(html, `<code>${name}</code>`)).toBe(1)
      expect(html).not.toContain(`PR42_${name}`)
    }
    expect(linksAndImages(html)).toMatchObject({
      links: [DASHBOARD, PREVIEW],
      images: 0
    })
    // One HTML block: no blank line for Markdown to start after.
    expect(html).not.toMatch(/\n[ \t]*\n/)
  })
})

describe('hostile strings from Vercel’s answer', () => {
  const hostile = [
    'evil.com/x',
    'a.vercel.app.evil.com',
    '[x](https://evil)',
    '![i](https://evil/i.png)',
    '<img src=x>',
    'https://evil.example',
    'www.evil.example',
    'me@evil.example',
    '<a href="https://evil">x</a>',
    'web.vercel.app/../evil',
    'https://web.vercel.app@evil.example',
    'https://web.vercel.app:8443',
    'https://web.vercel.app/?x=1',
    'WEB.VERCEL.APP',
    '-web.vercel.app',
    'x.y.vercel.app'
  ]

  it.each(hostile)(
    'as the deployment host, %s adds no link or image, and is shown as text',
    (host) => {
      const report = {
        ...opened,
        redeployed: { id: 'dpl_new', url: host, of: 'dpl_old' }
      }
      for (const markdown of [present(report), summaryOf(report)]) {
        expect(linksAndImages(markdown)).toMatchObject({
          links: [DASHBOARD],
          images: 0
        })
        expect(markdown).not.toContain('Visit preview')
      }
    }
  )

  it.each(hostile)(
    'as the host of the preview that needed no rebuild, %s adds no link or image',
    (host) => {
      const report = {
        ...rerun,
        currentPreview: { id: 'dpl_current', url: host }
      }
      for (const markdown of [present(report), summaryOf(report)]) {
        expect(linksAndImages(markdown)).toMatchObject({
          links: [DASHBOARD],
          images: 0
        })
        expect(markdown).not.toContain('Visit preview')
      }
    }
  )

  it.each(hostile)(
    'as the store’s name, status or product, %s adds no link or image',
    (text) => {
      const report = {
        ...opened,
        storeName: text,
        status: text,
        productName: text,
        billingPlanName: text,
        branch: { branch: text, written: [text], names: [text] },
        secretNames: [text]
      }
      for (const markdown of [
        present(report),
        summaryOf(report),
        commentBody(text, {
          state: 'absent',
          removed: [{ id: text, name: text, projects: [text] }]
        })
      ]) {
        const { links, images } = linksAndImages(markdown)
        expect(images).toBe(0)
        for (const href of links) expect([DASHBOARD, PREVIEW]).toContain(href)
      }
    }
  )

  it('a valid deployment host is linked as https:// and the host, nothing else', () => {
    for (const url of ['web-3k2j9x-acme.vercel.app', PREVIEW, `${PREVIEW}/`]) {
      const body = present({
        ...opened,
        redeployed: { id: 'dpl_new', url, of: 'dpl_old' }
      })
      expect(linksAndImages(body).links).toEqual([DASHBOARD, PREVIEW])
    }
  })
})

// GitHub's own renderer, where the machine has it (Debian's cmark-gfm, as
// npm run render-report uses): it autolinks user@host in Markdown text even
// where it is written as an entity, which micromark above does not.
const CMARK_GFM = '/usr/bin/cmark-gfm'

describe.skipIf(!existsSync(CMARK_GFM))('as cmark-gfm renders them', () => {
  function rendered(markdown: string): string {
    return execFileSync(
      CMARK_GFM,
      [
        '--unsafe',
        '--extension',
        'autolink',
        '--extension',
        'table',
        '--extension',
        'tagfilter'
      ],
      { input: markdown, encoding: 'utf8' }
    )
  }

  it.each([
    'me@evil.example',
    'mailto:a@b.co',
    'xmpp:a@evil.example',
    'www.evil.example'
  ])(
    'the close comment links nothing from a store or project named %s',
    (hostile) => {
      const html = rendered(
        commentBody(KEY, {
          state: 'absent',
          removed: [{ id: 'store_1', name: hostile, projects: [hostile] }]
        })
      )
      expect(html).not.toMatch(/<a |<img /)
      expect(html).toContain('Deleted')
    }
  )
})
