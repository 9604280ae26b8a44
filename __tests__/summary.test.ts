import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoreReport } from '../src/report.ts'
import { addFailureToSummary, addStoreToSummary } from '../src/summary.ts'

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

afterEach(() => {
  core.summary.emptyBuffer()
})

describe('the job summary', () => {
  it('shows the store, linked to the dashboard, and whether it was created', () => {
    addStoreToSummary(report)
    const html = core.summary.stringify()
    expect(html).toContain('<h2>Created Vercel store web-pr-1</h2>')
    expect(html).toContain(
      '<td><a href="https://vercel.com/acme/~/stores/integration/store_1">web-pr-1</a></td><td>Neon Postgres</td><td>available</td><td>Free</td><td><code>acme-web-pr-1</code></td>'
    )
    expect(html).toContain('Created by this run: <code>store_1</code>')
    expect(html).toContain(
      'Secrets (names only): <code>DATABASE_URL</code>, <code>PGHOST</code>'
    )
    expect(html).not.toContain('share this key')
  })

  it('says a reused store was found by its key, and lists duplicates', () => {
    addStoreToSummary({
      ...report,
      created: false,
      duplicates: [
        { id: 'store_2', name: 'web-pr-1', dashboardUrl: 'https://x/2' }
      ]
    })
    const html = core.summary.stringify()
    expect(html).toContain('<h2>Reused Vercel store web-pr-1</h2>')
    expect(html).toContain('Found by its key and reused')
    expect(html).toContain('1 more store(s) share this key')
    expect(html).toContain(
      '<li><a href="https://x/2">web-pr-1</a> <code>store_2</code></li>'
    )
  })

  it('escapes what Vercel or the user named', () => {
    addStoreToSummary({
      ...report,
      storeName: '<b>x</b>',
      productName: 'A & B',
      externalId: '"quoted"'
    })
    const html = core.summary.stringify()
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;')
    expect(html).toContain('A &amp; B')
    expect(html).toContain('&quot;quoted&quot;')
    expect(html).not.toContain('<b>x</b>')
  })

  it('shows a failure in one line', () => {
    addFailureToSummary('Input "team" must be <a team>.')
    expect(core.summary.stringify()).toBe(
      '<h2>Vercel store: failed</h2>\n<p>❌ Input &quot;team&quot; must be &lt;a team&gt;.</p>\n'
    )
  })
})
