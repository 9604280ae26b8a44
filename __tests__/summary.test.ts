import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoreReport } from '../src/report.ts'
import type { ViewOptions } from '../src/store-view.ts'
import {
  addFailureToSummary,
  addRemovalToSummary,
  addStoreToSummary
} from '../src/summary.ts'

const report: StoreReport = {
  storeId: 'store_1',
  storeName: 'web-pr-1',
  externalId: 'acme-web-pr-1',
  created: true,
  status: 'available',
  integrationConfigurationId: 'icfg_a',
  productId: 'iap_neon',
  productName: 'Neon Postgres',
  billingPlanId: 'bp_free',
  billingPlanName: 'Free',
  dashboardUrl: 'https://vercel.com/acme/~/stores/integration/store_1',
  secretNames: ['DATABASE_URL', 'PGHOST'],
  duplicates: []
}

/** A fixed clock: 5 January 2026, 15:04 UTC. */
const VIEW: ViewOptions = {
  redeploy: false,
  updatedAt: Date.UTC(2026, 0, 5, 15, 4)
}

afterEach(() => {
  core.summary.emptyBuffer()
})

describe('the job summary', () => {
  it('shows the store, linked to the dashboard, and whether it was created', () => {
    addStoreToSummary(report, VIEW)
    const html = core.summary.stringify()
    expect(html).toContain('<h2>Created Vercel store web-pr-1</h2>')
    expect(html).toContain(
      '<tr><td><a href="https://vercel.com/acme/~/stores/integration/store_1">web-pr-1</a></td><td>available</td><td>—</td><td>—</td><td>Jan 5, 2026 3:04pm</td></tr>'
    )
    expect(html).toContain(
      '<tr><td><b>Store</b></td><td><code>store_1</code>, created by this run</td></tr>'
    )
    expect(html).toContain(
      '<tr><td><b>Product</b></td><td>Neon Postgres, plan Free</td></tr>'
    )
    expect(html).toContain(
      '<tr><th>Variable</th></tr><tr><td><code>DATABASE_URL</code></td></tr><tr><td><code>PGHOST</code></td></tr>'
    )
    expect(html).not.toContain('share this key')
  })

  it('says a reused store was found by its key, and lists duplicates', () => {
    addStoreToSummary(
      {
        ...report,
        created: false,
        duplicates: [
          {
            id: 'store_2',
            name: 'web-pr-1',
            dashboardUrl: 'https://vercel.com/acme/~/stores/integration/store_2'
          }
        ]
      },
      VIEW
    )
    const html = core.summary.stringify()
    expect(html).toContain('<h2>Reused Vercel store web-pr-1</h2>')
    expect(html).toContain('found by its key and reused')
    expect(html).toContain('1 more store(s) share this key')
    expect(html).toContain(
      '<li><a href="https://vercel.com/acme/~/stores/integration/store_2">web-pr-1</a> <code>store_2</code></li>'
    )
  })

  it('escapes what Vercel or the user named', () => {
    addStoreToSummary(
      {
        ...report,
        storeName: '<b>x</b>',
        productName: 'A & B',
        externalId: '"quoted"'
      },
      VIEW
    )
    const html = core.summary.stringify()
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(html).toContain('A &amp; B')
    expect(html).toContain('&quot;quoted&quot;')
    expect(html).not.toContain('<b>x</b>')
  })

  it('links to the Vercel dashboard only', () => {
    addStoreToSummary(
      {
        ...report,
        dashboardUrl: 'javascript:alert(1)',
        duplicates: [{ id: 'store_2', name: 'b', dashboardUrl: 'https://x/2' }]
      },
      VIEW
    )
    const html = core.summary.stringify()
    expect(html).not.toContain('<a ')
    expect(html).toContain('<td>web-pr-1</td>')
  })

  it('keeps Markdown and line breaks out of what Vercel named', () => {
    addStoreToSummary(
      {
        ...report,
        storeName:
          'a\n\n[x](http://e.test) ![i](y) `c` | *b* ~s~ #h \\ www.e.test u@e.test',
        status: 'x\r\ny\u2028z'
      },
      VIEW
    )
    const html = core.summary.stringify()
    expect(html).toContain(
      'a &#91;x&#93;&#40;http&#58;//e.test&#41; &#33;&#91;i&#93;&#40;y&#41; &#96;c&#96; &#124; &#42;b&#42; &#126;s&#126; &#35;h &#92; www&#46;e.test u&#64;e.test'
    )
    expect(html).toContain('<td>x y z</td>')
    expect(html).not.toMatch(/\n\s*\n/)
  })

  it('cuts long names and lists, saying how many it left out', () => {
    addStoreToSummary(
      {
        ...report,
        storeName: 'n'.repeat(1_000),
        secretNames: Array.from({ length: 30 }, (_, index) => `S${index}`),
        duplicates: Array.from({ length: 40 }, (_, index) => ({
          id: `store_d${index}`,
          name: 'd',
          dashboardUrl: ''
        }))
      },
      VIEW
    )
    const html = core.summary.stringify()
    expect(html).toContain(`${'n'.repeat(256)}…`)
    expect(html).not.toContain('n'.repeat(257))
    expect(html).toContain('<code>S24</code>')
    expect(html).toContain('<tr><td>…and 5 more</td></tr>')
    expect(html).not.toContain('<code>S25</code>')
    expect(html).toContain('<li>…and 15 more</li>')
  })

  it('shows a failure in one line', () => {
    addFailureToSummary('Input "team" must be <a team>.')
    expect(core.summary.stringify()).toBe(
      '<h2>Vercel store: failed</h2>\n<p>❌ Input &quot;team&quot; must be &lt;a team&gt;.</p>\n'
    )
  })
})

describe('the job summary of the lifecycle', () => {
  it('names the connected project and the variables it got', () => {
    addStoreToSummary(
      {
        ...report,
        created: false,
        connection: {
          projectId: 'prj_web',
          projectName: 'web',
          envVarNames: ['PR1_DATABASE_URL'],
          environments: ['development'],
          connected: true
        }
      },
      VIEW
    )
    const html = core.summary.stringify()
    expect(html).toContain(
      '<tr><td><b>Project</b></td><td><code>web</code> (<code>prj_web</code>), connected by this run for <code>development</code></td></tr>'
    )
    // Without a known prefix, by the project's own names.
    expect(html).toContain(
      '<th>Variable</th><th>Project <code>web</code></th></tr><tr><td><code>DATABASE_URL</code></td><td>—</td></tr><tr><td><code>PGHOST</code></td><td>—</td></tr><tr><td><code>PR1_DATABASE_URL</code></td><td>✓</td></tr>'
    )
  })

  it('says when the connection was already in place', () => {
    addStoreToSummary(
      {
        ...report,
        created: false,
        connection: {
          projectId: 'prj_web',
          envVarNames: [],
          environments: ['development'],
          connected: false
        }
      },
      VIEW
    )
    expect(core.summary.stringify()).toContain(
      '<tr><td><b>Project</b></td><td><code>prj_web</code>, already connected for <code>development</code></td></tr>'
    )
  })

  it('lists every store deleted with the projects it left', () => {
    addRemovalToSummary(
      [
        { id: 'store_1', name: 'web-pr-1', projects: ['web', 'a<b'] },
        { id: 'store_2', name: 'web-pr-1', projects: [] }
      ],
      'acme-web-pr-1'
    )
    const html = core.summary.stringify()
    expect(html).toContain('<h2>Deleted 2 Vercel stores with one key</h2>')
    expect(html).toContain(
      '<td>web-pr-1</td><td><code>store_1</code></td><td><code>web</code>, <code>a&lt;b</code></td>'
    )
    expect(html).toContain(
      '<td>web-pr-1</td><td><code>store_2</code></td><td>—</td>'
    )
  })

  it('lists at most 25 deleted stores, and 10 projects of each', () => {
    addRemovalToSummary(
      Array.from({ length: 30 }, (_, index) => ({
        id: `store_${index}`,
        name: 'web-pr-1',
        projects: Array.from({ length: 12 }, (_, project) => `p${project}`)
      })),
      'acme-web-pr-1'
    )
    const html = core.summary.stringify()
    expect(html).toContain('<h2>Deleted 30 Vercel stores with one key</h2>')
    expect(html).toContain('<code>store_24</code>')
    expect(html).not.toContain('<code>store_25</code>')
    expect(html).toContain('<code>p9</code> …and 2 more</td>')
    expect(html).toContain('<p>…and 5 more, not listed here. Key:')
  })

  it('says when there was nothing to delete', () => {
    addRemovalToSummary([], 'acme-web-pr-1')
    expect(core.summary.stringify()).toContain(
      '<h2>No Vercel store to delete</h2>\n<p>No store has the key <code>acme-web-pr-1</code>.</p>'
    )
  })
})
