/** The names of the action's inputs and outputs, as `action.yml` declares them. */
export const Inputs = {
  token: 'token',
  team: 'team',
  integration: 'integration',
  product: 'product',
  name: 'name',
  externalId: 'external-id',
  plan: 'plan',
  paymentMethod: 'payment-method',
  prepaymentAmountCents: 'prepayment-amount-cents',
  metadata: 'metadata',
  protocolSettings: 'protocol-settings',
  source: 'source',
  timeout: 'timeout',
  apiUrl: 'api-url',
  state: 'state',
  wait: 'wait',
  project: 'project',
  environments: 'environments',
  envPrefix: 'env-prefix',
  dryRun: 'dry-run',
  readEnv: 'read-env',
  comment: 'comment',
  githubToken: 'github-token',
  gitBranch: 'git-branch',
  exportEnv: 'export-env',
  variables: 'variables',
  redeploy: 'redeploy',
  fallback: 'fallback',
  maxStores: 'max-stores'
} as const

export const Outputs = {
  storeId: 'store-id',
  storeName: 'store-name',
  externalId: 'external-id',
  created: 'created',
  status: 'status',
  integrationConfigurationId: 'integration-configuration-id',
  productId: 'product-id',
  billingPlanId: 'billing-plan-id',
  dashboardUrl: 'dashboard-url',
  secretNames: 'secret-names',
  deleted: 'deleted',
  connectedProject: 'connected-project',
  envVarNames: 'env-var-names',
  env: 'env',
  deletedStoreIds: 'deleted-store-ids',
  deletedCount: 'deleted-count',
  redeployedDeploymentId: 'redeployed-deployment-id',
  redeployedDeploymentUrl: 'redeployed-deployment-url',
  cancelledDeploymentIds: 'cancelled-deployment-ids'
} as const

/** The environment variables that the Vercel CLI reads, used where an input is empty. */
export const FallbackEnv = {
  token: 'VERCEL_TOKEN',
  team: 'VERCEL_ORG_ID',
  project: 'VERCEL_PROJECT_ID'
} as const

/** Seconds the whole step may take, requests and waits included. */
export const DEFAULT_TIMEOUT_SECONDS = 300

export const DEFAULT_API_URL = 'https://api.vercel.com'

/** Where the runner's `GITHUB_API_URL` is not set. */
export const DEFAULT_GITHUB_API_URL = 'https://api.github.com'

export const USER_AGENT = 'vercel-store-action'
