import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ROUTES, startEmulator, type Emulator } from '../emulator/index.ts'
import { runAction } from '../harness/run-action.ts'
import { readEnvList } from '../src/project-answers.ts'
import {
  readInstallations,
  readProducts,
  readStoreAnswer,
  readStorePage
} from '../src/vercel-answers.ts'
import { UnreadableAnswerError } from '../src/errors.ts'
import { describeBody, readErrorAnswer } from '../src/error-body.ts'
import { pathOf, segment } from '../src/vercel-api.ts'
import { errorLine, neonIdInputs } from './support/run-result.ts'

const storePath = (id: string) => pathOf('getStore', { id })

const LIST = 'GET /v1/storage/stores'

describe('answer readers', () => {
  it('copies the fields the action reads and leaves out the rest', () => {
    const page = readStorePage(
      {
        stores: [
          {
            id: 'store_1',
            name: 'web',
            status: null,
            extra: { deep: [1, 2, 3] },
            product: { slug: 'neon', unread: true }
          }
        ],
        pagination: { next: 1700000000000 }
      },
      LIST
    )
    expect(page).toEqual({
      stores: [
        { id: 'store_1', name: 'web', status: null, product: { slug: 'neon' } }
      ],
      next: '1700000000000'
    })
  })

  it.each([
    [
      { stores: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd', name: 7 }] },
      `Vercel's answer to ${LIST} has "stores[3].name" as a number, not a string`
    ],
    [
      { stores: {} },
      `Vercel's answer to ${LIST} has "stores" as an object, not a list`
    ],
    [{}, `Vercel's answer to ${LIST} has no "stores" (a list)`],
    [[], `Vercel's answer to ${LIST} is a list, not an object`],
    [
      { stores: [{ id: '..' }] },
      `Vercel's answer to ${LIST} has "stores[0].id" as "..", which is not an id`
    ],
    [
      {
        stores: [{ id: 'a', projectsMetadata: [{ environments: 'preview' }] }]
      },
      `Vercel's answer to ${LIST} has "stores[0].projectsMetadata[0].environments" as a string, not a list`
    ],
    [
      { stores: [], pagination: { next: {} } },
      `Vercel's answer to ${LIST} has "pagination.next" as an object, not a number`
    ]
  ])('names the wrong field of %j', (body, message) => {
    expect(() => readStorePage(body, LIST)).toThrow(UnreadableAnswerError)
    expect(() => readStorePage(body, LIST)).toThrow(message)
  })

  it('reads a store answer, null or missing as none', () => {
    expect(readStoreAnswer({ store: null }, 'GET x')).toBeUndefined()
    expect(readStoreAnswer({}, 'GET x')).toBeUndefined()
    expect(() =>
      readStoreAnswer({ store: { secrets: { a: 1 } } }, 'GET x')
    ).toThrow(
      `Vercel's answer to GET x has "store.secrets" as an object, not a list`
    )
  })

  it('reads no inherited or __proto__ field', () => {
    const body = JSON.parse('{"__proto__": {"id": "store_evil"}, "store": {}}')
    expect(readStoreAnswer(body, 'GET x')).toEqual({})
  })

  it('checks a metadata field whose __proto__ carries wrongly typed keywords, and inherits none', () => {
    const body = JSON.parse(
      '{"products": [{"id": "iap_1", "metadataSchema": {"type": "object", "properties": {"region": {"__proto__": {"type": 42, "enum": "notalist"}, "description": "d"}}}}]}'
    )
    const [product] = readProducts(body, 'GET p').products
    const region = product.metadataSchema?.properties?.region
    expect(Object.hasOwn(region ?? {}, 'description')).toBe(true)
    expect(region?.type).toBeUndefined()
    expect(region?.enum).toBeUndefined()
    expect(Object.getPrototypeOf(region)).toBe(Object.prototype)
  })

  it('checks installations, products and env lists', () => {
    expect(() =>
      readInstallations([{ id: 'icfg_1', integration: { name: 3 } }], 'GET i')
    ).toThrow('has "[0].integration.name" as a number, not a string')
    expect(() => readProducts({ products: [{ slug: '.' }] }, 'GET p')).toThrow(
      'has "products[0].slug" as ".", which is not an id'
    )
    expect(readEnvList({ key: 'A', value: 'v' }, 'GET e')).toEqual([
      { key: 'A', value: 'v' }
    ])
    // A lone environment, as Vercel may answer it, reads as a list.
    expect(
      readEnvList({ envs: [{ key: 'A', target: 'preview' }] }, 'GET e')
    ).toEqual([{ key: 'A', target: ['preview'] }])
    expect(() => readEnvList({ envs: [{ target: 5 }] }, 'GET e')).toThrow(
      'has "envs[0].target" as a number, not a list'
    )
  })
})

describe('ids that reach the outputs', () => {
  it.each([
    'store_x\n::stop-commands::zz',
    'store_x\r',
    'store_x\u2028y',
    'store_x\u0085y',
    'store x',
    ''
  ])('takes a listed store id %j for an unreadable answer', (id) => {
    expect(() => readStorePage({ stores: [{ id }] }, LIST)).toThrow(
      `Vercel's answer to ${LIST} has "stores[0].id" as ${JSON.stringify(id)}, which is not an id`
    )
  })

  it.each([
    [{ name: 'web\n::warning::x' }, 'stores[0].name'],
    [{ status: 'ready\r' }, 'stores[0].status'],
    [{ billingPlan: { id: 'free\u2028x' } }, 'stores[0].billingPlan.id']
  ])(
    'takes a store with %j, which would reach an output, for an unreadable answer',
    (fields, field) => {
      expect(() =>
        readStorePage({ stores: [{ id: 'store_1', ...fields }] }, LIST)
      ).toThrow(`has "${field}" as`)
      expect(() =>
        readStorePage({ stores: [{ id: 'store_1', ...fields }] }, LIST)
      ).toThrow('which is not one line of text')
    }
  )

  it('reads the ids Vercel gives', () => {
    const store = { id: 'store_AbC123', product: { id: 'iap_x_y-1' } }
    expect(readStorePage({ stores: [store] }, LIST).stores).toEqual([store])
  })

  describe('through run()', () => {
    let emulator: Emulator
    beforeEach(async () => {
      emulator = await startEmulator()
    })
    afterEach(async () => {
      await emulator.close()
    })

    it('fails on a listed store whose id holds a line break, and sets no store-id', async () => {
      const run = () =>
        runAction({ inputs: neonIdInputs(emulator), pullRequest: 7 })
      expect((await run()).exitCode).toBe(0)
      // The rerun finds the store in the listing, which would feed store-id.
      const listing = await fetch(
        `${emulator.url}/v1/storage/stores?teamId=${emulator.team.id}`,
        { headers: { authorization: `Bearer ${emulator.token}` } }
      )
      const { stores } = (await listing.json()) as { stores: object[] }
      emulator.faults.add(ROUTES.listStores, {
        status: 200,
        body: {
          stores: stores.map((store) => ({
            ...store,
            id: 'store_x\n::stop-commands::zz'
          }))
        }
      })
      const result = await run()
      expect(result.exitCode).toBe(1)
      expect(errorLine(result)).toContain(
        'Vercel\'s answer to GET /v1/storage/stores has "stores[0].id" as "store_x\\n::stop-commands::zz", which is not an id'
      )
      expect(result.outputs['store-id']).toBeUndefined()
    })
  })
})

describe('error bodies', () => {
  it('takes only string fields, and never looks inside a deep message', () => {
    const depth = 100_000
    const deep = JSON.parse(
      `{"error":{"code":"bad_request","message":${'['.repeat(depth)}${']'.repeat(depth)}}}`
    )
    expect(readErrorAnswer(deep)).toEqual({
      code: 'bad_request',
      notText: '"message" is a list'
    })
    expect(readErrorAnswer({ err: { message: 'old shape' } })).toEqual({
      message: 'old shape'
    })
    expect(readErrorAnswer({ error: 'text' })).toBeUndefined()
  })

  it('describes a message that is no text without quoting it', () => {
    expect(describeBody('{"error":{"message":{"a":1}}}')).toBe(
      '(an error whose "message" is an object, not text)'
    )
  })
})

describe('paths', () => {
  it.each(['.', '..', ''])('refuses the id %j', (id) => {
    expect(() => segment(id)).toThrow('would change the request')
    expect(() => storePath(id)).toThrow('would change the request')
  })

  it('encodes every other id', () => {
    expect(storePath('a/b?c')).toBe('/v1/storage/stores/a%2Fb%3Fc')
    expect(storePath('...')).toBe('/v1/storage/stores/...')
  })
})
