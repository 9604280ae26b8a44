import * as core from '@actions/core'
import { Outputs } from './constants.js'
import type { StoreReport } from './report.js'

/** The one place that sets the step's outputs. */
export function setOutputs(report: StoreReport): void {
  const outputs: Record<(typeof Outputs)[keyof typeof Outputs], string> = {
    [Outputs.storeId]: report.storeId,
    [Outputs.storeName]: report.storeName,
    [Outputs.externalId]: report.externalId,
    [Outputs.created]: String(report.created),
    [Outputs.status]: report.status,
    [Outputs.integrationConfigurationId]: report.integrationConfigurationId,
    [Outputs.productId]: report.productId,
    [Outputs.billingPlanId]: report.billingPlanId,
    [Outputs.dashboardUrl]: report.dashboardUrl,
    [Outputs.secretNames]: JSON.stringify(report.secretNames)
  }
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, value)
  }
}
