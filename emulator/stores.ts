import { clock } from './clock.ts'
import { randomInt } from 'node:crypto'
import { randomAlphanumeric } from './ids.ts'
import type { BillingPlan, Installation, Product } from './seed.ts'
import type {
  MetadataValue,
  ProjectConnection,
  StoreNotification as VercelStoreNotification,
  VercelStore
} from '../src/vercel-types.ts'

/*
 * The shapes the emulator answers with are the action's own (src/vercel-types.ts),
 * with every field present that Vercel always sends: one definition, so
 * that the two cannot drift apart.
 */

export type StoreMetadata = Record<string, MetadataValue>

/** A store as the API returns it (before the per-response trimming). */
export interface StoreJson extends Required<
  Pick<VercelStore, 'id' | 'name' | 'createdAt'>
> {
  type: 'integration'
  status: string
  externalResourceId: string
  updatedAt: number
  ownerId: string
  ownership: 'owned'
  usageQuotaExceeded: boolean
  projectsMetadata: ProjectMetadata[]
  metadata: StoreMetadata
  product: Required<NonNullable<VercelStore['product']>> & {
    supportedProtocols: string[]
    primaryProtocol: string
    integration: { id: string; slug: string; name: string; icon: string }
  }
  protocolSettings?: Record<string, unknown>
  secrets: { name: string; length: number }[]
  billingPlan: BillingPlan
  notification?: StoreNotification
  /** Where the team limited the resource's credentials (Production only). */
  targets?: string[]
}

/** One connected project, in the shape of api-notes §2. */
export type ProjectMetadata = Required<ProjectConnection> & {
  framework: string | null
}

/** What Vercel shows about a store that needs attention (api-notes §2). */
export type StoreNotification = VercelStoreNotification & {
  title: string
  level: 'error' | 'info' | 'warn'
}

/** A store as the emulator keeps it: the JSON plus what the API hides. */
export interface StoreRecord extends StoreJson {
  teamId: string
  externalId?: string
}

export interface NewStore {
  teamId: string
  installation: Installation
  product: Product
  name: string
  billingPlan: BillingPlan
  metadata?: StoreMetadata
  protocolSettings?: Record<string, unknown>
  externalId?: string
  status?: string
  notification?: StoreNotification
  createdAt?: number
  targets?: string[]
}

export interface StoreJsonOptions {
  includeId: boolean
  includeExternalId: boolean
}

export class StoreRegistry {
  #records: StoreRecord[] = []
  #lastCreatedAt = 0
  /** Per store id, how many more listings leave it out. */
  #lagging = new Map<string, number>()

  add(input: NewStore): StoreRecord {
    const createdAt = input.createdAt ?? this.#nextCreatedAt()
    const { installation, product } = input
    const record: StoreRecord = {
      id: `store_${randomAlphanumeric(24)}`,
      name: input.name,
      type: 'integration',
      status: input.status ?? 'available',
      externalResourceId: `${installation.integration.slug}-${randomAlphanumeric(16).toLowerCase()}`,
      createdAt,
      updatedAt: createdAt,
      ownerId: input.teamId,
      ownership: 'owned',
      usageQuotaExceeded: false,
      projectsMetadata: [],
      metadata: input.metadata ?? {},
      product: {
        id: product.id,
        slug: product.slug,
        name: product.name,
        integrationConfigurationId: installation.id,
        supportedProtocols: ['storage'],
        primaryProtocol: 'storage',
        integration: {
          id: installation.integration.id,
          slug: installation.integration.slug,
          name: installation.integration.name,
          icon: installation.integration.icon
        }
      },
      secrets: product.secrets.map((name) => ({
        name,
        length: randomInt(16, 160)
      })),
      billingPlan: input.billingPlan,
      teamId: input.teamId
    }
    if (input.protocolSettings !== undefined) {
      record.protocolSettings = input.protocolSettings
    }
    if (input.externalId !== undefined) record.externalId = input.externalId
    if (input.notification !== undefined) {
      record.notification = input.notification
    }
    if (input.targets !== undefined) record.targets = [...input.targets]
    this.#records.push(record)
    return record
  }

  /** The store added last, if any: the live record. */
  latest(): StoreRecord | undefined {
    return this.#records.at(-1)
  }

  /** Leaves the store out of the next `listings` listings (a lagging index). */
  hideFromListings(id: string, listings: number): void {
    if (listings > 0) this.#lagging.set(id, listings)
  }

  /**
   * The ids one listing leaves out, counting that listing against each: call
   * once per listing request.
   */
  takeHiddenFromListing(): Set<string> {
    const hidden = new Set(this.#lagging.keys())
    for (const [id, listings] of this.#lagging) {
      if (listings <= 1) this.#lagging.delete(id)
      else this.#lagging.set(id, listings - 1)
    }
    return hidden
  }

  all(): StoreRecord[] {
    return structuredClone(this.#records)
  }

  remove(id: string): void {
    this.#records = this.#records.filter((record) => record.id !== id)
  }

  /** The live record (not a copy), for the emulator's own changes. */
  byId(id: string): StoreRecord | undefined {
    return this.#records.find((record) => record.id === id)
  }

  ofOwner(ownerId: string): StoreRecord[] {
    return this.#records.filter((record) => record.teamId === ownerId)
  }

  find(ownerId: string, id: string): StoreRecord | undefined {
    return this.ofOwner(ownerId).find((record) => record.id === id)
  }

  // Strictly increasing even within one millisecond: clients sort by it.
  #nextCreatedAt(): number {
    this.#lastCreatedAt = Math.max(clock.now(), this.#lastCreatedAt + 1)
    return this.#lastCreatedAt
  }
}

export function toStoreJson(
  record: StoreRecord,
  options: StoreJsonOptions
): Partial<StoreRecord> {
  const json: Partial<StoreRecord> = { ...record }
  delete json.teamId
  if (!options.includeExternalId) delete json.externalId
  if (!options.includeId) delete json.id
  return json
}
