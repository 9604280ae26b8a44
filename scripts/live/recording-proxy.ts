/**
 * A reverse proxy on 127.0.0.1 that forwards every request to the target API
 * and records, per step and route, the answer's status and shape (keys and
 * types, never values). The bundle's `api-url` points at it, so the live
 * check sees exactly what the action was answered.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { matchRoute } from '../../emulator/routes.ts'
import { mergeShapes, shapeOf } from '../../emulator/shapes.ts'
import type { RouteShape } from '../../emulator/shapes.ts'

export interface RecordedAnswer {
  step: string
  route: string
  status: number
  body: unknown
}

export interface RecordingProxy {
  url: string
  /** The step the next requests belong to. */
  step: string
  answers: RecordedAnswer[]
  /** The recorded answers of one step, merged per route. */
  shapesOf(step: string): RouteShape[]
  close(): Promise<void>
}

// Forwarded both ways; everything else (cookies, encodings) stays behind.
const REQUEST_HEADERS = ['authorization', 'content-type', 'user-agent']
const ANSWER_HEADERS = [
  'content-type',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset'
]

export async function startRecordingProxy(options: {
  target: string
  /** Elements of arrays that mention it shape the arrays (see shapeOf). */
  marker: string
  /** Strings to replace in error messages (names, keys, the token). */
  redact: (text: string) => string
}): Promise<RecordingProxy> {
  const target = new URL(options.target)
  const answers: RecordedAnswer[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const step = proxy.step
      const url = new URL(req.url ?? '/', target)
      const route = matchRoute(req.method ?? 'GET', url.pathname).key
      const headers: Record<string, string> = {}
      for (const name of REQUEST_HEADERS) {
        const value = req.headers[name]
        if (typeof value === 'string') headers[name] = value
      }
      const body = Buffer.concat(chunks)
      fetch(url, {
        method: req.method,
        headers,
        body: body.length > 0 ? body : undefined,
        redirect: 'manual'
      })
        .then(async (answer) => {
          const text = await answer.text()
          answers.push({
            step,
            route,
            status: answer.status,
            body: parse(text)
          })
          const out: Record<string, string> = {}
          for (const name of ANSWER_HEADERS) {
            const value = answer.headers.get(name)
            if (value !== null) out[name] = value
          }
          res.writeHead(answer.status, out)
          res.end(text)
        })
        .catch((error: unknown) => {
          answers.push({ step, route, status: 0, body: undefined })
          res.writeHead(502, { 'content-type': 'text/plain' })
          res.end(`recording proxy: ${(error as Error).message}`)
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  const proxy: RecordingProxy = {
    url: `http://127.0.0.1:${port}`,
    step: 'setup',
    answers,
    shapesOf(step) {
      const byRoute = new Map<string, RouteShape>()
      for (const answer of answers.filter((a) => a.step === step)) {
        const merged = byRoute.get(answer.route) ?? {
          route: answer.route,
          statuses: []
        }
        merged.statuses.push(answer.status)
        if (answer.body !== undefined) {
          merged.shape = mergeShapes(
            merged.shape,
            shapeOf(answer.body, options.marker)
          )
        }
        const error = errorOf(answer, options.redact)
        if (error) merged.errors = [...(merged.errors ?? []), error]
        byRoute.set(answer.route, merged)
      }
      return [...byRoute.values()]
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
  }
  return proxy
}

function parse(text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Vercel's `{ error: { code, message } }`, its message redacted. */
function errorOf(
  answer: RecordedAnswer,
  redact: (text: string) => string
): NonNullable<RouteShape['errors']>[number] | undefined {
  if (answer.status < 400) return undefined
  const error = (answer.body as { error?: unknown } | undefined)?.error
  if (typeof error !== 'object' || error === null) {
    return { status: answer.status }
  }
  const { code, message } = error as Record<string, unknown>
  return {
    status: answer.status,
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? redact(message) : undefined
  }
}
