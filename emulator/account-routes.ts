// What the Vercel CLI asks before any command (issue 20): who the token is
// (GET /v2/user) and the team it acts for (GET /teams/{idOrSlug}, and the
// SDK's GET /v2/teams/{teamId}); and a project's custom environments
// (GET /v9/projects/{idOrName}/custom-environments, which the CLI calls
// without the version) with the variables a pull of one environment gets
// (GET /v3/env/pull/{idOrName}/{target}/{gitBranch}). Shaped so that
// @vercel/sdk's schemas accept them and the CLI reads what it needs.
import { errorReply } from './http.ts'
import type { Reply } from './http.ts'
import type { CustomEnvironment, Project, ProjectRegistry } from './projects.ts'
import { MEMBER_TEAM_IDS, TEAMS, USER_ID } from './seed.ts'
import type { Team } from './seed.ts'

export interface AccountRequest {
  ownerId: string
  params: Record<string, string>
  projects: ProjectRegistry
}

// A fixed moment for what the emulator has no history of (2025-01-01).
const SINCE = 1_735_689_600_000

export const USER = {
  id: USER_ID,
  email: 'dev@emulator.invalid',
  name: 'Emulator Developer',
  username: 'emulator-dev'
}

export function getUser(): Reply {
  return {
    status: 200,
    body: {
      user: {
        ...USER,
        createdAt: SINCE,
        softBlock: null,
        billing: null,
        resourceConfig: {},
        stagingPrefix: 'emulator-dev',
        hasTrialAvailable: false,
        avatar: null,
        defaultTeamId: TEAMS[0].id,
        version: 'northstar',
        limited: false
      }
    }
  }
}

export function getTeam({ params }: AccountRequest): Reply {
  const idOrSlug = params.idOrSlug
  const team = TEAMS.find(
    ({ id, slug }) => id === idOrSlug || slug === idOrSlug
  )
  if (!team || !MEMBER_TEAM_IDS.has(team.id)) {
    // Vercel's answer for a team the token cannot see (a guess at the code).
    return errorReply(403, 'forbidden', 'Not authorized')
  }
  return { status: 200, body: teamJson(team) }
}

function teamJson(team: Team): Record<string, unknown> {
  return {
    id: team.id,
    slug: team.slug,
    name: team.slug.charAt(0).toUpperCase() + team.slug.slice(1),
    avatar: null,
    createdAt: SINCE,
    updatedAt: SINCE,
    creatorId: USER_ID,
    membership: {
      role: 'OWNER',
      confirmed: true,
      created: SINCE,
      createdAt: SINCE,
      uid: USER_ID
    },
    billing: { plan: 'pro' },
    stagingPrefix: team.slug,
    enabledInvoiceItems: {},
    resourceConfig: {}
  }
}

export function listCustomEnvironments(request: AccountRequest): Reply {
  const project = findProject(request)
  if (!project) return errorReply(404, 'not_found', 'Project not found')
  return {
    status: 200,
    body: {
      // A guess at the limit: Pro's documented 12 custom environments.
      accountLimit: { total: 12 },
      environments: project.customEnvironments.map(customEnvironmentJson)
    }
  }
}

export function getCustomEnvironment(request: AccountRequest): Reply {
  const project = findProject(request)
  if (!project) return errorReply(404, 'not_found', 'Project not found')
  const wanted = request.params.environmentSlugOrId
  const found = project.customEnvironments.find(
    ({ id, slug }) => id === wanted || slug === wanted
  )
  if (!found) {
    return errorReply(404, 'not_found', 'Custom environment not found')
  }
  return { status: 200, body: customEnvironmentJson(found) }
}

function customEnvironmentJson(
  environment: CustomEnvironment
): Record<string, unknown> {
  return {
    id: environment.id,
    slug: environment.slug,
    type: 'preview',
    description: environment.description,
    domains: [],
    createdAt: environment.createdAt,
    updatedAt: environment.updatedAt
  }
}

/**
 * The variables a build of one environment (and Git branch) gets, values
 * decrypted, as `vercel env pull` writes them to `.env.local`: those of the
 * target, or of the custom environment given by slug or id, and of a
 * preview branch those scoped to it over those of every branch.
 */
export function pullEnv(request: AccountRequest): Reply {
  const project = findProject(request)
  if (!project) return errorReply(404, 'not_found', 'Project not found')
  const { target = 'development', gitBranch } = request.params
  const custom = project.customEnvironments.find(
    ({ id, slug }) => id === target || slug === target
  )
  const inEnvironment = project.env.filter((envVar) =>
    custom
      ? (envVar.customEnvironmentIds ?? []).includes(custom.id)
      : (envVar.target as string[]).includes(target)
  )
  const env: Record<string, string> = {}
  for (const envVar of inEnvironment) {
    if (envVar.gitBranch === undefined) env[envVar.key] = envVar.value
  }
  for (const envVar of inEnvironment) {
    if (gitBranch && envVar.gitBranch === gitBranch) {
      env[envVar.key] = envVar.value
    }
  }
  return { status: 200, body: { env } }
}

function findProject({
  ownerId,
  params,
  projects
}: AccountRequest): Project | undefined {
  return projects.find(ownerId, params.idOrName)
}
