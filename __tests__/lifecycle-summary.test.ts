import * as core from '@actions/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { StoreReport } from '../src/report.ts'
import { addRemovalToSummary, addStoreToSummary } from '../src/summary.ts'

afterEach(() => {
  core.summary.emptyBuffer()
})

const report: StoreReport = {
  storeId: 'store_1',
  storeName: 'web-pr-1',
  externalId: 'acme-web-pr-1',
  created: false,
  status: 'available',
  integrationConfigurationId: 'icfg_a',
  productId: 'iap_neon',
  productName: 'Neon Postgres',
  billingPlanId: 'bp_free',
  billingPlanName: 'Free',
  dashboardUrl: 'https://vercel.com/acme/~/stores/integration/store_1',
  secretNames: ['DATABASE_URL'],
  duplicates: []
}

describe('the job summary of the lifecycle', () => {
  it('names the connected project and the variables it got', () => {
    addStoreToSummary({
      ...report,
      connection: {
        projectId: 'prj_web',
        projectName: 'web',
        envVarNames: ['PR1_DATABASE_URL'],
        connected: true
      }
    })
    expect(core.summary.stringify()).toContain(
      'Connected to project <code>web</code> (<code>prj_web</code>); variables (names only): <code>PR1_DATABASE_URL</code>'
    )
  })

  it('says when the connection was already in place', () => {
    addStoreToSummary({
      ...report,
      connection: {
        projectId: 'prj_web',
        envVarNames: [],
        connected: false
      }
    })
    expect(core.summary.stringify()).toContain(
      'Already connected to project <code>prj_web</code>; variables (names only): none'
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

  it('says when there was nothing to delete', () => {
    addRemovalToSummary([], 'acme-web-pr-1')
    expect(core.summary.stringify()).toContain(
      '<h2>No Vercel store to delete</h2>\n<p>No store has the key <code>acme-web-pr-1</code>.</p>'
    )
  })
})
