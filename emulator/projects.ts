import { clock } from './clock.ts'
import { randomAlphanumeric } from './ids.ts'
import { madeUpSecrets } from './secret-values.ts'
import { OTHER_TEAM, TEAM } from './seed.ts'
import type { EnvContentHint, ProjectEnvVar } from '../src/vercel-types.ts'

export type Environment = 'production' | 'preview' | 'development'

export const ENVIRONMENTS: readonly Environment[] = [
  'production',
  'preview',
  'development'
]

/** The types `POST /v10/projects/{idOrName}/env` takes. */
export type EnvType = 'system' | 'secret' | 'encrypted' | 'plain' | 'sensitive'

/**
 * A project's environment variable, value included (the API hides it): the
 * action's `ProjectEnvVar` with every field there.
 */
export interface EnvVar extends Required<
  Pick<ProjectEnvVar, 'id' | 'key' | 'value'>
> {
  target: Environment[]
  type: EnvType
  /** Set on a preview variable scoped to one Git branch. */
  gitBranch?: string
  comment?: string
  createdAt?: number
  updatedAt?: number
  /** Set on the variables a store connection created. */
  contentHint?: Required<EnvContentHint> & { type: 'integration-store-secret' }
  /** The connection that created it, so disconnecting removes it. */
  connectionId?: string
  /** The custom environments (their `env_…` ids) it is set in, if any. */
  customEnvironmentIds?: string[]
}

/**
 * A custom environment of a project (Vercel's "staging", say): variables and
 * store connections name it by its `env_…` id, the CLI and the action's
 * `environments` input by its slug or id.
 */
export interface CustomEnvironment {
  id: string
  slug: string
  description: string
  createdAt: number
  updatedAt: number
}

export interface Project {
  id: string
  name: string
  accountId: string
  framework: string | null
  createdAt: number
  updatedAt: number
  env: EnvVar[]
  customEnvironments: CustomEnvironment[]
  /**
   * The Git repository the project deploys from, as GET /v9/projects
   * answers it in `link`; none where the project is not linked to one.
   */
  gitLink?: { org: string; repo: string; productionBranch: string }
}

interface SeedProject {
  id: string
  name: string
  accountId: string
  framework: string | null
  /** Variables set by hand, not by a store. */
  env: { key: string; target: Environment[] }[]
  customEnvironments?: { id: string; slug: string }[]
}

/** The custom environment `staging` of the seeded project `web`. */
export const STAGING_ENVIRONMENT_ID = 'env_emuWebStaging01'

/** The projects every emulator starts with. */
export const SEED_PROJECTS: readonly SeedProject[] = [
  {
    id: 'prj_emuWeb0001',
    name: 'web',
    accountId: TEAM.id,
    framework: 'nextjs',
    env: [{ key: 'NEXT_PUBLIC_SITE_NAME', target: ['production', 'preview'] }],
    customEnvironments: [{ id: STAGING_ENVIRONMENT_ID, slug: 'staging' }]
  },
  {
    id: 'prj_emuApi0001',
    name: 'api',
    accountId: TEAM.id,
    framework: null,
    // A hand-made DATABASE_URL: connecting a Neon store without a prefix
    // collides with it.
    env: [{ key: 'DATABASE_URL', target: ['preview', 'development'] }]
  },
  {
    id: 'prj_globexWeb01',
    name: 'web',
    accountId: OTHER_TEAM.id,
    framework: 'nextjs',
    env: []
  }
]

/** Every team's projects, and the secret values of every store. */
export class ProjectRegistry {
  #projects: Project[]
  #secretValues = new Map<string, Record<string, string>>()
  #presetValues = new Map<string, Record<string, string>>()

  constructor() {
    const now = clock.now()
    this.#projects = SEED_PROJECTS.map((seed) => ({
      id: seed.id,
      name: seed.name,
      accountId: seed.accountId,
      framework: seed.framework,
      createdAt: now,
      updatedAt: now,
      // Every seeded project deploys production from main, as a new
      // project linked to GitHub does.
      gitLink: { org: 'acme', repo: seed.name, productionBranch: 'main' },
      customEnvironments: (seed.customEnvironments ?? []).map(
        ({ id, slug }) => ({
          id,
          slug,
          description: `The ${slug} environment`,
          createdAt: now,
          updatedAt: now
        })
      ),
      env: seed.env.map(({ key, target }) => ({
        id: newEnvId(),
        key,
        value: `hand-set-${randomAlphanumeric(12)}`,
        target: [...target],
        type: 'encrypted' as const
      }))
    }))
  }

  /** A project of this owner, by id or by name. */
  find(ownerId: string, idOrName: string): Project | undefined {
    return this.#projects.find(
      (project) =>
        project.accountId === ownerId &&
        (project.id === idOrName || project.name === idOrName)
    )
  }

  /**
   * Puts a variable on the project as it is given, in place of the one of
   * its id or after the others: a person's change in the dashboard.
   */
  putEnv(projectId: string, envVar: EnvVar): void {
    const project = this.#projects.find(({ id }) => id === projectId)
    if (!project) throw new Error(`putEnvVar: no project ${projectId}`)
    const index = project.env.findIndex(({ id }) => id === envVar.id)
    if (index === -1) project.env.push(structuredClone(envVar))
    else project.env[index] = structuredClone(envVar)
  }

  /** Unlinks the project from its Git repository: its answer has no `link`. */
  unlinkGit(projectId: string): void {
    const project = this.#projects.find(({ id }) => id === projectId)
    if (!project) throw new Error(`unlinkGit: no project ${projectId}`)
    delete project.gitLink
  }

  all(): Project[] {
    return structuredClone(this.#projects)
  }

  /** The store's secret values, made up once per store (secret-values.ts). */
  secretsOf(
    storeId: string,
    productSlug: string,
    names: string[]
  ): Record<string, string> {
    let values = this.#secretValues.get(storeId)
    if (!values) {
      values = {
        ...madeUpSecrets(storeId, productSlug, names),
        ...this.#presetValues.get(storeId)
      }
      this.#secretValues.set(storeId, values)
    }
    return values
  }

  /** Values a store's secrets will have, set before it is connected. */
  presetSecrets(storeId: string, values: Record<string, string>): void {
    this.#presetValues.set(storeId, { ...values })
  }

  /** Every secret value the emulator has handed to a project. */
  secretValues(): string[] {
    return [...this.#secretValues.values()].flatMap(Object.values)
  }
}

export function newEnvId(): string {
  return randomAlphanumeric(16)
}
