import { ActionError } from '../action-error.js'

/**
 * Every path with an id in it is built here. `encodeURIComponent` leaves `.`
 * and `..` as they are, and the URL parser then drops or climbs that
 * segment: `DELETE /v1/storage/stores/..` would reach
 * `DELETE /v1/storage/stores/`. Inputs and answers are checked for such ids
 * earlier, with a message naming where they came from; this is the last
 * guard, so that no request ever goes to a path it was not meant for.
 */
export function segment(id: string): string {
  if (id === '' || id === '.' || id === '..') {
    throw new ActionError(
      `Refusing to send a request for the id ${JSON.stringify(id)}: it would change the request's path. Check the inputs, and what Vercel answered before.`
    )
  }
  return encodeURIComponent(id)
}

/** `/v1/storage/stores/{id}` */
export function storePath(storeId: string): string {
  return `/v1/storage/stores/${segment(storeId)}`
}

/** `/v1/storage/stores/integration/{id}`: where a store is deleted. */
export function integrationStorePath(storeId: string): string {
  return `/v1/storage/stores/integration/${segment(storeId)}`
}

/** `/{version}/projects/{idOrName}` */
export function projectPath(idOrName: string, version: string): string {
  return `/${version}/projects/${segment(idOrName)}`
}

/** `/v1/projects/{idOrName}/env/{id}` */
export function projectEnvPath(idOrName: string, envId: string): string {
  return `${projectPath(idOrName, 'v1')}/env/${segment(envId)}`
}

/** `/v1/integrations/configuration/{id}/products` */
export function productsPath(integrationConfigurationId: string): string {
  return `/v1/integrations/configuration/${segment(integrationConfigurationId)}/products`
}

/** `/v1/integrations/integration/{idOrSlug}/products/{idOrSlug}/plans` */
export function plansPath(
  integrationIdOrSlug: string,
  productIdOrSlug: string
): string {
  return `/v1/integrations/integration/${segment(integrationIdOrSlug)}/products/${segment(productIdOrSlug)}/plans`
}
