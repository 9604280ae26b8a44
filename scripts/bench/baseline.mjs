// The benchmark's baseline: the least a program can do for a scenario, with
// Node's built-in fetch and nothing else: make the scenario's requests in
// order (a group concurrently) and read each answer. Plain JavaScript, so
// that no type stripping is timed. BENCH_PLAN (JSON) holds the API URL, the
// token, the store's name and the round trips from harness/scenarios.ts.
/* global process, fetch, URL */
const { apiUrl, token, storeName, roundTrips } = JSON.parse(
  process.env.BENCH_PLAN
)

let storeId

async function send({ method, path, query, body }) {
  const url = new URL(apiUrl + path.replace('{id}', storeId))
  for (const [name, value] of Object.entries(query ?? {})) {
    url.searchParams.set(name, value)
  }
  const response = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  if (!response.ok) {
    throw new Error(`${method} ${path}: ${response.status} ${text}`)
  }
  const json = text === '' ? {} : JSON.parse(text)
  storeId =
    json.store?.id ??
    json.stores?.find(({ name }) => name === storeName)?.id ??
    storeId
}

for (const trip of roundTrips) {
  await (Array.isArray(trip) ? Promise.all(trip.map(send)) : send(trip))
}
