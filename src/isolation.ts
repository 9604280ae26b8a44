/**
 * The checks that keep each pull request's preview on its own store, and
 * the number of stores bounded (issue 19), made from what the step has read
 * anyway, before anything is written:
 * - a project-wide preview variable of a store's name, which the first,
 *   racing build of every pull request reads instead of its own store;
 * - a store whose team settings (`targets`, e.g. Production only) keep its
 *   credentials from the environments the step would hand them to;
 * - `max-stores`: this repository's stores of the product, in the listing.
 */
import { Inputs } from './constants.ts'
import { ActionError } from './errors.ts'
import type { ActionInputs } from './inputs.ts'
import { pullRequestOfStoreName, type Repository } from './naming.ts'
import type { ProjectEnvVar, VercelStore } from './vercel-types.ts'

/**
 * The project's variables that every preview reads, whatever its branch
 * (target preview, no `gitBranch`), named as one of the store's: a build that
 * starts before the branch has its own reads these instead.
 */
export function fallbackVariables(
  variables: ProjectEnvVar[],
  isStoreName: (name: string) => boolean
): string[] {
  const names = variables.flatMap(({ key, target, gitBranch }) => {
    const targets = Array.isArray(target) ? target : [target]
    return key !== undefined &&
      !gitBranch &&
      targets.includes('preview') &&
      isStoreName(key)
      ? [key]
      : []
  })
  return [...new Set(names)].sort()
}

/**
 * Says, once, that the first build of every pull request would use the
 * project-wide variables instead of the store: a warning, or with
 * `fallback: fail` a failure before any store is made.
 */
export function reportFallback(
  names: string[],
  { project, fallback }: Pick<ActionInputs, 'project' | 'fallback'>,
  warn: (line: string) => void
): void {
  if (names.length === 0) return
  const line = `Project ${project} has ${names.length === 1 ? 'a variable' : 'variables'} ${names.join(', ')} for all previews: a preview the Git integration builds before this step has written the branch's own reads ${names.length === 1 ? 'it' : 'them'} instead of the pull request's store (and runs its migrations there). Scope ${names.length === 1 ? 'it' : 'them'} to Production and Development in the project's settings, or set "${Inputs.fallback}" to fail to stop here.`
  if (fallback === 'fail') {
    throw new ActionError(
      `${line.replace(/, or set .*$/, '')}; no store was created.`
    )
  }
  warn(line)
}

/**
 * The environments the step hands the store's credentials to: those it
 * connects, and with `git-branch` the branch's previews.
 */
export function environmentsNeeded(
  inputs: Pick<ActionInputs, 'environments' | 'gitBranch'>
): string[] {
  const needed = new Set<string>(inputs.environments)
  if (inputs.gitBranch !== undefined) needed.add('preview')
  return [...needed]
}

/**
 * Fails where the team has kept the store's credentials from an environment
 * the step needs (a resource set to Production only): Vercel's own setting,
 * which the step must not get around by copying the values elsewhere.
 */
export function checkTargets(
  store: VercelStore & { id: string },
  needed: string[],
  { created }: { created: boolean }
): void {
  const { targets } = store
  if (!targets) return
  const refused = needed.filter((environment) => !targets.includes(environment))
  if (refused.length === 0) return
  const allowed = targets.length > 0 ? targets.join(', ') : 'no environment'
  throw new ActionError(
    `Store ${store.id} may reach only ${allowed}, as the team set it (${targets.length === 1 && targets[0] === 'production' ? 'Production-only access' : 'its environments'}), and this step needs ${refused.join(', ')}${created ? '; the store was created but not connected, and the close (or a prune) deletes it' : '; nothing was connected or written'}. Allow ${refused.join(' and ')} for the resource in the integration's settings in the Vercel dashboard, or choose "${Inputs.environments}" within ${allowed} and drop "${Inputs.gitBranch}".`
  )
}

/** A store of this repository, and the pull request it was made for. */
interface RepositoryStore {
  id: string
  pullRequest?: number
}

/**
 * `max-stores`: fails before a create where the listing already holds that
 * many stores of this product for this repository, naming the pull requests
 * that hold them. Stores are this repository's by their default names, or by
 * a listed key of its own.
 */
export function checkStoreCount(
  listed: VercelStore[],
  {
    maxStores,
    repository,
    product
  }: {
    maxStores: number | undefined
    repository: Repository | undefined
    product: { id?: string; slug?: string }
  }
): void {
  if (maxStores === undefined || repository === undefined) return
  const ours = repositoryStores(listed, repository, product)
  if (ours.length < maxStores) return
  const held = ours
    .map(({ id, pullRequest }) =>
      pullRequest === undefined ? id : `#${pullRequest}`
    )
    .sort(byPullRequest)
  throw new ActionError(
    `${repository.owner}/${repository.repo} already has ${ours.length} stores of this product (${held.join(', ')}), and "${Inputs.maxStores}" is ${maxStores}; no store was created. Close or merge one of those pull requests (a prune deletes the stores of closed ones), or raise "${Inputs.maxStores}".`
  )
}

function repositoryStores(
  listed: VercelStore[],
  repository: Repository,
  product: { id?: string; slug?: string }
): RepositoryStore[] {
  const slug = `${repository.owner}/${repository.repo}`.toLowerCase()
  const seen = new Set<string>()
  return listed.flatMap((store) => {
    if (!store.id || seen.has(store.id) || !isOfProduct(store, product)) {
      return []
    }
    const pullRequest =
      store.name === undefined
        ? undefined
        : pullRequestOfStoreName(store.name, repository)
    const key = store.externalId?.toLowerCase()
    const keyIsOurs =
      key !== undefined &&
      (key.startsWith(`${slug}#`) || key.startsWith(`${slug}@`))
    if (pullRequest === undefined && !keyIsOurs) return []
    seen.add(store.id)
    const fromKey = keyIsOurs ? /#(\d+)$/.exec(key ?? '')?.[1] : undefined
    return [
      {
        id: store.id,
        pullRequest: pullRequest ?? (fromKey ? Number(fromKey) : undefined)
      }
    ]
  })
}

/** A listed store that names no product is counted: it may be this one. */
function isOfProduct(
  store: VercelStore,
  product: { id?: string; slug?: string }
): boolean {
  const listed = store.product
  if (!listed || (!listed.id && !listed.slug)) return true
  return (
    (listed.id !== undefined && listed.id === product.id) ||
    (listed.slug !== undefined && listed.slug === product.slug)
  )
}

function byPullRequest(a: string, b: string): number {
  const number = (text: string) =>
    text.startsWith('#') ? Number(text.slice(1)) : Number.POSITIVE_INFINITY
  return number(a) - number(b) || a.localeCompare(b)
}
