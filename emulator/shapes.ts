/**
 * The shape of a JSON answer: its keys and their types, never a value. The
 * live check (`npm run live`) records the shapes of Vercel's answers in a
 * report; the emulator can load that report and shape its own answers to
 * match, so that what the live API showed becomes what the tests run against.
 */

/**
 * Path (`$.stores[].id`) to type (`string`, `object`, `null|string`…). An
 * array's elements share the path `…[]`; a map (metadata, whose keys are the
 * product's) is recorded as `map`, without its keys.
 */
export type Shape = Record<string, string>

/** Every answer of one route within one step, merged. */
export interface RouteShape {
  /** Method and path template, as the emulator's ROUTES spell it. */
  route: string
  /** The answers' HTTP statuses, in the order seen (0: no answer). */
  statuses: number[]
  /** The merged shape of the JSON answers; absent if none was JSON. */
  shape?: Shape
  /** Vercel's `error.code` and `error.message`, ids and names redacted. */
  errors?: { status: number; code?: string; message?: string }[]
}

export interface StepShapes {
  name: string
  /** The answers of the live target (`api-url`). */
  live: RouteShape[]
  /** The answers of the in-process emulator for the same step. */
  emulator: RouteShape[]
}

/** The part of the live report the emulator reads. */
export interface ShapeReport {
  steps: StepShapes[]
}

// Objects whose keys are data, not a schema: the product's metadata and
// settings, and a store's variables by name.
const MAP_KEYS = new Set(['metadata', 'protocolSettings', 'env'])

/**
 * The shape of one answer. With `marker`, an array keeps only the elements
 * that mention it (where any does), so a listing is shaped by the check's own
 * store and not by whatever else the team holds.
 */
export function shapeOf(value: unknown, marker?: string): Shape {
  const shape: Shape = {}
  walk(value, '$', shape, marker)
  return shape
}

function walk(
  value: unknown,
  path: string,
  shape: Shape,
  marker: string | undefined
): void {
  const type = typeOf(value)
  if (type === 'object' && MAP_KEYS.has(lastKey(path))) {
    addType(shape, path, 'map')
    return
  }
  addType(shape, path, type)
  if (Array.isArray(value)) {
    const ours = marker
      ? value.filter((item) => JSON.stringify(item).includes(marker))
      : []
    for (const item of ours.length > 0 ? ours : value) {
      walk(item, `${path}[]`, shape, marker)
    }
  } else if (type === 'object') {
    for (const [key, child] of Object.entries(value as object)) {
      walk(child, `${path}.${key}`, shape, marker)
    }
  }
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

function lastKey(path: string): string {
  return path.slice(path.lastIndexOf('.') + 1)
}

function addType(shape: Shape, path: string, type: string): void {
  const types = new Set(shape[path]?.split('|') ?? [])
  types.add(type)
  shape[path] = [...types].sort().join('|')
}

export function mergeShapes(...shapes: (Shape | undefined)[]): Shape {
  const merged: Shape = {}
  for (const shape of shapes) {
    for (const [path, types] of Object.entries(shape ?? {})) {
      for (const type of types.split('|')) addType(merged, path, type)
    }
  }
  return merged
}

export interface ShapeDifference {
  step: string
  route: string
  /** A JSON path, or `status` for the answers' statuses, or `route`. */
  path: string
  live: string
  emulator: string
}

/** Where the emulator's answers differ from the live ones, step by step. */
export function compareShapes(steps: StepShapes[]): ShapeDifference[] {
  const differences: ShapeDifference[] = []
  for (const step of steps) {
    const routes = new Set(
      [...step.live, ...step.emulator].map(({ route }) => route)
    )
    for (const route of routes) {
      const live = step.live.find((answer) => answer.route === route)
      const emulator = step.emulator.find((answer) => answer.route === route)
      const at = { step: step.name, route }
      if (!live || !emulator) {
        differences.push({
          ...at,
          path: 'route',
          live: live ? 'requested' : 'not requested',
          emulator: emulator ? 'requested' : 'not requested'
        })
        continue
      }
      const liveStatuses = distinct(live.statuses)
      const emulatorStatuses = distinct(emulator.statuses)
      if (liveStatuses !== emulatorStatuses) {
        differences.push({
          ...at,
          path: 'status',
          live: liveStatuses,
          emulator: emulatorStatuses
        })
      }
      const paths = new Set([
        ...Object.keys(live.shape ?? {}),
        ...Object.keys(emulator.shape ?? {})
      ])
      for (const path of [...paths].sort()) {
        const liveType = live.shape?.[path] ?? 'absent'
        const emulatorType = emulator.shape?.[path] ?? 'absent'
        if (liveType !== emulatorType) {
          differences.push({
            ...at,
            path,
            live: liveType,
            emulator: emulatorType
          })
        }
      }
    }
  }
  return differences
}

function distinct(statuses: number[]): string {
  return [...new Set(statuses)].sort().join(',')
}

/**
 * Shapes the emulator's answers like a report's live answers: keys the live
 * API never sent are dropped, and keys it sent that the emulator cannot
 * invent are collected as gaps (`route path`).
 */
export class ShapeRules {
  readonly #byRoute = new Map<string, Shape>()
  readonly gaps = new Set<string>()

  constructor(report: ShapeReport) {
    for (const step of report.steps) {
      for (const answer of step.live) {
        const succeeded = answer.statuses.some((s) => s >= 200 && s < 300)
        if (!succeeded || !answer.shape) continue
        this.#byRoute.set(
          answer.route,
          mergeShapes(this.#byRoute.get(answer.route), answer.shape)
        )
      }
    }
  }

  /** The routes the report holds a successful live answer for. */
  routes(): string[] {
    return [...this.#byRoute.keys()]
  }

  /** The body shaped like the live answers of its route (a copy). */
  apply(route: string, status: number, body: unknown): unknown {
    const live = this.#byRoute.get(route)
    if (!live || status < 200 || status >= 300) return body
    const shaped = structuredClone(body)
    this.#trim(route, shaped, '$', live)
    return shaped
  }

  #trim(route: string, value: unknown, path: string, live: Shape): void {
    const liveType = live[path]
    if (liveType === undefined || liveType === 'map') return
    if (Array.isArray(value)) {
      for (const item of value) this.#trim(route, item, `${path}[]`, live)
      return
    }
    if (typeof value !== 'object' || value === null) return
    const object = value as Record<string, unknown>
    for (const key of Object.keys(object)) {
      const child = `${path}.${key}`
      if (live[child] === undefined) Reflect.deleteProperty(object, key)
      else this.#trim(route, object[key], child, live)
    }
    for (const child of Object.keys(live)) {
      const key = child.slice(path.length + 1)
      const isDirectChild =
        child.startsWith(`${path}.`) && !/[.[]/.test(key) && key.length > 0
      if (isDirectChild && !(key in object)) {
        this.gaps.add(`${route} ${child}`)
      }
    }
  }
}
