import type { IncomingMessage, ServerResponse } from 'node:http'

export interface Reply {
  status: number
  body: unknown
}

/** Vercel's error shape: `{ error: { code, message, ...extra } }`. */
export function errorReply(
  status: number,
  code: string,
  message: string,
  extra?: Record<string, unknown>
): Reply {
  return { status, body: { error: { code, message, ...extra } } }
}

export function sendJson(res: ServerResponse, reply: Reply): void {
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

export async function readText(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return match?.[1]
}
